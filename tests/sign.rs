//! PAdES signing and `verify-signature`, with keys made at test time by the `openssl` command:
//! a P-256 test CA, an RSA-2048 and a P-256 signer issued by it, each in a PKCS#12 file as
//! OpenSSL 3 writes it (AES-256-CBC, PBKDF2) and as `-legacy` writes it (RC2/3DES), plus keys
//! this program does not sign with (Ed25519, P-384).
//!
//! Without `openssl` the tests are skipped with a loud message; with `CI=true` a missing
//! `openssl` is a failure. The independent validators (poppler's `pdfsig`, pyHanko) run in
//! `.ci/signatures.sh`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use anyqtama::sign::{Pkcs12Signer, SignError, SignOptions, Signer, sign_pdf};
use common::*;
use lopdf::Object;

const PASSWORD_VAR: &str = "ANYQTAMA_TEST_P12_PASSWORD";
const PASSWORD: &str = "test-only-password";
const SAMPLE: &str = "samples/rights-certificate-individual.yaml";

/// Whether `openssl` is there; panics in CI when it is not.
fn require_openssl() -> bool {
    if Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI needs the openssl command to make the test keys");
    }
    eprintln!("\n*** SKIPPED: signing tests need the openssl command (apt-get install openssl) ***\n");
    false
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The test keys, made once per test binary.
struct Keys {
    _dir: tempfile::TempDir,
    dir: PathBuf,
}

