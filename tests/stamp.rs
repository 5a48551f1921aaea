//! Order 246, appendix 3: the registration stamp as PDF, SVG and PNG, and stamped onto an
//! existing PDF; everything read back from the files written.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use lopdf::{Dictionary, Document, Object, Stream};

/// The stamp's size: 70 × 35 mm (spec E3, note 5).
const WIDTH_MM: f64 = 70.0;
const HEIGHT_MM: f64 = 35.0;

/// The proposed inner text (spec §2, "Proposed default inner layout"), per language, for
/// number 23516 registered on 14 July 2021.
const KK_LINES: &[&str] = &[
    "Қазақстан Республикасының Әділет министрлігі",
    "Нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімінде",
    "2021 жылғы 14 шілдеде № 23516 болып тіркелді",
];
const RU_LINES: &[&str] = &[
    "Министерство юстиции Республики Казахстан",
    "Зарегистрирован в Реестре государственной регистрации нормативных правовых актов",
    "14 июля 2021 года № 23516",
];
const EN_LINES: &[&str] = &[
    "Ministry of Justice of the Republic of Kazakhstan",
    "Registered in the Register of state registration of regulatory legal acts",
    "14 July 2021 № 23516",
];

/// The mark after the number for an act for official use (spec E4).
const MARKS: [(&str, &str); 3] = [("kk", "қпү"), ("ru", "ДСП"), ("en", "FOU")];

/// Runs `stamp` with the data of the example and `extra` arguments, writing `name` in a
/// temporary directory; returns the directory and the file.
fn stamp(extra: &[&str], name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(name);
    let mut args = vec!["stamp", "--number", "23516", "--date", "2021-07-14"];
    args.extend_from_slice(extra);
    args.extend(["-o", out.to_str().expect("utf-8 path")]);
    let result = run(&args);
    assert_eq!(result.status.code(), Some(0), "{args:?} failed: {}", stderr(&result));
    assert_eq!(stdout(&result), format!("wrote {}\n", out.display()));
    (dir, out)
}

/// Runs the binary and asserts that it fails with exactly `message` (the whole of standard
/// error), with `code`, and writes no `output`.
fn assert_fails(args: &[&str], code: i32, message: &str, output: &Path) {
    let result = run(args);
    assert_eq!(stderr(&result), message, "{args:?}");
    assert_eq!(result.status.code(), Some(code), "{args:?}");
    assert!(!output.exists(), "{args:?} wrote {}", output.display());
    let dir = output.parent().expect("parent");
    let left: Vec<_> = std::fs::read_dir(dir).expect("list").collect();
    assert!(left.is_empty(), "{args:?} left files behind: {left:?}");
}

fn mm_to_pt(mm: f64) -> f64 {
    mm / 25.4 * 72.0
}

/// A decoded PNG: size, resolution, RGBA pixels and its text chunks.
struct Png {
    width: u32,
    height: u32,
    pixels_per_metre: Option<(u32, u32, png::Unit)>,
    rgba: Vec<u8>,
    texts: Vec<(String, String)>,
}

impl Png {
    fn open(path: &Path) -> Png {
        let file = std::io::BufReader::new(std::fs::File::open(path).expect("PNG exists"));
        let mut reader = png::Decoder::new(file).read_info().expect("a PNG");
        let info = reader.info();
        let pixels_per_metre = info.pixel_dims.map(|d| (d.xppu, d.yppu, d.unit));
        let texts = info.utf8_text.iter().map(|t| (t.keyword.clone(), t.get_text().expect("text"))).collect();
        assert_eq!(info.color_type, png::ColorType::Rgba);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let mut rgba = vec![0; reader.output_buffer_size().expect("size")];
        let frame = reader.next_frame(&mut rgba).expect("pixels");
        Png { width: frame.width, height: frame.height, pixels_per_metre, rgba, texts }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * self.width + x) * 4) as usize;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2], self.rgba[i + 3]]
    }
}

/// The SVG's `<title>`.
fn svg_title(svg: &str) -> String {
    let start = svg.find("<title>").expect("a <title>") + "<title>".len();
    let end = svg.find("</title>").expect("</title>");
    svg[start..end].to_owned()
}

/// An attribute of the root `<svg>` element.
fn svg_attribute(svg: &str, name: &str) -> String {
    let root = &svg[svg.find("<svg").expect("<svg")..];
    let root = &root[..root.find('>').expect("end of <svg>")];
    let key = format!(" {name}=\"");
    let start = root.find(&key).unwrap_or_else(|| panic!("no {name} in {root}")) + key.len();
    root[start..].split('"').next().expect("value").to_owned()
}

