//! Order 565, appendix 1: the rights certificate, read back from the PDF.

mod common;

use common::*;

/// The official headings of the form (spec 565-app1 §2), Kazakh.
const KK_HEADINGS: &[&str] = &[
    "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына 1-қосымша",
    "Құқықтық кадастрдан ақпарат ұсыну туралы қағидаға 1-қосымша Нысан",
    "(\"Азаматтарға арналған үкімет\" мемлекеттік корпорациясы\" КЕ АҚ филиалы)",
    "Жеке тұлға үшін жылжымайтын мүлікке құқықтарды (құқықтық ауыртпалықтарды) және оның техникалық сипаттамалары мемлекеттік тіркеу туралы №",
    "жылжымайтын мүлік объектілеріне растама:",
    "1) құқығы тіркелді:",
    "2) құқықтық ауыртпалығы тіркелді:",
    "3) жылжымайтын мүлікке құқықтардың немесе құқықтық ауыртпалықтардың туындауына әкеп соқтырмайтын заңдық талаптар және мәмілелер тіркелді:",
    "Орындаушы:",
    "Бөлім бастығы:",
    "Басшысы:",
    "(қолы)",
    "(тегі, аты, әкесінің аты)",
    "Мөр орны (болған жағдайда)",
    "Ескертпе: ақпараттар берген сәтінде жарамды болып табылады.",
];

/// The same, Russian.
const RU_HEADINGS: &[&str] = &[
    "Приложение 1 к приказу Министра юстиции Республики Казахстан от 7 июля 2021 года № 565",
    "Приложение 1 к Правилам предоставления информации из правового кадастра Форма",
    "(филиал НАО «Государственная корпорация «Правительство для граждан»»)",
    "для физического лица о государственной регистрации прав (обременений прав) на недвижимое имущество и его технических характеристиках",
    "подтверждение на объекты недвижимости:",
    "1) зарегистрировано право:",
    "2) зарегистрировано обременение права:",
    "3) зарегистрированы юридические притязания и сделки, не влекущие возникновение прав или обременений прав на недвижимое имущество:",
    "Исполнитель:",
    "Начальник отдела:",
    "Руководитель:",
    "(подпись)",
    "(фамилия, имя, отчество)",
    "Место печати (при наличии)",
    "Примечание: сведения действительны на момент выдачи.",
];

const KK_TABLE_HEADERS: &[&str] = &[
    "Жылжымайтын мүліктің түрі",
    "Кадастрлық нөмірі",
    "Құқықтық түрі",
    "Ортақ меншік нысаны, үлесі",
    "Ауыртпалықтың түрі",
    "Құқық иесі немесе уәкілетті орган (мүдделі тұлға)",
    "Заңдық талаптар және мәмілелер",
    "Өтініш беруші (мүдделі тұлға)",
];

#[test]
fn individual_sample_has_both_languages_with_headings_and_data() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-individual.yaml"]);
    assert_eq!(pdf.page_count(), 2, "one page per language");
    let kk = fold(&pdf.page_text(1));
    let ru = fold(&pdf.page_text(2));
    assert_contains_all(&kk, KK_HEADINGS);
    assert_contains_all(&kk, KK_TABLE_HEADERS);
    assert_contains_all(&ru, RU_HEADINGS);
    // The sample's data, with the decimal comma and the labels of dictionary codes.
    assert_contains_all(
        &kk,
        &[
            "ӘБІЛҚАСЫМОВА ГҮЛНҰР ҚАЙРАТҚЫЗЫ, 1988, ЖСН 880412401551",
            "№ 2021-0714-00452",
            "72,40 м²",
            "41,15 м²",
            "Пәтер",
            "Меншік құқығы",
            "Ипотека",
            "Сот актісі бойынша тыйым салу",
            "«Отбасы банк» АҚ, БСН 050140000110",
            "05.04.2019 11:25:00",
            "Серікбаева А. М.",
        ],
    );
    assert_contains_all(
        &ru,
        &["ИИН 880412401551", "Квартира", "Право собственности", "Запрет по акту суда", "72,40 м²"],
    );
    // Kazakh comes first.
    assert!(kk.contains("Нысан") && !kk.contains("Форма"));
}

#[test]
fn company_json_in_russian_only() {
    let (_dir, _path, pdf) =
        render_to_pdf(&["render", "samples/rights-certificate-company.json", "--lang", "ru"]);
    let text = pdf.text();
    assert_contains_all(&text, RU_HEADINGS);
    assert_contains_all(
        &text,
        &[
            "Товарищество с ограниченной ответственностью «Алатау Курылыс Инвест», БИН 150340004568",
            "Общая долевая собственность, 2/3",
        ],
    );
    assert!(!text.contains("Нысан"), "no Kazakh version with --lang ru");
}

