//! Binary Galois fields GF(2^n) for n ≤ 8, the API rqrr uses from crates.io
//! `g2p` (`g2p!` and [`GaloisField`]), written for size: one 256-byte log
//! table and one 512-byte antilog table per field, built at compile time.
//! The element 2 (the polynomial x) must generate the field, as it does for
//! the QR code fields (x⁸+x⁴+x³+x²+1 and x⁴+x+1); another modulus is a
//! compile-time error.

use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A polynomial over GF(2), bit i the coefficient of xⁱ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct G2Poly(pub u64);

/// The operations of a finite field of characteristic 2.
pub trait GaloisField:
    Add<Output = Self>
    + AddAssign
    + std::iter::Sum
    + Sub<Output = Self>
    + SubAssign
    + Neg<Output = Self>
    + Mul<Output = Self>
    + MulAssign
    + std::iter::Product
    + Div<Output = Self>
    + DivAssign
    + Copy
    + PartialEq
    + Eq
{
    /// Number of elements.
    const SIZE: usize;
    const ZERO: Self;
    const ONE: Self;
    /// Generates every non-zero element by its powers.
    const GENERATOR: Self;
    /// The reduction polynomial.
    const MODULUS: G2Poly;

    /// `self` to the power `p`.
    fn pow(self, p: usize) -> Self {
        let mut result = Self::ONE;
        let mut base = self;
        let mut p = p;
        while p > 0 {
            if p & 1 == 1 {
                result *= base;
            }
            base *= base;
            p >>= 1;
        }
        result
    }
}

/// Log and antilog tables of one field; `exp` is doubled so that a product
/// needs no modulo.
pub struct Tables {
    pub log: [u8; 256],
    pub exp: [u8; 512],
    /// 2ⁿ − 1, the order of the multiplicative group.
    pub order: usize,
}

impl Tables {
    pub const fn new(bits: u32, modulus: u64) -> Tables {
        assert!(bits >= 1 && bits <= 8, "g2p: 1 to 8 bits");
        assert!(
            modulus >> bits == 1,
            "g2p: the modulus must have degree `bits`"
        );
        let order = (1usize << bits) - 1;
        let mut log = [0u8; 256];
        let mut exp = [0u8; 512];
        let mut x: u64 = 1;
        let mut i = 0;
        while i < order {
            assert!(i == 0 || x != 1, "g2p: x does not generate this field");
            exp[i] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x >> bits == 1 {
                x ^= modulus;
            }
            i += 1;
        }
        assert!(x == 1, "g2p: the modulus is not primitive");
        let mut j = order;
        while j < 512 {
            exp[j] = exp[j - order];
            j += 1;
        }
        Tables { log, exp, order }
    }

    #[inline]
    pub fn mul(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            return 0;
        }
        self.exp[self.log[a as usize] as usize + self.log[b as usize] as usize]
    }

    #[inline]
    pub fn div(&self, a: u8, b: u8) -> u8 {
        assert!(b != 0, "g2p: division by zero");
        if a == 0 {
            return 0;
        }
        self.exp[self.log[a as usize] as usize + self.order - self.log[b as usize] as usize]
    }
}