/// The names and ids of the stamps (Form XObjects named AnyqtamaStamp…) a page draws.
fn stamps_on_page(doc: &Document, page: u32) -> Vec<(String, lopdf::ObjectId)> {
    let page_id = doc.get_pages()[&page];
    let page = doc.get_dictionary(page_id).expect("page");
    let Ok(resources) = page.get(b"Resources") else { return Vec::new() };
    let resources = deref(doc, resources).as_dict().expect("resources");
    let Ok(xobjects) = resources.get(b"XObject") else { return Vec::new() };
    deref(doc, xobjects)
        .as_dict()
        .expect("XObject dictionary")
        .iter()
        .filter(|(name, _)| name.starts_with(b"AnyqtamaStamp"))
        .map(|(name, id)| (String::from_utf8_lossy(name).into_owned(), id.as_reference().expect("reference")))
        .collect()
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).expect("object"),
        other => other,
    }
}

/// The text of the stamps drawn on a page: each stamp's content, with its own resources,
/// extracted as if it were the page's content (lopdf does not look into XObjects).
fn stamp_text(doc: &Document, page: u32) -> String {
    let mut texts = Vec::new();
    for (_, id) in stamps_on_page(doc, page) {
        let mut copy = doc.clone();
        let form = doc.get_object(id).and_then(Object::as_stream).expect("a stream");
        assert_eq!(form.dict.get(b"Subtype").and_then(Object::as_name).ok(), Some(&b"Form"[..]));
        let content = form.decompressed_content().expect("content");
        let resources = deref(doc, form.dict.get(b"Resources").expect("resources")).clone();
        let content_id = copy.add_object(Stream::new(Dictionary::new(), content));
        let page_id = copy.get_pages()[&page];
        let mut page_dict = copy.get_dictionary(page_id).expect("page").clone();
        page_dict.set("Contents", Object::Reference(content_id));
        page_dict.set("Resources", resources);
        copy.objects.insert(page_id, Object::Dictionary(page_dict));
        texts.push(copy.extract_text(&[page]).expect("text"));
    }
    fold(&texts.join(" "))
}

/// The operands of the `cm` that places the stamp, from the page's last content stream.
fn stamp_matrix(doc: &Document, page: u32) -> [f64; 6] {
    let page_id = doc.get_pages()[&page];
    let last = *doc.get_page_contents(page_id).last().expect("contents");
    let stream = doc.get_object(last).and_then(Object::as_stream).expect("stream");
    let content =
        lopdf::content::Content::decode(&stream.decompressed_content().unwrap_or(stream.content.clone()))
            .expect("content");
    let ops: Vec<_> = content.operations.iter().map(|o| o.operator.as_str()).collect();
    assert_eq!(ops, ["Q", "q", "cm", "Do", "Q"], "the stamp is drawn last, in its own q … Q");
    let cm = &content.operations[2];
    let v: Vec<f64> = cm.operands.iter().map(|o| f64::from(o.as_float().expect("number"))).collect();
    [v[0], v[1], v[2], v[3], v[4], v[5]]
}

#[test]
fn stamp_text_in_kazakh_russian_and_english() {
    for (lang, lines) in [("kk", KK_LINES), ("ru", RU_LINES), ("en", EN_LINES)] {
        let (_dir, out) = stamp(&["--lang", lang], "stamp.pdf");
        let pdf = Pdf::open(&out);
        assert_eq!(pdf.page_count(), 1, "{lang}: one stamp, one page");
        let text = pdf.text();
        assert_contains_all(&text, lines);
        for (other, other_lines) in [("kk", KK_LINES), ("ru", RU_LINES), ("en", EN_LINES)] {
            if other != lang {
                assert!(!text.contains(other_lines[0]), "{lang} stamp carries the {other} text: {text}");
            }
        }
        assert!(pdf.xmp().contains("<pdfaid:part>2</pdfaid:part>"), "{lang}: PDF/A-2");
    }
}

#[test]
fn kazakh_is_the_default_language() {
    let (_dir, out) = stamp(&[], "stamp.pdf");
    assert_contains_all(&Pdf::open(&out).text(), KK_LINES);
}

#[test]
fn pdf_page_is_70_by_35_mm() {
    let (_dir, out) = stamp(&[], "stamp.pdf");
    let boxes = Pdf::open(&out).media_boxes();
    assert_eq!(boxes.len(), 1);
    let [x0, y0, x1, y1] = boxes[0].map(f64::from);
    assert!((x1 - x0 - 198.43).abs() <= 0.01, "width {} pt", x1 - x0);
    assert!((y1 - y0 - 99.21).abs() <= 0.01, "height {} pt", y1 - y0);
    assert!((x1 - x0 - mm_to_pt(WIDTH_MM)).abs() < 0.001);
    assert!((y1 - y0 - mm_to_pt(HEIGHT_MM)).abs() < 0.001);
    for font in Pdf::open(&out).fonts() {
        assert!(font.embedded && font.to_unicode, "{font:?}");
    }
}

