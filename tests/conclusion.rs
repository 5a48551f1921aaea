//! Order 246, appendix 1: the conclusion on state registration, read back from the PDF in
//! Kazakh, Russian and English.

mod common;

use common::*;

/// The act's wording (spec 246-app1 §2), Kazakh: corner block, captions, title, table labels,
/// the fixed paragraphs word for word, items 1–4, signature captions, receipt block.
const KK_TEXT: &[&str] = &[
    "Қазақстан Республикасы Әділет министрінің 2019 жылғы 6 мамырдағы № 246 бұйрығына 1-қосымша",
    "(лауазымы, тегі және аты-жөні)",
    "(қол қойылған күн)",
    "Қағаз түріндегі нормативтік құқықтық актіні мемлекеттік тіркеу туралы ҚОРЫТЫНДЫ",
    "Нормативтік құқықтық актінің деректемелері:",
    "Нормативтік құқықтық актіні ұсынған орган:",
    "Нормативтік құқықтық актіні қабылдау негіздемесі:",
    "Нормативтік құқықтық актінің мемлекеттік тіркеуге келіп түскен күні:",
    "Нормативтік құқықтық актіге жүргізілген заң сараптамасының нәтижелері бойынша осы нормативтік құқықтық акт азаматтардың заңда белгіленген құқықтары мен бостандықтарын, заңды тұлғалардың заңды мүдделерін бұзбайтыны және Қазақстан Республикасының қолданыстағы заңнамасына қайшы келмейтіні анықталды.",
    "Сондай-ақ, осы нормативтік құқықтық акт Қазақстан Республикасы Үкіметінің 2016 жылғы 6 қазандағы № 568 қаулысымен бекітілген Нормативтік құқықтық актілерді әзірлеу, келісу және мемлекеттік тіркеу қағидаларында белгіленген талаптарға сәйкес келетіні анықталды.",
    "Жазылғанның негізінде:",
    "(Нормативтік құқықтық актінің нысаны, қабылдау күні, тіркеу нөмірі және тақырыбы)",
    "тіркеуді;",
    "2) Нормативтік құқықтық актілерді мемлекеттік тіркеу тізіліміне №",
    "3) мемлекеттік тіркелгеннен кейін нормативтік құқықтық актінің төлнұсқа мен көшірме қазақ және орыс тілдеріндегі қорытындымен",
    "(мемлекеттік тіркеуге нормативтік құқықтық актіні ұсынған мемлекеттік органның атауы)",
    "ресми жариялау міндеттемесімен жіберуді (егер тіркелген нормативтік құқықтық акт ресми жариялануға жатса);",
    "4) актінің бір данасын (көшірме) қазақ және орыс тілдеріндегі қорытындымен",
    "(әділет органының атауы)",
    "қалдыруды мүмкін деп есептеймін.",
    "маманның лауазымы",
    "қолы",
    "қорытындыны дайындаған адамның тегі және аты-жөні",
    "Құжаттарды алған кезде әділет органында қалатын қазақ және орыс тілдеріндегі қорытындылардың даналарында мыналар толтырылады:",
    "Мемлекеттік орган қызметкерінің лауазымы",
    "А.Ж.Т. (болған жағдайда)",
    "Төлнұсқа мен көшірме",
];

