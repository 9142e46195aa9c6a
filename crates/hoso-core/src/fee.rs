//! Phí, lệ phí — what a procedure costs, as data a province can edit, and
//! the one function that turns it into dong.

use serde::{Deserialize, Serialize};

/// How the fee of a procedure is computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeeRule {
    /// Miễn phí, miễn lệ phí.
    Free,
    /// One amount per request (chứng thực chữ ký: per signing "trường hợp").
    Fixed { amount: u64 },
    /// An amount per copy issued (bản sao trích lục).
    PerCopy { amount: u64 },
    /// Per page of each copy by tiers, capped per copy (chứng thực bản sao:
    /// 2,000đ a page, 1,000đ a page from page 3, at most 200,000đ a copy).
    PerPage {
        /// Sorted by `from_page`, the first starting at page 1.
        tiers: Vec<PageTier>,
        #[serde(default)]
        max_per_copy: Option<u64>,
    },
    /// The provincial council sets the amount; the catalog does not know it
    /// (a province replaces this by its own rule).
    SetByProvince,
}

/// Pages from `from_page` on (until the next tier) cost `amount` each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageTier {
    pub from_page: u32,
    pub amount: u64,
}

/// The fee in dong for `copies` copies of a paper of `pages` pages;
/// `None` when the province sets it. Rules that ignore pages or copies
/// ignore the argument.
pub fn amount(rule: &FeeRule, pages: u32, copies: u32) -> Option<u64> {
    let copies = u64::from(copies);
    match rule {
        FeeRule::Free => Some(0),
        FeeRule::Fixed { amount } => Some(*amount),
        FeeRule::PerCopy { amount } => Some(amount.saturating_mul(copies)),
        FeeRule::PerPage { tiers, max_per_copy } => {
            let per_copy = (1..=pages)
                .map(|page| tiers.iter().rev().find(|t| t.from_page <= page).map_or(0, |t| t.amount))
                .fold(0u64, u64::saturating_add);
            let per_copy = max_per_copy.map_or(per_copy, |max| per_copy.min(max));
            Some(per_copy.saturating_mul(copies))
        }
        FeeRule::SetByProvince => None,
    }
}

/// Why a rule cannot be right, for the catalog's validation pass.
pub fn problem(rule: &FeeRule) -> Option<String> {
    let FeeRule::PerPage { tiers, .. } = rule else { return None };
    match tiers.first() {
        None => Some("cần ít nhất một mức giá theo trang (tiers)".into()),
        Some(t) if t.from_page != 1 => Some("mức giá đầu tiên phải bắt đầu từ trang 1 (from_page: 1)".into()),
        _ if tiers.windows(2).any(|w| w[0].from_page >= w[1].from_page) => {
            Some("các mức giá phải xếp theo from_page tăng dần".into())
        }
        _ => None,
    }
}

/// "2.000 đồng" — amounts as Vietnamese papers print them.
pub fn format_dong(amount: u64) -> String {
    let digits = amount.to_string().into_bytes();
    let groups: Vec<&str> = digits.rchunks(3).rev().map(|g| std::str::from_utf8(g).expect("ASCII digits")).collect();
    format!("{} đồng", groups.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TT 226/2016/TT-BTC for chứng thực bản sao từ bản chính.
    fn copy_certification() -> FeeRule {
        FeeRule::PerPage {
            tiers: vec![PageTier { from_page: 1, amount: 2_000 }, PageTier { from_page: 3, amount: 1_000 }],
            max_per_copy: Some(200_000),
        }
    }

    #[test]
    fn per_page_tiers_and_cap() {
        let rule = copy_certification();
        assert_eq!(amount(&rule, 0, 1), Some(0));
        assert_eq!(amount(&rule, 1, 1), Some(2_000));
        assert_eq!(amount(&rule, 2, 1), Some(4_000));
        assert_eq!(amount(&rule, 3, 1), Some(5_000));
        assert_eq!(amount(&rule, 10, 1), Some(12_000));
        assert_eq!(amount(&rule, 10, 3), Some(36_000));
        // 4,000 + 1,000 × 196 = 200,000: the cap is reached at page 198.
        assert_eq!(amount(&rule, 197, 1), Some(199_000));
        assert_eq!(amount(&rule, 198, 1), Some(200_000));
        assert_eq!(amount(&rule, 500, 1), Some(200_000));
        assert_eq!(amount(&rule, 500, 2), Some(400_000), "the cap is per copy");
        assert_eq!(amount(&rule, 5, 0), Some(0));
    }

    #[test]
    fn other_rules() {
        assert_eq!(amount(&FeeRule::Free, 12, 3), Some(0));
        assert_eq!(amount(&FeeRule::Fixed { amount: 10_000 }, 12, 3), Some(10_000));
        assert_eq!(amount(&FeeRule::PerCopy { amount: 8_000 }, 12, 3), Some(24_000));
        assert_eq!(amount(&FeeRule::SetByProvince, 1, 1), None);
        assert_eq!(amount(&FeeRule::PerCopy { amount: u64::MAX }, 1, 2), Some(u64::MAX));
    }

    #[test]
    fn rules_read_from_json() {
        let rule: FeeRule = serde_json::from_str(
            r#"{"kind":"per_page","tiers":[{"from_page":1,"amount":2000},{"from_page":3,"amount":1000}],"max_per_copy":200000}"#,
        )
        .unwrap();
        assert_eq!(rule, copy_certification());
        assert_eq!(serde_json::from_str::<FeeRule>(r#"{"kind":"free"}"#).unwrap(), FeeRule::Free);
        assert!(serde_json::from_str::<FeeRule>(r#"{"kind":"fixed"}"#).is_err(), "amount is required");
    }

    #[test]
    fn bad_tiers_are_named() {
        assert_eq!(problem(&copy_certification()), None);
        let tiers = |t: &[(u32, u64)]| FeeRule::PerPage {
            tiers: t.iter().map(|&(from_page, amount)| PageTier { from_page, amount }).collect(),
            max_per_copy: None,
        };
        assert!(problem(&tiers(&[])).unwrap().contains("ít nhất"));
        assert!(problem(&tiers(&[(2, 1)])).unwrap().contains("trang 1"));
        assert!(problem(&tiers(&[(1, 1), (3, 1), (3, 1)])).unwrap().contains("tăng dần"));
    }

    #[test]
    fn dong_have_dot_thousands() {
        assert_eq!(format_dong(0), "0 đồng");
        assert_eq!(format_dong(2_000), "2.000 đồng");
        assert_eq!(format_dong(200_000), "200.000 đồng");
        assert_eq!(format_dong(1_234_567), "1.234.567 đồng");
    }
}