#[test]
fn svg_is_70_by_35_mm_with_the_text_in_its_title_and_no_fonts() {
    let (_dir, out) = stamp(&["--lang", "ru"], "stamp.svg");
    let svg = std::fs::read_to_string(&out).expect("SVG");
    assert_eq!(svg_attribute(&svg, "width"), "70mm");
    assert_eq!(svg_attribute(&svg, "height"), "35mm");
    let view_box: Vec<f64> =
        svg_attribute(&svg, "viewBox").split_whitespace().map(|v| v.parse().expect("number")).collect();
    assert_eq!(view_box[..2], [0.0, 0.0]);
    assert!((view_box[2] - mm_to_pt(WIDTH_MM)).abs() < 0.001, "{view_box:?}");
    assert!((view_box[3] - mm_to_pt(HEIGHT_MM)).abs() < 0.001, "{view_box:?}");
    let title = svg_title(&svg);
    assert_contains_all(&title, RU_LINES);
    assert_eq!(fold(&svg_attribute(&svg, "aria-label")), fold(&title));
    assert!(svg.contains("<path fill=\"#000\" d=\"M"), "glyphs are drawn as paths");
    assert!(!svg.contains("<text") && !svg.contains("font-family") && !svg.contains("@font-face"));
    assert!(svg.contains("<rect x="), "the frame");
    assert!(!svg.contains("fill=\"#fff\""), "transparent by default");
    let (_d, white) = stamp(&["--background", "white"], "white.svg");
    assert!(std::fs::read_to_string(white).expect("SVG").contains("fill=\"#fff\""));
}

#[test]
fn png_size_and_resolution_at_300_and_600_dpi() {
    for (dpi, extra) in [(300u32, vec![]), (600, vec!["--dpi", "600"])] {
        let (_dir, out) = stamp(&extra, "stamp.png");
        let png = Png::open(&out);
        let px = |mm: f64| (mm / 25.4 * f64::from(dpi)).round() as u32;
        assert_eq!((png.width, png.height), (px(WIDTH_MM), px(HEIGHT_MM)), "{dpi} dpi");
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        assert_eq!(png.pixels_per_metre, Some((ppm, ppm, png::Unit::Meter)), "{dpi} dpi");
        // Printed at the stored resolution, the image is 70 × 35 mm to within half a pixel.
        let printed = |pixels: u32| f64::from(pixels) / (f64::from(ppm) / 1000.0);
        assert!((printed(png.width) - WIDTH_MM).abs() <= 0.5 * 25.4 / f64::from(dpi) + 0.01);
        assert!((printed(png.height) - HEIGHT_MM).abs() <= 0.5 * 25.4 / f64::from(dpi) + 0.01);
    }
}

#[test]
fn png_background_is_transparent_unless_white() {
    let (_a, clear) = stamp(&[], "clear.png");
    let (_b, white) = stamp(&["--background", "white"], "white.png");
    let (clear, white) = (Png::open(&clear), Png::open(&white));
    // 1 mm inside the corner: within the frame's padding, where there is no ink.
    let inside = (300.0 / 25.4_f64).round() as u32;
    assert_eq!(clear.pixel(inside, inside)[3], 0, "transparent background");
    assert_eq!(white.pixel(inside, inside), [255, 255, 255, 255], "white background");
    // The frame's border runs along the edge: the corner pixel is ink on both.
    assert_eq!(clear.pixel(0, 0), [0, 0, 0, 255]);
    assert_eq!(white.pixel(0, 0), [0, 0, 0, 255]);
    // There is text in the middle band of the transparent image: opaque dark pixels.
    let inked = (clear.width / 4..clear.width * 3 / 4)
        .flat_map(|x| (clear.height / 3..clear.height * 2 / 3).map(move |y| (x, y)))
        .filter(|&(x, y)| clear.pixel(x, y) == [0, 0, 0, 255])
        .count();
    assert!(inked > 1000, "only {inked} inked pixels");
}

#[test]
fn the_three_formats_carry_the_same_text() {
    let (_a, pdf) = stamp(&["--for-official-use", "--lang", "ru"], "s.pdf");
    let (_b, svg) = stamp(&["--for-official-use", "--lang", "ru"], "s.svg");
    let (_c, png) = stamp(&["--for-official-use", "--lang", "ru"], "s.png");
    let pdf_text = Pdf::open(&pdf).text();
    let title = fold(&svg_title(&std::fs::read_to_string(svg).expect("SVG")));
    assert_eq!(fold(&pdf_text), title);
    let png = Png::open(&png);
    let description = png.texts.iter().find(|(k, _)| k == "Description").map(|(_, t)| fold(t));
    assert_eq!(description.as_deref(), Some(title.as_str()));
}

#[test]
fn the_mark_follows_the_number_exactly_when_the_act_is_for_official_use() {
    for (lang, mark) in MARKS {
        let (_a, plain_pdf) = stamp(&["--lang", lang], "plain.pdf");
        let (_b, marked_pdf) = stamp(&["--lang", lang, "--for-official-use"], "marked.pdf");
        let (_c, plain_svg) = stamp(&["--lang", lang], "plain.svg");
        let (_d, marked_svg) = stamp(&["--lang", lang, "--for-official-use"], "marked.svg");
        let marked = format!("№ 23516 {mark}");
        let plain_pdf = Pdf::open(&plain_pdf).text();
        let marked_pdf = Pdf::open(&marked_pdf).text();
        assert!(!plain_pdf.contains(mark), "{lang}: mark without the flag: {plain_pdf}");
        assert!(marked_pdf.contains(&marked), "{lang}: no \"{marked}\" in {marked_pdf}");
        assert_eq!(marked_pdf.matches(mark).count(), 1, "{lang}: the mark once");
        let plain_title = svg_title(&std::fs::read_to_string(plain_svg).expect("SVG"));
        let marked_title = svg_title(&std::fs::read_to_string(marked_svg).expect("SVG"));
        assert!(!plain_title.contains(mark), "{lang}: {plain_title}");
        assert!(marked_title.contains(&marked), "{lang}: {marked_title}");
    }
}