/// `g2p!(GF256, 8, modulus: 0b1_0001_1101)` defines `pub struct GF256(pub u8)`
/// with the field operations.
#[macro_export]
macro_rules! g2p {
    ($name:ident, $bits:literal, modulus: $modulus:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub u8);

        impl $name {
            fn tables() -> &'static $crate::Tables {
                static TABLES: $crate::Tables = $crate::Tables::new($bits, $modulus);
                &TABLES
            }
        }

        impl ::std::convert::From<u8> for $name {
            fn from(v: u8) -> Self {
                $name(v)
            }
        }

        impl ::std::convert::From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v.0
            }
        }

        impl ::std::ops::Add for $name {
            type Output = Self;
            fn add(self, rhs: Self) -> Self {
                $name(self.0 ^ rhs.0)
            }
        }
        impl ::std::ops::AddAssign for $name {
            fn add_assign(&mut self, rhs: Self) {
                self.0 ^= rhs.0;
            }
        }
        impl ::std::ops::Sub for $name {
            type Output = Self;
            fn sub(self, rhs: Self) -> Self {
                $name(self.0 ^ rhs.0)
            }
        }
        impl ::std::ops::SubAssign for $name {
            fn sub_assign(&mut self, rhs: Self) {
                self.0 ^= rhs.0;
            }
        }
        impl ::std::ops::Neg for $name {
            type Output = Self;
            fn neg(self) -> Self {
                self
            }
        }
        impl ::std::ops::Mul for $name {
            type Output = Self;
            fn mul(self, rhs: Self) -> Self {
                $name(Self::tables().mul(self.0, rhs.0))
            }
        }
        impl ::std::ops::MulAssign for $name {
            fn mul_assign(&mut self, rhs: Self) {
                *self = *self * rhs;
            }
        }
        impl ::std::ops::Div for $name {
            type Output = Self;
            fn div(self, rhs: Self) -> Self {
                $name(Self::tables().div(self.0, rhs.0))
            }
        }
        impl ::std::ops::DivAssign for $name {
            fn div_assign(&mut self, rhs: Self) {
                *self = *self / rhs;
            }
        }
        impl ::std::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                iter.fold($name(0), |a, b| a + b)
            }
        }
        impl ::std::iter::Product for $name {
            fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
                iter.fold($name(1), |a, b| a * b)
            }
        }
        impl $crate::GaloisField for $name {
            const SIZE: usize = 1 << $bits;
            const ZERO: Self = $name(0);
            const ONE: Self = $name(1);
            const GENERATOR: Self = $name(2);
            const MODULUS: $crate::G2Poly = $crate::G2Poly($modulus);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    g2p!(GF256, 8, modulus: 0b1_0001_1101);
    g2p!(GF16, 4, modulus: 0b1_0011);

    /// Schoolbook carry-less multiplication with reduction: the definition
    /// the tables must agree with.
    fn slow_mul(a: u8, b: u8, bits: u32, modulus: u64) -> u8 {
        let (mut a, mut b, mut r) = (a as u64, b as u64, 0u64);
        while b > 0 {
            if b & 1 == 1 {
                r ^= a;
            }
            b >>= 1;
            a <<= 1;
            if a >> bits == 1 {
                a ^= modulus;
            }
        }
        r as u8
    }

    #[test]
    fn products_agree_with_the_definition_for_every_pair() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(
                    (GF256(a) * GF256(b)).0,
                    slow_mul(a, b, 8, 0x11d),
                    "{a} × {b}"
                );
            }
        }
        for a in 0..16u8 {
            for b in 0..16u8 {
                assert_eq!((GF16(a) * GF16(b)).0, slow_mul(a, b, 4, 0x13), "{a} × {b}");
            }
        }
    }

    #[test]
    fn division_inverts_multiplication() {
        for a in 0..=255u8 {
            for b in 1..=255u8 {
                assert_eq!(GF256(a) * GF256(b) / GF256(b), GF256(a));
            }
        }
        for b in 1..16u8 {
            assert_eq!(GF16(b) / GF16(b), GF16::ONE);
        }
    }

    #[test]
    fn the_generator_reaches_every_nonzero_element_once() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..255 {
            assert!(seen.insert(GF256::GENERATOR.pow(i).0));
        }
        assert_eq!(seen.len(), 255);
        assert!(!seen.contains(&0));
        assert_eq!(GF256::GENERATOR.pow(255), GF256::ONE);
        assert_eq!(GF16::GENERATOR.pow(15), GF16::ONE);
        assert_eq!(GF16(2).pow(4), GF16(3));
        assert_eq!(GF256(7).pow(0), GF256::ONE);
    }

    #[test]
    fn sums_and_products_fold() {
        let xs = [GF256(3), GF256(5), GF256(7)];
        assert_eq!(xs.iter().copied().sum::<GF256>(), GF256(3 ^ 5 ^ 7));
        assert_eq!(
            xs.iter().copied().product::<GF256>(),
            GF256(3) * GF256(5) * GF256(7)
        );
        assert_eq!(-GF256(9), GF256(9));
    }
}
