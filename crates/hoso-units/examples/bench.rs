//! Timings behind bench/units.sh: parsing the data files (what the browser
//! does on first focus) and the per-keystroke search, per conversion.
use hoso_units::embedded::{NEW_TXT, OLD_TXT};
use hoso_units::{Legacy, Units};
use std::time::Instant;

fn per<T>(n: u32, mut f: impl FnMut() -> T) -> f64 {
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(f());
    }
    t.elapsed().as_secs_f64() * 1e6 / n as f64
}

fn main() {
    let units = Units::parse(NEW_TXT).unwrap();
    let legacy = Legacy::parse(OLD_TXT, &units).unwrap();
    let hanoi = units.find_province("Hà Nội").unwrap().code;
    let rows = [
        (
            "parse new.txt (34 provinces, 3,321 communes)",
            per(20, || Units::parse(NEW_TXT).unwrap()),
        ),
        (
            "parse old.txt (10,035 old communes)",
            per(20, || Legacy::parse(OLD_TXT, &units).unwrap()),
        ),
        (
            "search provinces \"ha\"",
            per(2000, || units.search_provinces("ha").len()),
        ),
        (
            "search communes of Hà Nội \"ba d\"",
            per(2000, || {
                units.search_communes(Some(hanoi), "ba d", 10).len()
            }),
        ),
        (
            "search all communes \"tan\"",
            per(200, || units.search_communes(None, "tan", 10).len()),
        ),
        (
            "convert an old address",
            per(2000, || {
                legacy
                    .convert(&units, "Số 5, P. Phúc Xá, Q. Ba Đình, TP. Hà Nội")
                    .map(|c| c.province.code)
            }),
        ),
    ];
    println!("{:<48} {:>12}", "operation (native, release)", "µs each");
    for (name, us) in rows {
        println!("{name:<48} {us:>12.1}");
    }
}