#[test]
fn case_files_give_the_data_and_the_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("s.pdf");
    let out_str = out.to_str().expect("path");
    let result = run(&["stamp", "samples/stamp-ru-official-use.yaml", "-o", out_str]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let text = Pdf::open(&out).text();
    assert_contains_all(
        &text,
        &[
            "Департамент юстиции Карагандинской области",
            "Зарегистрирован в Реестре государственной регистрации нормативных правовых актов",
            "14 июля 2021 года № 6871-09 ДСП",
        ],
    );
    // --lang overrides the file's language; the issuer is given in each language.
    let result = run(&["stamp", "samples/stamp-ru-official-use.yaml", "--lang", "kk", "-o", out_str]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert_contains_all(
        &Pdf::open(&out).text(),
        &["Қарағанды облысының Әділет департаменті", "2021 жылғы 14 шілдеде № 6871-09 қпү болып тіркелді"],
    );
    // `render` prints a stamp case in the case's language.
    let result = run(&["render", "samples/stamp-ru-official-use.yaml", "-o", out_str]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let rendered = Pdf::open(&out);
    assert_eq!(rendered.page_count(), 1);
    assert!(rendered.text().contains("№ 6871-09 ДСП"));
    // The Kazakh sample.
    let result = run(&["stamp", "samples/stamp-kk.yaml", "-o", out_str]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert_contains_all(&Pdf::open(&out).text(), KK_LINES);
}

#[test]
fn blank_schema_and_forms_know_the_stamp() {
    // The appendix's page in each language (issue 12); its impression has blanks.
    let (_dir, _path, pdf) = render_to_pdf(&["blank", "stamp", "--lang", "kk,ru,en"]);
    assert_eq!(pdf.page_count(), 3);
    let kk = fold(&pdf.page_text(1));
    let ru = fold(&pdf.page_text(2));
    assert_contains_all(
        &kk,
        &[KK_LINES[0], KK_LINES[1], "20___ жылғы «___» ________ № ______ болып тіркелді"],
    );
    assert_contains_all(&ru, &[RU_LINES[0], RU_LINES[1], "«___» ________ 20___ года № ______"]);
    assert_contains_all(&pdf.page_text(3), &[EN_LINES[0], EN_LINES[1]]);
    for (_, mark) in MARKS {
        assert!(!pdf.text().contains(&format!("№ ______ {mark}")), "a blank stamp has no mark");
    }

    let schema = run(&["schema", "stamp"]);
    assert_eq!(schema.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("JSON");
    let required = value["required"].as_array().expect("required");
    assert!(
        required.iter().any(|r| r == "registration_number") && required.iter().any(|r| r == "registered_on")
    );
    assert_eq!(value["properties"]["for_official_use"]["type"], "boolean");

    let forms = stdout(&run(&["forms"]));
    assert!(forms.contains("stamp\n  kk: Нормативтік құқықтық актіні мемлекеттік тіркеу туралы мөртабан\n"));
    assert!(forms.contains("No. 246 as of May 6, 2019, appendix 3"));

    // `stamp --blank` draws the same blank stamp as PNG.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("blank.svg");
    let result = run(&["stamp", "--blank", "--lang", "ru", "-o", out.to_str().expect("path")]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(
        svg_title(&std::fs::read_to_string(&out).expect("SVG"))
            .contains("«___» ________ 20___ года № ______")
    );
}

#[test]
fn onto_stamps_the_chosen_page_and_keeps_the_rest() {
    let act_path = root().join("tests/fixtures/act.pdf");
    let original_bytes = std::fs::read(&act_path).expect("fixture");
    let original = Pdf::open(&act_path);
    assert_eq!(original.page_count(), 2, "the fixture has two pages");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("stamped.pdf");
    stamp_onto("tests/fixtures/act.pdf", &["--page", "2", "--at", "120,240"], &out);
    let stamped_bytes = std::fs::read(&out).expect("stamped");
    assert!(
        stamped_bytes.starts_with(&original_bytes),
        "the stamped copy is the original file plus an incremental update"
    );
    assert_eq!(std::fs::read(&act_path).expect("fixture"), original_bytes, "the act is not changed");

    let stamped = Pdf::open(&out);
    assert_eq!(stamped.page_count(), original.page_count());
    for page in 1..=2 {
        assert_eq!(stamped.page_text(page), original.page_text(page), "page {page}'s own text");
    }
    assert!(stamps_on_page(&stamped.doc, 1).is_empty(), "page 1 carries no stamp");
    assert_eq!(stamp_text(&stamped.doc, 1), "");
    assert_contains_all(&stamp_text(&stamped.doc, 2), KK_LINES);

    // Placed with its top-left corner 120 mm from the left, 240 mm from the top, unrotated.
    let [a, b, c, d, e, f] = stamp_matrix(&stamped.doc, 2);
    let page_height = f64::from(stamped.media_boxes()[1][3]);
    assert_eq!([a, b, c, d], [1.0, 0.0, 0.0, 1.0]);
    assert!((e - mm_to_pt(120.0)).abs() < 0.01, "x {e}");
    assert!((f - (page_height - mm_to_pt(240.0) - mm_to_pt(HEIGHT_MM))).abs() < 0.01, "y {f}");
    // The page's own content is wrapped in q … Q so its state cannot move the stamp.
    let page_id = stamped.doc.get_pages()[&2];
    let first = stamped.doc.get_page_contents(page_id)[0];
    let first = stamped.doc.get_object(first).and_then(Object::as_stream).expect("stream");
    assert_eq!(first.content.trim_ascii(), b"q");
}

#[test]
fn onto_twice_gives_two_stamps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let once = dir.path().join("once.pdf");
    let twice = dir.path().join("twice.pdf");
    for (from, to, number) in
        [("tests/fixtures/act.pdf", &once, "111"), (once.to_str().expect("p"), &twice, "222")]
    {
        let result = run(&[
            "stamp",
            "--number",
            number,
            "--date",
            "2021-07-14",
            "--onto",
            from,
            "--at",
            "10,10",
            "-o",
            to.to_str().expect("path"),
        ]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    }
    let pdf = Pdf::open(&twice);
    let names: Vec<String> = stamps_on_page(&pdf.doc, 1).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["AnyqtamaStamp", "AnyqtamaStamp2"]);
    let text = stamp_text(&pdf.doc, 1);
    assert!(text.contains("№ 111") && text.contains("№ 222"), "{text}");
}

/// A dictionary from (key, value) pairs.
fn dict(pairs: Vec<(&str, Object)>) -> Dictionary {
    let mut d = Dictionary::new();
    for (key, value) in pairs {
        d.set(key, value);
    }
    d
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

/// A PDF unlike ours: two pages inheriting MediaBox and Resources from the page tree, the
/// first turned by 90°, with content that changes the matrix without q … Q.
fn foreign_pdf(path: &Path) {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dict(vec![
        ("Type", name("Font")),
        ("Subtype", name("Type1")),
        ("BaseFont", name("Helvetica")),
    ]));
    let fonts = dict(vec![("F1", Object::Reference(font))]);
    let resources = doc.add_object(dict(vec![("Font", Object::Dictionary(fonts))]));
    let mut kids = Vec::new();
    for (text, rotate) in [("FIRST PAGE TEXT", 90), ("SECOND PAGE TEXT", 0)] {
        let content = format!("2 0 0 2 0 0 cm BT /F1 12 Tf 20 300 Td ({text}) Tj ET");
        let content = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        let page = doc.add_object(dict(vec![
            ("Type", name("Page")),
            ("Parent", Object::Reference(pages_id)),
            ("Contents", Object::Reference(content)),
            ("Rotate", Object::Integer(rotate)),
        ]));
        kids.push(Object::Reference(page));
    }
    let media_box = vec![0.into(), 0.into(), 595.into(), 842.into()];
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dict(vec![
            ("Type", name("Pages")),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(2)),
            ("MediaBox", Object::Array(media_box)),
            ("Resources", Object::Reference(resources)),
        ])),
    );
    let catalog =
        doc.add_object(dict(vec![("Type", name("Catalog")), ("Pages", Object::Reference(pages_id))]));
    doc.trailer.set("Root", Object::Reference(catalog));
    doc.save(path).expect("saved");
}

#[test]
fn onto_a_rotated_page_with_inherited_resources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let act = dir.path().join("foreign.pdf");
    foreign_pdf(&act);
    let out = dir.path().join("stamped.pdf");
    stamp_onto(act.to_str().expect("path"), &["--lang", "en", "--at", "200,100"], &out);
    let original = Pdf::open(&act);
    let stamped = Pdf::open(&out);
    assert_eq!(stamped.page_count(), 2);
    for page in 1..=2 {
        assert_eq!(stamped.page_text(page), original.page_text(page));
    }
    assert!(stamped.page_text(1).contains("FIRST PAGE TEXT"));
    assert_contains_all(&stamp_text(&stamped.doc, 1), EN_LINES);
    assert!(stamps_on_page(&stamped.doc, 2).is_empty(), "the shared resources are not changed");

    // Page 1 shows as 842 × 595 pt (turned 90° clockwise). Map the stamp's corners through
    // the matrix into user space, then onto the page as displayed (origin top-left).
    let m = stamp_matrix(&stamped.doc, 1);
    let user = |x: f64, y: f64| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]);
    let shown = |(x, y): (f64, f64)| (y, x); // rotate 90: column = y, row = x
    let (w, h) = (mm_to_pt(WIDTH_MM), mm_to_pt(HEIGHT_MM));
    let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01;
    let top_left = shown(user(0.0, h));
    let bottom_right = shown(user(w, 0.0));
    assert!(close(top_left, (mm_to_pt(200.0), mm_to_pt(100.0))), "top-left shown at {top_left:?}");
    assert!(
        close(bottom_right, (mm_to_pt(200.0) + w, mm_to_pt(100.0) + h)),
        "bottom-right shown at {bottom_right:?}"
    );
    // 200 + 70 mm fits across the turned page (297 mm wide) but not across A4 upright.
    let too_far = run(&[
        "stamp",
        "--number",
        "1",
        "--date",
        "2021-07-14",
        "--onto",
        act.to_str().expect("path"),
        "--page",
        "2",
        "--at",
        "200,100",
        "-o",
        dir.path().join("x.pdf").to_str().expect("path"),
    ]);
    assert_eq!(too_far.status.code(), Some(1), "{}", stderr(&too_far));
}

