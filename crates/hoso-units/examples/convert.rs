//! `cargo run -p hoso-units --features embedded --example convert -- "Xã A, Huyện B, Tỉnh C"`
fn main() {
    let (u, l) = (
        hoso_units::embedded::units(),
        hoso_units::embedded::legacy(),
    );
    for a in std::env::args().skip(1) {
        match l.convert(u, &a) {
            Some(c) => println!("{a}\n  → {} (already new: {})", c.address(), c.already_new),
            None => println!("{a}\n  → not recognised"),
        }
    }
}
