//! CCITT Group 4 (ITU-T T.6) encoding of 1-bit pages: each row is coded
//! against the row above by where its colour changes, so a text page at
//! 200 dpi is tens of kilobytes. PDF readers decode it natively with
//! `/CCITTFaxDecode`.
//!
//! Conventions of the output, to be repeated in the PDF's `/DecodeParms`:
//! `/K -1` (pure two-dimensional), bits MSB first, no byte alignment of
//! rows, terminated by EOFB, and `/BlackIs1 false` (the default): ink
//! decodes to sample 0, which is black in `/DeviceGray` and "paint" for an
//! `/ImageMask`.

use crate::raster::Bitmap;

/// A code word: bits right-aligned in `u16`, and its length.
type Code = (u16, u8);

const fn c(bits: &str) -> Code {
    let b = bits.as_bytes();
    let mut v = 0u16;
    let mut i = 0;
    while i < b.len() {
        v = (v << 1) | (b[i] - b'0') as u16;
        i += 1;
    }
    (v, b.len() as u8)
}

// T.4 tables 2 and 3: terminating codes for runs 0–63, make-up codes for
// 64–1728, then the make-up codes 1792–2560 both colours share.
#[rustfmt::skip]
const WHITE_TERM: [Code; 64] = [
    c("00110101"), c("000111"), c("0111"), c("1000"), c("1011"), c("1100"), c("1110"), c("1111"),
    c("10011"), c("10100"), c("00111"), c("01000"), c("001000"), c("000011"), c("110100"), c("110101"),
    c("101010"), c("101011"), c("0100111"), c("0001100"), c("0001000"), c("0010111"), c("0000011"), c("0000100"),
    c("0101000"), c("0101011"), c("0010011"), c("0100100"), c("0011000"), c("00000010"), c("00000011"), c("00011010"),
    c("00011011"), c("00010010"), c("00010011"), c("00010100"), c("00010101"), c("00010110"), c("00010111"), c("00101000"),
    c("00101001"), c("00101010"), c("00101011"), c("00101100"), c("00101101"), c("00000100"), c("00000101"), c("00001010"),
    c("00001011"), c("01010010"), c("01010011"), c("01010100"), c("01010101"), c("00100100"), c("00100101"), c("01011000"),
    c("01011001"), c("01011010"), c("01011011"), c("01001010"), c("01001011"), c("00110010"), c("00110011"), c("00110100"),
];
#[rustfmt::skip]
const WHITE_MAKEUP: [Code; 27] = [
    c("11011"), c("10010"), c("010111"), c("0110111"), c("00110110"), c("00110111"), c("01100100"), c("01100101"),
    c("01101000"), c("01100111"), c("011001100"), c("011001101"), c("011010010"), c("011010011"), c("011010100"),
    c("011010101"), c("011010110"), c("011010111"), c("011011000"), c("011011001"), c("011011010"), c("011011011"),
    c("010011000"), c("010011001"), c("010011010"), c("011000"), c("010011011"),
];
#[rustfmt::skip]
const BLACK_TERM: [Code; 64] = [
    c("0000110111"), c("010"), c("11"), c("10"), c("011"), c("0011"), c("0010"), c("00011"),
    c("000101"), c("000100"), c("0000100"), c("0000101"), c("0000111"), c("00000100"), c("00000111"), c("000011000"),
    c("0000010111"), c("0000011000"), c("0000001000"), c("00001100111"), c("00001101000"), c("00001101100"), c("00000110111"), c("00000101000"),
    c("00000010111"), c("00000011000"), c("000011001010"), c("000011001011"), c("000011001100"), c("000011001101"), c("000001101000"), c("000001101001"),
    c("000001101010"), c("000001101011"), c("000011010010"), c("000011010011"), c("000011010100"), c("000011010101"), c("000011010110"), c("000011010111"),
    c("000001101100"), c("000001101101"), c("000011011010"), c("000011011011"), c("000001010100"), c("000001010101"), c("000001010110"), c("000001010111"),
    c("000001100100"), c("000001100101"), c("000001010010"), c("000001010011"), c("000000100100"), c("000000110111"), c("000000111000"), c("000000100111"),
    c("000000101000"), c("000001011000"), c("000001011001"), c("000000101011"), c("000000101100"), c("000001011010"), c("000001100110"), c("000001100111"),
];
#[rustfmt::skip]
const BLACK_MAKEUP: [Code; 27] = [
    c("0000001111"), c("000011001000"), c("000011001001"), c("000001011011"), c("000000110011"), c("000000110100"),
    c("000000110101"), c("0000001101100"), c("0000001101101"), c("0000001001010"), c("0000001001011"), c("0000001001100"),
    c("0000001001101"), c("0000001110010"), c("0000001110011"), c("0000001110100"), c("0000001110101"), c("0000001110110"),
    c("0000001110111"), c("0000001010010"), c("0000001010011"), c("0000001010100"), c("0000001010101"), c("0000001011010"),
    c("0000001011011"), c("0000001100100"), c("0000001100101"),
];
#[rustfmt::skip]
const EXTENDED_MAKEUP: [Code; 13] = [
    c("00000001000"), c("00000001100"), c("00000001101"), c("000000010010"), c("000000010011"), c("000000010100"),
    c("000000010101"), c("000000010110"), c("000000010111"), c("000000011100"), c("000000011101"), c("000000011110"),
    c("000000011111"),
];

