//! Địa chỉ cũ → đơn vị mới: an address written with the pre-07/2025 units
//! ("Xã A, Huyện B, Tỉnh C", as on older ID cards, with "P.", "Q.", "TP."
//! and missing levels) resolved to the commune and province it is in now.

use crate::{bad, key, Commune, DataError, Province, Units};
use hoso_core::text;

#[derive(Clone, Debug)]
struct OldWard {
    key: String,
    /// Lowercase with diacritics, only for names that fold alike in one district.
    accented: Option<String>,
    /// `p`, `x` or `t` (Phường, Xã, Thị trấn), only where a district has one
    /// name twice (Thị trấn Mường Tè, Xã Mường Tè).
    kind: Option<char>,
    commune: usize,
}

#[derive(Clone, Debug)]
struct OldDistrict {
    keys: Vec<String>,
    wards: Vec<OldWard>,
    /// An island district that became one đặc khu.
    whole: Option<usize>,
}

#[derive(Clone, Debug)]
struct OldProvince {
    keys: Vec<String>,
    new_province: u16,
    districts: Vec<OldDistrict>,
}

/// The 63 old provinces with their districts and communes, each old commune
/// pointing at the new commune it became.
#[derive(Clone, Debug, Default)]
pub struct Legacy {
    provinces: Vec<OldProvince>,
}

/// An old address resolved: the new unit, and the old text kept for showing
/// both side by side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversion<'a> {
    /// The address as given (NFC, spaces tidied).
    pub old: String,
    /// What lies below the commune (house, street, hamlet), kept as written.
    pub detail: String,
    /// None when only the province could be recognised.
    pub commune: Option<&'a Commune>,
    pub province: &'a Province,
    /// Written with the new units already: nothing had to change.
    pub already_new: bool,
}

impl Conversion<'_> {
    /// The new address line: "Thôn 3, Phường Tân An, Tỉnh Đắk Lắk".
    pub fn address(&self) -> String {
        crate::compose(
            &self.detail,
            self.commune.map(|c| c.name.as_str()).unwrap_or(""),
            &self.province.name,
        )
    }
}

/// One comma-separated part of an address, as the keys it may match.
struct Seg<'s> {
    raw: &'s str,
    /// Without a leading unit type ("Q.", "Huyện"), and as written.
    keys: [String; 2],
    accented: String,
    /// Commune type written before the name: `p`, `x` or `t`.
    kind: Option<char>,
    /// Written as a district (Quận, Huyện, Thị xã); a commune type (`kind`)
    /// likewise rules out districts: "Phường Ba Đình" is not "Quận Ba Đình".
    district: bool,
}

/// Unit types people write before names, folded to words; longest first.
const TYPES: [&str; 19] = [
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "tinh",
    "quan",
    "huyen",
    "phuong",
    "xa",
    "tp",
    "tx",
    "tt",
    "t p",
    "p",
    "q",
    "h",
    "x",
    "t",
    "f",
];

fn folded_words(s: &str) -> Vec<String> {
    let f: String = text::fold(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    f.split_whitespace().map(str::to_string).collect()
}

fn seg(raw: &str) -> Seg<'_> {
    let words = folded_words(raw);
    let joined = words.join(" ");
    // "P12", "Q1": type letter glued to a number.
    let glued = words.len() == 1
        && joined.len() > 1
        && matches!(joined.as_bytes()[0], b'p' | b'q' | b'f')
        && joined[1..].bytes().all(|b| b.is_ascii_digit());
    let skip = if glued {
        0
    } else {
        TYPES
            .iter()
            .find(|t| joined.starts_with(*t) && joined[t.len()..].starts_with(' '))
            .map(|t| t.split(' ').count())
            .unwrap_or(0)
    };
    let stripped = if glued {
        key(&joined[1..])
    } else {
        key(&words[skip..].concat())
    };
    let lower = text::lower(&text::nfc(raw));
    let nfc_words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let accented = nfc_words
        .get(skip..)
        .map(|w| w.concat())
        .unwrap_or_default();
    let kind = if glued {
        Some('p')
    } else {
        match words[..skip.min(words.len())].join(" ").as_str() {
            "phuong" | "p" | "f" => Some('p'),
            "xa" | "x" => Some('x'),
            "thi tran" | "tt" => Some('t'),
            _ => None,
        }
    };
    let district = !glued
        && matches!(
            words[..skip.min(words.len())].join(" ").as_str(),
            "quan" | "huyen" | "thi xa" | "q" | "h" | "tx"
        );
    let kind = kind.or_else(|| {
        (!glued && words.first().is_some_and(|w| w == "dac") && skip == 2).then_some('d')
    });
    Seg {
        raw,
        keys: [stripped, key(raw)],
        accented,
        kind,
        district,
    }
}