impl Keys {
    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().expect("utf-8 path").to_owned()
    }
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().to_path_buf();
        let pass = format!("pass:{PASSWORD}");
        let o = |args: &[&str]| openssl(&dir, args);
        o(&["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"]);
        o(&[
            "req",
            "-x509",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=Anyqtama Test CA",
            "-days",
            "3650",
            "-out",
            "ca.crt",
        ]);
        o(&["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "other-ca.key"]);
        o(&[
            "req",
            "-x509",
            "-new",
            "-key",
            "other-ca.key",
            "-subj",
            "/CN=Other CA",
            "-days",
            "3650",
            "-out",
            "other-ca.crt",
        ]);
        o(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key"]);
        o(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key"]);
        o(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.key"]);
        o(&["genpkey", "-algorithm", "ED25519", "-out", "ed.key"]);
        for (key, cn) in [
            ("rsa", "Test Registrar RSA"),
            ("ec", "Test Registrar EC"),
            ("p384", "P-384 Signer"),
            ("ed", "Ed25519 Signer"),
        ] {
            let subj = format!("/CN={cn}");
            o(&["req", "-new", "-key", &format!("{key}.key"), "-subj", &subj, "-out", &format!("{key}.csr")]);
            o(&[
                "x509",
                "-req",
                "-in",
                &format!("{key}.csr"),
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "7",
                "-days",
                "3650",
                "-out",
                &format!("{key}.crt"),
            ]);
            o(&[
                "pkcs12",
                "-export",
                "-inkey",
                &format!("{key}.key"),
                "-in",
                &format!("{key}.crt"),
                "-certfile",
                "ca.crt",
                "-passout",
                &pass,
                "-out",
                &format!("{key}.p12"),
            ]);
        }
        for key in ["rsa", "ec"] {
            o(&[
                "pkcs12",
                "-export",
                "-legacy",
                "-inkey",
                &format!("{key}.key"),
                "-in",
                &format!("{key}.crt"),
                "-certfile",
                "ca.crt",
                "-passout",
                &pass,
                "-out",
                &format!("{key}-legacy.p12"),
            ]);
            let chain = std::fs::read_to_string(dir.join(format!("{key}.crt"))).expect("crt")
                + &std::fs::read_to_string(dir.join("ca.crt")).expect("ca");
            std::fs::write(dir.join(format!("{key}-chain.pem")), chain).expect("chain written");
        }
        Keys { _dir: tmp, dir }
    })
}

/// Runs the binary with the PKCS#12 password in the environment (never on the command line).
fn run_signing(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(args)
        .current_dir(root())
        .env(PASSWORD_VAR, PASSWORD)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    stdout(out)
}

/// Renders the sample certificate signed with `p12` into `dir`, returns the path.
/// The test keys and a fresh directory, or `None` (the test is skipped) without openssl.
fn setup() -> Option<(&'static Keys, tempfile::TempDir)> {
    require_openssl().then(|| (keys(), tempfile::tempdir().expect("temp dir")))
}

fn render_signed(dir: &Path, name: &str, p12: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec!["render", SAMPLE, "--sign", p12, "--sign-password-env", PASSWORD_VAR];
    args.extend_from_slice(extra);
    args.extend(["-o", out.to_str().expect("utf-8 path")]);
    ok(&run_signing(&args));
    out
}

fn verify(pdf: &Path, trust: Option<&str>) -> Output {
    let mut args = vec!["verify-signature", pdf.to_str().expect("utf-8 path")];
    if let Some(t) = trust {
        args.extend(["--trust", t]);
    }
    run(&args)
}

/// The signature dictionary of the only signature field.
fn signature_field(pdf: &Pdf) -> (lopdf::Dictionary, lopdf::Dictionary) {
    let doc = &pdf.doc;
    let fields: Vec<&lopdf::Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| matches!(d.get(b"FT"), Ok(Object::Name(n)) if n == b"Sig"))
        .collect();
    assert_eq!(fields.len(), 1, "one signature field");
    let sig = doc
        .get_dictionary(fields[0].get(b"V").and_then(Object::as_reference).expect("/V"))
        .expect("sig dict");
    (fields[0].clone(), sig.clone())
}

fn rect(widget: &lopdf::Dictionary) -> Vec<f32> {
    widget
        .get(b"Rect")
        .and_then(Object::as_array)
        .expect("Rect")
        .iter()
        .map(|v| v.as_float().expect("number"))
        .collect()
}

#[test]
fn every_key_kind_signs_a_certificate_that_verifies_against_the_test_ca() {
    if !require_openssl() {
        return;
    }
    let k = keys();
    let (_keep, unsigned, _) = render_to_pdf(&["render", SAMPLE]);
    let unsigned = std::fs::read(unsigned).expect("unsigned PDF");
    for (p12, cn, algorithm) in [
        ("rsa.p12", "Test Registrar RSA", "RSA PKCS#1 v1.5, SHA-256"),
        ("rsa-legacy.p12", "Test Registrar RSA", "RSA PKCS#1 v1.5, SHA-256"),
        ("ec.p12", "Test Registrar EC", "ECDSA P-256, SHA-256"),
        ("ec-legacy.p12", "Test Registrar EC", "ECDSA P-256, SHA-256"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let signed = render_signed(dir.path(), "cert.pdf", &k.path(p12), &[]);
        let bytes = std::fs::read(&signed).expect("signed PDF");
        // An incremental update: the unsigned certificate, byte for byte, then the signature.
        assert!(bytes.starts_with(&unsigned), "{p12}: the signed file does not start with the unsigned one");
        let report = ok(&verify(&signed, Some(&k.path("ca.crt"))));
        let range = signature_field(&Pdf::open(&signed)).1;
        let range: Vec<i64> = range
            .get(b"ByteRange")
            .and_then(Object::as_array)
            .expect("ByteRange")
            .iter()
            .map(|v| v.as_i64().expect("int"))
            .collect();
        assert_eq!(
            range[2] + range[3],
            bytes.len() as i64,
            "{p12}: the byte range runs to the end of the file"
        );
        assert_eq!(
            report,
            format!(
                "signature 1 (Signature1): valid\n  signer: CN={cn}\n  algorithm: {algorithm}\n  \
                 signing time: 2021-07-20 10:32:15 UTC (claimed by the signer)\n  byte range: {} {} {} {}\n  \
                 changed after signing: no: it covers the whole file but the signature value\n  \
                 chain: leads to the trusted \"CN=Anyqtama Test CA\"\n",
                range[0], range[1], range[2], range[3]
            ),
            "{p12}"
        );
    }
}

#[test]
fn the_signature_dictionary_is_pades_and_the_document_stays_pdf_a() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("ec.p12"), &[]);
    let pdf = Pdf::open(&signed);
    let (widget, sig) = signature_field(&pdf);
    assert_eq!(sig.get(b"SubFilter").and_then(Object::as_name).expect("SubFilter"), b"ETSI.CAdES.detached");
    assert_eq!(sig.get(b"Filter").and_then(Object::as_name).expect("Filter"), b"Adobe.PPKLite");
    assert_eq!(sig.get(b"M").and_then(Object::as_str).expect("M"), b"D:20210720103215+00'00'");
    // Invisible by default: a zero rectangle, printable (PDF/A), on the last page.
    assert_eq!(rect(&widget), [0.0, 0.0, 0.0, 0.0]);
    assert_eq!(widget.get(b"F").and_then(Object::as_i64).expect("F") & 4, 4);
    let last = *pdf.doc.get_pages().values().last().expect("pages");
    assert_eq!(widget.get(b"P").and_then(Object::as_reference).expect("P"), last);
    // Still PDF/A-2b, with the same text.
    assert!(pdf.xmp().contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A identification kept");
    let (_d, _p, unsigned) = render_to_pdf(&["render", SAMPLE]);
    assert_eq!(pdf.text(), unsigned.text(), "text kept");
    assert_eq!(pdf.page_count(), unsigned.page_count());
}

/// A word pdftotext finds, with its box in points from the page's top-left corner.
#[derive(Debug)]
struct Word {
    text: String,
    /// Left, top, right, bottom.
    rect: [f32; 4],
}

/// The words of page `page` (from 1), by `pdftotext -bbox-layout`.
fn words(pdf: &Path, page: usize) -> Vec<Word> {
    let n = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-bbox-layout", "-f", &n, "-l", &n, pdf.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext: {}", stderr(&out));
    let html = String::from_utf8(out.stdout).expect("utf-8");
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        tag[at..at + tag[at..].find('"').expect("quote")].parse().expect("number")
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').expect("tag");
            let text = rest.split_once("</word>").expect("end").0.to_owned();
            Word { text, rect: [attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax")] }
        })
        .collect()
}

/// Page `page` (from 1) drawn by pdftoppm at `dpi`, without the annotations (the signature
/// widget) when `hide` is set: width, height and grey levels row by row.
fn page_pixels(pdf: &Path, page: usize, dpi: u32, hide: bool) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let prefix = dir.path().join("page");
    let (n, r) = (page.to_string(), dpi.to_string());
    let mut args = vec!["-r", &r, "-f", &n, "-l", &n, "-singlefile", "-gray", "-png"];
    if hide {
        args.push("-hide-annotations");
    }
    let out = Command::new("pdftoppm").args(&args).arg(pdf).arg(&prefix).output().expect("pdftoppm runs");
    assert!(out.status.success(), "pdftoppm: {}", stderr(&out));
    let file = std::fs::File::open(dir.path().join("page.png")).expect("png");
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let samples = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = (0..w * h).map(|i| buf[i * samples]).collect();
    (w, h, grey)
}