#[test]
fn bad_data_is_refused_with_the_option_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("stamp.png");
    let o = out.to_str().expect("path");
    assert_fails(
        &["stamp", "--number", "23516", "--date", "2021-02-30", "-o", o],
        2,
        "error: --date: 2021-02-30 is not a date in the calendar\n",
        &out,
    );
    assert_fails(
        &["stamp", "--number", "23516", "--date", "14 июля 2021", "-o", o],
        2,
        "error: --date: \"14 июля 2021\" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)\n",
        &out,
    );
    assert_fails(
        &["stamp", "--number", "23516", "--date", "2021-07-14", "--lang", "de", "-o", o],
        2,
        "error: --lang: unknown value \"de\" (expected one of: kk, ru, en)\n",
        &out,
    );
    assert_fails(
        &["stamp", "--date", "2021-07-14", "-o", o],
        2,
        "error: --number: required field is missing\n",
        &out,
    );
    assert_fails(
        &["stamp", "--number", "123456789012345678901", "--date", "2021-07-14", "-o", o],
        2,
        "error: --number: text is too long (21 characters, at most 20)\n",
        &out,
    );
    assert_fails(
        &["stamp", "samples/stamp-kk.yaml", "--lang", "de", "-o", o],
        2,
        "error: --lang: unknown value \"de\" (expected one of: kk, ru, en)\n",
        &out,
    );
}

