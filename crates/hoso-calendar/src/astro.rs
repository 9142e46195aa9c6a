//! The astronomy a lunisolar calendar needs: mean-to-true new moons
//! (Meeus, *Astronomical Algorithms*, ch. 49), the Sun's apparent longitude
//! (ch. 25, about 0.01°) and ΔT (Espenak & Meeus polynomials). Times are
//! Julian Ephemeris Days (TT); callers convert to local civil days.

use std::f64::consts::PI;

/// Julian Day of 1970-01-01 00:00 UT, where `Date::days_from_epoch` is 0.
pub const JD_EPOCH: f64 = 2_440_587.5;
/// Mean synodic month in days.
pub const SYNODIC_MONTH: f64 = 29.530_588_861;
/// JDE of the mean new moon k = 0 (6 January 2000).
const K0_JDE: f64 = 2_451_550.097_66;

fn sin_deg(x: f64) -> f64 {
    (x * PI / 180.0).sin()
}

/// JDE of the true new moon number `k` (k = 0 near 2000-01-06; one per lunation).
pub fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let jde = K0_JDE + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3 + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let mp = 201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let f = 160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let om = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;
    // Periodic terms for the new moon phase: (coefficient, power of E, multiples of M, M', F, Ω).
    const TERMS: [(f64, i32, f64, f64, f64, f64); 25] = [
        (-0.407_20, 0, 0.0, 1.0, 0.0, 0.0),
        (0.172_41, 1, 1.0, 0.0, 0.0, 0.0),
        (0.016_08, 0, 0.0, 2.0, 0.0, 0.0),
        (0.010_39, 0, 0.0, 0.0, 2.0, 0.0),
        (0.007_39, 1, -1.0, 1.0, 0.0, 0.0),
        (-0.005_14, 1, 1.0, 1.0, 0.0, 0.0),
        (0.002_08, 2, 2.0, 0.0, 0.0, 0.0),
        (-0.001_11, 0, 0.0, 1.0, -2.0, 0.0),
        (-0.000_57, 0, 0.0, 1.0, 2.0, 0.0),
        (0.000_56, 1, 1.0, 2.0, 0.0, 0.0),
        (-0.000_42, 0, 0.0, 3.0, 0.0, 0.0),
        (0.000_42, 1, 1.0, 0.0, 2.0, 0.0),
        (0.000_38, 1, 1.0, 0.0, -2.0, 0.0),
        (-0.000_24, 1, -1.0, 2.0, 0.0, 0.0),
        (-0.000_17, 0, 0.0, 0.0, 0.0, 1.0),
        (-0.000_07, 0, 2.0, 1.0, 0.0, 0.0),
        (0.000_04, 0, 0.0, 2.0, -2.0, 0.0),
        (0.000_04, 0, 3.0, 0.0, 0.0, 0.0),
        (0.000_03, 0, 1.0, 1.0, -2.0, 0.0),
        (0.000_03, 0, 0.0, 2.0, 2.0, 0.0),
        (-0.000_03, 0, 1.0, 1.0, 2.0, 0.0),
        (0.000_03, 0, -1.0, 1.0, 2.0, 0.0),
        (-0.000_02, 0, -1.0, 1.0, -2.0, 0.0),
        (-0.000_02, 0, 1.0, 3.0, 0.0, 0.0),
        (0.000_02, 0, 0.0, 4.0, 0.0, 0.0),
    ];
    let periodic: f64 =
        TERMS.iter().map(|&(c, ep, a, b, cf, co)| c * e.powi(ep) * sin_deg(a * m + b * mp + cf * f + co * om)).sum();
    // Planetary arguments (Meeus table 49.B): (coefficient, constant, rate per lunation).
    const PLANETARY: [(f64, f64, f64); 14] = [
        (0.000_325, 299.77, 0.107_408),
        (0.000_165, 251.88, 0.016_321),
        (0.000_164, 251.83, 26.651_886),
        (0.000_126, 349.42, 36.412_478),
        (0.000_110, 84.66, 18.206_239),
        (0.000_062, 141.74, 53.303_771),
        (0.000_060, 207.14, 2.453_732),
        (0.000_056, 154.84, 7.306_860),
        (0.000_047, 34.52, 27.261_239),
        (0.000_042, 207.19, 0.121_824),
        (0.000_040, 291.34, 1.844_379),
        (0.000_037, 161.72, 24.198_154),
        (0.000_035, 239.56, 25.513_099),
        (0.000_023, 331.55, 3.592_518),
    ];
    let planetary: f64 = PLANETARY
        .iter()
        .enumerate()
        .map(|(i, &(c, a0, rate))| {
            let a = a0 + rate * k - if i == 0 { 0.009_173 * t2 } else { 0.0 };
            c * sin_deg(a)
        })
        .sum();
    jde + periodic + planetary
}