/// Whether two rectangles `[left, top, right, bottom]` share any area.
fn intersect(a: [f32; 4], b: [f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// What a visible signature field of a signed PDF is next to, read from the PDF alone.
struct Under {
    /// The field's rectangle, left, top, right, bottom in points from the top-left corner.
    rect: [f32; 4],
    /// The page's height in points.
    height: f32,
    /// The words of its page.
    words: Vec<Word>,
    /// The QR codes found on its page (rqrr), as rectangles like `rect`.
    codes: Vec<[f32; 4]>,
}

/// Checks the only signature field of `signed`: visible, on the last page, inside it; no
/// word (pdftotext) and no QR code (rqrr on the page drawn by pdftoppm) overlaps it, and the
/// page drawn without annotations is blank paper under it (no text, rule or line); drawn
/// with them, its frame is there.
fn assert_field_is_clear(signed: &Path) -> Under {
    let pdf = Pdf::open(signed);
    let (widget, _) = signature_field(&pdf);
    let r = rect(&widget);
    let pages = pdf.doc.get_pages();
    let on = widget.get(b"P").and_then(Object::as_reference).expect("/P");
    let page = pages.iter().find(|(_, id)| **id == on).map(|(n, _)| *n as usize).expect("its page");
    assert_eq!(page, pages.len(), "the field is on the last page");
    let annots =
        pdf.doc.get_dictionary(on).expect("page").get(b"Annots").and_then(Object::as_array).expect("/Annots");
    let listed = annots
        .iter()
        .filter_map(|a| a.as_reference().ok())
        .filter_map(|id| pdf.doc.get_dictionary(id).ok())
        .any(|d| matches!(d.get(b"FT"), Ok(Object::Name(n)) if n == b"Sig"));
    assert!(listed, "the page lists the widget in its /Annots");
    let [x0, y0, x1, y1] = pdf.media_boxes()[page - 1];
    assert_eq!([x0, y0], [0.0, 0.0]);
    assert!(
        r[0] >= x0 && r[1] >= y0 && r[2] <= x1 && r[3] <= y1 && r[0] < r[2] && r[1] < r[3],
        "{r:?} on {x1} × {y1}"
    );
    let height = y1;
    let field = [r[0], height - r[3], r[2], height - r[1]];

    let words = words(signed, page);
    assert!(words.len() > 20, "{} words", words.len());
    for w in &words {
        assert!(!intersect(w.rect, field), "the word {w:?} is under the field {field:?}");
    }

    let dpi = 200;
    let px = 72.0 / dpi as f32;
    let (w, h, grey) = page_pixels(signed, page, dpi, true);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    let codes: Vec<[f32; 4]> = img
        .detect_grids()
        .iter()
        .map(|g| {
            let xs = g.bounds.iter().map(|p| p.x as f32 * px);
            let ys = g.bounds.iter().map(|p| p.y as f32 * px);
            [
                xs.clone().fold(f32::MAX, f32::min),
                ys.clone().fold(f32::MAX, f32::min),
                xs.fold(f32::MIN, f32::max),
                ys.fold(f32::MIN, f32::max),
            ]
        })
        .collect();
    for code in &codes {
        assert!(!intersect(*code, field), "a QR code {code:?} is under the field {field:?}");
    }
    // Blank paper under the field (one pixel in from its edges).
    let inside = |x: usize, y: usize| {
        let (fx, fy) = (x as f32 * px, y as f32 * px);
        fx > field[0] + px && fx < field[2] - px && fy > field[1] + px && fy < field[3] - px
    };
    let ink = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| inside(x, y) && grey[y * w + x] < 240)
        .count();
    assert_eq!(ink, 0, "{ink} dark pixels under the field {field:?}");
    let (w2, h2, shown) = page_pixels(signed, page, dpi, false);
    assert_eq!((w, h), (w2, h2));
    let frame = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| inside(x, y) && shown[y * w + x] < 200)
        .count();
    assert!(frame > 100, "the frame is drawn: {frame} dark pixels");
    Under { rect: field, height, words, codes }
}

#[test]
fn a_visible_signature_goes_in_the_room_the_layout_keeps_in_the_bottom_margin() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("rsa.p12"), &["--sign-visible"]);
    let under = assert_field_is_clear(&signed);
    // 70 × 10 mm at the left margin (25 mm), 2 mm under the body's 18 mm bottom margin.
    let mm = 72.0 / 25.4;
    let close = |a: f32, b: f32| (a - b).abs() < 0.01;
    let [l, t, r, b] = under.rect;
    assert!(
        close(l, 25.0 * mm) && close(under.height - b, 6.0 * mm),
        "bottom-left at 25, 6 mm: {:?}",
        under.rect
    );
    assert!(close(r - l, 70.0 * mm) && close(b - t, 10.0 * mm), "70 × 10 mm: {:?}", under.rect);
    // Left of the page number, which is on the same band.
    let number =
        under.words.iter().rfind(|w| w.text == "беттің" || w.text == "Страница").expect("the page number");
    assert!(number.rect[0] > r && number.rect[1] < b && number.rect[3] > t, "{number:?}");
    assert!(under.codes.is_empty(), "the paper edition has no codes");
    let pdf = Pdf::open(&signed);
    let ap = signature_field(&pdf).0.get(b"AP").and_then(Object::as_dict).expect("an appearance").clone();
    let stream =
        pdf.doc.get_object(ap.get(b"N").and_then(Object::as_reference).expect("/N")).expect("stream");
    let content = stream.as_stream().expect("a stream").content.clone();
    assert!(String::from_utf8_lossy(&content).contains(" re S"), "the frame is drawn");
    ok(&verify(&signed, Some(&k.path("ca.crt"))));

    // The slot Engine::render reports is the field's rectangle, on the last page.
    let engine = anyqtama::Engine::new(None).expect("engine");
    let text = std::fs::read_to_string(root().join(SAMPLE)).expect("sample");
    let loaded = engine.load(SAMPLE, &text, None, anyqtama::validate::ValidateOptions::default());
    let case = loaded.case.expect("valid");
    let rendered = engine.render(&case, &anyqtama::render::Output::pdf()).expect("rendered");
    let slot = rendered.signature_slot.expect("a slot");
    assert_eq!(slot.page + 1, pdf.page_count());
    let wanted = [l, under.height - b, r, under.height - t];
    assert!(slot.rect.iter().zip(wanted).all(|(a, b)| close(*a, b)), "{slot:?} {wanted:?}");
    // Images have none.
    assert_eq!(
        engine.render(&case, &anyqtama::render::Output::svg(Some(1))).expect("svg").signature_slot,
        None
    );
}