#[test]
fn bad_data_in_a_file_is_refused_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("case.yaml");
    std::fs::write(
        &case,
        "form: stamp\nregistration_number: \"23516\"\nregistered_on: 2021-13-01\nlanguage: fr\n",
    )
    .expect("write");
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("stamp.pdf");
    let case = case.to_str().expect("path");
    assert_fails(
        &["stamp", case, "-o", out.to_str().expect("path")],
        2,
        &format!(
            "error: {case}:3:16: registered_on: 2021-13-01 is not a date in the calendar\n\
             error: {case}:4:11: language: unknown value \"fr\" (expected one of: kk, ru, en)\n"
        ),
        &out,
    );
}

#[test]
fn unusable_arguments_and_files_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("stamp.png");
    let pdf = dir.path().join("stamped.pdf");
    let data = ["stamp", "--number", "23516", "--date", "2021-07-14"];
    let with = |extra: &[&str]| -> Vec<String> {
        data.iter().chain(extra.iter()).map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let check = |extra: &[&str], message: &str, output: &Path| {
        let args = with(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_fails(&args, 1, message, output);
    };
    check(
        &["--dpi", "0", "-o", png.to_str().expect("p")],
        "error: --dpi must be from 1 to 2400 (got 0)\n",
        &png,
    );
    check(
        &["--dpi", "2401", "-o", png.to_str().expect("p")],
        "error: --dpi must be from 1 to 2400 (got 2401)\n",
        &png,
    );
    let jpg = dir.path().join("stamp.jpg");
    check(
        &["-o", jpg.to_str().expect("p")],
        &format!(
            "error: cannot tell the format of {} from its extension: use .pdf, .svg or .png\n",
            jpg.display()
        ),
        &jpg,
    );
    let o = pdf.to_str().expect("p");
    check(
        &["--onto", "tests/fixtures/act.pdf", "--page", "3", "--at", "10,10", "-o", o],
        "error: tests/fixtures/act.pdf: page 3 is out of range (the file has 2 pages)\n",
        &pdf,
    );
    check(
        &["--onto", "tests/fixtures/act.pdf", "--page", "0", "--at", "10,10", "-o", o],
        "error: tests/fixtures/act.pdf: page 0 is out of range (the file has 2 pages)\n",
        &pdf,
    );
    check(
        &["--onto", "samples/stamp-kk.yaml", "--at", "10,10", "-o", o],
        "error: samples/stamp-kk.yaml: not a PDF file (it does not start with %PDF-)\n",
        &pdf,
    );
    check(
        &["--onto", "tests/fixtures/act.pdf", "--at", "150,10", "-o", o],
        "error: tests/fixtures/act.pdf: the stamp (70 × 35 mm) with its top-left corner at 150,10 mm does not fit on page 1 (210 × 297 mm)\n",
        &pdf,
    );
    check(
        &["--onto", "tests/fixtures/act.pdf", "--at", "10,-1", "-o", o],
        "error: tests/fixtures/act.pdf: the stamp (70 × 35 mm) with its top-left corner at 10,-1 mm does not fit on page 1 (210 × 297 mm)\n",
        &pdf,
    );
    check(
        &["--onto", "tests/fixtures/act.pdf", "--at", "10", "-o", o],
        "error: --at takes X,Y: millimetres from the top-left corner of the page, such as 120,15 (got \"10\")\n",
        &pdf,
    );
    check(
        &["--onto", "tests/fixtures/missing.pdf", "--at", "10,10", "-o", o],
        "error: failed to read tests/fixtures/missing.pdf (No such file or directory (os error 2))\n",
        &pdf,
    );
    check(
        &["--onto", "tests/fixtures/act.pdf", "--at", "10,10", "-o", png.to_str().expect("p")],
        &format!(
            "error: --onto writes a stamped copy of a PDF: give -o a name ending in .pdf, not {}\n",
            png.display()
        ),
        &png,
    );
}

#[test]
fn onto_refuses_to_overwrite_the_act() {
    let dir = tempfile::tempdir().expect("temp dir");
    let act = dir.path().join("act.pdf");
    std::fs::copy(root().join("tests/fixtures/act.pdf"), &act).expect("copy");
    let before = std::fs::read(&act).expect("act");
    let a = act.to_str().expect("path");
    let result =
        run(&["stamp", "--number", "1", "--date", "2021-07-14", "--onto", a, "--at", "10,10", "-o", a]);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr(&result),
        format!("error: -o names the file being stamped ({a}): write the stamped copy to another file\n")
    );
    assert_eq!(std::fs::read(&act).expect("act"), before);
}

