//! Line breaking of one unbreakable word of 3,990 letters (issue 9), alone and in the
//! rights certificate's basis column; prints the time of each.
//!
//! `cargo bench --bench long_word` (the peak memory: run the bench binary under
//! `/usr/bin/time -v`).

use std::time::Instant;

use anyqtama::domain::Lang;
use anyqtama::fonts::FontStyle;
use anyqtama::layout::text::Shaper;
use anyqtama::layout::{Inline, Pt};
use anyqtama::validate::ValidateOptions;
use anyqtama::{Engine, RenderOptions};

/// The same allocator as the binary (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let word = "Ә".repeat(3990);
    // A fresh shaper each time: the word is not in the cache.
    let mut times = Vec::new();
    for _ in 0..5 {
        let shaper = Shaper::new();
        let inlines = [Inline::Text(word.clone(), FontStyle::Regular)];
        let start = Instant::now();
        let lines = shaper.break_lines(&inlines, Pt(9.0), Pt(60.0));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(lines.lines.len() > 100);
    }
    println!("break_lines, 3990 letters in a 60 pt column: {}", summary(&times));

    let sample = std::fs::read_to_string("samples/rights-certificate-individual.yaml").expect("sample");
    let case =
        sample.replace("kk: 2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты", &format!("kk: {word}"));
    let mut times = Vec::new();
    for _ in 0..5 {
        let engine = Engine::new(None).expect("engine");
        let loaded = engine.load("case.yaml", &case, None, ValidateOptions::default());
        let case = loaded.case.expect("valid");
        let form = engine.form(&case.form).expect("form");
        let start = Instant::now();
        let doc = engine.layout(form, Some(&case), &[Lang::Kk], &RenderOptions::default());
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(doc.is_ok());
    }
    println!("template + layout of the certificate with it as the basis: {}", summary(&times));
}

fn summary(ms: &[f64]) -> String {
    let min = ms.iter().copied().fold(f64::MAX, f64::min);
    let max = ms.iter().copied().fold(f64::MIN, f64::max);
    format!("{min:.2}–{max:.2} ms over {} runs", ms.len())
}