/// The footer's barcode note ends above the field, close to it: the field is the footer's
/// last row, under the note (and the codes above the note).
fn assert_in_the_footer(under: &Under) {
    let note =
        under.words.iter().filter(|w| w.text.contains("штрих-код")).map(|w| w.rect).collect::<Vec<_>>();
    assert_eq!(note.len(), 2, "the barcode note, kk and ru");
    let note_bottom = under
        .words
        .iter()
        .filter(|w| w.rect[1] >= note[0][1] - 1.0 && w.rect[3] < under.rect[1])
        .map(|w| w.rect[3])
        .fold(f32::MIN, f32::max);
    let gap = under.rect[1] - note_bottom;
    let mm = 72.0 / 25.4;
    assert!(gap > 0.0 && gap < 5.0 * mm, "{gap} pt between the barcode note and the field");
    assert!(under.codes.len() >= 2, "{} codes found on the page", under.codes.len());
    for code in &under.codes {
        assert!(code[3] < note[0][1], "the codes are above the note: {code:?}");
    }
}

#[test]
fn a_visible_signature_on_the_electronic_edition_is_under_its_footer() {
    let Some((k, dir)) = setup() else { return };
    let signed =
        render_signed(dir.path(), "cert.pdf", &k.path("ec.p12"), &["--electronic", "--sign-visible"]);
    let under = assert_field_is_clear(&signed);
    assert_in_the_footer(&under);
    let report = ok(&verify(&signed, Some(&k.path("ca.crt"))));
    assert!(report.starts_with("signature 1 (Signature1): valid\n"), "{report}");
    assert!(report.contains("changed after signing: no"), "{report}");
}

#[test]
fn a_visible_signature_on_a_long_electronic_certificate_is_on_its_last_page() {
    let Some((k, dir)) = setup() else { return };
    // The company sample's objects five times over.
    let text =
        std::fs::read_to_string(root().join("samples/rights-certificate-company.yaml")).expect("sample");
    let mut case: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    let objects = case["objects"].as_array().expect("objects").clone();
    case["objects"] = serde_json::Value::Array((0..5).flat_map(|_| objects.clone()).collect());
    let input = dir.path().join("long.json");
    std::fs::write(&input, case.to_string()).expect("written");
    let out = dir.path().join("long.pdf");
    ok(&run_signing(&[
        "render",
        input.to_str().expect("path"),
        "--electronic",
        "--sign",
        &k.path("ec.p12"),
        "--sign-password-env",
        PASSWORD_VAR,
        "--sign-visible",
        "-o",
        out.to_str().expect("path"),
    ]));
    let pages = Pdf::open(&out).page_count();
    assert!(pages >= 4, "{pages} pages");
    let under = assert_field_is_clear(&out);
    assert_in_the_footer(&under);
    ok(&verify(&out, Some(&k.path("ca.crt"))));
}

#[test]
fn a_visible_signature_on_another_pdf_goes_in_its_bottom_margin() {
    let Some((k, dir)) = setup() else { return };
    let out = dir.path().join("act.pdf");
    let o = out.to_str().expect("path");
    ok(&run_signing(&[
        "sign",
        "tests/fixtures/act.pdf",
        "--p12",
        &k.path("ec.p12"),
        "--password-env",
        PASSWORD_VAR,
        "--sign-visible",
        "-o",
        o,
    ]));
    let pdf = Pdf::open(&out);
    let r = rect(&signature_field(&pdf).0);
    let mm = 72.0 / 25.4;
    let close = |a: f32, b: f32| (a - b).abs() < 0.01;
    assert!(close(r[0], 15.0 * mm) && close(r[1], 3.0 * mm), "bottom-left at 15, 3 mm: {r:?}");
    assert!(close(r[2] - r[0], 70.0 * mm) && close(r[3] - r[1], 10.0 * mm), "70 × 10 mm: {r:?}");
    ok(&verify(&out, Some(&k.path("ca.crt"))));
}

#[test]
fn the_same_case_and_key_give_the_same_signed_bytes() {
    if !require_openssl() {
        return;
    }
    let k = keys();
    for p12 in ["rsa.p12", "ec.p12"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = render_signed(dir.path(), "a.pdf", &k.path(p12), &[]);
        let b = render_signed(dir.path(), "b.pdf", &k.path(p12), &[]);
        assert!(std::fs::read(a).expect("a") == std::fs::read(b).expect("b"), "{p12}: two runs differ");
    }
}