#[test]
fn text_that_would_leave_the_frame_is_refused() {
    let templates = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("templates"), templates.path());
    let text_yaml = templates.path().join("forms/246-app3-stamp/text.yaml");
    let long = "Нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімінде ".repeat(6);
    let changed = std::fs::read_to_string(&text_yaml)
        .expect("text.yaml")
        .replace("    Нормативтік құқықтық актілерді\n", &format!("    {long}\n"));
    std::fs::write(&text_yaml, changed).expect("write");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("stamp.png");
    assert_fails(
        &[
            "--templates",
            templates.path().to_str().expect("path"),
            "stamp",
            "--number",
            "23516",
            "--date",
            "2021-07-14",
            "-o",
            out.to_str().expect("path"),
        ],
        2,
        "error: the text does not fit in its frame of 70 × 35 mm\n  hint: shorten the text printed in it\n",
        &out,
    );
}

/// The appendix's page, top to bottom, per language (spec 246-app3 §1-2): corner block,
/// title (E1), the impression with blanks (E2), size (E3), footnote on the mark (E4).
const APPENDIX_PAGE: [(&str, &[&str]); 3] = [
    (
        "kk",
        &[
            "Қазақстан Республикасы Әділет министрінің 2019 жылғы 6 мамырдағы № 246 бұйрығына 3-қосымша",
            "Нормативтік құқықтық актіні мемлекеттік тіркеу туралы мөртабан",
            "Қазақстан Республикасының Әділет министрлігі",
            "20___ жылғы «___» ________ № ______ болып тіркелді",
            "Мөртабан өлшемі: ұзындығы 7 см, ені 3,5 см",
            "* - \"Қызметтік пайдалану үшін\" деген белгісі бар нормативтік құқықтық актілерге мемлекеттік тіркеу нөмірінен кейін \"қпү\" белгісі қойылады",
        ],
    ),
    (
        "ru",
        &[
            "Приложение 3 к приказу Министра юстиции Республики Казахстан от 6 мая 2019 года № 246",
            "Штамп о государственной регистрации нормативного правового акта",
            "Министерство юстиции Республики Казахстан",
            "«___» ________ 20___ года № ______",
            "Размер штампа: длина 7 см, ширина 3,5 см",
            "* – на нормативных правовых актах с пометкой «Для служебного пользования» после номера государственной регистрации проставляется отметка «ДСП»",
        ],
    ),
    (
        "en",
        &[
            "Appendix 3 to Order № 246 as of May 6, 2019 of the Minister of Justice of the Republic of Kazakhstan",
            "Stamp on state registration of a regulatory legal act",
            "Ministry of Justice of the Republic of Kazakhstan",
            "___ ________ 20___ № ______",
            "Stamp dimensions: length - 7 cm, width - 3.5 cm",
            "*- regulatory legal acts marked “For official use” shall bear the “FOU” mark after the state registration number",
        ],
    ),
];

