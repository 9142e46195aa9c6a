//! Size and speed of the scan profiles on a synthetic corpus: A4 text pages
//! with and without a seal and signature, scan-like (flat light, little
//! noise) and photo-like (300 dpi, light gradient, shadow, noise, blur,
//! 1.5° skew). Prints median KB and ms per page for condition × profile.
//! `--write DIR` also saves one PNG per condition for `hoso scan`.
//! Run by bench/scan.sh with the release build.

use hoso_image::testpage::{render, Scene};
use hoso_image::{process, Profile, ScanOptions};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write_dir = args.iter().position(|a| a == "--write").and_then(|i| args.get(i + 1));
    let scan = Scene { noise: 3, ..Scene::default() };
    let photo = Scene {
        width: 2480,
        height: 3508,
        dpi: 300.0,
        gradient: true,
        shadow: true,
        noise: 8,
        blur: true,
        skew_degrees: 1.5,
        ..Scene::default()
    };
    let conditions = [
        ("scan, text", Scene { ..scan.clone() }),
        ("scan, seal+signature", Scene { seal: true, signature: true, ..scan }),
        ("photo, text", Scene { ..photo.clone() }),
        ("photo, seal+signature", Scene { seal: true, signature: true, ..photo }),
    ];
    let profiles = [Profile::Text, Profile::Color, Profile::Mixed, Profile::Auto];
    println!("| condition | profile | KB/page (median) | ms/page (median) | auto chose |");
    println!("|---|---|---:|---:|---|");
    for (name, scene) in &conditions {
        let pages: Vec<_> = (1..=3).map(|seed| render(&Scene { seed, ..scene.clone() }).0).collect();
        if let Some(dir) = write_dir {
            let file = format!("{dir}/{}.png", name.replace([',', ' ', '+'], "-").replace("--", "-"));
            image::save_buffer(&file, &pages[0].data, pages[0].width, pages[0].height, image::ExtendedColorType::Rgb8).unwrap();
        }
        for profile in profiles {
            let (mut kb, mut ms, mut chose) = (Vec::new(), Vec::new(), Vec::new());
            for rgb in &pages {
                let start = Instant::now();
                let page = process(rgb, scene.dpi, &ScanOptions { profile, ..ScanOptions::default() }).unwrap();
                ms.push(start.elapsed().as_secs_f64() * 1000.0);
                kb.push(page.bytes() as f64 / 1024.0);
                chose.push(page.profile.name());
            }
            let median = |v: &mut Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v[v.len() / 2]
            };
            let auto = if profile == Profile::Auto { chose.join(",") } else { String::new() };
            println!("| {name} | {} | {:.1} | {:.0} | {auto} |", profile.name(), median(&mut kb), median(&mut ms));
        }
    }
}