#[test]
fn a_clerk_signs_a_stamped_act() {
    let Some((k, dir)) = setup() else { return };
    let stamped = dir.path().join("stamped.pdf");
    stamp_onto("tests/fixtures/act.pdf", &["--page", "1", "--at", "120,230"], &stamped);
    let signed = dir.path().join("signed.pdf");
    let out = run_signing(&[
        "sign",
        stamped.to_str().expect("path"),
        "--p12",
        &k.path("rsa-legacy.p12"),
        "--password-env",
        PASSWORD_VAR,
        "-o",
        signed.to_str().expect("path"),
    ]);
    assert_eq!(ok(&out), format!("wrote {}\n", signed.display()));
    let stamped_bytes = std::fs::read(&stamped).expect("stamped");
    assert!(
        std::fs::read(&signed).expect("signed").starts_with(&stamped_bytes),
        "the stamped act is kept as it was"
    );
    let report = ok(&verify(&signed, Some(&k.path("ca.crt"))));
    assert!(
        report.starts_with("signature 1 (Signature1): valid\n  signer: CN=Test Registrar RSA\n"),
        "{report}"
    );
    // The act's date (its creation date) is the signing time.
    assert!(report.contains("  signing time: 2021-07-20 10:32:15 UTC"), "{report}");
    // The page that carries the signature's update still draws the stamp.
    let pdf = Pdf::open(&signed);
    let page = pdf.doc.get_dictionary(pdf.doc.get_pages()[&1]).expect("page 1");
    let resources = page.get(b"Resources").and_then(Object::as_dict).expect("resources");
    let xobjects = resources.get(b"XObject").and_then(Object::as_dict).expect("xobjects");
    assert!(xobjects.has(b"AnyqtamaStamp"), "the stamp is still on page 1");
}

#[test]
fn a_changed_byte_is_caught() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("ec.p12"), &[]);
    let mut bytes = std::fs::read(&signed).expect("signed");
    // A byte of the first page's content: 'f' of "endobj" → 'g' would break parsing, so change
    // a digit of the document's creation date instead.
    let at = bytes.windows(16).position(|w| w == b"D:20210720103215").expect("the date") + 5;
    bytes[at] = b'2';
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &bytes).expect("written");
    let out = verify(&tampered, None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: signature 1 (Signature1): the digest does not match: the signed bytes were changed after signing\n",
            tampered.display()
        )
    );
    assert!(stdout(&out).starts_with("signature 1 (Signature1): NOT VALID\n"));
}

#[test]
fn a_changed_signature_value_is_caught() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("rsa.p12"), &[]);
    let mut bytes = std::fs::read(&signed).expect("signed");
    let sig = signature_field(&Pdf::open(&signed)).1;
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .expect("ByteRange")
        .iter()
        .map(|v| v.as_i64().expect("int") as usize)
        .collect();
    // The RSA signature value is the last thing of the CMS structure before the zero padding.
    let hex = &bytes[range[1] + 1..range[2] - 1];
    let end = hex.len() - hex.iter().rev().take_while(|&&c| c == b'0').count();
    let at = range[1] + 1 + end - 8;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &bytes).expect("written");
    let out = verify(&tampered, None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: signature 1 (Signature1): the signature does not verify with the signer's certificate \
             \"CN=Test Registrar RSA\" (RSA signature mismatch)\n",
            tampered.display()
        )
    );
}

#[test]
fn a_truncated_file_is_refused_without_a_panic() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("ec.p12"), &[]);
    let bytes = std::fs::read(&signed).expect("signed");
    let truncated = dir.path().join("truncated.pdf");
    for cut in [100, 2000, bytes.len() / 2] {
        std::fs::write(&truncated, &bytes[..bytes.len() - cut]).expect("written");
        let out = verify(&truncated, None);
        assert_eq!(out.status.code(), Some(2), "cut {cut}: {}", stderr(&out));
        let err = stderr(&out);
        let expected = [
            format!(
                "error: {}: the PDF has a signature that cannot be read: the file is truncated or damaged\n",
                truncated.display()
            ),
            format!(
                "error: {}: signature 1 (Signature1): the byte range ends at byte {}, past the end of the file ({} bytes): the file is truncated\n",
                truncated.display(),
                bytes.len(),
                bytes.len() - cut
            ),
        ];
        assert!(
            expected.contains(&err)
                || err.starts_with(&format!("error: {}: not a readable PDF file", truncated.display())),
            "cut {cut}: {err}"
        );
    }
    // Cutting into the signature value itself: the byte range is past the end.
    std::fs::write(&truncated, &bytes[..bytes.len() - 300]).expect("written");
    let err = stderr(&verify(&truncated, None));
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn a_change_after_signing_is_reported() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("ec.p12"), &[]);
    let stamped = dir.path().join("stamped.pdf");
    stamp_onto(signed.to_str().expect("path"), &["--page", "1", "--at", "120,230"], &stamped);
    let added = std::fs::metadata(&stamped).expect("stamped").len()
        - std::fs::metadata(&signed).expect("signed").len();
    let out = verify(&stamped, None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: signature 1 (Signature1): the document was changed after it was signed ({added} bytes added after the signed part)\n",
            stamped.display()
        )
    );
    assert!(stdout(&out).contains(&format!(
        "  changed after signing: yes: {added} bytes were added after the signed part\n"
    )));
}

#[test]
fn a_second_signature_keeps_the_first_valid() {
    let Some((k, dir)) = setup() else { return };
    let first = render_signed(dir.path(), "cert.pdf", &k.path("rsa.p12"), &[]);
    let second = dir.path().join("twice.pdf");
    let p = |p: &Path| p.to_str().expect("path").to_owned();
    ok(&run_signing(&[
        "sign",
        &p(&first),
        "--p12",
        &k.path("ec.p12"),
        "--password-env",
        PASSWORD_VAR,
        "-o",
        &p(&second),
    ]));
    let report = ok(&verify(&second, Some(&k.path("ca.crt"))));
    assert!(
        report.starts_with("signature 1 (Signature1): valid\n  signer: CN=Test Registrar RSA\n"),
        "{report}"
    );
    assert!(report.contains("signature 2 (Signature2): valid\n  signer: CN=Test Registrar EC\n"), "{report}");
    assert!(report.contains("  changed after signing: yes: "), "{report}");
}

#[test]
fn an_untrusted_chain_is_not_valid() {
    let Some((k, dir)) = setup() else { return };
    let signed = render_signed(dir.path(), "cert.pdf", &k.path("ec.p12"), &[]);
    let out = verify(&signed, Some(&k.path("other-ca.crt")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: signature 1 (Signature1): the chain from \"CN=Test Registrar EC\" does not lead to a trusted certificate\n",
            signed.display()
        )
    );
    // Without --trust the chain is not judged, and the signature itself is valid.
    assert!(ok(&verify(&signed, None)).contains("  chain: not checked (no --trust)\n"));
}

