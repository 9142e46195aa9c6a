//! Mang hồ sơ đến quầy — the home pre-fill handoff: a citizen fills a
//! declaration on a phone at home, and the counter receives every answer
//! by scanning QR codes (or opening a `.hoso` file), with no network.
//!
//! # Format (version 1)
//!
//! The message is binary, then cut into parts, each carried as text in
//! QR alphanumeric mode (45 symbols, 5.5 bits each):
//!
//! ```text
//! HS1:2/3:K1Q7+Z<base45 of the part's bytes>
//! ^^^ ^^^ ^^^^^^
//! |   |   message id = base45 of the first 4 bytes of SHA-256(message):
//! |   |   shared by all parts and checked after reassembly
//! |   part i/n (parts reassemble in any order)
//! format version (a newer one is refused with a clear message)
//! ```
//!
//! Base45 (RFC 9285) turns 2 bytes into 3 symbols: 16.5 bits per 16, against
//! 21.3 for base64 in byte mode, so the same answers need fewer modules (see
//! `bench/handoff-size.sh`), and the text stays printable in a file.
//!
//! The message is one flag byte (bit 0: raw DEFLATE follows) and the body:
//! catalog version, procedure id, a 4-byte fingerprint of the form's field
//! layout, the place, a bitmap of answered fields in the catalog's field
//! order (keys are never sent), then each answer: options, ethnicities,
//! dates, years, ID and other numbers packed by type when they are in
//! canonical form, anything else as UTF-8 text, so the round trip is exact.
//!
//! The people of the dossier travel as their answers (`mother.full_name`,
//! `mother.id_number`, …); the counter records them from there as for any
//! typed dossier.

use crate::catalog::Catalog;
use crate::date::Date;
use crate::form::{FieldKind, FormData, FormDefinition, NO, YES};
use crate::i18n::Msg;
use sha2::{Digest, Sha256};

/// Format version written by this build; higher ones are refused.
pub const VERSION: u32 = 1;

/// Largest QR version used for one part, at error correction level M.
///
/// Version 20 is 97 × 97 modules: on a phone screen (about 6 cm) or printed
/// 8 cm wide, a module is 0.6–0.8 mm, which a 720p counter webcam at 25 cm
/// still sees as about 3 pixels — the least a decoder reads reliably.
/// Level M restores 15% of damaged modules (glare on a screen, a crease).
/// A typical declaration fits in one code of version 12–16.
pub const MAX_QR_VERSION: u8 = 20;

/// Data codewords of QR versions 1–40 at level M (ISO/IEC 18004, table 7).
const DATA_CODEWORDS_M: [u16; 40] = [
    16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669, 714, 782, 860, 914,
    1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
];

/// Most parts one message may be cut into (more is not practical to scan).
pub const MAX_PARTS: usize = 40;

/// Longest decompressed body accepted (a deflate bomb stops here).
const MAX_BODY: usize = 256 * 1024;

const PREFIX: &str = "HS";
const ID_CHARS: usize = 6;
const FLAG_DEFLATE: u8 = 1;

/// What a citizen hands over: a procedure and the answers of its form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Handoff {
    pub procedure: String,
    /// Version of the catalog the answers were made with ([`Catalog::version`]).
    /// Informative: a code from another catalog version is accepted when
    /// the form's fingerprint shows the fields are the same.
    pub catalog_version: u32,
    /// Nơi làm tờ khai, printed before the date.
    pub place: String,
    pub answers: FormData,
}

/// Symbols of a QR alphanumeric segment, as long as `text` is made of them.
pub const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Characters of a version-`v` QR code at level M in alphanumeric mode.
pub fn alphanumeric_capacity(version: u8) -> usize {
    let v = version.clamp(1, 40);
    let count_bits = match v {
        1..=9 => 9,
        10..=26 => 11,
        _ => 13,
    };
    let bits = usize::from(DATA_CODEWORDS_M[usize::from(v) - 1]) * 8 - 4 - count_bits;
    bits / 11 * 2 + usize::from(bits % 11 >= 6)
}