#[test]
fn multi_page_sample_repeats_table_header_and_numbers_every_page() {
    let (_dir, _path, pdf) =
        render_to_pdf(&["render", "samples/rights-certificate-company.yaml", "--lang", "kk"]);
    let pages = pdf.page_count();
    assert!(pages >= 3, "the company sample spans at least three pages, got {pages}");
    for page in 1..=pages as u32 {
        let text = fold(&pdf.page_text(page));
        assert!(text.contains("Тіркелген күні, уақыты"), "page {page} carries no table header: {text}");
        let footer = format!("{pages} беттің {page}-беті");
        assert!(text.contains(&footer), "page {page} has no footer \"{footer}\"");
    }
}

#[test]
fn russian_footer_counts_its_own_pages() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-company.yaml"]);
    let total = pdf.page_count() as u32;
    let last = fold(&pdf.page_text(total));
    assert!(last.contains("Страница"), "last page is Russian");
    let ru_pages = (1..=total).filter(|&p| pdf.page_text(p).contains("Страница")).count();
    assert!(last.contains(&format!("Страница {ru_pages} из {ru_pages}")), "{last}");
}

#[test]
fn pages_are_a4_in_points() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-company.yaml"]);
    for mb in pdf.media_boxes() {
        assert_eq!(mb[0], 0.0);
        assert_eq!(mb[1], 0.0);
        assert!((mb[2] - 595.276).abs() < 0.01, "width {}", mb[2]);
        assert!((mb[3] - 841.89).abs() < 0.01, "height {}", mb[3]);
    }
}

#[test]
fn fonts_are_embedded_subsets_with_to_unicode() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-individual.yaml"]);
    let fonts = pdf.fonts();
    assert!(!fonts.is_empty());
    for font in &fonts {
        assert!(font.embedded, "{} is not embedded", font.base_font);
        assert!(font.is_subset(), "{} is not a subset", font.base_font);
        assert!(font.to_unicode, "{} has no ToUnicode", font.base_font);
        assert!(font.base_font.contains("AnyqtamaSerif"), "{}", font.base_font);
    }
}

#[test]
fn metadata_names_title_language_creator_and_pdfa() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-individual.yaml"]);
    assert_eq!(
        pdf.info("Title").as_deref(),
        Some(
            "Жылжымайтын мүлікке тіркелген құқықтар (ауыртпалықтар) және оның техникалық сипаттамалары туралы ақпарат"
        )
    );
    assert_eq!(pdf.info("Creator").as_deref(), Some(concat!("anyqtama ", env!("CARGO_PKG_VERSION"))));
    let xmp = pdf.xmp();
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A-2 identification in XMP");
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(xmp.contains("kk-KZ"), "language in XMP");
    let (_d, _p, ru) =
        render_to_pdf(&["render", "samples/rights-certificate-individual.yaml", "--lang", "ru"]);
    assert!(ru.xmp().contains("ru-RU"));
}

#[test]
fn same_input_gives_identical_bytes() {
    let company = ["render", "samples/rights-certificate-company.yaml"];
    assert_same_pdf_bytes(&company, &company);
}

#[test]
fn yaml_and_json_samples_render_to_the_same_bytes() {
    assert_same_pdf_bytes(
        &["render", "samples/rights-certificate-company.yaml"],
        &["render", "samples/rights-certificate-company.json"],
    );
    assert_same_pdf_bytes(
        &["render", "samples/rights-certificate-individual.yaml"],
        &["render", "samples/rights-certificate-individual.json"],
    );
}

#[test]
fn split_writes_one_file_per_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cert.pdf");
    let result = run(&[
        "render",
        "samples/rights-certificate-individual.yaml",
        "--split",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let kk = Pdf::open(&dir.path().join("cert.kk.pdf"));
    let ru = Pdf::open(&dir.path().join("cert.ru.pdf"));
    assert!(kk.text().contains("Нысан") && !kk.text().contains("Форма"));
    assert!(ru.text().contains("Форма") && !ru.text().contains("Нысан"));
    assert!(!out.exists(), "--split writes no combined file");
}

#[test]
fn blank_form_has_every_caption_and_no_data() {
    let (_dir, _path, pdf) = render_to_pdf(&["blank", "rights-certificate", "--lang", "kk"]);
    let text = pdf.text();
    assert_contains_all(&text, KK_HEADINGS);
    assert_contains_all(&text, KK_TABLE_HEADERS);
    assert_contains_all(
        &text,
        &[
            "(Т.А.Ә. (болған жағдайда - әкесінің аты) бұдан әрі – Т.А.Ә) тұған жылы және жеке тұлғанің ЖСН; заңды тұлғаның атауы және БСН, оның өкілінің тегі, аты, әкесінің аты)",
        ],
    );
    assert!(text.contains("№_____________ ақпарат"), "the number blank: {text}");
    assert!(!text.contains("Алу күні"), "a blank form has no receipt date");
    let (_d, _p, ru) = render_to_pdf(&["blank", "rights-certificate", "--lang", "ru"]);
    assert_contains_all(&ru.text(), RU_HEADINGS);
}

#[test]
fn stdin_is_read_with_dash() {
    let yaml = std::fs::read(root().join("samples/rights-certificate-individual.yaml")).expect("sample");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x.pdf");
    let result = run_with_stdin(&["render", "-", "-o", out.to_str().expect("path")], &yaml);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(Pdf::open(&out).text().contains("880412401551"));
}

#[test]
fn templates_dir_overrides_the_compiled_in_wording() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("templates"), dir.path());
    let text_yaml = dir.path().join("forms/565-app1-rights-certificate/text.yaml");
    let changed = std::fs::read_to_string(&text_yaml)
        .expect("text.yaml")
        .replace("Мөр орны (болған жағдайда)", "МӨР ОРНЫ ӨЗГЕРТІЛДІ");
    std::fs::write(&text_yaml, changed).expect("write");
    let (_d, _p, pdf) = render_to_pdf(&[
        "--templates",
        dir.path().to_str().expect("path"),
        "render",
        "samples/rights-certificate-individual.yaml",
    ]);
    assert!(pdf.text().contains("МӨР ОРНЫ ӨЗГЕРТІЛДІ"));
}