/// The same, Russian (the spec's translation).
const RU_TEXT: &[&str] = &[
    "Приложение 1 к приказу Министра юстиции Республики Казахстан от 6 мая 2019 года № 246",
    "(должность, фамилия и инициалы)",
    "(дата подписания)",
    "ЗАКЛЮЧЕНИЕ о государственной регистрации нормативного правового акта на бумажном носителе",
    "Реквизиты нормативного правового акта:",
    "Орган, представивший нормативный правовой акт:",
    "Основание принятия нормативного правового акта:",
    "Дата поступления нормативного правового акта на государственную регистрацию:",
    "По результатам проведенной юридической экспертизы нормативного правового акта установлено, что данный нормативный правовой акт не нарушает установленные законом права и свободы граждан, законные интересы юридических лиц и не противоречит действующему законодательству Республики Казахстан.",
    "Также установлено, что данный нормативный правовой акт соответствует требованиям, установленным Правилами разработки, согласования и государственной регистрации нормативных правовых актов, утвержденными постановлением Правительства Республики Казахстан от 6 октября 2016 года № 568.",
    "На основании изложенного считаю возможным:",
    "1) зарегистрировать",
    "(форма, дата принятия, регистрационный номер и заголовок нормативного правового акта);",
    "2) внести в Реестр государственной регистрации нормативных правовых актов за №",
    "3) после государственной регистрации направить подлинник и копию нормативного правового акта с заключением на казахском и русском языках в",
    "(наименование государственного органа, представившего нормативный правовой акт на государственную регистрацию)",
    "с обязательством официального опубликования (если зарегистрированный нормативный правовой акт подлежит официальному опубликованию);",
    "4) оставить один экземпляр акта (копию) с заключением на казахском и русском языках в",
    "(наименование органа юстиции)",
    "должность специалиста",
    "подпись",
    "фамилия и инициалы лица, подготовившего заключение",
    "При получении документов на экземплярах заключений на казахском и русском языках, остающихся в органе юстиции, заполняется следующее:",
    "Должность работника государственного органа",
    "Ф.И.О. (при его наличии)",
    "Подлинник и копия",
];

/// The act's unofficial English, with its own mistranslations (spec §3).
const EN_TEXT: &[&str] = &[
    "Appendix 1 to the order Minister of Justice of the Republic of Kazakhstan dated May 6, 2019 No. 246",
    "(position, first and last name)",
    "OPINION on the state registration of a regulatory legal act in paper form",
    "Details of the regulatory legal act:",
    "The department that submitted the regulatory legal act:",
    "Reasons for the adoption of a regulatory legal act:",
    "Date of receipt of the regulatory legal act for state registration:",
    "Based on the results of the legal examination of the regulatory legal act, it was established that this regulatory legal act does not violate the rights and freedoms of citizens established by law, the legitimate interests of legal entities and does not contradict the current legislation of the Republic of Kazakhstan.",
    "It was also established that this regulatory legal act complies with the requirements established by the Rules for the Development, Coordination and State Registration of Regulatory legal acts approved by the Decree of the Government of the Republic of Kazakhstan dated October 6, 2016 No. 568.",
    "Based on the above, I consider it possible:",
    "1) register",
    "(form, date of adoption, registration number and title of the regulatory legal act);",
    "2) enter into the Register of state registration of regulatory legal acts for No.",
    "3) after state registration, send the original and a copy of the regulatory legal act with the conclusion in Kazakh and Russian to",
    "(name of the state body that submitted the regulatory legal act for state registration)",
    "with the obligation of official publication (if the registered regulatory the legal act is subject to official publication);",
    "4) leave one copy of the act (copy) with the conclusion in Kazakh and Russian in the",
    "(name of the justice body)",
    "position of the specialist",
    "signature",
    "surname and initials of the person who report the conclusion",
    "Upon receipt of documents, the following is filled in on copies of conclusions in Kazakh and Russian, which remain in the judicial authority:",
    "Position of an employee of a state body",
    "First and last name. (if any)",
    "Original and copy",
];

/// The descriptions in the right-hand cells of the blank form's particulars table.
const KK_DESCRIPTIONS: &[&str] = &[
    "Нормативтік құқықтық актінің нысаны, қабылдау күні, тіркеу нөмірі және тақырыбы",
    "Мемлекеттік органның атауы",
    "Нормативтік құқықтық актіні қабылдауға негіз болған Қазақстан Республикасы заңнамасының нақты нормасына сілтеме",
    "Нормативтік құқықтық актінің әділет органдарына келіп түскен күні",
];
const RU_DESCRIPTIONS: &[&str] = &[
    "Форма, дата принятия, регистрационный номер и заголовок нормативного правового акта",
    "Наименование государственного органа",
    "Ссылка на конкретную норму законодательства Республики Казахстан, послужившую основанием для принятия нормативного правового акта",
    "Дата поступления нормативного правового акта в органы юстиции",
];
const EN_DESCRIPTIONS: &[&str] = &[
    "Form, date of adoption, registration number and title of the regulatory legal act",
    "Name of the state body",
    "Reference to a specific norm of the legislation of the Republic of Kazakhstan, which served as the basis for the adoption of a regulatory legal act",
    "Date of receipt of the regulatory legal act by the judicial authorities",
];