/// A signer that claims one certificate and signs with another key.
struct WrongKey {
    claimed: Pkcs12Signer,
    actual: Pkcs12Signer,
}

impl Signer for WrongKey {
    fn chain(&self) -> &[x509_cert::Certificate] {
        self.claimed.chain()
    }
    fn sign(&self, signed_attributes: &[u8]) -> Result<Vec<u8>, SignError> {
        self.actual.sign(signed_attributes)
    }
}

#[test]
fn a_signature_made_with_another_key_is_not_valid() {
    if !require_openssl() {
        return;
    }
    let k = keys();
    let read = |name: &str| {
        Pkcs12Signer::from_pkcs12(&std::fs::read(k.path(name)).expect("p12"), PASSWORD).expect("key")
    };
    // Both are P-256 keys: the other key's signature has the right form but does not verify.
    let dir = tempfile::tempdir().expect("temp dir");
    let other = dir.path().join("other.p12");
    openssl(
        dir.path(),
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &k.path("ca.key"),
            "-in",
            &k.path("ca.crt"),
            "-passout",
            &format!("pass:{PASSWORD}"),
            "-out",
            other.to_str().expect("path"),
        ],
    );
    let signer = WrongKey {
        claimed: read("ec.p12"),
        actual: Pkcs12Signer::from_pkcs12(&std::fs::read(&other).expect("p12"), PASSWORD).expect("key"),
    };
    let (_keep, unsigned, _) = render_to_pdf(&["render", SAMPLE]);
    let unsigned = std::fs::read(unsigned).expect("pdf");
    let signed = sign_pdf(&unsigned, &signer, &SignOptions::default()).expect("signed");
    let path = dir.path().join("wrong-key.pdf");
    std::fs::write(&path, signed).expect("written");
    let out = verify(&path, None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: signature 1 (Signature1): the signature does not verify with the signer's certificate \
             \"CN=Test Registrar EC\" (ECDSA signature mismatch)\n",
            path.display()
        )
    );
}

#[track_caller]
fn refused_sign(args: &[&str], code: i32, expected: &str, out: &Path) {
    let result = run_signing(args);
    assert_eq!(result.status.code(), Some(code), "{args:?}: {}", stderr(&result));
    assert_eq!(stderr(&result), expected);
    assert!(!out.exists(), "no output file is left");
    let dir = out.parent().expect("dir");
    assert!(files_in(dir).iter().all(|f| !f.ends_with(".tmp")), "no temporary file: {:?}", files_in(dir));
}

#[test]
fn bad_keys_and_passwords_are_refused_with_clear_messages() {
    let Some((k, dir)) = setup() else { return };
    let out = dir.path().join("out.pdf");
    let o = out.to_str().expect("path");
    let act = "tests/fixtures/act.pdf";
    let sign = |p12: &str, var: &str| {
        vec!["sign", act, "--p12", p12, "--password-env", var, "-o", o]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<String>>()
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    // A wrong password (the variable holds another one).
    let rsa = k.path("rsa.p12");
    let result = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .args(args(&sign(&rsa, "WRONG_PASSWORD")))
        .current_dir(root())
        .env("WRONG_PASSWORD", "not-the-password")
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        stderr(&result),
        format!("error: {rsa}: wrong password, or a damaged PKCS#12 file (its integrity check fails)\n")
    );
    assert!(!out.exists());

    // The variable is not set.
    refused_sign(
        &args(&sign(&rsa, "ANYQTAMA_NO_SUCH_VARIABLE")),
        1,
        "error: --password-env ANYQTAMA_NO_SUCH_VARIABLE: the environment variable ANYQTAMA_NO_SUCH_VARIABLE is not set\n",
        &out,
    );
    // Keys this program does not sign with.
    let ed = k.path("ed.p12");
    refused_sign(
        &args(&sign(&ed, PASSWORD_VAR)),
        2,
        &format!(
            "error: {ed}: unsupported key algorithm Ed25519 (1.3.101.112): only RSA and ECDSA P-256 keys are supported\n"
        ),
        &out,
    );
    let p384 = k.path("p384.p12");
    refused_sign(
        &args(&sign(&p384, PASSWORD_VAR)),
        2,
        &format!(
            "error: {p384}: unsupported key algorithm ECDSA on the curve 1.3.132.0.34: only RSA and ECDSA P-256 keys are supported\n"
        ),
        &out,
    );
    // Not a PKCS#12 file at all.
    let crt = k.path("rsa.crt");
    let result = run_signing(&args(&sign(&crt, PASSWORD_VAR)));
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).starts_with(&format!("error: {crt}: not a readable PKCS#12 file (")),
        "{}",
        stderr(&result)
    );
    assert!(!out.exists());
    // A file that is not a PDF.
    let result = run_signing(&["sign", "README.md", "--p12", &rsa, "--password-env", PASSWORD_VAR, "-o", o]);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(stderr(&result), "error: README.md: not a PDF file (it does not start with %PDF-)\n");
    // The password is never an argument.
    let result = run(&["sign", act, "--p12", &rsa, "--password", PASSWORD, "-o", o]);
    assert_eq!(result.status.code(), Some(1), "there is no --password option");
    assert!(!out.exists());
}