const PASS: Code = c("0001");
const HORIZONTAL: Code = c("001");
/// Vertical mode codes for a1 − b1 = −3 ..= 3.
const VERTICAL: [Code; 7] = [c("0000010"), c("000010"), c("010"), c("1"), c("011"), c("000011"), c("0000011")];
const EOL: Code = c("000000000001");

struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    bits: u8,
}

impl BitWriter {
    fn put(&mut self, (code, len): Code) {
        self.acc = (self.acc << len) | u32::from(code);
        self.bits += len;
        while self.bits >= 8 {
            self.bits -= 8;
            self.out.push((self.acc >> self.bits) as u8);
        }
        self.acc &= (1 << self.bits) - 1;
    }

    fn run(&mut self, mut len: u32, black: bool) {
        let (term, makeup) = if black { (&BLACK_TERM, &BLACK_MAKEUP) } else { (&WHITE_TERM, &WHITE_MAKEUP) };
        while len >= 2560 {
            self.put(EXTENDED_MAKEUP[12]);
            len -= 2560;
        }
        if len >= 1792 {
            self.put(EXTENDED_MAKEUP[(len / 64 - 28) as usize]);
        } else if len >= 64 {
            self.put(makeup[(len / 64 - 1) as usize]);
        }
        self.put(term[(len % 64) as usize]);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.bits > 0 {
            self.out.push((self.acc << (8 - self.bits)) as u8);
        }
        self.out
    }
}

/// Positions where a row changes colour, starting from an imaginary white
/// pixel before the first; index 0 is where black starts, 1 where white
/// resumes, and so on.
fn changes(row: &[u8], out: &mut Vec<u32>) {
    out.clear();
    let mut prev = 0u8;
    for (x, &b) in row.iter().enumerate() {
        let b = u8::from(b != 0);
        if b != prev {
            out.push(x as u32);
            prev = b;
        }
    }
}

/// b1 and b2 for a0 of `colour` (0 white, 1 black): the first change on the
/// reference row right of a0 towards the opposite colour, and the next one.
/// `from` is the first index right of a0 (the caller keeps it monotonic).
fn b1_b2(reference: &[u32], from: usize, colour: usize, width: u32) -> (u32, u32) {
    // Changes to black sit at even indices: we need parity == colour.
    let i = if from % 2 == colour { from } else { from + 1 };
    (reference.get(i).copied().unwrap_or(width), reference.get(i + 1).copied().unwrap_or(width))
}

/// Encodes a bitmap (1 = ink) as a T.6 bit stream; see the module docs.
pub fn encode(bitmap: &Bitmap) -> Vec<u8> {
    let mut out = BitWriter { out: Vec::with_capacity((bitmap.data.len() / 40).max(16)), acc: 0, bits: 0 };
    let (mut reference, mut coding) = (Vec::new(), Vec::new());
    for y in 0..bitmap.height {
        changes(bitmap.row(y), &mut coding);
        code_row_2d(&mut out, &reference, &coding, bitmap.width);
        std::mem::swap(&mut reference, &mut coding);
    }
    out.put(EOL);
    out.put(EOL);
    out.finish()
}