/// The pages of a PDF split into language sections: a section starts on a page with the
/// first line of a corner block.
fn sections(pdf: &Pdf) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for page in 1..=pdf.page_count() as u32 {
        let text = fold(&pdf.page_text(page));
        let starts = ["Қазақстан Республикасы Әділет министрінің", "Приложение 1", "Appendix 1 to the"]
            .iter()
            .any(|s| text.starts_with(s));
        match out.last_mut() {
            Some(last) if !starts => {
                last.push(' ');
                last.push_str(&text);
            }
            _ => out.push(text),
        }
    }
    out
}

#[test]
fn sample_prints_kazakh_then_russian_each_on_its_own_pages() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/conclusion-order.yaml"]);
    let sections = sections(&pdf);
    assert_eq!(sections.len(), 2, "a Kazakh and a Russian section");
    let (kk, ru) = (&sections[0], &sections[1]);
    assert_contains_all(kk, KK_TEXT);
    assert_contains_all(ru, RU_TEXT);
    assert!(!kk.contains("Приложение") && !ru.contains("қосымша"), "one language per section");
    // The sample's data, formatted for each language.
    assert_contains_all(
        kk,
        &[
            "Нормативтік құқықтық актілерді тіркеу департаментінің директоры Д. Ж. Сәрсенбаев",
            "2021 жылғы «14» шілде",
            "2021 жылғы 28 маусымдағы № 627 «Мемлекеттік сатып алуды жүзеге асыру қағидаларын бекіту туралы» бұйрық",
            "Қазақстан Республикасының Қаржы министрлігі",
            "«Мемлекеттік сатып алу туралы» Қазақстан Республикасы Заңының 16-бабының 3) тармақшасы",
            "2021 жылғы «5» шілде",
            "2) Нормативтік құқықтық актілерді мемлекеттік тіркеу тізіліміне № 23516 енгізуді;",
            "Қазақстан Республикасының Қаржы министрлігіне",
            "Қазақстан Республикасының Әділет министрлігінде",
            "Нормативтік құқықтық актілерді тіркеу департаментінің бас сарапшысы",
            "Ә. Б. Жұмабекова",
        ],
    );
    assert_contains_all(
        ru,
        &[
            "«14» июля 2021 года",
            "1) зарегистрировать приказ от 28 июня 2021 года № 627 «Об утверждении Правил осуществления государственных закупок»",
            "подпункт 3) статьи 16 Закона Республики Казахстан «О государственных закупках»",
            "«5» июля 2021 года",
            "за № 23516;",
            "Министерстве юстиции Республики Казахстан",
            "Главный эксперт Департамента регистрации нормативных правовых актов",
            "Жумабекова А. Б.",
        ],
    );
    // No approval heading unless asked for (spec note 2).
    assert!(!kk.contains("БЕКІТЕМІН") && !ru.contains("УТВЕРЖДАЮ"));
}

#[test]
fn english_version_has_the_acts_english_and_the_english_data() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/conclusion-order.yaml", "--lang", "en"]);
    let text = pdf.text();
    assert_contains_all(&text, EN_TEXT);
    assert_contains_all(
        &text,
        &[
            "14 July 2021",
            "Order No. 627 dated 28 June 2021 “On approval of the Rules for public procurement”",
            "Ministry of Finance of the Republic of Kazakhstan",
            "5 July 2021",
            "for No. 23516;",
            "A. B. Zhumabekova",
        ],
    );
    // The en seed has no caption under the date line; no Russian caption stands in for it.
    assert!(!text.contains("(дата подписания)"), "{text}");
    assert!(!text.chars().any(|c| ('а'..='я').contains(&c)), "no Cyrillic in the English version: {text}");
    assert!(pdf.xmp().contains(">en<") || pdf.xmp().contains("\"en\""), "language en in XMP");
}