#[test]
fn an_external_command_signs_with_the_certificate_given() {
    let Some((k, dir)) = setup() else { return };
    for key in ["rsa", "ec"] {
        let cmd = format!("openssl dgst -sha256 -sign {}", k.path(&format!("{key}.key")));
        // `sign` on a stamped act …
        let out = dir.path().join(format!("{key}-act.pdf"));
        let o = out.to_str().expect("path");
        let chain = k.path(&format!("{key}-chain.pem"));
        ok(&run(&["sign", "tests/fixtures/act.pdf", "--sign-with-command", &cmd, "--cert", &chain, "-o", o]));
        let report = ok(&verify(&out, Some(&k.path("ca.crt"))));
        assert!(report.starts_with("signature 1 (Signature1): valid\n"), "{key}: {report}");
        assert!(report.contains("chain: leads to the trusted \"CN=Anyqtama Test CA\""), "{key}: {report}");
        // … and `render` of a certificate.
        let cert = dir.path().join(format!("{key}-cert.pdf"));
        let c = cert.to_str().expect("path");
        ok(&run(&["render", SAMPLE, "--sign-with-command", &cmd, "--sign-cert", &chain, "-o", c]));
        ok(&verify(&cert, Some(&k.path("ca.crt"))));
        // The same bytes as with the PKCS#12 key (both signatures are deterministic for RSA;
        // openssl's ECDSA is randomised, so only RSA compares).
        if key == "rsa" {
            let with_p12 = render_signed(dir.path(), "p12.pdf", &k.path("rsa.p12"), &[]);
            assert!(
                std::fs::read(&cert).expect("a") == std::fs::read(with_p12).expect("b"),
                "command and key differ"
            );
        }
    }
}

#[test]
fn a_failing_or_lying_external_command_leaves_no_file() {
    let Some((k, dir)) = setup() else { return };
    let out = dir.path().join("out.pdf");
    let o = out.to_str().expect("path");
    let chain = k.path("ec-chain.pem");
    // Signs with the RSA key while the certificate is the EC one.
    let wrong = format!("openssl dgst -sha256 -sign {}", k.path("rsa.key"));
    refused_sign(
        &["sign", "tests/fixtures/act.pdf", "--sign-with-command", &wrong, "--cert", &chain, "-o", o],
        2,
        "error: tests/fixtures/act.pdf: the signing command returned a signature that does not verify with the \
         certificate \"CN=Test Registrar EC\" (not a DER ECDSA signature)\n",
        &out,
    );
    refused_sign(
        &[
            "sign",
            "tests/fixtures/act.pdf",
            "--sign-with-command",
            "echo token locked >&2; exit 3",
            "--cert",
            &chain,
            "-o",
            o,
        ],
        2,
        "error: tests/fixtures/act.pdf: the signing command failed with exit status 3: token locked\n",
        &out,
    );
    refused_sign(
        &[
            "sign",
            "tests/fixtures/act.pdf",
            "--sign-with-command",
            "cat >/dev/null",
            "--cert",
            &chain,
            "-o",
            o,
        ],
        2,
        "error: tests/fixtures/act.pdf: the signing command wrote no signature on standard output\n",
        &out,
    );
}

#[test]
fn an_unsigned_file_is_not_valid() {
    let out = run(&["verify-signature", "tests/fixtures/act.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: tests/fixtures/act.pdf: the PDF has no signature\n");
    let out = run(&["verify-signature", "README.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: README.md: not a PDF file (it does not start with %PDF-)\n");
}

#[test]
fn an_external_command_that_builds_the_whole_cms_structure() {
    let Some((k, dir)) = setup() else { return };
    for key in ["rsa", "ec"] {
        let cmd = format!(
            "openssl cms -sign -binary -outform DER -cades -md sha256 -signer {} -inkey {} -certfile {}",
            k.path(&format!("{key}.crt")),
            k.path(&format!("{key}.key")),
            k.path("ca.crt")
        );
        let out = dir.path().join(format!("{key}.pdf"));
        let o = out.to_str().expect("path");
        ok(&run(&[
            "sign",
            "tests/fixtures/act.pdf",
            "--sign-with-command",
            &cmd,
            "--sign-command-cms",
            "-o",
            o,
        ]));
        let report = ok(&verify(&out, Some(&k.path("ca.crt"))));
        assert!(report.starts_with("signature 1 (Signature1): valid\n"), "{key}: {report}");
        assert!(report.contains("chain: leads to the trusted \"CN=Anyqtama Test CA\""), "{key}: {report}");
        // The same through render.
        let cert = dir.path().join(format!("{key}-cert.pdf"));
        let c = cert.to_str().expect("path");
        ok(&run(&["render", SAMPLE, "--sign-with-command", &cmd, "--sign-command-cms", "-o", c]));
        ok(&verify(&cert, Some(&k.path("ca.crt"))));
    }
    // A digest this program does not check: signed, but verify-signature says it cannot judge.
    let cmd = format!(
        "openssl cms -sign -binary -outform DER -md sha384 -signer {} -inkey {}",
        k.path("ec.crt"),
        k.path("ec.key")
    );
    let out = dir.path().join("sha384.pdf");
    let o = out.to_str().expect("path");
    ok(&run(&["sign", "tests/fixtures/act.pdf", "--sign-with-command", &cmd, "--sign-command-cms", "-o", o]));
    let result = verify(&out, None);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        stderr(&result),
        format!(
            "error: {o}: signature 1 (Signature1): unsupported digest algorithm SHA-384 \
             (2.16.840.1.101.3.4.2.2): only SHA-256 signatures are checked\n"
        )
    );
    // A command that signs other data, or writes no CMS structure.
    let other = format!(
        "cat >/dev/null; openssl cms -sign -binary -outform DER -md sha256 -in README.md -signer {} -inkey {}",
        k.path("ec.crt"),
        k.path("ec.key")
    );
    let refused = dir.path().join("refused.pdf");
    let r = refused.to_str().expect("path");
    refused_sign(
        &["sign", "tests/fixtures/act.pdf", "--sign-with-command", &other, "--sign-command-cms", "-o", r],
        2,
        "error: tests/fixtures/act.pdf: the signing command returned a CMS structure over other data\n",
        &refused,
    );
    let result =
        run(&["sign", "tests/fixtures/act.pdf", "--sign-with-command", "cat", "--sign-command-cms", "-o", r]);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).starts_with(
            "error: tests/fixtures/act.pdf: the signing command did not write a CMS SignedData in DER (not a CMS structure ("
        ),
        "{}",
        stderr(&result)
    );
    assert!(!refused.exists());
    // Without a certificate and without --sign-command-cms the command cannot be used.
    let result = run(&["sign", "tests/fixtures/act.pdf", "--sign-with-command", "cat", "-o", r]);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr(&result),
        "error: --sign-with-command needs the signer's certificate (--cert CERT.pem), or --sign-command-cms when the \
         command writes the whole CMS structure\n"
    );
}