impl Seg<'_> {
    fn is(&self, k: &str) -> bool {
        !k.is_empty() && self.keys.iter().any(|s| s == k)
    }
}

/// What the levels under a province resolved to.
struct Found {
    /// Segments left over (the detail) = `segs[..rest]`.
    rest: usize,
    commune: Option<usize>,
    already_new: bool,
}

impl Legacy {
    /// Reads `data/units/old.txt`; commune references resolve against `units`.
    pub fn parse(text: &str, units: &Units) -> Result<Legacy, DataError> {
        const FILE: &str = "data/units/old.txt";
        let mut out = Legacy::default();
        // Index of the previous line's new commune in this district.
        let mut prev = 0usize;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.is_empty() || line.starts_with("# ") {
                continue;
            }
            if let Some(rest) = line.strip_prefix('@') {
                let (names, code) = rest
                    .get(1..)
                    .and_then(|r| r.split_once('='))
                    .ok_or_else(|| bad(FILE, n, "bad province line"))?;
                let mut code_aliases = code.split(',');
                let new_province: u16 = code_aliases
                    .next()
                    .and_then(|c| c.parse().ok())
                    .ok_or_else(|| bad(FILE, n, "bad new province code"))?;
                units
                    .province(new_province)
                    .ok_or_else(|| bad(FILE, n, "unknown new province"))?;
                let keys = std::iter::once(names.to_string())
                    .chain(code_aliases.map(str::to_string))
                    .collect();
                out.provinces.push(OldProvince {
                    keys,
                    new_province,
                    districts: Vec::new(),
                });
            } else if let Some(rest) = line.strip_prefix('#') {
                prev = 0;
                let p = out
                    .provinces
                    .last_mut()
                    .ok_or_else(|| bad(FILE, n, "district before any province"))?;
                let keys = rest
                    .get(1..)
                    .unwrap_or("")
                    .split(',')
                    .map(str::to_string)
                    .collect();
                p.districts.push(OldDistrict {
                    keys,
                    wards: Vec::new(),
                    whole: None,
                });
            } else {
                let p = out
                    .provinces
                    .last_mut()
                    .ok_or_else(|| bad(FILE, n, "commune before any province"))?;
                let range = units
                    .province(p.new_province)
                    .map(|np| np.range.clone())
                    .unwrap_or(0..0);
                let d = p
                    .districts
                    .last_mut()
                    .ok_or_else(|| bad(FILE, n, "commune before any district"))?;
                let (index, names) = line
                    .split_once(' ')
                    .ok_or_else(|| bad(FILE, n, "bad commune line"))?;
                let step: usize = index
                    .parse()
                    .map_err(|_| bad(FILE, n, "bad commune index"))?;
                prev += step;
                let commune = range.start + prev;
                if commune >= range.end {
                    return Err(bad(FILE, n, "commune index beyond the new province"));
                }
                for name in names.split(',') {
                    match name {
                        "*" => d.whole = Some(commune),
                        "" => d.wards.push(OldWard {
                            key: units.communes[commune].names.base_key.clone(),
                            accented: None,
                            kind: None,
                            commune,
                        }),
                        k if k.as_bytes().get(1) == Some(&b':') => {
                            let kind = k.chars().next();
                            d.wards.push(OldWard {
                                key: k[2..].to_string(),
                                accented: None,
                                kind,
                                commune,
                            })
                        }
                        k if k.is_ascii() => d.wards.push(OldWard {
                            key: k.to_string(),
                            accented: None,
                            kind: None,
                            commune,
                        }),
                        k => d.wards.push(OldWard {
                            key: key(k),
                            accented: Some(k.to_string()),
                            kind: None,
                            commune,
                        }),
                    }
                }
            }
        }
        Ok(out)
    }

    /// Number of old communes known (about 10,000).
    pub fn old_commune_count(&self) -> usize {
        self.provinces
            .iter()
            .flat_map(|p| &p.districts)
            .map(|d| d.wards.len())
            .sum()
    }

    /// Codes of the new communes some old commune (or island district) became.
    pub fn new_commune_codes(&self, units: &Units) -> std::collections::BTreeSet<u32> {
        let districts = self.provinces.iter().flat_map(|p| &p.districts);
        districts
            .flat_map(|d| d.wards.iter().map(|w| w.commune).chain(d.whole))
            .map(|i| units.communes[i].code)
            .collect()
    }

    pub fn old_province_count(&self) -> usize {
        self.provinces.len()
    }

    /// Resolves an old (or already new) address; None when not even the
    /// province can be recognised.
    pub fn convert<'u>(&self, units: &'u Units, address: &str) -> Option<Conversion<'u>> {
        let old = text::clean(address);
        let parts: Vec<&str> = old
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let segs: Vec<Seg> = parts.iter().map(|s| seg(s)).collect();
        let last = segs.last()?;
        let (province, found) = if let Some(p) = self
            .provinces
            .iter()
            .find(|p| p.keys.iter().any(|k| last.is(k)))
        {
            (p, self.within(units, p, &segs[..segs.len() - 1]))
        } else {
            // No province written: a district must say where we are.
            let mut hits = self.provinces.iter().filter_map(|p| {
                let f = self.within(units, p, &segs)?;
                (f.rest < segs.len() && f.commune.is_some() && !f.already_new).then_some((p, f))
            });
            let first = hits.next()?;
            if hits.any(|(_, f)| f.commune != first.1.commune) {
                return None;
            }
            (first.0, Some(first.1))
        };
        let found = found?;
        let detail = segs[..found.rest]
            .iter()
            .map(|s| s.raw)
            .collect::<Vec<_>>()
            .join(", ");
        Some(Conversion {
            detail,
            commune: found.commune.map(|i| &units.communes[i]),
            province: units.province(province.new_province)?,
            already_new: found.already_new,
            old,
        })
    }

    /// Levels below a province: district then commune, or a commune alone
    /// (new style, or old with the district left out).
    fn within(&self, units: &Units, p: &OldProvince, segs: &[Seg]) -> Option<Found> {
        let Some(last) = segs.last() else {
            return Some(Found {
                rest: 0,
                commune: None,
                already_new: false,
            });
        };
        let n = segs.len();
        let district = if last.kind.is_none() {
            p.districts
                .iter()
                .find(|d| d.keys.iter().any(|k| last.is(k)))
        } else {
            None
        };
        if let Some(d) = district {
            if let Some(whole) = d.whole {
                return Some(Found {
                    rest: n - 1,
                    commune: Some(whole),
                    already_new: false,
                });
            }
            if n >= 2 {
                let ward = &segs[n - 2];
                let hit = pick(&d.wards, ward)
                    .or_else(|| unique(p.districts.iter().flat_map(|d| &d.wards), ward));
                if let Some(c) = hit {
                    return Some(Found {
                        rest: n - 2,
                        commune: Some(c),
                        already_new: false,
                    });
                }
            }
            return Some(Found {
                rest: n - 1,
                commune: None,
                already_new: false,
            });
        }
        let np = units.province(p.new_province)?;
        if let Some(i) = units.communes[np.range.clone()]
            .iter()
            .position(|c| last.is(&c.names.base_key))
        {
            return Some(Found {
                rest: n - 1,
                commune: Some(np.range.start + i),
                already_new: true,
            });
        }
        if let Some(c) = unique(p.districts.iter().flat_map(|d| &d.wards), last) {
            return Some(Found {
                rest: n - 1,
                commune: Some(c),
                already_new: false,
            });
        }
        Some(Found {
            rest: n,
            commune: None,
            already_new: false,
        })
    }
}

/// The old commune a segment names within one district; diacritics or the
/// written type decide between names that fold alike.
fn pick(wards: &[OldWard], s: &Seg) -> Option<usize> {
    if s.district {
        return None;
    }
    let hits: Vec<&OldWard> = wards.iter().filter(|w| s.is(&w.key)).collect();
    match hits.as_slice() {
        [] => None,
        [one] => Some(one.commune),
        many => {
            let best = many
                .iter()
                .find(|w| w.accented.as_deref() == Some(s.accented.as_str()))
                .or_else(|| many.iter().find(|w| w.kind.is_some() && w.kind == s.kind))
                .unwrap_or(&many[0]);
            Some(best.commune)
        }
    }
}

/// The new commune a segment leads to when all old communes of that name
/// (across a province) went to the same one.
fn unique<'w>(wards: impl Iterator<Item = &'w OldWard>, s: &Seg) -> Option<usize> {
    if s.district {
        return None;
    }
    let mut targets = wards.filter(|w| s.is(&w.key)).map(|w| w.commune);
    let first = targets.next()?;
    targets.all(|t| t == first).then_some(first)
}