/// One row coded against the row above (both as [`changes`]).
fn code_row_2d(out: &mut BitWriter, reference: &[u32], coding: &[u32], w: u32) {
    let (mut a0, mut colour) = (-1i64, 0usize);
    let (mut ai, mut bi) = (0usize, 0usize);
    loop {
        while ai < coding.len() && i64::from(coding[ai]) <= a0 {
            ai += 1;
        }
        while bi < reference.len() && i64::from(reference[bi]) <= a0 {
            bi += 1;
        }
        let a1 = coding.get(ai).copied().unwrap_or(w);
        let (b1, b2) = b1_b2(reference, bi, colour, w);
        if b2 < a1 {
            out.put(PASS);
            a0 = i64::from(b2);
        } else if a1.abs_diff(b1) <= 3 {
            out.put(VERTICAL[(3 + i64::from(a1) - i64::from(b1)) as usize]);
            a0 = i64::from(a1);
            colour ^= 1;
        } else {
            let a2 = coding.get(ai + 1).copied().unwrap_or(w);
            out.put(HORIZONTAL);
            out.run(a1 - a0.max(0) as u32, colour == 1);
            out.run(a2 - a1, colour == 0);
            a0 = i64::from(a2);
        }
        if a0 >= i64::from(w) {
            break;
        }
    }
}

/// T.4 (Group 3) encoding, for tests and the test TIFF writer only (pages
/// are stored G4): `k` rows per 1-D row when `two_d` (else all
/// 1-D), end-of-line marks (`eol`, ending on a byte with `fill`), rows
/// starting on a byte (`aligned`).
pub fn encode_g3(bitmap: &Bitmap, two_d: bool, k: u32, eol: bool, fill: bool, aligned: bool) -> Vec<u8> {
    let w = bitmap.width;
    let mut out = BitWriter { out: Vec::new(), acc: 0, bits: 0 };
    let (mut reference, mut coding) = (Vec::new(), Vec::new());
    for y in 0..bitmap.height {
        changes(bitmap.row(y), &mut coding);
        if aligned && y > 0 && out.bits > 0 {
            out.put((0, 8 - out.bits));
        }
        if eol {
            if fill && (out.bits + 12) % 8 != 0 {
                out.put((0, (8 - (out.bits + 12) % 8) % 8));
            }
            out.put(EOL);
        }
        let row_1d = !two_d || y % k == 0;
        if two_d {
            out.put((u16::from(row_1d), 1));
        }
        if row_1d {
            let (mut a0, mut black) = (0, false);
            for &p in coding.iter().chain([&w]) {
                out.run(p - a0, black);
                (a0, black) = (p, !black);
            }
        } else {
            code_row_2d(&mut out, &reference, &coding, w);
        }
        std::mem::swap(&mut reference, &mut coding);
    }
    out.finish()
}

/// Decoding tables, indexed by the next bits of the stream: what code
/// starts there and how long it is (0: none). Modes by 7 bits; runs of
/// each colour by 13 (terminating 0–63, make-up 64 + n for n × 64).
struct Tables {
    modes: [(u8, u8); 1 << 7],
    runs: [[(u16, u8); 1 << 13]; 2],
}

fn tables() -> &'static Tables {
    static TABLES: std::sync::OnceLock<Box<Tables>> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new(Tables { modes: [(0, 0); 1 << 7], runs: [[(0, 0); 1 << 13]; 2] });
        let modes = [PASS, HORIZONTAL, VERTICAL[0], VERTICAL[1], VERTICAL[2], VERTICAL[3], VERTICAL[4], VERTICAL[5], VERTICAL[6]];
        for (m, &(code, len)) in modes.iter().enumerate() {
            let shift = 7 - len;
            for low in 0..1usize << shift {
                t.modes[(usize::from(code) << shift) | low] = (m as u8, len);
            }
        }
        for (black, (term, makeup)) in [(&WHITE_TERM, &WHITE_MAKEUP), (&BLACK_TERM, &BLACK_MAKEUP)].into_iter().enumerate() {
            let all = term.iter().chain(makeup).chain(&EXTENDED_MAKEUP);
            for (i, &(code, len)) in all.enumerate() {
                let value = match i {
                    0..=63 => i as u16,
                    64..=90 => 64 + (i as u16 - 63),
                    _ => 64 + (i as u16 - 91 + 28),
                };
                let shift = 13 - len;
                for low in 0..1usize << shift {
                    t.runs[black][(usize::from(code) << shift) | low] = (value, len);
                }
            }
        }
        t
    })
}