/// The parts (QR texts) carrying `handoff`, in order; each fits a QR code
/// of at most [`MAX_QR_VERSION`] at level M. Errors when a key is not a
/// field of the procedure's form or the answers need more than [`MAX_PARTS`].
pub fn encode(catalog: &Catalog, handoff: &Handoff) -> Result<Vec<String>, Msg> {
    encode_with_capacity(catalog, handoff, alphanumeric_capacity(MAX_QR_VERSION))
}

/// [`encode`] with parts of at most `capacity` characters (tests use small ones).
pub fn encode_with_capacity(catalog: &Catalog, handoff: &Handoff, capacity: usize) -> Result<Vec<String>, Msg> {
    let form = form_of(catalog, &handoff.procedure)?;
    let body = body(catalog, form, handoff)?;
    let packed = miniz_oxide::deflate::compress_to_vec(&body, 10);
    let message: Vec<u8> = if packed.len() < body.len() {
        std::iter::once(FLAG_DEFLATE).chain(packed).collect()
    } else {
        std::iter::once(0).chain(body).collect()
    };
    let id = base45(&checksum(&message));
    // Parts of equal size: the codes then look alike and scan alike.
    let header = |n: usize| format!("{PREFIX}{VERSION}:{n}/{n}:").len() + ID_CHARS;
    let mut n = 1;
    loop {
        let per_part = message.len().div_ceil(n);
        if header(n) + base45_len(per_part) <= capacity {
            break;
        }
        n += 1;
        if n > MAX_PARTS || header(n) >= capacity {
            return Err(Msg::HandoffTooLong { max: MAX_PARTS as u32 });
        }
    }
    let per_part = message.len().div_ceil(n);
    Ok(message
        .chunks(per_part)
        .enumerate()
        .map(|(i, chunk)| format!("{PREFIX}{VERSION}:{}/{n}:{id}{}", i + 1, base45(chunk)))
        .collect())
}

/// The `.hoso` file: the parts, one a line.
pub fn file_text(parts: &[String]) -> String {
    let mut text = parts.join("\n");
    text.push('\n');
    text
}

/// File name without extension, ASCII so every phone and PC keeps it:
/// `ho-so-khai-sinh-nguyen-van-binh` (the applicant, else the first person named).
pub fn file_stem(handoff: &Handoff) -> String {
    match person(handoff).map(crate::text::slug).filter(|s| !s.is_empty()) {
        Some(p) => format!("ho-so-{}-{p}", crate::text::slug(&handoff.procedure)),
        None => format!("ho-so-{}", crate::text::slug(&handoff.procedure)),
    }
}

/// The person a handoff is about, for headings: the applicant, else the first person named.
pub fn person(handoff: &Handoff) -> Option<&str> {
    let answers = &handoff.answers;
    answers.get("applicant.full_name").or_else(|| answers.iter().find(|(k, _)| k.ends_with("full_name")).map(|(_, v)| v)).map(String::as_str)
}

/// Whether `text` looks like a handoff part (any version), to tell it from
/// other QR codes (ID card, receipt) in the same picture.
pub fn is_part(text: &str) -> bool {
    parse_version(text.trim()).is_some()
}

/// Progress of an [`Assembler`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub received: usize,
    pub total: usize,
}

impl Progress {
    pub fn complete(&self) -> bool {
        self.received == self.total
    }
}