#[test]
fn a_file_with_a_damaged_cross_reference_is_signed_whole() {
    let Some((k, dir)) = setup() else { return };
    let mut act = std::fs::read(root().join("tests/fixtures/act.pdf")).expect("act");
    let at = act.windows(10).rposition(|w| w == b"startxref\n").expect("startxref") + 10;
    let digits = act[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    act.splice(at..at + digits, std::iter::repeat_n(b'1', digits));
    let damaged = dir.path().join("damaged.pdf");
    std::fs::write(&damaged, &act).expect("written");
    let signed = dir.path().join("signed.pdf");
    let p = |p: &Path| p.to_str().expect("path").to_owned();
    ok(&run_signing(&[
        "sign",
        &p(&damaged),
        "--p12",
        &k.path("ec.p12"),
        "--password-env",
        PASSWORD_VAR,
        "-o",
        &p(&signed),
    ]));
    let report = ok(&verify(&signed, Some(&k.path("ca.crt"))));
    assert!(report.starts_with("signature 1 (Signature1): valid\n"), "{report}");
    assert!(report.contains("changed after signing: no"), "{report}");
}

/// Whether `openssl` has the gost engine (Debian: libengine-gost-openssl, which
/// .ci/signatures.sh installs); panics in CI when it does not.
fn require_gost_engine() -> bool {
    if Command::new("openssl").args(["engine", "gost"]).output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI needs openssl's gost engine (apt-get install libengine-gost-openssl)");
    }
    eprintln!(
        "\n*** SKIPPED: the GOST test needs openssl's gost engine (apt-get install libengine-gost-openssl) ***\n"
    );
    false
}

#[test]
fn a_gost_signature_is_reported_as_not_checked_with_its_byte_range() {
    if !require_openssl() || !require_gost_engine() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    openssl(
        d,
        &[
            "genpkey",
            "-engine",
            "gost",
            "-algorithm",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
            "-out",
            "gost.key",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-engine",
            "gost",
            "-x509",
            "-new",
            "-key",
            "gost.key",
            "-subj",
            "/CN=Test GOST Signer",
            "-days",
            "2",
            "-md_gost12_256",
            "-out",
            "gost.crt",
        ],
    );
    let path = |name: &str| d.join(name).to_str().expect("path").to_owned();
    let cmd = format!(
        "openssl cms -sign -engine gost -binary -outform DER -cades -md md_gost12_256 -signer {} -inkey {} 2>/dev/null",
        path("gost.crt"),
        path("gost.key")
    );
    let out = path("gost.pdf");
    ok(&run(&[
        "sign",
        "tests/fixtures/act.pdf",
        "--sign-with-command",
        &cmd,
        "--sign-command-cms",
        "-o",
        &out,
    ]));
    let bytes = std::fs::read(&out).expect("signed");
    let range: Vec<i64> = signature_field(&Pdf::open(Path::new(&out)))
        .1
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .expect("ByteRange")
        .iter()
        .map(|v| v.as_i64().expect("int"))
        .collect();
    assert_eq!(range[2] + range[3], bytes.len() as i64);
    for trust in [None, Some(path("gost.crt"))] {
        let result = verify(Path::new(&out), trust.as_deref());
        assert_eq!(result.status.code(), Some(2), "not checked is not valid: {}", stderr(&result));
        assert_eq!(
            stdout(&result),
            format!(
                "signature 1 (Signature1): NOT CHECKED\n  signer: CN=Test GOST Signer\n  \
                 signing time: 2021-07-20 10:32:15 UTC (claimed by the signer)\n  byte range: {} {} {} {}\n  \
                 changed after signing: no: it covers the whole file but the signature value\n  \
                 chain: not checked (nor is the signature)\n",
                range[0], range[1], range[2], range[3]
            )
        );
        assert_eq!(
            stderr(&result),
            format!(
                "error: {out}: signature 1 (Signature1): not checked: Anyqtama does not verify GOST signatures \
                 (key GOST R 34.10-2012 256-bit (1.2.643.7.1.1.1.1), digest GOST R 34.11-2012 256-bit (Streebog) \
                 (1.2.643.7.1.1.2.2)); only the byte range was checked: verify the CMS signature with a GOST-capable \
                 tool\n"
            )
        );
    }
    // A byte changed inside the signed range: the range is still whole, the report the same;
    // what is checked is what is said.
    let mut changed = bytes.clone();
    let at = changed.windows(16).position(|w| w == b"D:20210720103215").expect("a date") + 5;
    changed[at] = b'2';
    let tampered = path("tampered.pdf");
    std::fs::write(&tampered, &changed).expect("written");
    let result = verify(Path::new(&tampered), None);
    assert_eq!(result.status.code(), Some(2));
    assert!(stdout(&result).starts_with("signature 1 (Signature1): NOT CHECKED\n"), "{}", stdout(&result));
}