#[test]
fn json_sample_renders_to_the_same_bytes_as_yaml() {
    assert_same_pdf_bytes(
        &["render", "samples/conclusion-order.yaml"],
        &["render", "samples/conclusion-order.json"],
    );
}

#[test]
fn regional_registration_carries_the_regional_index() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/conclusion-regional.yaml"]);
    let sections = sections(&pdf);
    assert_eq!(sections.len(), 2);
    assert_contains_all(
        &sections[0],
        &[
            "тізіліміне № 6012-09 енгізуді;",
            "2021 жылғы 30 маусымдағы № 8/74",
            "Қарағанды облыстық мәслихаты",
        ],
    );
    assert_contains_all(
        &sections[1],
        &[
            "за № 6012-09;",
            "решение от 30 июня 2021 года № 8/74",
            "Департаменте юстиции Карагандинской области",
        ],
    );
}

#[test]
fn official_use_mark_follows_the_number_in_each_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("dsp.yaml");
    let text = std::fs::read_to_string(root().join("samples/conclusion-order.yaml")).expect("sample");
    std::fs::write(
        &case,
        text.replace("registration_number: 23516", "registration_number: 23516\nfor_official_use: true"),
    )
    .expect("write");
    let (_d, _p, pdf) = render_to_pdf(&["render", case.to_str().expect("path"), "--lang", "kk,ru,en"]);
    let sections = sections(&pdf);
    assert_eq!(sections.len(), 3, "kk, ru, en");
    assert!(sections[0].contains("тізіліміне № 23516 қпү енгізуді;"), "{}", sections[0]);
    assert!(sections[1].contains("за № 23516 ДСП;"), "{}", sections[1]);
    assert!(sections[2].contains("for No. 23516 FOU;"), "{}", sections[2]);
}

#[test]
fn approval_heading_is_printed_when_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("heading.yaml");
    let text = std::fs::read_to_string(root().join("samples/conclusion-order.yaml")).expect("sample");
    std::fs::write(&case, format!("{text}approval_heading: true\n")).expect("write");
    let (_d, _p, pdf) = render_to_pdf(&["render", case.to_str().expect("path")]);
    let sections = sections(&pdf);
    assert!(
        sections[0].contains("БЕКІТЕМІН Нормативтік құқықтық актілерді тіркеу департаментінің директоры")
    );
    assert!(sections[1].contains("УТВЕРЖДАЮ Директор Департамента"));
}

#[test]
fn blank_form_shows_the_descriptions_in_every_language() {
    let (_dir, _path, pdf) = render_to_pdf(&["blank", "conclusion", "--lang", "kk,ru,en"]);
    let sections = sections(&pdf);
    assert_eq!(sections.len(), 3);
    assert_contains_all(&sections[0], KK_TEXT);
    assert_contains_all(&sections[0], KK_DESCRIPTIONS);
    assert_contains_all(&sections[1], RU_TEXT);
    assert_contains_all(&sections[1], RU_DESCRIPTIONS);
    assert_contains_all(&sections[2], EN_TEXT);
    assert_contains_all(&sections[2], EN_DESCRIPTIONS);
    assert!(sections[1].contains("за № ________;"), "the number blank: {}", sections[1]);
}

#[test]
fn pages_are_a4_portrait() {
    let (_dir, _path, pdf) =
        render_to_pdf(&["render", "samples/conclusion-order.yaml", "--lang", "kk,ru,en"]);
    assert!(pdf.page_count() >= 3);
    for mb in pdf.media_boxes() {
        assert!((mb[2] - 595.276).abs() < 0.01 && (mb[3] - 841.89).abs() < 0.01, "{mb:?}");
    }
}

#[test]
fn number_format_is_the_same_as_the_registers() {
    let conclusion = form_text("246-app1-conclusion");
    let register = form_text("246-app2-register");
    for key in ["number_regional", "number_official_use"] {
        assert!(conclusion[key].is_object(), "{key} in the conclusion's text.yaml");
        assert_eq!(conclusion[key], register[key], "{key} differs between the conclusion and the register");
    }
}