/// The Sun's apparent geocentric longitude in degrees [0, 360) at `jde`.
pub fn sun_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = 357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t;
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * sin_deg(m)
        + (0.019_993 - 0.000_101 * t) * sin_deg(2.0 * m)
        + 0.000_289 * sin_deg(3.0 * m);
    let omega = 125.04 - 1934.136 * t;
    (l0 + c - 0.005_69 - 0.004_78 * sin_deg(omega)).rem_euclid(360.0)
}

/// ΔT = TT − UT in days, for a decimal year (Espenak & Meeus, NASA eclipse site).
pub fn delta_t_days(year: f64) -> f64 {
    let y = year;
    let seconds = if y < 1860.0 {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    } else if y < 1900.0 {
        let t = y - 1860.0;
        7.62 + 0.5737 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3) - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if y < 1920.0 {
        let t = y - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3) - 0.000_197 * t.powi(4)
    } else if y < 1941.0 {
        let t = y - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if y < 1961.0 {
        let t = y - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if y < 1986.0 {
        let t = y - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if y < 2005.0 {
        let t = y - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if y < 2050.0 {
        let t = y - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else if y < 2150.0 {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y)
    } else {
        let u = (y - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u
    };
    seconds / 86_400.0
}

fn decimal_year(jd: f64) -> f64 {
    2000.0 + (jd - 2_451_545.0) / 365.2425
}

/// Converts a dynamical time (JDE) to the local civil day number (days since
/// 1970-01-01) in a zone `offset_hours` east of Greenwich.
pub fn local_day(jde: f64, offset_hours: f64) -> i64 {
    let ut = jde - delta_t_days(decimal_year(jde));
    (ut + offset_hours / 24.0 - JD_EPOCH).floor() as i64
}

/// JDE of local midnight starting civil day `day` in a zone `offset_hours` east.
pub fn local_midnight_jde(day: i64, offset_hours: f64) -> f64 {
    let ut = JD_EPOCH + day as f64 - offset_hours / 24.0;
    ut + delta_t_days(decimal_year(ut))
}

/// JDE when the Sun's apparent longitude reaches `target` degrees, searching
/// near `guess` (within a few weeks).
pub fn sun_reaches(target: f64, guess: f64) -> f64 {
    let mut jde = guess;
    for _ in 0..20 {
        // Signed angular gap in (-180, 180]; the Sun moves ~0.9856°/day.
        let gap = (target - sun_longitude(jde) + 540.0).rem_euclid(360.0) - 180.0;
        if gap.abs() < 1e-7 {
            break;
        }
        jde += gap / 0.985_647_36;
    }
    jde
}

/// Lunation number of the mean new moon nearest before `jd`.
pub fn lunation_before(jd: f64) -> i64 {
    ((jd - K0_JDE) / SYNODIC_MONTH).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeus_example_49a_new_moon_1977() {
        // Meeus example 49.a: new moon of 1977 February, k = −283, JDE 2443192.65118.
        assert!((new_moon(-283) - 2_443_192.651_18).abs() < 0.000_05);
    }

    #[test]
    fn meeus_example_25a_sun_1992() {
        // Meeus example 25.a: 1992 October 13.0 TD, apparent λ = 199.90895° (low accuracy 199.90988).
        assert!((sun_longitude(2_448_908.5) - 199.909).abs() < 0.01);
    }

    #[test]
    fn winter_solstice_2025_is_21_december_utc() {
        // 2025-12-21 15:03 UTC; in Hà Nội 22:03 the same day.
        let jde = sun_reaches(270.0, 2_461_030.0);
        let day = local_day(jde, 7.0);
        assert_eq!(hoso_core::date::Date::from_days_from_epoch(day), hoso_core::date::Date::new(2025, 12, 21).unwrap());
        let minutes = ((jde - delta_t_days(2025.97) - 0.5).fract() * 1440.0).round();
        assert!((minutes - 903.0).abs() <= 3.0, "{minutes}");
    }
}
