//! Đơn vị hành chính — Vietnam's administrative units after the reform of
//! 01/07/2025 (34 provinces, 3,321 communes; districts abolished), searched
//! without diacritics for the address pickers, and the conversion of an old
//! three-level address (as printed on older ID cards) to the new commune.
//!
//! The data are two generated text files (`tools/gen-units.py` writes them
//! from the PyPI packages `vietnam-provinces` and `vietnamadminunits`):
//!
//! `data/units/new.txt` — a province line `<code> <full name>[|alias,…]`, then one
//! line per commune `<type><code − previous code> <name without type>`,
//! type `p` Phường, `x` Xã, `d` Đặc khu. `# ` starts a comment.
//!
//! `data/units/old.txt` — an old province `@<t|c><key>=<new province code>[,alias…]`
//! (t Tỉnh, c Thành phố), its districts `#<q|h|s|c><key>[,alias…]` (Quận,
//! Huyện, Thị xã, Thành phố), and under each district lines
//! `<index of the new commune within the new province> <old key>,<old key>…`,
//! the index written as the step from the previous line's in the district:
//! an empty old key means "named like the new commune", `*` the whole
//! district (islands that became a đặc khu). Keys are [`key`]s; the few old
//! communes whose names fold alike keep their diacritics.

mod address;
mod legacy;

pub use address::{compose, AddressParts};
pub use legacy::{Conversion, Legacy};

use hoso_core::text::fold;

/// Loại đơn vị cấp xã — kind of a commune-level unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommuneKind {
    Ward,
    Commune,
    SpecialZone,
}

impl CommuneKind {
    pub fn vi(self) -> &'static str {
        match self {
            CommuneKind::Ward => "Phường",
            CommuneKind::Commune => "Xã",
            CommuneKind::SpecialZone => "Đặc khu",
        }
    }
}

/// Tỉnh, thành phố trực thuộc trung ương.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Province {
    pub code: u16,
    /// Full NFC name as written on documents: "Thành phố Hà Nội".
    pub name: String,
    /// The communes, as a range of [`Units::communes`].
    range: std::ops::Range<usize>,
    names: Names,
    /// Short names people type: "hn", "hcm", "saigon".
    aliases: Vec<String>,
}

impl Province {
    /// Name without "Tỉnh"/"Thành phố": "Hà Nội".
    pub fn short_name(&self) -> &str {
        self.name
            .strip_prefix("Tỉnh ")
            .or_else(|| self.name.strip_prefix("Thành phố "))
            .unwrap_or(&self.name)
    }
}

/// Xã, phường, đặc khu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commune {
    pub code: u32,
    pub kind: CommuneKind,
    /// Full NFC name: "Phường Ba Đình".
    pub name: String,
    pub province: u16,
    names: Names,
}

/// The 34 provinces and their communes.
#[derive(Clone, Debug, Default)]
pub struct Units {
    provinces: Vec<Province>,
    communes: Vec<Commune>,
}

/// A data file line that does not follow the grammar (1-based line number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

impl std::error::Error for DataError {}

/// How names are compared: folded (no diacritics, lowercase), letters and
/// digits only, numbers without leading zeros ("Phường 01" = "P.1").
pub fn key(s: &str) -> String {
    let k: String = fold(s).chars().filter(|c| c.is_alphanumeric()).collect();
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
        let t = k.trim_start_matches('0');
        return if t.is_empty() { "0".into() } else { t.into() };
    }
    k
}