/// The closed rectangles drawn on a page (`x y m`, three `l`, `h`), as their outer (width,
/// height) in points: the path runs along the middle of the 0.75 pt border.
fn rectangles(pdf: &Pdf, page: u32) -> Vec<(f64, f64)> {
    let id = pdf.doc.get_pages()[&page];
    let ops = pdf.doc.get_and_decode_page_content(id).expect("content").operations;
    let xy = |i: usize| {
        let o = &ops[i].operands;
        (f64::from(o[0].as_float().expect("x")), f64::from(o[1].as_float().expect("y")))
    };
    (0..ops.len().saturating_sub(4))
        .filter(|&i| {
            ops[i].operator == "m"
                && ops[i + 1..i + 4].iter().all(|o| o.operator == "l")
                && ops[i + 4].operator == "h"
        })
        .map(|i| {
            let (p0, p2) = (xy(i), xy(i + 2));
            ((p2.0 - p0.0).abs() + 0.75, (p2.1 - p0.1).abs() + 0.75)
        })
        .collect()
}

/// Issue 12: `blank stamp` prints the whole page of appendix 3 as the act has it, in kk, ru
/// and en, on A4, with the impression at its size of 70 × 35 mm; the impression alone stays
/// `anyqtama stamp`.
#[test]
fn issue_12_blank_stamp_is_the_appendix_page() {
    for (lang, expected) in APPENDIX_PAGE {
        let (_dir, _path, pdf) = render_to_pdf(&["blank", "stamp", "--lang", lang]);
        assert_eq!(pdf.page_count(), 1, "{lang}");
        let mb = pdf.media_boxes()[0];
        assert!((mb[2] - 595.276).abs() < 0.01 && (mb[3] - 841.89).abs() < 0.01, "{lang}: A4, got {mb:?}");
        assert_in_order(&fold(&pdf.page_text(1)), expected);
        let frames = rectangles(&pdf, 1);
        assert!(
            frames.iter().any(
                |&(w, h)| (w - mm_to_pt(WIDTH_MM)).abs() < 0.01 && (h - mm_to_pt(HEIGHT_MM)).abs() < 0.01
            ),
            "{lang}: a 70 × 35 mm impression, got {frames:?}"
        );
    }
    // The stamp alone, blank or filled, is still 70 × 35 mm.
    for extra in [&["--blank"][..], &["--number", "23516", "--date", "2021-07-14"][..]] {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("stamp.pdf");
        let mut args = vec!["stamp"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", out.to_str().expect("path")]);
        let result = run(&args);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
        let pdf = Pdf::open(&out);
        let mb = pdf.media_boxes()[0];
        assert!((f64::from(mb[2]) - mm_to_pt(WIDTH_MM)).abs() < 0.01, "{extra:?}: {mb:?}");
        assert!((f64::from(mb[3]) - mm_to_pt(HEIGHT_MM)).abs() < 0.01, "{extra:?}: {mb:?}");
        assert!(!pdf.text().contains("мөртабан"), "{extra:?}: the impression only");
    }
}

/// Issue 9: `stamp` reads its case file as `validate` does: the `form:` key must be there and
/// name the stamp.
#[test]
fn issue_9_stamp_validates_the_form_key_of_its_case() {
    let data = "registration_number: \"23516\"\nregistered_on: 2021-07-14\n";
    let cases = [
        (
            format!("form: [1, 2]\n{data}"),
            "error: case.yaml:1:7: form: expected a form name, got a list\n".to_owned(),
        ),
        (
            data.to_owned(),
            "error: case.yaml:1:1: the case names no form\n  hint: add a line `form: stamp`\n".to_owned(),
        ),
        (
            format!("form: conclusion\n{data}"),
            "error: case.yaml:1:7: form: the case is for the form \"conclusion\", not \"stamp\"\n".to_owned(),
        ),
    ];
    for (text, expected) in cases {
        let run = run_case_files(&[("case.yaml", &text)], &["stamp", "case.yaml", "-o", "stamp.png"]);
        assert_eq!(run.stderr, expected, "{text}");
        assert_eq!(run.code, Some(2), "{text}");
        assert_eq!(run.files, ["case.yaml"], "{text}");
        let validated = run_case_files(&[("case.yaml", &text)], &["validate", "case.yaml"]);
        assert_eq!(validated.code, Some(2), "validate refuses it too: {text}");
    }
    let run = run_case_files(
        &[("case.yaml", &format!("form: stamp\n{data}"))],
        &["stamp", "case.yaml", "-o", "stamp.png"],
    );
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
    assert_eq!(run.files, ["case.yaml", "stamp.png"]);
}

/// Issue 9: a control character in an option is refused, naming the option, shown as U+XXXX.
#[test]
fn issue_9_control_character_in_an_option_is_refused() {
    let run =
        run_case_files(&[], &["stamp", "--number", "23\u{7}516", "--date", "2021-07-14", "-o", "s.png"]);
    assert_eq!(
        run.stderr,
        "error: --number: contains U+0007 (a control character), which cannot be printed here\n"
    );
    assert_eq!(run.code, Some(2));
    assert!(run.files.is_empty(), "{:?}", run.files);
}