/// A valid case, small enough to see every position in it.
const BASE: &str = "form: conclusion
act:
  form: {kk: бұйрық, ru: приказ}
  adopted_on: 2021-06-28
  number: \"627\"
  title: {kk: Қағидаларды бекіту туралы, ru: Об утверждении Правил}
submitting_body: {kk: Қаржы министрлігі, ru: Министерство финансов}
legal_basis: {kk: Заңның 16-бабы, ru: статья 16 Закона}
received_on: 2021-07-05
registration_number: 23516
justice_body: {kk: Әділет министрлігінде, ru: Министерстве юстиции}
specialist:
  position: {kk: Бас сарапшы, ru: Главный эксперт}
  name: {kk: Ә. Б. Жұмабекова, ru: Жумабекова А. Б.}
";

/// Renders `BASE` with `from` replaced by `to`; asserts exit code 2, no output, and exactly
/// these stderr lines (`{file}` is the case file's path).
fn rejected(from: &str, to: &str, expected: &[&str]) {
    assert!(BASE.contains(from), "{from:?} is not in the base case");
    refuse_case_by_path("bad.yaml", &BASE.replacen(from, to, 1), expected);
}

#[test]
fn base_case_is_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("ok.yaml");
    std::fs::write(&case, BASE).expect("write");
    let result = run(&["validate", case.to_str().expect("path")]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
}

#[test]
fn regional_index_outside_01_to_20_is_rejected() {
    rejected(
        "registration_number: 23516\n",
        "registration_number: 23516\nregion_index: \"21\"\n",
        &[
            "error: {file}:11:15: region_index: unknown value \"21\" (expected one of: 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)",
        ],
    );
}

#[test]
fn date_not_in_the_calendar_is_rejected() {
    rejected(
        "received_on: 2021-07-05",
        "received_on: 2021-02-30",
        &["error: {file}:9:14: received_on: 2021-02-30 is not a date in the calendar"],
    );
}

#[test]
fn act_adopted_after_it_was_received_is_rejected() {
    rejected(
        "adopted_on: 2021-06-28",
        "adopted_on: 2021-07-28",
        &["error: {file}:4:15: act.adopted_on: must not be after received_on (05.07.2021)"],
    );
}

#[test]
fn missing_specialist_name_is_rejected() {
    rejected(
        "  name: {kk: Ә. Б. Жұмабекова, ru: Жумабекова А. Б.}\n",
        "",
        &["error: {file}:13:3: specialist.name: required field is missing"],
    );
}

#[test]
fn misspelt_field_is_rejected_with_a_hint() {
    rejected(
        "submitting_body:",
        "submiting_body:",
        &[
            "error: {file}:1:1: submitting_body: required field is missing",
            "error: {file}:7:1: submiting_body: unknown field \"submiting_body\"",
            "  hint: did you mean \"submitting_body\"?",
        ],
    );
}

#[test]
fn registration_number_must_be_a_positive_whole_number() {
    rejected(
        "registration_number: 23516",
        "registration_number: 0",
        &["error: {file}:10:22: registration_number: must be at least 1 (got 0)"],
    );
    rejected(
        "registration_number: 23516",
        "registration_number: \"23516-09\"",
        &["error: {file}:10:22: registration_number: \"23516-09\" is not a whole number"],
    );
}

#[test]
fn text_without_kazakh_is_rejected() {
    rejected(
        "title: {kk: Қағидаларды бекіту туралы, ru: ",
        "title: {ru: ",
        &["error: {file}:6:10: act.title: missing the Kazakh text (kk)"],
    );
}

#[test]
fn text_in_an_unknown_language_is_rejected() {
    rejected(
        "ru: Об утверждении Правил}",
        "ru: Об утверждении Правил, de: Regeln}",
        &["error: {file}:6:69: act.title.de: unknown language \"de\" (expected kk, ru or en)"],
    );
}

