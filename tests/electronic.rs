//! The electronic edition (issue 11 §1–2): `render --electronic` prints the eGov header on
//! page 1 and, on every page, the equivalence statement, the QR codes and the barcode note;
//! the codes, decoded with `rqrr` from the project's own PNG pages, give back the case's
//! payload (docs/qr-payload.md); the body still splits above the footer.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use anyqtama::domain::Lang;
use anyqtama::layout::Item;
use anyqtama::template::Electronic;
use anyqtama::validate::ValidateOptions;
use anyqtama::{Engine, RenderOptions};
use common::*;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

const SAMPLE: &str = "samples/rights-certificate-individual.yaml";
const EQUIVALENCE_KK: &str = "Осы құжат «Электрондық құжат және электрондық цифрлық қолтаңба туралы» Қазақстан Республикасының 2003 жылғы 7 қаңтардағы N 370-II Заңы 7 бабының 1 тармағына сәйкес қағаз тасығыштағы құжатпен бірдей.";
const EQUIVALENCE_RU: &str = "Данный документ согласно пункту 1 статьи 7 ЗРК от 7 января 2003 года N370-II «Об электронном документе и электронной цифровой подписи» равнозначен документу на бумажном носителе.";
const BARCODE_KK: &str = "*штрих-код ЭҮП-тен алынған және Өтініш берушінің электрондық-цифрлық қолтаңбасы қойылған деректерді қамтиды";
const BARCODE_RU: &str =
    "*штрих-код содержит данные, полученные из ПЭП и подписанные электронно-цифровой подписью Заявителя";
const ISSUER_KK: &str = "Құжат электрондық үкімет порталымен құрылған";
const ISSUER_RU: &str = "Документ сформирован порталом электронного правительства";

/// The decoded texts of every QR code on a PNG page.
fn decode_png(path: &Path) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let p = &buf[(y * w + x) * 4..(y * w + x) * 4 + 4];
        // Transparent is paper.
        if p[3] < 128 { 255 } else { p[0] }
    });
    img.detect_grids().iter().map(|g| g.decode().expect("a code that decodes").1).collect()
}