#[test]
fn forms_lists_the_legal_source_and_schema_is_json_schema() {
    let forms = forms_listing();
    assert!(forms.contains(
        "rights-certificate\n  kk: Жылжымайтын мүлікке тіркелген құқықтар (ауыртпалықтар) және оның техникалық сипаттамалары туралы ақпарат"
    ));
    assert!(forms.contains("No. 565 of 7 July 2021, appendix 1 (Rules, appendix 1)"));
    let value = schema_of("rights-certificate");
    assert_eq!(value["properties"]["objects"]["type"], "array");
    assert_eq!(
        value["properties"]["objects"]["items"]["properties"]["rights"]["items"]["additionalProperties"],
        false
    );
    assert_required(&value, &["holder"]);
}

#[test]
fn codes_lists_dictionaries() {
    let out = run(&["codes", "encumbrance_kind"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("mortgage\n  kk: Ипотека\n  ru: Ипотека"));
    let bad = run(&["codes", "nope"]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn help_documents_exit_codes() {
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    assert!(help.contains("EXIT STATUS"));
    assert!(help.contains("2  some input was invalid"));
}

/// Issue 12: "Мөр орны (болған жағдайда)" / "Место печати (при наличии)" is the act's caption
/// and always printed, after the signatures; `seal: false` says that no seal is applied.
#[test]
fn issue_12_place_for_the_seal_is_printed_without_a_seal() {
    let text =
        std::fs::read_to_string(root().join("samples/rights-certificate-individual.yaml")).expect("sample");
    let run = render_case_in_dir("case.yaml", &format!("{text}\nseal: false\n"), &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pdf = Pdf::open(&run.dir.path().join("out.pdf"));
    let text = pdf.text();
    assert_in_order(
        &text,
        &["Басшысы:", "Мөр орны (болған жағдайда)", "Руководитель:", "Место печати (при наличии)"],
    );
}

/// The cadastral numbers of a sample, as its `cadastral_number:` lines give them and the
/// certificate prints them (`20-311-011-107:1` as `20:311:011:107:1`).
fn cadastral_numbers(sample: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(sample)).expect("sample");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("cadastral_number:"))
        .map(|n| n.trim().trim_matches(['"', '\'']).replace('-', ":"))
        .collect()
}

/// How often `number` stands in `text` whole (not as the start of a longer number).
fn whole(text: &str, number: &str) -> usize {
    text.match_indices(number)
        .filter(|(i, _)| !text[i + number.len()..].starts_with(|c: char| c.is_ascii_digit() || c == ':'))
        .count()
}

/// Issue 12: a cadastral number never breaks across lines: its column is made as wide as
/// the number (the PDF holds one text run per line, so a broken number reads "20:311:011: 107:1").
#[test]
fn issue_12_every_cadastral_number_of_the_company_sample_is_on_one_line() {
    let numbers = cadastral_numbers("samples/rights-certificate-company.yaml");
    assert_eq!(numbers.len(), 13, "{numbers:?}");
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-company.yaml"]);
    let text = pdf.text();
    let broken: Vec<&String> = numbers.iter().filter(|n| whole(&text, n) != 2).collect();
    assert!(broken.is_empty(), "not whole once in each language: {broken:?}\n{text}");
}

/// Issue 12: a signature block never stands alone on a page: the page that holds the
/// signatures holds the last table's header and at least one of its rows before them.
#[test]
fn issue_12_the_signatures_keep_the_last_row_of_the_table_before_them() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/rights-certificate-company.yaml"]);
    let mut seen = Vec::new();
    for page in 1..=pdf.page_count() as u32 {
        let text = fold(&pdf.page_text(page));
        for (header, executor) in
            [("Тіркелген күні, уақыты", "Орындаушы:"), ("Дата и время регистрации", "Исполнитель:")]
        {
            let Some(signatures) = text.find(executor) else { continue };
            seen.push(executor);
            let header_end = text[..signatures]
                .rfind(header)
                .unwrap_or_else(|| panic!("page {page}: no table header before the signatures:\n{text}"))
                + header.len();
            let row = text[header_end..signatures].trim();
            assert!(
                !row.is_empty(),
                "page {page}: no table row between the header and the signatures:\n{text}"
            );
        }
    }
    assert_eq!(seen, ["Орындаушы:", "Исполнитель:"]);
}
