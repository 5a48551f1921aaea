//! Reference images: every form's blank in every language, every sample, and the cases of
//! issue 9 (a table row taller than a page, a 3,990-letter word) laid out in-process, drawn
//! with the project's own raster path (`raster::pixmap`) at a low resolution in grey, and
//! compared with the PNGs committed under `tests/reference/<case>/page-<n>.png`.
//!
//! A pixel differs when its grey level differs by more than [`LEVEL`]; a page passes when at
//! most [`MAX_DIFFERING`] of a thousand pixels differ. A missing reference fails.
//! `BLESS=1 cargo test --test reference` (or `BLESS=1 cargo test`) rewrites the references.
//! On a failure the expected, actual and difference images are written to
//! `target/reference/<case>/` and named in the message.

mod common;

use std::path::{Path, PathBuf};

use anyqtama::domain::Lang;
use anyqtama::layout::{Document, Page};
use anyqtama::raster::{Background, RasterOptions, pixmap};
use anyqtama::validate::ValidateOptions;
use anyqtama::{Engine, RenderOptions};
use common::*;

/// Resolution of the references: enough to see a line move, small enough to commit.
const DPI: u32 = 30;
/// Grey levels a pixel may differ by (anti-aliasing on another machine).
const LEVEL: u8 = 24;
/// Differing pixels allowed, per thousand.
const MAX_DIFFERING: usize = 2;

/// A page drawn in grey: width, height, one byte per pixel.
struct Grey {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

fn draw(page: &Page) -> Grey {
    let options = RasterOptions { dpi: DPI, background: Background::White, title: String::new() };
    let pixmap = pixmap(page, &options).expect("page drawn");
    let data = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let c = p.demultiply();
            ((u32::from(c.red()) * 299 + u32::from(c.green()) * 587 + u32::from(c.blue()) * 114) / 1000) as u8
        })
        .collect();
    Grey { width: pixmap.width(), height: pixmap.height(), data }
}

fn write_png(path: &Path, image: &Grey) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("directory");
    let file = std::fs::File::create(path).expect("png created");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), image.width, image.height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&image.data).expect("png data");
}

fn read_png(path: &Path) -> Option<Grey> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().ok()?;
    let mut data = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut data).ok()?;
    (info.color_type == png::ColorType::Grayscale && info.bit_depth == png::BitDepth::Eight).then(|| {
        data.truncate(info.buffer_size());
        Grey { width: info.width, height: info.height, data }
    })
}

/// Expected | mask of differing pixels | actual, side by side.
fn difference(expected: &Grey, actual: &Grey) -> Grey {
    let (w, h) = (expected.width.max(actual.width), expected.height.max(actual.height));
    let at =
        |g: &Grey, x: u32, y: u32| (x < g.width && y < g.height).then(|| g.data[(y * g.width + x) as usize]);
    let mut data = Vec::with_capacity((w * 3 * h) as usize);
    for y in 0..h {
        for x in 0..w {
            data.push(at(expected, x, y).unwrap_or(128));
        }
        for x in 0..w {
            let differs = match (at(expected, x, y), at(actual, x, y)) {
                (Some(a), Some(b)) => a.abs_diff(b) > LEVEL,
                _ => true,
            };
            data.push(if differs { 0 } else { 235 });
        }
        for x in 0..w {
            data.push(at(actual, x, y).unwrap_or(128));
        }
    }
    Grey { width: w * 3, height: h, data }
}

/// Why `actual` does not match `expected`, if it does not.
fn mismatch(expected: &Grey, actual: &Grey) -> Option<String> {
    if (expected.width, expected.height) != (actual.width, actual.height) {
        return Some(format!(
            "size {}×{} px, expected {}×{} px",
            actual.width, actual.height, expected.width, expected.height
        ));
    }
    let differing = expected.data.iter().zip(&actual.data).filter(|(a, b)| a.abs_diff(**b) > LEVEL).count();
    let allowed = expected.data.len() * MAX_DIFFERING / 1000;
    (differing > allowed).then(|| format!("{differing} pixels differ (at most {allowed} may)"))
}

fn reference_dir(case: &str) -> PathBuf {
    root().join("tests/reference").join(case)
}