/// The payload of the codes on the first page of `sample`'s electronic edition in Russian,
/// rendered as a 300-dpi PNG.
fn first_page_payload(sample: &str) -> anyqtama::qr::Payload {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("page.png");
    let run =
        run(&["render", "--electronic", sample, "--lang", "ru", "-o", out.to_str().unwrap(), "--dpi", "300"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let codes = decode_png(&dir.path().join("page-1.png"));
    anyqtama::qr::reassemble(&codes).expect("one payload")
}

/// The case as JSON with sorted keys and no spaces, computed here from the YAML itself.
fn canonical_of_yaml(path: &Path) -> String {
    fn sorted(v: Json) -> Json {
        match v {
            Json::Object(m) => {
                let m: BTreeMap<String, Json> = m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                Json::Object(m.into_iter().collect())
            }
            Json::Array(a) => Json::Array(a.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    let text = std::fs::read_to_string(path).expect("sample");
    let value: Json = serde_saphyr::from_str(&text).expect("yaml");
    serde_json::to_string(&sorted(value)).expect("json")
}

#[test]
fn the_codes_on_every_png_page_give_back_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("page.png");
    let run = run(&[
        "render",
        "--electronic",
        "--verify-url",
        "https://check.example.kz/d/{id}",
        SAMPLE,
        "-o",
        out.to_str().unwrap(),
        "--dpi",
        "300",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let pages = files_in(dir.path());
    assert!(pages.len() >= 2, "{pages:?}");
    let canonical = canonical_of_yaml(&root().join(SAMPLE));
    let sha: String = Sha256::digest(canonical.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let id = uuid::Uuid::new_v5(&anyqtama::qr::NAMESPACE, canonical.as_bytes());
    let expected = format!(
        "anyqtama-qr/1\nid: {id}\nform: rights-certificate\nnumber: 2021-0714-00452\n\
         issued: 2021-07-20T10:32:15\niin: 880412401551\ncadastral: 21:320:105:078:15\n\
         sha256: {sha}\nverify: https://check.example.kz/d/{id}"
    );
    for page in &pages {
        let codes = decode_png(&dir.path().join(page));
        assert!((2..=7).contains(&codes.len()), "{page}: {} codes", codes.len());
        for code in &codes {
            assert!(code.starts_with("AQ1 ") && code.contains(&format!("/{} {id}\n", codes.len())), "{code}");
        }
        let payload = anyqtama::qr::reassemble(&codes).expect("one payload");
        assert_eq!(payload.id, id);
        assert_eq!(payload.text, expected, "{page}");
    }
}

#[test]
fn header_on_the_first_page_footer_on_every_page() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "--electronic", SAMPLE]);
    let pages = pdf.page_count();
    assert!(pages >= 2);
    assert_in_order(
        &fold(&pdf.page_text(1)),
        &[ISSUER_KK, ISSUER_RU, "Алу күні мен уақыты / Дата получения: 20.07.2021 10:32:15"],
    );
    for n in 1..=pages as u32 {
        let text = fold(&pdf.page_text(n));
        assert_in_order(&text, &[EQUIVALENCE_KK, EQUIVALENCE_RU, BARCODE_KK, BARCODE_RU]);
        // The header opens each language version (kk from page 1, ru from its first page).
        let opens_version = n == 1 || text.contains("Приложение 1 к приказу");
        assert_eq!(text.contains(ISSUER_KK) && text.contains(ISSUER_RU), opens_version, "page {n}: {text}");
    }
    // The paper edition has none of it.
    let (_dir, _path, paper) = render_to_pdf(&["render", SAMPLE]);
    let text = fold(&paper.text());
    for phrase in [ISSUER_KK, "Осы құжат", "штрих-код"] {
        assert!(!text.contains(phrase), "paper edition prints {phrase:?}");
    }
}

#[test]
fn verify_url_needs_electronic() {
    let out = run(&["render", "--verify-url", "https://x/{id}", SAMPLE, "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1), "a usage error");
    assert!(
        stderr(&out)
            .starts_with("error: the following required arguments were not provided:\n  --electronic\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_long_case_splits_above_the_footer_with_repeated_headers() {
    // The company sample's objects eight times over: tables run over many pages.
    let text =
        std::fs::read_to_string(root().join("samples/rights-certificate-company.yaml")).expect("sample");
    let mut case: Json = serde_saphyr::from_str(&text).expect("yaml");
    let objects = case["objects"].as_array().expect("objects").clone();
    case["objects"] = Json::Array((0..8).flat_map(|_| objects.clone()).collect());
    let long = serde_json::to_string(&case).expect("json");
    let engine = Engine::new(None).expect("engine");
    let loaded = engine.load("long.json", &long, None, ValidateOptions::default());
    let case = loaded.case.unwrap_or_else(|| panic!("case is valid: {:?}", loaded.diagnostics));
    let form = engine.form(&case.form).expect("form");
    let options = RenderOptions {
        template: anyqtama::template::TemplateOptions {
            electronic: Some(Electronic::default()),
            ..Default::default()
        },
        ..Default::default()
    };
    let doc = engine.layout(form, Some(&case), &[Lang::Kk], &options).expect("laid out");
    let paper = engine.layout(form, Some(&case), &[Lang::Kk], &RenderOptions::default()).expect("laid out");
    assert!(doc.pages.len() >= 4, "{} pages", doc.pages.len());
    assert!(doc.pages.len() > paper.pages.len(), "the footer takes no room");
    let mut lowest = f32::MIN;
    for (n, page) in doc.pages.iter().enumerate() {
        let runs: Vec<_> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) => Some(r),
                _ => None,
            })
            .collect();
        let footer_top = runs
            .iter()
            .find(|r| r.text.starts_with("Осы құжат"))
            .map(|r| r.origin.y.0 - r.size.0)
            .unwrap_or_else(|| panic!("page {}: no footer", n + 1));
        let qr = page.items.iter().filter(|i| matches!(i, Item::Qr(_))).count();
        assert!(qr >= 1, "page {}: no qr code", n + 1);
        for item in &page.items {
            let bottom = match item {
                Item::Text(r) if r.origin.y.0 >= footer_top => continue,
                Item::Qr(_) => continue,
                Item::Text(r) => r.origin.y.0 + r.size.0 * 0.25,
                Item::Rect(r) => r.origin.y.0 + r.size.height.0,
                Item::Line(l) => l.from.y.0.max(l.to.y.0),
            };
            assert!(bottom <= footer_top, "page {}: body reaches {bottom}, footer at {footer_top}", n + 1);
            lowest = lowest.max(bottom - footer_top);
        }
        // Every page after the first opens with a table's header row.
        if n > 0 {
            let text: String = runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" ");
            assert!(
                ["Жылжымайтын", "Құқықтық", "Ауыртпалықтың", "Зандық", "Заңдық"]
                    .iter()
                    .any(|h| text.contains(h)),
                "page {}: {text}",
                n + 1
            );
        }
    }
    // The template's 2 mm (5.7 pt) above the footer stay free on the fullest page (the rest
    // of the distance is the footer line's leading above its text).
    eprintln!("closest approach of the body to the footer: {lowest} pt");
    assert!(lowest <= -8.0, "the body comes within {} pt of the footer", -lowest);
}

#[test]
fn the_presence_certificate_has_the_electronic_edition_too() {
    let sample = "samples/presence-certificate-individual.yaml";
    let (_dir, _path, pdf) = render_to_pdf(&["render", "--electronic", sample]);
    assert_in_order(
        &fold(&pdf.page_text(1)),
        &[ISSUER_KK, ISSUER_RU, "Алу күні мен уақыты / Дата получения: 20.07.2021"],
    );
    for n in 1..=pdf.page_count() as u32 {
        assert_in_order(&fold(&pdf.page_text(n)), &[EQUIVALENCE_KK, EQUIVALENCE_RU, BARCODE_KK, BARCODE_RU]);
    }
    let payload = first_page_payload(sample);
    assert!(payload.text.starts_with("anyqtama-qr/1\nid: "), "{}", payload.text);
    assert!(payload.text.contains("\nform: presence-certificate\n"), "{}", payload.text);
    assert!(payload.text.contains("\nissued: 2021-07-20T00:00:00\n"), "{}", payload.text);
    assert!(payload.text.contains("\ncadastral: 21:320:105:078:15"), "{}", payload.text);
}

#[test]
fn the_codes_are_vector_squares_of_0_4_mm_in_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("page.svg");
    let run = run(&["render", "--electronic", SAMPLE, "--lang", "kk", "-o", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let svg = std::fs::read_to_string(dir.path().join("page-1.svg")).expect("svg");
    // 0.4 mm = 1.134 pt: one `M x yh…v…h-…z` square per dark module.
    let squares = svg.matches("h1.134v1.134h-1.134z").count();
    let engine = Engine::new(None).expect("engine");
    let text = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    let loaded = engine.load(SAMPLE, &text, None, ValidateOptions::default());
    let case = loaded.case.expect("valid");
    let form = engine.form(&case.form).expect("form");
    let options = RenderOptions {
        template: anyqtama::template::TemplateOptions {
            electronic: Some(Electronic::default()),
            ..Default::default()
        },
        ..Default::default()
    };
    let doc = engine.layout(form, Some(&case), &[Lang::Kk], &options).expect("laid out");
    let dark: usize = doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Qr(q) => Some(q.dark.iter().filter(|d| **d).count()),
            _ => None,
        })
        .sum();
    assert!(dark > 1000, "{dark} dark modules");
    assert_eq!(squares, dark);
}

#[test]
fn a_payload_longer_than_seven_codes_is_refused_with_the_case_file() {
    // Sixty objects, each with its own cadastral number: eleven codes' worth.
    let text =
        std::fs::read_to_string(root().join("samples/rights-certificate-individual.json")).expect("sample");
    let mut case: Json = serde_json::from_str(&text).expect("json");
    let object = case["objects"][0].clone();
    case["objects"] = Json::Array(
        (0..60)
            .map(|i| {
                let mut o = object.clone();
                o["cadastral_number"] = Json::String(format!("21-320-105-{i:03}:15"));
                o
            })
            .collect(),
    );
    let run = render_case_in_dir("many.json", &case.to_string(), &["--electronic"]);
    assert_eq!(
        run.stderr,
        "error: many.json:1:1: the qr payload needs 11 codes, at most 7 fit in the footer\n  hint: the codes list \
         every cadastral number of the case (docs/qr-payload.md); print fewer objects per certificate, or without \
         --electronic\n"
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["many.json"], "files left behind");
    // The paper edition of the same case prints.
    assert_eq!(render_case_in_dir("many.json", &case.to_string(), &[]).code, Some(0));
}

#[test]
fn the_barcode_note_names_the_information_system_and_signer_when_given() {
    let (_dir, _path, pdf) = render_to_pdf(&[
        "render",
        "--electronic",
        "--barcode-system",
        "ЕГКН",
        "--barcode-signer",
        "НАО «Госкорпорация «Правительство для граждан»»",
        SAMPLE,
    ]);
    for n in 1..=pdf.page_count() as u32 {
        let text = fold(&pdf.page_text(n));
        assert_in_order(
            &text,
            &[
                EQUIVALENCE_RU,
                "*штрих-код «ЕГКН» АЖ-дан алынған және НАО «Госкорпорация «Правительство для граждан»» электрондық-цифрлық қолтаңбасы қойылған деректерді қамтиды",
                "*штрих-код содержит данные, полученные из ИС «ЕГКН» и подписанные электронно-цифровой подписью НАО «Госкорпорация «Правительство для граждан»»",
            ],
        );
        assert!(!text.contains("ПЭП"), "page {n} still prints the applicant's note");
    }
    let out = run(&["render", "--electronic", "--barcode-system", "ЕГКН", SAMPLE, "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1), "a usage error");
    assert!(stderr(&out).contains("--barcode-signer <NAME>"), "{}", stderr(&out));
}

#[test]
fn a_document_id_given_in_the_case_is_the_id_in_the_codes() {
    let id = "0b9d5c6e-3f1a-4c2b-9e8d-7a6f5e4d3c2b";
    for sample in [SAMPLE, "samples/presence-certificate-individual.yaml"] {
        let text = std::fs::read_to_string(root().join(sample)).expect("sample");
        let text = replaced_once(&text, "\nnumber: ", &format!("\ndocument_id: {id}\nnumber: "));
        let run = run_case_files(
            &[("case.yaml", &text)],
            &["render", "--electronic", "case.yaml", "--lang", "kk", "-o", "page.png", "--dpi", "300"],
        );
        assert_eq!(run.code, Some(0), "{sample}: {}", run.stderr);
        let codes = decode_png(&run.dir.path().join("page-1.png"));
        let payload = anyqtama::qr::reassemble(&codes).expect("one payload");
        assert_eq!(payload.id.to_string(), id, "{sample}");
        assert!(payload.text.starts_with(&format!("anyqtama-qr/1\nid: {id}\n")), "{}", payload.text);
        for code in &codes {
            assert!(code.contains(&format!(" {id}\n")), "{code}");
        }
    }
}

#[test]
fn a_document_id_that_is_not_a_uuid_is_an_error_at_the_field() {
    let text = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    let text = replaced_once(&text, "\nnumber: ", "\ndocument_id: order-17\nnumber: ");
    let line = text.lines().position(|l| l.starts_with("document_id:")).expect("line") + 1;
    let run = render_case_in_dir("case.yaml", &text, &["--electronic"]);
    assert_eq!(
        run.stderr,
        format!(
            "error: case.yaml:{line}:14: document_id: document_id must be a UUID (8-4-4-4-12 hexadecimal digits), \
             got \"order-17\"\n"
        )
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(run.files, ["case.yaml"], "files left behind");
    // The paper edition prints no codes and does not need it to be one.
    assert_eq!(render_case_in_dir("case.yaml", &text, &[]).code, Some(0));
}

#[test]
fn the_request_has_the_electronic_edition_with_the_applicant_in_the_codes() {
    let sample = "samples/request-individual.yaml";
    let (_dir, _path, pdf) = render_to_pdf(&["render", "--electronic", sample]);
    assert_in_order(&fold(&pdf.page_text(1)), &[ISSUER_KK, ISSUER_RU]);
    for n in 1..=pdf.page_count() as u32 {
        // A request is signed by the applicant on the portal: the applicant-signed note.
        assert_in_order(&fold(&pdf.page_text(n)), &[EQUIVALENCE_KK, EQUIVALENCE_RU, BARCODE_KK, BARCODE_RU]);
    }
    let (_dir, _path, paper) = render_to_pdf(&["render", sample]);
    assert!(!fold(&paper.text()).contains("штрих-код"), "the paper edition has no footer");

    let payload = first_page_payload(sample);
    let canonical = canonical_of_yaml(&root().join(sample));
    let id = uuid::Uuid::new_v5(&anyqtama::qr::NAMESPACE, canonical.as_bytes());
    assert_eq!(payload.id, id);
    assert!(
        payload.text.starts_with(&format!("anyqtama-qr/1\nid: {id}\nform: request\n")),
        "{}",
        payload.text
    );
    assert!(payload.text.contains("\nnumber: С-2021-0720-01384\n"), "{}", payload.text);
    assert!(payload.text.contains("\niin: 880412401551\n"), "{}", payload.text);
}