/// A T.6 decoder (`/K -1`; 1 = ink in the result): checks the encoder in
/// tests, and reads fax pages of scanner-made PDFs and TIFFs. Returns
/// `None` on data that does not decode; it only ever reads forward, so
/// hostile input ends when its bits do. A missing end-of-block mark is
/// tolerated.
pub fn decode(data: &[u8], width: u32, height: u32) -> Option<Bitmap> {
    decode_fax(data, width, height, Coding::G4)
}

/// How a fax stream codes its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// T.6: every row against the one above, no end-of-line marks.
    G4,
    /// T.4 (Group 3): rows after end-of-line marks (fill bits allowed), in
    /// one dimension (Modified Huffman runs) or, with `two_d`, each with a
    /// tag bit saying whether it is 1-D or coded against the row above.
    /// `aligned`: every row starts on a byte (TIFF compression 2, PDF
    /// `/EncodedByteAlign`).
    G3 { two_d: bool, aligned: bool },
}

/// Like [`decode`] for any [`Coding`]: fax G3 as well as G4 (TIFF
/// compression 2, 3 and 4; PDF `/CCITTFaxDecode` with any `/K`).
pub fn decode_fax(data: &[u8], width: u32, height: u32, coding_of_rows: Coding) -> Option<Bitmap> {
    struct Bits<'a>(&'a [u8], usize);
    impl Bits<'_> {
        /// The next `n` (≤ 16) bits, zeros past the end.
        fn peek(&self, n: usize) -> usize {
            let at = self.1 / 8;
            let b = |i: usize| u32::from(self.0.get(at + i).copied().unwrap_or(0));
            let word = (b(0) << 16) | (b(1) << 8) | b(2);
            ((word << (self.1 % 8)) >> (24 - n)) as usize & ((1 << n) - 1)
        }
        /// The bit `i` places ahead.
        fn peek_at(&self, i: usize) -> u8 {
            let at = self.1 + i;
            self.0.get(at / 8).map_or(0, |b| b >> (7 - at % 8) & 1)
        }
        fn take(&mut self, len: u8) -> Option<()> {
            self.1 += usize::from(len);
            (len > 0 && self.1 <= self.0.len() * 8).then_some(())
        }
        fn mode(&mut self, t: &Tables) -> Option<u8> {
            let (m, len) = t.modes[self.peek(7)];
            self.take(len).map(|_| m)
        }
        fn run(&mut self, t: &Tables, black: bool) -> Option<u32> {
            let mut total = 0;
            loop {
                let (v, len) = t.runs[usize::from(black)][self.peek(13)];
                self.take(len)?;
                if v < 64 {
                    return Some(total + u32::from(v));
                }
                total += u32::from(v - 64) * 64;
            }
        }
    }
    let t = tables();
    let mut bits = Bits(data, 0);
    let mut bitmap = Bitmap::new(width, height);
    let (mut reference, mut coding): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    for y in 0..height {
        coding.clear();
        let mut one_d = false;
        if let Coding::G3 { two_d, aligned } = coding_of_rows {
            if aligned && y > 0 {
                bits.1 = bits.1.next_multiple_of(8);
            }
            // An end-of-line mark: 11 or more zeros (fill), then a 1.
            let zeros = (0..).take_while(|&i| bits.1 + i < data.len() * 8 && bits.peek_at(i) == 0).count();
            if zeros >= 11 && bits.1 + zeros < data.len() * 8 {
                bits.1 += zeros + 1;
            }
            one_d = !two_d || {
                let tag = bits.peek(1);
                bits.take(1)?;
                tag == 1
            };
        }
        if one_d {
            // Modified Huffman: runs of white and black in turn.
            let (mut a0, mut black) = (0u32, false);
            while a0 < width {
                let a1 = a0.checked_add(bits.run(t, black)?)?;
                if a1 > width {
                    return None;
                }
                if a1 < width {
                    coding.push(a1);
                }
                (a0, black) = (a1, !black);
            }
        }
        let (mut a0, mut colour, mut bi) = (if one_d { i64::from(width) } else { -1i64 }, 0usize, 0usize);
        while a0 < i64::from(width) {
            while bi < reference.len() && i64::from(reference[bi]) <= a0 {
                bi += 1;
            }
            let (b1, b2) = b1_b2(&reference, bi, colour, width);
            let before = a0;
            match bits.mode(t)? {
                0 => a0 = i64::from(b2),
                1 => {
                    let start = a0.max(0) as u32;
                    let a1 = start.checked_add(bits.run(t, colour == 1)?)?;
                    let a2 = a1.checked_add(bits.run(t, colour == 0)?)?;
                    coding.extend([a1, a2].into_iter().filter(|&p| p < width));
                    a0 = i64::from(a2);
                }
                m => {
                    let a1 = i64::from(b1) + i64::from(m) - 5;
                    if a1 < 0 || a1 > i64::from(width) {
                        return None;
                    }
                    if a1 < i64::from(width) {
                        coding.push(a1 as u32);
                    }
                    a0 = a1;
                    colour ^= 1;
                }
            }
            // Changes only move right; anything else is not a G4 stream.
            if a0 < before || coding.windows(2).last().is_some_and(|w| w[1] < w[0]) {
                return None;
            }
        }
        let row = &mut bitmap.data[(y * width) as usize..((y + 1) * width) as usize];
        for span in coding.chunks(2) {
            let end = span.get(1).copied().unwrap_or(width) as usize;
            row[span[0] as usize..end.max(span[0] as usize)].fill(1);
        }
        std::mem::swap(&mut reference, &mut coding);
    }
    Some(bitmap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each colour's code set must be prefix-free, or decoders go astray:
    /// catches a mistyped code word.
    #[test]
    fn code_tables_are_prefix_free() {
        for (term, makeup) in [(&WHITE_TERM, &WHITE_MAKEUP), (&BLACK_TERM, &BLACK_MAKEUP)] {
            let all: Vec<Code> = term.iter().chain(makeup).chain(&EXTENDED_MAKEUP).chain([&EOL]).copied().collect();
            for (i, &(a, la)) in all.iter().enumerate() {
                for (j, &(b, lb)) in all.iter().enumerate() {
                    if i != j && la <= lb {
                        assert_ne!(a, b >> (lb - la), "code {i} is a prefix of {j}");
                    }
                }
            }
            // Kraft sum of a complete code is 1; EOL's prefix zeros leave room.
            let kraft: f64 = all.iter().map(|&(_, l)| 0.5f64.powi(i32::from(l))).sum();
            assert!(kraft <= 1.0, "{kraft}");
        }
    }

    #[test]
    fn blank_and_full_pages() {
        for fill in [0u8, 1] {
            let bitmap = Bitmap { width: 3000, height: 4, data: vec![fill; 12000] };
            let g4 = encode(&bitmap);
            assert_eq!(decode(&g4, 3000, 4), Some(bitmap));
        }
    }

    fn arb_bitmap() -> impl Strategy<Value = Bitmap> {
        (1u32..90, 1u32..12, 0u32..4).prop_flat_map(|(w, h, density)| {
            // Runs of random lengths, to hit every mode and long runs too.
            proptest::collection::vec((0u8..2, 1usize..(3 + density as usize * 60)), 1..80).prop_map(move |runs| {
                let mut data: Vec<u8> = runs.iter().flat_map(|&(b, n)| std::iter::repeat_n(b, n)).collect();
                data.resize((w * h) as usize, 0);
                Bitmap { width: w, height: h, data }
            })
        })
    }

    proptest! {
        #[test]
        fn round_trip(bitmap in arb_bitmap()) {
            let g4 = encode(&bitmap);
            prop_assert_eq!(decode(&g4, bitmap.width, bitmap.height), Some(bitmap));
        }

        #[test]
        fn g3_round_trip(bitmap in arb_bitmap(), k in 1u32..5, fill in any::<bool>()) {
            let (w, h) = (bitmap.width, bitmap.height);
            let mh = encode_g3(&bitmap, false, 1, false, false, true);
            prop_assert_eq!(decode_fax(&mh, w, h, Coding::G3 { two_d: false, aligned: true }), Some(bitmap.clone()), "MH");
            let one_d = encode_g3(&bitmap, false, 1, true, fill, false);
            prop_assert_eq!(decode_fax(&one_d, w, h, Coding::G3 { two_d: false, aligned: false }), Some(bitmap.clone()), "1-D");
            let two_d = encode_g3(&bitmap, true, k, true, fill, false);
            prop_assert_eq!(decode_fax(&two_d, w, h, Coding::G3 { two_d: true, aligned: false }), Some(bitmap.clone()), "2-D");
            // Read as the wrong coding, a G3 stream is no G4 page (or a different one).
            prop_assert_ne!(decode(&two_d, w, h), Some(bitmap));
        }
    }
}