/// Collects parts in any order, from any source (scans, photos, the file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assembler {
    id: String,
    parts: Vec<Option<Vec<u8>>>,
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// Adds one part; a part already received is accepted again silently
    /// (a camera sees the same code many times). A part of another message
    /// is refused and the parts held are kept.
    pub fn add(&mut self, text: &str) -> Result<Progress, Msg> {
        let text = text.trim_end_matches(['\r', '\n']);
        let text = text.trim_start();
        let version = parse_version(text).ok_or(Msg::HandoffNotOurs)?;
        if version > VERSION {
            return Err(Msg::HandoffNewer(version));
        }
        if version != VERSION {
            return Err(Msg::HandoffCorrupt);
        }
        let (index, total, id, data) = parse_part(text).ok_or(Msg::HandoffCorrupt)?;
        if self.parts.is_empty() {
            self.id = id.to_string();
            self.parts = vec![None; total];
        } else if id != self.id || total != self.parts.len() {
            return Err(Msg::HandoffMixed { part: index as u32, total: total as u32 });
        }
        self.parts[index - 1] = Some(data);
        Ok(self.progress())
    }

    /// Adds every part of a `.hoso` file (blank lines and `#` comments skipped).
    pub fn add_file(&mut self, text: &str) -> Result<Progress, Msg> {
        let mut lines = text.lines().map(str::trim_start).filter(|l| !l.is_empty() && !l.starts_with('#')).peekable();
        if lines.peek().is_none() {
            return Err(Msg::HandoffNotOurs);
        }
        for line in lines {
            self.add(line)?;
        }
        Ok(self.progress())
    }

    pub fn progress(&self) -> Progress {
        Progress { received: self.parts.iter().filter(|p| p.is_some()).count(), total: self.parts.len() }
    }

    /// Numbers (from 1) of the parts still missing.
    pub fn missing(&self) -> Vec<u32> {
        (1..).zip(&self.parts).filter(|(_, p)| p.is_none()).map(|(i, _)| i).collect()
    }

    /// The handoff, once every part is in and the checksum holds.
    pub fn finish(&self, catalog: &Catalog) -> Result<Handoff, Msg> {
        if self.parts.is_empty() {
            return Err(Msg::HandoffNotOurs);
        }
        let missing = self.missing();
        if !missing.is_empty() {
            return Err(Msg::HandoffIncomplete { missing, total: self.parts.len() as u32 });
        }
        let message: Vec<u8> = self.parts.iter().flatten().flatten().copied().collect();
        if base45(&checksum(&message)) != self.id {
            return Err(Msg::HandoffCorrupt);
        }
        decode_message(catalog, &message)
    }
}

/// A whole message (flag byte and body) once its checksum held: the
/// decompression and the body parser, which must hold up against anything.
pub fn decode_message(catalog: &Catalog, message: &[u8]) -> Result<Handoff, Msg> {
    let (&flags, rest) = message.split_first().ok_or(Msg::HandoffCorrupt)?;
    let body = match flags {
        0 => rest.to_vec(),
        FLAG_DEFLATE => miniz_oxide::inflate::decompress_to_vec_with_limit(rest, MAX_BODY).map_err(|_| Msg::HandoffCorrupt)?,
        _ => return Err(Msg::HandoffCorrupt),
    };
    parse_body(catalog, &body)
}

/// Decodes a whole `.hoso` file or a list of part texts in one go.
pub fn decode<'a>(catalog: &Catalog, parts: impl IntoIterator<Item = &'a str>) -> Result<Handoff, Msg> {
    let mut assembler = Assembler::new();
    for text in parts {
        assembler.add_file(text)?;
    }
    assembler.finish(catalog)
}

fn form_of<'c>(catalog: &'c Catalog, procedure: &str) -> Result<&'c FormDefinition, Msg> {
    catalog
        .procedure(procedure)
        .and_then(|p| catalog.form(&p.form))
        .ok_or_else(|| Msg::HandoffUnknownProcedure(procedure.to_string()))
}