/// Folded words separated by single spaces, for word-prefix search.
fn words(s: &str) -> String {
    let f: String = fold(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name prepared for search once, at load: folded words and keys.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Names {
    /// " phuong ba dinh": leading space so word starts are " x".
    full: String,
    /// " ba dinh": without the unit type.
    base: String,
    full_key: String,
    base_key: String,
}

impl Names {
    fn new(full: &str, base: &str) -> Names {
        let (full, base) = (format!(" {}", words(full)), format!(" {}", words(base)));
        let strip = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
        Names {
            full_key: strip(&full),
            base_key: strip(&base),
            full,
            base,
        }
    }
}

/// A query prepared once per keystroke.
struct Query {
    /// " ba d"
    words: String,
    key: String,
}

impl Query {
    fn new(q: &str) -> Query {
        Query {
            words: format!(" {}", words(q)),
            key: key(q),
        }
    }
}

/// Rank of a name for a query (lower is better), None when it does not match.
/// Both the full name ("phuong ba dinh") and the name without its type
/// ("ba dinh") are tried, spaced and unspaced ("badinh").
fn rank(q: &Query, n: &Names) -> Option<u8> {
    if q.key.is_empty() {
        Some(4)
    } else if n.base_key == q.key || n.full_key == q.key {
        Some(0)
    } else if n.base.starts_with(&q.words)
        || n.full.starts_with(&q.words)
        || n.base_key.starts_with(&q.key)
    {
        Some(1)
    } else if n.base.contains(&q.words) {
        Some(2)
    } else if n.base_key.contains(&q.key) {
        Some(3)
    } else {
        None
    }
}

fn bad(file: &'static str, line: usize, reason: impl Into<String>) -> DataError {
    DataError {
        file,
        line,
        reason: reason.into(),
    }
}

impl Units {
    /// Reads `data/units/new.txt`.
    pub fn parse(text: &str) -> Result<Units, DataError> {
        const FILE: &str = "data/units/new.txt";
        let mut units = Units::default();
        let mut prev = 0u32;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (head, name) = line
                .split_once(' ')
                .ok_or_else(|| bad(FILE, n, "no name"))?;
            let first = head.chars().next().unwrap_or(' ');
            if first.is_ascii_digit() {
                let (name, aliases) = name.split_once('|').unwrap_or((name, ""));
                let aliases = aliases
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect();
                let code = head
                    .parse()
                    .map_err(|_| bad(FILE, n, "bad province code"))?;
                let start = units.communes.len();
                let base = name
                    .strip_prefix("Tỉnh ")
                    .or_else(|| name.strip_prefix("Thành phố "))
                    .unwrap_or(name);
                units.provinces.push(Province {
                    code,
                    name: name.to_string(),
                    range: start..start,
                    names: Names::new(name, base),
                    aliases,
                });
                prev = 0;
                continue;
            }
            let kind = match first {
                'p' => CommuneKind::Ward,
                'x' => CommuneKind::Commune,
                'd' => CommuneKind::SpecialZone,
                _ => return Err(bad(FILE, n, "unknown commune type")),
            };
            let delta: u32 = head[1..]
                .parse()
                .map_err(|_| bad(FILE, n, "bad commune code"))?;
            let province = units
                .provinces
                .last_mut()
                .ok_or_else(|| bad(FILE, n, "commune before any province"))?;
            prev += delta;
            let full = format!("{} {name}", kind.vi());
            units.communes.push(Commune {
                code: prev,
                kind,
                names: Names::new(&full, name),
                name: full,
                province: province.code,
            });
            province.range.end = units.communes.len();
        }
        Ok(units)
    }

    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    pub fn province(&self, code: u16) -> Option<&Province> {
        self.provinces.iter().find(|p| p.code == code)
    }

    pub fn commune(&self, code: u32) -> Option<&Commune> {
        self.communes.iter().find(|c| c.code == code)
    }

    /// The communes of one province, in the official order.
    pub fn communes_of(&self, province: u16) -> &[Commune] {
        self.province(province)
            .map(|p| &self.communes[p.range.clone()])
            .unwrap_or(&[])
    }

    /// Province by its exact or folded name ("Hà Nội", "thanh pho ha noi").
    pub fn find_province(&self, name: &str) -> Option<&Province> {
        let k = key(name);
        self.provinces
            .iter()
            .find(|p| p.names.full_key == k || p.names.base_key == k || p.aliases.contains(&k))
    }

    /// Commune of a province by its exact or folded name.
    pub fn find_commune(&self, province: u16, name: &str) -> Option<&Commune> {
        let k = key(name);
        let all = self.communes_of(province);
        all.iter().find(|c| c.name == name).or_else(|| {
            all.iter()
                .find(|c| c.names.full_key == k || c.names.base_key == k)
        })
    }

    /// Provinces matching what was typed, best first: exact, prefix, word
    /// prefix, then anywhere; diacritics and case ignored.
    pub fn search_provinces(&self, query: &str) -> Vec<&Province> {
        let q = Query::new(query);
        let mut hits: Vec<(u8, &Province)> = self
            .provinces
            .iter()
            .filter_map(|p| match p.aliases.contains(&q.key) {
                true => Some((0, p)),
                false => Some((rank(&q, &p.names)?, p)),
            })
            .collect();
        hoso_core::sort::sort_by(&mut hits, |a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.names.base.cmp(&b.1.names.base))
        });
        hits.into_iter().map(|(_, p)| p).collect()
    }

    /// Communes matching what was typed (all provinces when `province` is
    /// None), ranked like [`Units::search_provinces`], at most `limit`.
    pub fn search_communes(
        &self,
        province: Option<u16>,
        query: &str,
        limit: usize,
    ) -> Vec<&Commune> {
        let q = Query::new(query);
        let pool: &[Commune] = match province {
            Some(p) => self.communes_of(p),
            None => &self.communes,
        };
        let mut hits: Vec<(u8, &Commune)> = pool
            .iter()
            .filter_map(|c| Some((rank(&q, &c.names)?, c)))
            .collect();
        hoso_core::sort::sort_by(&mut hits, |a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.names.base.cmp(&b.1.names.base))
        });
        hits.into_iter().take(limit).map(|(_, c)| c).collect()
    }
}

/// The data compiled into the binary (CLI, native tests).
#[cfg(feature = "embedded")]
pub mod embedded {
    use super::*;
    use std::sync::OnceLock;

    pub const NEW_TXT: &str = include_str!("../../../data/units/new.txt");
    pub const OLD_TXT: &str = include_str!("../../../data/units/old.txt");

    pub fn units() -> &'static Units {
        static U: OnceLock<Units> = OnceLock::new();
        U.get_or_init(|| Units::parse(NEW_TXT).expect("data/units/new.txt"))
    }

    pub fn legacy() -> &'static Legacy {
        static L: OnceLock<Legacy> = OnceLock::new();
        L.get_or_init(|| Legacy::parse(OLD_TXT, units()).expect("data/units/old.txt"))
    }
}
