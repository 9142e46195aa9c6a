//! CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as ZIP wants it.
//! One 1 KiB table built at compile time: small in wasm, fast enough for
//! the few megabytes of a dossier.

const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// Continues a CRC: start with `0`, feed the bytes in any number of pieces.
pub(crate) fn update(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        c = TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value_and_pieces() {
        assert_eq!(super::update(0, b"123456789"), 0xCBF4_3926);
        assert_eq!(super::update(0, b""), 0);
        let whole = super::update(0, b"hello, world");
        assert_eq!(super::update(super::update(0, b"hello"), b", world"), whole);
    }
}
