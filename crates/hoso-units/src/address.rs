//! Địa chỉ — an address answer as one line, "detail, commune, province"
//! ("Số 5 ngõ 3, Phường Ba Đình, Thành phố Hà Nội"): what forms print and
//! records keep. The picker splits it back into its three inputs.

/// The three parts of an address answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressParts {
    /// Số nhà, đường, thôn, tổ — free text.
    pub detail: String,
    pub commune: String,
    pub province: String,
}

const PROVINCE_PREFIXES: [&str; 2] = ["Tỉnh ", "Thành phố "];
const COMMUNE_PREFIXES: [&str; 3] = ["Phường ", "Xã ", "Đặc khu "];

impl AddressParts {
    /// Splits by how unit names are written (capitalised type first), so an
    /// answer typed as free text ("thôn Đông, xã Hòa Bình") stays whole in
    /// the detail and nothing typed is lost or moved.
    pub fn split(value: &str) -> AddressParts {
        let mut segs: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let mut parts = AddressParts::default();
        if segs
            .last()
            .is_some_and(|s| PROVINCE_PREFIXES.iter().any(|p| s.starts_with(p)))
        {
            parts.province = segs.pop().unwrap_or_default().to_string();
            if segs
                .last()
                .is_some_and(|s| COMMUNE_PREFIXES.iter().any(|p| s.starts_with(p)))
            {
                parts.commune = segs.pop().unwrap_or_default().to_string();
            }
        }
        parts.detail = segs.join(", ");
        parts
    }

    pub fn compose(&self) -> String {
        compose(&self.detail, &self.commune, &self.province)
    }
}

/// The answer line: non-empty parts joined by ", ".
pub fn compose(detail: &str, commune: &str, province: &str) -> String {
    [detail.trim(), commune.trim(), province.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_answers_round_trip() {
        let v = "Số 5, ngõ 3, Phường Ba Đình, Thành phố Hà Nội";
        let p = AddressParts::split(v);
        assert_eq!(p.detail, "Số 5, ngõ 3");
        assert_eq!(p.commune, "Phường Ba Đình");
        assert_eq!(p.province, "Thành phố Hà Nội");
        assert_eq!(p.compose(), v);
    }

    #[test]
    fn free_text_stays_in_the_detail() {
        let v = "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi";
        assert_eq!(
            AddressParts::split(v),
            AddressParts {
                detail: v.into(),
                ..Default::default()
            }
        );
        let old = "Thôn 3, Xã Ea Tu, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk";
        let p = AddressParts::split(old);
        assert_eq!(
            (p.detail.as_str(), p.commune.as_str()),
            ("Thôn 3, Xã Ea Tu, Thành phố Buôn Ma Thuột", "")
        );
        assert_eq!(p.compose(), old);
    }

    #[test]
    fn missing_parts_leave_no_stray_commas() {
        assert_eq!(
            compose("", "Xã Tân Hòa", "Tỉnh Phú Thọ"),
            "Xã Tân Hòa, Tỉnh Phú Thọ"
        );
        assert_eq!(compose(" Tổ 5 ", "", ""), "Tổ 5");
        assert_eq!(AddressParts::split("Xã Tân Hòa, Tỉnh Phú Thọ").detail, "");
    }
}