fn checksum(bytes: &[u8]) -> [u8; 4] {
    let digest = Sha256::digest(bytes);
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Everything the packed answers depend on: keys, kinds and options in
/// order, and the list of ethnicities (answers are sent as indexes).
pub fn fingerprint(catalog: &Catalog, form: &FormDefinition) -> [u8; 4] {
    let mut h = Sha256::new();
    for f in form.fields() {
        h.update(f.key.as_bytes());
        h.update([0, f.kind as u8]);
        for o in &f.options {
            h.update(o.as_bytes());
            h.update([1]);
        }
        h.update([2]);
    }
    if form.fields().any(|f| f.kind == FieldKind::Ethnicity) {
        for e in &catalog.ethnicities {
            h.update(e.as_bytes());
            h.update([3]);
        }
    }
    let digest = h.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

fn body(catalog: &Catalog, form: &FormDefinition, handoff: &Handoff) -> Result<Vec<u8>, Msg> {
    if let Some(key) = handoff.answers.keys().find(|k| !form.fields().any(|f| f.key == **k)) {
        return Err(Msg::HandoffUnknownField(key.clone()));
    }
    let mut out = Vec::new();
    put_varint(&mut out, u64::from(handoff.catalog_version));
    put_str(&mut out, &handoff.procedure);
    out.extend(fingerprint(catalog, form));
    put_str(&mut out, &handoff.place);
    let fields: Vec<_> = form.fields().collect();
    put_varint(&mut out, fields.len() as u64);
    let mut bitmap = vec![0u8; fields.len().div_ceil(8)];
    for (i, f) in fields.iter().enumerate() {
        if handoff.answers.contains_key(&f.key) {
            bitmap[i / 8] |= 1 << (i % 8);
        }
    }
    out.extend(&bitmap);
    for f in &fields {
        if let Some(v) = handoff.answers.get(&f.key) {
            put_value(&mut out, catalog, f, v);
        }
    }
    Ok(out)
}

/// A value: varint 0 then the packed form, or varint len+1 then UTF-8.
fn put_value(out: &mut Vec<u8>, catalog: &Catalog, f: &crate::form::Field, v: &str) {
    if let Some(packed) = pack(catalog, f, v) {
        out.push(0);
        put_varint(out, packed);
    } else {
        put_varint(out, v.len() as u64 + 1);
        out.extend(v.as_bytes());
    }
}

/// The packed number of a canonical answer, if the kind has one.
fn pack(catalog: &Catalog, f: &crate::form::Field, v: &str) -> Option<u64> {
    let canonical_number = |max_len: usize| {
        (!v.is_empty() && v.len() <= max_len && v.bytes().all(|b| b.is_ascii_digit()) && (v == "0" || !v.starts_with('0')))
            .then(|| v.parse::<u64>().ok())
            .flatten()
    };
    match f.kind {
        FieldKind::Select | FieldKind::Choice => f.options.iter().position(|o| o == v).map(|i| i as u64),
        FieldKind::Checkbox => [YES, NO].iter().position(|o| *o == v).map(|i| i as u64),
        FieldKind::Ethnicity => catalog.ethnicities.iter().position(|e| e == v).map(|i| i as u64),
        FieldKind::Date => Date::parse(v).filter(|d| d.to_string() == v).map(|d| zigzag(d.days_from_epoch())),
        FieldKind::Year | FieldKind::Number => canonical_number(9),
        // Twelve digits, leading zeros included (the province code starts with 0).
        FieldKind::IdNumber => (v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit())).then(|| v.parse().ok()).flatten(),
        FieldKind::Text | FieldKind::Name | FieldKind::Multiline | FieldKind::Address => None,
    }
}

fn unpack(catalog: &Catalog, f: &crate::form::Field, n: u64) -> Option<String> {
    let index = usize::try_from(n).ok();
    match f.kind {
        FieldKind::Select | FieldKind::Choice => f.options.get(index?).cloned(),
        FieldKind::Checkbox => [YES, NO].get(index?).map(|s| s.to_string()),
        FieldKind::Ethnicity => catalog.ethnicities.get(index?).cloned(),
        FieldKind::Date => {
            let days = unzigzag(n);
            // Years 0–9999 only: Date's Display writes four digits.
            (-719_528..=2_932_896).contains(&days).then(|| Date::from_days_from_epoch(days).to_string())
        }
        FieldKind::Year | FieldKind::Number => (n < 1_000_000_000).then(|| n.to_string()),
        FieldKind::IdNumber => (n < 1_000_000_000_000).then(|| format!("{n:012}")),
        FieldKind::Text | FieldKind::Name | FieldKind::Multiline | FieldKind::Address => None,
    }
}

fn parse_body(catalog: &Catalog, body: &[u8]) -> Result<Handoff, Msg> {
    let mut r = Reader { bytes: body, at: 0 };
    let catalog_version = u32::try_from(r.varint()?).map_err(|_| Msg::HandoffCorrupt)?;
    let procedure = r.string()?;
    let form = form_of(catalog, &procedure)?;
    let print = r.take(4)?;
    if print != fingerprint(catalog, form) {
        return Err(Msg::HandoffFormChanged { theirs: catalog_version, ours: catalog.version });
    }
    let place = r.string()?;
    let fields: Vec<_> = form.fields().collect();
    if r.varint()? != fields.len() as u64 {
        return Err(Msg::HandoffCorrupt);
    }
    let bitmap = r.take(fields.len().div_ceil(8))?.to_vec();
    let mut answers = FormData::new();
    for (i, f) in fields.iter().enumerate() {
        if bitmap[i / 8] & (1 << (i % 8)) == 0 {
            continue;
        }
        let head = r.varint()?;
        let value = if head == 0 {
            let n = r.varint()?;
            unpack(catalog, f, n).ok_or(Msg::HandoffCorrupt)?
        } else {
            let len = usize::try_from(head - 1).map_err(|_| Msg::HandoffCorrupt)?;
            String::from_utf8(r.take(len)?.to_vec()).map_err(|_| Msg::HandoffCorrupt)?
        };
        answers.insert(f.key.clone(), value);
    }
    // Bits past the last field, or bytes after the last answer: not ours.
    let spare = fields.len() % 8;
    if (spare != 0 && bitmap.last().is_some_and(|b| b >> spare != 0)) || r.at != body.len() {
        return Err(Msg::HandoffCorrupt);
    }
    Ok(Handoff { procedure, catalog_version, place, answers })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Msg> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len()).ok_or(Msg::HandoffCorrupt)?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn varint(&mut self) -> Result<u64, Msg> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Msg::HandoffCorrupt)
    }

    fn string(&mut self) -> Result<String, Msg> {
        let len = usize::try_from(self.varint()?).map_err(|_| Msg::HandoffCorrupt)?;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| Msg::HandoffCorrupt)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend(s.as_bytes());
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// `HS<digits>:` → the version; `None` for any other text.
fn parse_version(text: &str) -> Option<u32> {
    let rest = text.strip_prefix(PREFIX)?;
    let (digits, _) = rest.split_once(':')?;
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// (part number from 1, total, id, bytes) of a version-1 part.
fn parse_part(text: &str) -> Option<(usize, usize, &str, Vec<u8>)> {
    let rest = text.strip_prefix(PREFIX)?.split_once(':')?.1;
    let (fraction, rest) = rest.split_once(':')?;
    let (i, n) = fraction.split_once('/')?;
    let small = |s: &str| (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<usize>().ok()).flatten();
    let (i, n) = (small(i)?, small(n)?);
    if i == 0 || i > n || n > MAX_PARTS {
        return None;
    }
    let id = rest.get(..ID_CHARS)?;
    if !id.bytes().all(|b| ALPHANUMERIC.contains(&b)) {
        return None;
    }
    let data = unbase45(&rest[ID_CHARS..])?;
    if data.is_empty() {
        return None;
    }
    Some((i, n, id, data))
}

/// Base45 (RFC 9285).
pub fn base45(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(base45_len(bytes.len()));
    let mut push = |v: usize| out.push(ALPHANUMERIC[v] as char);
    for pair in bytes.chunks(2) {
        let n = pair.iter().fold(0usize, |acc, b| acc * 256 + usize::from(*b));
        push(n % 45);
        push(n / 45 % 45);
        if pair.len() == 2 {
            push(n / 2025);
        }
    }
    out
}

fn base45_len(bytes: usize) -> usize {
    bytes / 2 * 3 + (bytes % 2) * 2
}

pub fn unbase45(text: &str) -> Option<Vec<u8>> {
    let values: Vec<usize> =
        text.bytes().map(|b| ALPHANUMERIC.iter().position(|a| *a == b)).collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(values.len() / 3 * 2 + 1);
    for group in values.chunks(3) {
        match *group {
            [c, d, e] => {
                let n = c + d * 45 + e * 2025;
                if n > 0xffff {
                    return None;
                }
                out.extend([(n >> 8) as u8, n as u8]);
            }
            [c, d] => {
                let n = c + d * 45;
                if n > 0xff {
                    return None;
                }
                out.push(n as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn catalog() -> &'static Catalog {
        Catalog::embedded()
    }

    /// A sample as the app hands it over: normalized answers of the form.
    fn sample(procedure: &str) -> Handoff {
        let path = format!("{}/../../data/samples/{procedure}.json", env!("CARGO_MANIFEST_DIR"));
        let raw: FormData = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let form = form_of(catalog(), procedure).unwrap();
        Handoff {
            procedure: procedure.into(),
            catalog_version: catalog().version,
            place: "Xã Hòa Bình, tỉnh Quảng Ngãi".into(),
            answers: form.normalize(&raw),
        }
    }

    #[test]
    fn base45_is_rfc_9285() {
        // Examples of RFC 9285 section 4.3.
        assert_eq!(base45(b"AB"), "BB8");
        assert_eq!(base45(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(base45(b"base-45"), "UJCLQE7W581");
        assert_eq!(unbase45("QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(unbase45("GGW"), None, "65536 is out of range");
        assert_eq!(unbase45("A"), None);
        assert_eq!(unbase45("a"), None, "lowercase is not base45");
    }

    #[test]
    fn capacity_matches_the_standard() {
        // Alphanumeric capacities at level M from ISO/IEC 18004 table 7.
        assert_eq!(alphanumeric_capacity(1), 20);
        assert_eq!(alphanumeric_capacity(10), 311);
        assert_eq!(alphanumeric_capacity(20), 970);
        assert_eq!(alphanumeric_capacity(25), 1451);
        assert_eq!(alphanumeric_capacity(40), 3391);
    }

    #[test]
    fn every_sample_round_trips_in_one_code() {
        for p in &catalog().procedures {
            let h = sample(&p.id);
            assert!(h.answers.len() >= 5, "{}: sample too small", p.id);
            let parts = encode(catalog(), &h).unwrap();
            assert_eq!(parts.len(), 1, "{}: a sample declaration fits one code", p.id);
            assert!(parts[0].bytes().all(|b| ALPHANUMERIC.contains(&b)), "QR alphanumeric mode only");
            assert!(parts[0].starts_with("HS1:1/1:"));
            assert_eq!(decode(catalog(), parts.iter().map(String::as_str)).unwrap(), h, "{}", p.id);
            // The file is the same text.
            assert_eq!(decode(catalog(), [file_text(&parts).as_str()]).unwrap(), h);
            assert!(file_stem(&h).starts_with(&format!("ho-so-{}-", p.id)) && file_stem(&h).is_ascii());
        }
    }

    fn long_handoff() -> Handoff {
        let mut h = sample("chung-thuc-ban-sao");
        // Varied words (a repeated line would compress to nothing).
        let words: Vec<&str> = "bản chính còn nguyên vẹn có dấu giáp lai của trường trung học phổ thông Lê Khiết cần gấp để nộp hồ sơ xin việc ở Đà Nẵng người ký tên điểm chỉ ủy ban nhân dân xã phường tỉnh Quảng Ngãi học bạ bằng tốt nghiệp giấy khai sinh đăng ký kết hôn chứng thực chữ ký trích lục sổ hộ tịch ngày tháng năm Nguyễn Trần Lê Phạm Huỳnh Hoàng Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý thôn tổ dân phố đường số nhà hẻm kiệt phòng công chứng viên thẩm quyền"
            .split(' ')
            .collect();
        let mut s = 7u64;
        let long: Vec<&str> = (0..1600)
            .map(|i| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if i % 17 == 16 { "\n" } else { words[(s >> 33) as usize % words.len()] }
            })
            .collect();
        let long = long.join(" ").replace(" \n ", "\n");
        h.answers.insert("note".into(), long);
        h
    }

    #[test]
    fn long_text_splits_and_reassembles_in_any_order() {
        let h = long_handoff();
        let mut parts = encode(catalog(), &h).unwrap();
        assert!(parts.len() >= 3, "{} parts", parts.len());
        assert!(parts.iter().all(|p| p.len() <= alphanumeric_capacity(MAX_QR_VERSION)));
        let id = &parts[0][8..14];
        assert!(parts.iter().all(|p| &p[p.find(':').unwrap() + 1..].split_once(':').unwrap().1[..6] == id));
        parts.reverse();
        let mut a = Assembler::new();
        for (k, p) in parts.iter().enumerate() {
            let progress = a.add(p).unwrap();
            assert_eq!(progress, Progress { received: k + 1, total: parts.len() });
            a.add(p).unwrap(); // seen twice: still counted once
        }
        assert_eq!(a.finish(catalog()).unwrap(), h);
    }

    #[test]
    fn each_failure_has_its_message() {
        let h = long_handoff();
        let parts = encode(catalog(), &h).unwrap();
        let n = parts.len() as u32;
        // Incomplete: names the missing parts.
        let mut a = Assembler::new();
        a.add(&parts[1]).unwrap();
        assert_eq!(a.finish(catalog()), Err(Msg::HandoffIncomplete { missing: (1..=n).filter(|i| *i != 2).collect(), total: n }));
        assert!(a.finish(catalog()).unwrap_err().vi().contains("còn thiếu mã 1, 3"));
        // Mixed: a part of another message is refused, the others kept.
        let other = encode(catalog(), &sample("khai-sinh")).unwrap();
        assert_eq!(a.add(&other[0]), Err(Msg::HandoffMixed { part: 1, total: 1 }));
        assert_eq!(a.progress().received, 1);
        // Tampered: one symbol changed in the data.
        let mut tampered = parts.clone();
        let last = tampered[0].pop().unwrap();
        tampered[0].push(if last == '0' { '1' } else { '0' });
        assert_eq!(decode(catalog(), tampered.iter().map(String::as_str)), Err(Msg::HandoffCorrupt));
        // Newer format.
        let newer = parts[0].replacen("HS1:", "HS2:", 1);
        assert_eq!(Assembler::new().add(&newer), Err(Msg::HandoffNewer(2)));
        assert!(Msg::HandoffNewer(2).vi().contains("phiên bản mới hơn"));
        // Not ours at all: an ID card's QR, a receipt's.
        assert_eq!(Assembler::new().add("001090012345||Nguyễn Văn A|01011990|Nam|Hà Nội|01012021"), Err(Msg::HandoffNotOurs));
        assert_eq!(Assembler::new().add("HOSO1|X|1.001193"), Err(Msg::HandoffNotOurs));
        assert_eq!(Assembler::new().add("HS1:1/1:ABCDEF"), Err(Msg::HandoffCorrupt), "no data");
        assert_eq!(Assembler::new().add("HS1:3/2:ABCDEF00"), Err(Msg::HandoffCorrupt));
    }

    /// Re-encodes a message body with a fresh checksum, as a forger or a
    /// future version would.
    fn reseal(body: &[u8]) -> String {
        let message: Vec<u8> = std::iter::once(0).chain(body.iter().copied()).collect();
        format!("HS1:1/1:{}{}", base45(&checksum(&message)), base45(&message))
    }

    #[test]
    fn unknown_procedure_and_changed_forms_are_named() {
        let h = sample("khai-tu");
        let form = form_of(catalog(), "khai-tu").unwrap();
        let good = body(catalog(), form, &h).unwrap();
        assert_eq!(decode(catalog(), [reseal(&good).as_str()]).unwrap(), h);
        // Unknown procedure.
        let mut b = Vec::new();
        put_varint(&mut b, 2);
        put_str(&mut b, "khai-sinh-co-yeu-to-nuoc-ngoai");
        b.extend(&good[1 + 1 + "khai-tu".len()..]);
        let err = decode(catalog(), [reseal(&b).as_str()]).unwrap_err();
        assert_eq!(err, Msg::HandoffUnknownProcedure("khai-sinh-co-yeu-to-nuoc-ngoai".into()));
        // Another catalog version with the same form: accepted, its version kept
        // (found by the fuzz target: encoding must write the handoff's version).
        let mut newer = catalog().clone();
        newer.version = 72;
        let same_form = Handoff { catalog_version: 72, ..h.clone() };
        let parts = encode(&newer, &same_form).unwrap();
        assert_eq!(decode(catalog(), parts.iter().map(String::as_str)).unwrap(), same_form);
        // The form changed since the code was made: a field removed.
        let mut changed = catalog().clone();
        changed.version = 3;
        let f = changed.forms.iter_mut().find(|f| f.id == form.id).unwrap();
        f.sections.last_mut().unwrap().fields.pop();
        let err = decode(&changed, [reseal(&good).as_str()]).unwrap_err();
        assert_eq!(err, Msg::HandoffFormChanged { theirs: catalog().version, ours: 3 });
        assert!(err.vi().contains("không còn"), "{}", err.vi());
        // Encoding refuses a key the form does not have.
        let mut bad = h.clone();
        bad.answers.insert("child.full_name".into(), "X".into());
        assert_eq!(encode(catalog(), &bad), Err(Msg::HandoffUnknownField("child.full_name".into())));
        // Trailing bytes or a bit past the last field: corrupt.
        let mut trailing = good.clone();
        trailing.push(0);
        assert_eq!(decode(catalog(), [reseal(&trailing).as_str()]), Err(Msg::HandoffCorrupt));
    }

    #[test]
    fn too_long_is_refused() {
        let mut h = sample("chung-thuc-ban-sao");
        // Incompressible text: every syllable different.
        let noise: String = (0..40_000u32).map(|i| char::from_u32(0x4e00 + (i * 7919) % 20_000).unwrap()).collect();
        h.answers.insert("note".into(), noise);
        assert_eq!(encode(catalog(), &h), Err(Msg::HandoffTooLong { max: MAX_PARTS as u32 }));
    }

    /// A random answer a field of this kind may hold: canonical values
    /// (packed) and free text (kept as typed) alike.
    fn answer(f: &crate::form::Field) -> BoxedStrategy<String> {
        let text = "[a-zA-Z0-9 àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐƯƠ,.;:()/\n-]{1,60}"
            .prop_map(|s| crate::text::nfc(&s));
        let catalog = catalog();
        match f.kind {
            FieldKind::Select | FieldKind::Choice => {
                prop_oneof![proptest::sample::select(f.options.clone()), text].boxed()
            }
            FieldKind::Checkbox => prop_oneof![proptest::sample::select(vec![YES.to_string(), NO.to_string()]), text].boxed(),
            FieldKind::Ethnicity => prop_oneof![proptest::sample::select(catalog.ethnicities.clone()), text].boxed(),
            FieldKind::Date => prop_oneof![
                (1u8..=28, 1u8..=12, 1800i32..=2100).prop_map(|(d, m, y)| Date { year: y, month: m, day: d }.to_string()),
                text
            ]
            .boxed(),
            FieldKind::Year | FieldKind::Number => prop_oneof![(0u32..3000).prop_map(|n| n.to_string()), "[0-9]{1,12}", text].boxed(),
            FieldKind::IdNumber => prop_oneof!["[0-9]{12}", "[0-9]{1,14}", text].boxed(),
            FieldKind::Text | FieldKind::Name | FieldKind::Multiline | FieldKind::Address => text.boxed(),
        }
    }

    fn any_handoff() -> impl Strategy<Value = Handoff> {
        let procedures: Vec<String> = catalog().procedures.iter().map(|p| p.id.clone()).collect();
        proptest::sample::select(procedures).prop_flat_map(|procedure| {
            let form = form_of(catalog(), &procedure).unwrap();
            let fields: Vec<_> = form.fields().cloned().collect();
            let answers: Vec<_> =
                fields.iter().map(|f| (Just(f.key.clone()), proptest::option::weighted(0.7, answer(f)))).collect();
            (Just(procedure), answers, "[a-zA-Zàđươ ,]{0,30}")
        })
        .prop_map(|(procedure, answers, place)| Handoff {
            procedure,
            catalog_version: catalog().version,
            place,
            answers: answers.into_iter().filter_map(|(k, v)| Some((k, v?))).collect(),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_answers_round_trip_in_any_part_order(h in any_handoff(), capacity in 60usize..400, seed in any::<u64>()) {
            let mut parts = encode_with_capacity(catalog(), &h, capacity).unwrap();
            prop_assert!(parts.iter().all(|p| p.len() <= capacity));
            // A deterministic shuffle from the seed.
            let mut s = seed;
            for i in (1..parts.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                parts.swap(i, (s >> 33) as usize % (i + 1));
            }
            prop_assert_eq!(decode(catalog(), parts.iter().map(String::as_str)).unwrap(), h);
        }

        #[test]
        fn base45_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(unbase45(&base45(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn garbage_never_panics(text in "HS1:[0-9]/[0-9]:[0-9A-Z $%*+./:-]{0,80}") {
            let mut a = Assembler::new();
            if a.add(&text).is_ok() {
                let _ = a.finish(catalog());
            }
        }
    }
}
