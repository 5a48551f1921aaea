//! Layout never loses content (issue 9, section 1): rows taller than a page split across
//! pages with their header rows repeated, every word of the case lands inside the page body,
//! and what cannot be placed is an error about the case field, exit 2, no file.

mod common;

use anyqtama::domain::Lang;
use anyqtama::layout::{Document, Item};
use anyqtama::validate::ValidateOptions;
use anyqtama::{Engine, RenderOptions};
use common::*;

/// The sample case with `from` (which occurs once) replaced by `to`.
fn sample_with(sample: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(root().join("samples").join(sample)).expect("sample");
    replaced_once(&text, from, to)
}

/// `n` distinct words, each numbered, so that a lost one is seen.
fn numbered_words(stem: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{stem}{i:03}")).collect()
}

/// Lays out a case in the library, as `render` does.
fn lay_out(file: &str, text: &str, langs: &[Lang]) -> Document {
    let engine = Engine::new(None).expect("engine");
    let loaded = engine.load(file, text, None, ValidateOptions::default());
    let case = loaded.case.unwrap_or_else(|| panic!("case is valid: {:?}", loaded.diagnostics));
    let form = engine.form(&case.form).expect("form");
    engine.layout(form, Some(&case), langs, &RenderOptions::default()).expect("laid out")
}

/// Every text run and rectangle of each page, except the footer itself, lies above the
/// footer's top and below the top of the page; returns the runs' texts per page.
#[track_caller]
fn assert_inside_pages(doc: &Document) -> Vec<String> {
    let mut pages = Vec::new();
    for (n, page) in doc.pages.iter().enumerate() {
        let runs: Vec<_> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) => Some(r),
                _ => None,
            })
            .collect();
        // The footer is the lowest run; everything else must end above its top.
        let footer = runs.iter().map(|r| r.origin.y.0).fold(f32::MIN, f32::max);
        let footer_top = footer - 9.0;
        for item in &page.items {
            let (top, bottom, what) = match item {
                Item::Text(r) if r.origin.y.0 == footer => continue,
                Item::Text(r) => (r.origin.y.0 - r.size.0, r.origin.y.0 + r.size.0 * 0.25, r.text.clone()),
                Item::Rect(r) => (r.origin.y.0, r.origin.y.0 + r.size.height.0, "a cell border".into()),
                Item::Line(l) => (l.from.y.0.min(l.to.y.0), l.from.y.0.max(l.to.y.0), "a line".into()),
                Item::Qr(q) => (q.origin.y.0, q.origin.y.0 + q.module.0 * q.width as f32, "a qr code".into()),
            };
            assert!(top >= 0.0, "page {}: {what:?} starts above the page ({top})", n + 1);
            assert!(
                bottom <= footer_top,
                "page {}: {what:?} reaches {bottom} pt, over the footer at {footer_top} pt",
                n + 1
            );
        }
        pages.push(runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" "));
    }
    pages
}

#[track_caller]
fn assert_every_word_once(pages: &[String], words: &[String]) {
    let all = pages.join(" ");
    let missing: Vec<&String> =
        words.iter().filter(|w| all.split([' ', ',']).filter(|t| t == &w.as_str()).count() != 1).collect();
    assert!(
        missing.is_empty(),
        "{} of {} words not printed exactly once: {missing:?}",
        missing.len(),
        words.len()
    );
}

#[test]
fn issue_9_a_basis_of_400_words_splits_its_row_across_pages_with_the_header_repeated() {
    let words = numbered_words("негіз", 400);
    let basis = words.join(" ");
    assert!(basis.chars().count() < 4000, "under the field's limit");
    let case = sample_with(
        "rights-certificate-individual.yaml",
        "kk: 2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты",
        &format!("kk: {basis}"),
    );
    let doc = lay_out("case.yaml", &case, &[Lang::Kk]);
    let pages = assert_inside_pages(&doc);
    assert_every_word_once(&pages, &words);
    // The row continues on the next pages, each under the repeated header of table 2.
    let header = "Құқықтың туындау негіздемесі";
    let with_basis: Vec<usize> =
        (0..pages.len()).filter(|&p| words.iter().any(|w| pages[p].contains(w.as_str()))).collect();
    assert!(with_basis.len() >= 2, "the basis spans pages {with_basis:?}");
    for &p in &with_basis {
        assert!(pages[p].contains(header), "page {} has the header row: {}", p + 1, pages[p]);
    }
}