#[test]
fn official_use_must_be_true_or_false() {
    rejected(
        "registration_number: 23516\n",
        "registration_number: 23516\nfor_official_use: \"иә\"\n",
        &["error: {file}:11:19: for_official_use: expected true or false, got a string"],
    );
}

#[test]
fn specialist_must_be_a_mapping() {
    rejected(
        "specialist:\n  position: {kk: Бас сарапшы, ru: Главный эксперт}\n  name: {kk: Ә. Б. Жұмабекова, ru: Жумабекова А. Б.}\n",
        "specialist: Жумабекова А. Б.\n",
        &["error: {file}:12:13: specialist: expected a mapping, got a string"],
    );
}

/// The footer each language prints, for page `page` of `total` (issue 12: the Kazakh ordinal
/// written in digits takes a hyphen).
fn footer(lang: &str, page: usize, total: usize) -> String {
    match lang {
        "kk" => format!("{total} беттің {page}-беті"),
        "ru" => format!("Страница {page} из {total}"),
        _ => format!("Page {page} of {total}"),
    }
}

/// Issue 12: every page of the conclusion is numbered like the 565 forms, per language.
#[test]
fn issue_12_every_page_of_the_conclusion_is_numbered() {
    for args in [
        vec!["render", "samples/conclusion-order.yaml"],
        vec!["render", "samples/conclusion-regional.yaml", "--lang", "en"],
        vec!["blank", "conclusion", "--lang", "kk"],
        vec!["blank", "conclusion", "--lang", "ru"],
        vec!["blank", "conclusion", "--lang", "en"],
    ] {
        let (_dir, _path, pdf) = render_to_pdf(&args);
        let pages: Vec<String> = (1..=pdf.page_count() as u32).map(|p| fold(&pdf.page_text(p))).collect();
        // Each page's language, told by the corner block that starts its section.
        let mut lang = "";
        let langs: Vec<&str> = pages
            .iter()
            .map(|t| {
                for (start, l) in
                    [("Қазақстан Республикасы Әділет", "kk"), ("Приложение 1", "ru"), ("Appendix 1", "en")]
                {
                    if t.starts_with(start) {
                        lang = l;
                    }
                }
                lang
            })
            .collect();
        for lang in ["kk", "ru", "en"] {
            let of_lang: Vec<&String> =
                pages.iter().zip(&langs).filter(|(_, l)| **l == lang).map(|(t, _)| t).collect();
            for (i, text) in of_lang.iter().enumerate() {
                let expected = footer(lang, i + 1, of_lang.len());
                assert!(
                    text.ends_with(&expected),
                    "{args:?}: {lang} page {} ends with {expected:?}: {text}",
                    i + 1
                );
            }
        }
    }
}

/// Issue 12: the receipt block (E12, E13) stays on the page of the specialist's signature
/// (E11), in every language, filled or blank: it is never alone on a page.
#[test]
fn issue_12_receipt_block_is_on_the_signature_page() {
    let marks = [
        ("маманның лауазымы", "Құжаттарды алған кезде", "Төлнұсқа мен көшірме"),
        ("должность специалиста", "При получении документов", "Подлинник и копия"),
        ("position of the specialist", "Upon receipt of documents", "Original and copy"),
    ];
    for args in [
        vec!["render", "samples/conclusion-order.yaml"],
        vec!["render", "samples/conclusion-regional.yaml", "--lang", "en"],
        vec!["blank", "conclusion", "--lang", "kk"],
        vec!["blank", "conclusion", "--lang", "ru"],
        vec!["blank", "conclusion", "--lang", "en"],
    ] {
        let (_dir, _path, pdf) = render_to_pdf(&args);
        for (signature, receipt, last_cell) in marks {
            let page_of = |phrase: &str| {
                (1..=pdf.page_count() as u32).find(|&p| fold(&pdf.page_text(p)).contains(phrase))
            };
            let Some(sig_page) = page_of(signature) else { continue };
            let text = fold(&pdf.page_text(sig_page));
            assert_in_order(&text, &[signature, receipt, last_cell]);
            assert_eq!(page_of(receipt), Some(sig_page), "{args:?}: the receipt is on the signature's page");
        }
    }
}