fn output_dir(case: &str) -> PathBuf {
    root().join("target/reference").join(case)
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares (or, blessing, writes) the pages of `doc` as the references of `case`;
/// returns the problems found.
fn check(case: &str, doc: &Document) -> Vec<String> {
    let dir = reference_dir(case);
    let pages: Vec<Grey> = doc.pages.iter().map(draw).collect();
    if blessing() {
        let _ = std::fs::remove_dir_all(&dir);
        for (i, page) in pages.iter().enumerate() {
            write_png(&dir.join(format!("page-{}.png", i + 1)), page);
        }
        return Vec::new();
    }
    let mut problems = Vec::new();
    let out = output_dir(case);
    let _ = std::fs::remove_dir_all(&out);
    let stored = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    if stored != pages.len() {
        problems.push(format!("{case}: {} pages, {stored} references in {}", pages.len(), dir.display()));
    }
    for (i, actual) in pages.iter().enumerate() {
        let name = format!("page-{}", i + 1);
        let reference = dir.join(format!("{name}.png"));
        let why = match read_png(&reference) {
            None => Some(format!("no reference {}", reference.display())),
            Some(expected) => mismatch(&expected, actual).inspect(|_| {
                write_png(&out.join(format!("{name}.expected.png")), &expected);
                write_png(&out.join(format!("{name}.diff.png")), &difference(&expected, actual));
            }),
        };
        if let Some(why) = why {
            let actual_path = out.join(format!("{name}.actual.png"));
            write_png(&actual_path, actual);
            problems
                .push(format!("{case} {name}: {why}; see {}", out.join(format!("{name}.*.png")).display()));
        }
    }
    problems
}

/// The languages `render` prints a case in: the case's `language`, else the form's defaults.
fn langs_of(engine: &Engine, case: &anyqtama::validate::Case) -> Vec<Lang> {
    let form = engine.form(&case.form).expect("form");
    case.data
        .get("language")
        .and_then(|v| v.as_str())
        .and_then(Lang::from_code)
        .map_or_else(|| form.spec.default_languages(), |lang| vec![lang])
}

fn lay_out_case(engine: &Engine, file: &str, text: &str) -> Document {
    let loaded = engine.load(file, text, None, ValidateOptions::default());
    let case = loaded.case.unwrap_or_else(|| panic!("{file} is valid: {:?}", loaded.diagnostics));
    let form = engine.form(&case.form).expect("form");
    let langs = langs_of(engine, &case);
    engine
        .layout(form, Some(&case), &langs, &RenderOptions::default())
        .unwrap_or_else(|d| panic!("{file} laid out: {d:?}"))
}

/// Every case: (reference name, document).
fn cases(engine: &Engine) -> Vec<(String, Document)> {
    let mut cases = Vec::new();
    let forms = engine.catalog.forms().expect("forms");
    for form in forms {
        for lang in form.spec.languages() {
            let doc = engine.layout(form, None, &[lang], &RenderOptions::default()).expect("blank laid out");
            cases.push((format!("blank-{}-{}", form.spec.id, lang.code()), doc));
        }
    }
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    samples.sort();
    for path in samples {
        let text = std::fs::read_to_string(&path).expect("sample");
        let file = path.to_str().expect("path");
        // A JSON sample that has a YAML twin is the same case: it must give the same pages.
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
        cases.push((format!("sample-{stem}"), lay_out_case(engine, file, &text)));
    }
    let individual =
        std::fs::read_to_string(root().join("samples/rights-certificate-individual.yaml")).expect("sample");
    let basis = "kk: 2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты";
    let words: Vec<String> = (1..=400).map(|i| format!("негіз{i:03}")).collect();
    let tall = replaced_once(&individual, basis, &format!("kk: {}", words.join(" ")));
    cases.push(("issue-9-tall-row".into(), lay_out_case(engine, "tall-row.yaml", &tall)));
    let long = replaced_once(&individual, basis, &format!("kk: {}", "Ә".repeat(3990)));
    cases.push(("issue-9-long-word".into(), lay_out_case(engine, "long-word.yaml", &long)));
    cases
}

#[test]
fn every_blank_sample_and_issue_case_matches_its_reference_images() {
    let engine = Engine::new(None).expect("engine");
    let mut problems = Vec::new();
    let mut names = Vec::new();
    for (name, doc) in cases(&engine) {
        // A JSON twin is compared with the references of its YAML sample.
        if !names.contains(&name) {
            names.push(name.clone());
        }
        problems.extend(check(&name, &doc));
    }
    if blessing() {
        // References of cases that no longer exist go.
        for entry in std::fs::read_dir(root().join("tests/reference")).expect("references") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            if path.is_dir() && !names.contains(&name) {
                std::fs::remove_dir_all(&path).expect("stale reference removed");
            }
        }
        return;
    }
    assert!(
        problems.is_empty(),
        "{} reference images do not match (BLESS=1 cargo test --test reference rewrites them):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_changed_page_fails_and_its_images_are_written() {
    // The comparison itself: a page with one line moved is caught, an identical one is not.
    let engine = Engine::new(None).expect("engine");
    let form = engine.form("request").expect("form");
    let doc = engine.layout(form, None, &[Lang::Kk], &RenderOptions::default()).expect("laid out");
    let page = draw(&doc.pages[0]);
    assert!(mismatch(&page, &draw(&doc.pages[0])).is_none());
    let mut moved = doc.pages[0].clone();
    for item in &mut moved.items {
        if let anyqtama::layout::Item::Text(run) = item {
            run.origin.y.0 += 6.0;
            break;
        }
    }
    let why = mismatch(&page, &draw(&moved)).expect("a moved line is seen");
    assert!(why.contains("pixels differ"), "{why}");
    let diff = difference(&page, &draw(&moved));
    assert_eq!((diff.width, diff.height), (page.width * 3, page.height));
}