#[test]
fn issue_9_an_address_of_3800_characters_is_printed_whole() {
    let mut words = numbered_words("көше", 560);
    words.truncate(3800 / 8);
    let address = words.join(" ");
    assert!(address.chars().count() <= 3800);
    let case = sample_with(
        "rights-certificate-individual.yaml",
        "kk: Астана қ., Есіл ауданы, Қабанбай батыр даңғылы, 11-үй, 45-пәтер",
        &format!("kk: {address}"),
    );
    let doc = lay_out("case.yaml", &case, &[Lang::Kk]);
    let pages = assert_inside_pages(&doc);
    assert_every_word_once(&pages, &words);
}

#[test]
fn issue_9_an_act_title_of_2000_characters_in_the_journal_is_printed_whole() {
    let words = numbered_words("атауы", 220);
    let title = words.join(" ");
    assert!(title.chars().count() <= 2000);
    let case = sample_with(
        "register-2021-07-journal.yaml",
        "kk: 'Медициналық көмек көрсетуді ұйымдастыру стандартын бекіту туралы'",
        &format!("kk: '{title}'"),
    );
    let doc = lay_out("case.yaml", &case, &[Lang::Kk]);
    let pages = assert_inside_pages(&doc);
    assert_every_word_once(&pages, &words);
}

#[test]
fn issue_9_a_3990_letter_word_is_printed_whole_inside_its_column() {
    let word = "Ә".repeat(3990);
    let case = sample_with(
        "rights-certificate-individual.yaml",
        "kk: 2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты",
        &format!("kk: {word}"),
    );
    let doc = lay_out("case.yaml", &case, &[Lang::Kk]);
    let pages = assert_inside_pages(&doc);
    let letters: usize = pages.iter().map(|p| p.matches('Ә').count()).sum();
    let sample =
        std::fs::read_to_string(root().join("samples/rights-certificate-individual.yaml")).expect("sample");
    let before: usize = assert_inside_pages(&lay_out("case.yaml", &sample, &[Lang::Kk]))
        .iter()
        .map(|p| p.matches('Ә').count())
        .sum();
    assert_eq!(letters - before, 3990);
}

/// A copy of `templates/` with `from` (once) replaced by `to` in `file`.
fn templates_with(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("templates"), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("template");
    std::fs::write(&path, replaced_once(&text, from, to)).expect("template written");
    dir
}

#[test]
fn issue_9_a_block_taller_than_a_page_that_cannot_split_is_an_error_about_its_field() {
    // A template that prints the basis once more, in a frame (which does not split).
    let templates = templates_with(
        "forms/565-app1-rights-certificate/form.xml",
        "</keep>\n</document>",
        "</keep>\n{% if case %}<frame border=\"1pt\" padding=\"2mm\"><p size=\"20\">{{ case.objects[0].rights[0].basis }}</p></frame>{% endif %}\n</document>",
    );
    let basis = numbered_words("негіз", 400).join(" ");
    let case = sample_with(
        "rights-certificate-individual.yaml",
        "kk: 2019 жылғы 3 сәуірдегі № 1-2/345 сатып алу-сату шарты",
        &format!("kk: {basis}"),
    );
    let run = run_case_files(
        &[("case.yaml", &case)],
        &["--templates", templates.path().to_str().expect("path"), "render", "case.yaml", "-o", "out.pdf"],
    );
    assert_eq!(
        run.stderr,
        "error: case.yaml:38:11: objects[0].rights[0].basis: the text does not fit on a page and cannot be split: it needs 572 mm, a page holds 264 mm\n"
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"], "no output, not even a temporary file");
}

#[test]
fn issue_9_text_that_leaves_the_stamp_names_the_case_field() {
    let templates = templates_with(
        "forms/246-app3-stamp/form.xml",
        "<p align=\"center\" size=\"8\">{{ issuer }}</p>",
        "<p align=\"center\" size=\"20\">{{ issuer }}</p>",
    );
    let case = std::fs::read_to_string(root().join("samples/stamp-ru-official-use.yaml")).expect("sample");
    let run = run_case_files(
        &[("stamp.yaml", &case)],
        &["--templates", templates.path().to_str().expect("path"), "stamp", "stamp.yaml", "-o", "stamp.png"],
    );
    assert_eq!(
        run.stderr,
        "error: stamp.yaml:9:3: issuer: the text does not fit in its frame of 70 × 35 mm\n  hint: shorten the text printed in it\n"
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["stamp.yaml"]);
}
