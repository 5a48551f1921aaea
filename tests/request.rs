//! Order 565, appendix 3: the request for information from the legal cadastre, read back
//! from the PDF (text and the drawn check boxes); and its bad input, refused with exact
//! messages.

mod common;

use common::*;

/// The official wording of the form (spec 565-app3 §2), Kazakh, in the order of the form.
const KK_TEXT: &[&str] = &[
    "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына 3-қосымша",
    "Құқықтық кадастрдан ақпарат ұсыну туралы қағидаға қосымша-5 Нысан",
    "(\"Азаматтарға арналған үкімет\" Мемлекеттік корпорациясы\" КЕАҚ филиалы)",
    "Құқықтық кадастардан жылжымайтын мүлікке құқықтарды (құқықтық ауыртпалықты) мемлекеттік тіркеу туралы ақпарат алуға сауал №",
    "Мен,",
    "(Т.А.Ә. (егер қолжетімді болса) (бұдан әрі - Т.А.Ә.) паспорт деректері (жеке куәлігінің деректері) және жеке тұлғаның тұратын жері, заңды тұлғаның атауы және деректемелері)",
    "атынан әрекет етуші (уәкілетті өкіл толтырылады)",
    "(өкілеттігін куәландыратын құжатының деректері)",
    "негізінде",
    "Маған беруіңізді сұраймын: керегіне белгі қою",
    "жылжымайтын мүлікке тіркелген құқықтар (ауыртпалықтар) және оның техникалық сипаттамалары туралы ақпарат;",
    "жылжымайтын мүлкінің жоқ (бар) екендігі туралы ақпарат.",
    "жылжымайтын мүліктің меншік иесі (құқық иесі) туралы мәлімет қамтылған техникалық паспортқа қосымша;",
    "жылжымайтын мүлік объектілерінің жоспарын (сызбасын) қоса алғанда тіркеуші орган растаған тіркеу істері құжаттарының көшірмесін.",
    "Жылжымайтын мүлік объектісінің түрі",
    "Объектінің тұрған жері",
    "Мына құжаттарды қоса беремін:",
    "Күні",
    "(өтініш берушінің/уәкілетті өкілдің Т.А.Ә. және қолы)",
    "(өтінішті қабылдаған маманның Т.А.Ә. және қолы)",
    "Өтінішті орындау /қарау/ нәтижесі:",
    "тексерілді: күні",
    "20",
    "ж.",
    "(маманның Т.А.Ә. және қолы)",
    "Ескертпе:",
    "Сауалда арыз берушінің мәліметтері (тегі, аты, әкесінің аты, туған күні, жеке сәйкестендіру нөмірі, құжат мәліметтері, жеке басын растайтын төлқұжат деректер, жеке тұлғаның тұрған жері, заңды тұлғаның атауы, бизнес-сәйкестендіру нөмірі және деректемелері, берілетін ақпараттар түрі, жылжымайтын мүлік объектісінің түрі, мекенжай, нақты жылжымайтын мүлік объектісіне ақпарат алу үшін кадастрлік нөмір көрсетіледі.",
];

/// The same, Russian.
const RU_TEXT: &[&str] = &[
    "Приложение 3 к приказу Министра юстиции Республики Казахстан от 7 июля 2021 года № 565",
    "Приложение 5 к Правилам предоставления информации из правового кадастра Форма",
    "(филиал НАО «Государственная корпорация «Правительство для граждан»»)",
    "Запрос №",
    "на получение информации о государственной регистрации прав (обременений прав) на недвижимое имущество из правового кадастра",
    "Я,",
    "(фамилия, имя, отчество (при его наличии) (далее – Ф.И.О.), паспортные данные (данные удостоверения личности) и место жительства физического лица, наименование и реквизиты юридического лица)",
    "действующий от имени",
    "(заполняется уполномоченным представителем)",
    "на основании",
    "(данные документа, удостоверяющего полномочия)",
    "Прошу предоставить мне: (нужное отметить)",
    "информацию о зарегистрированных правах (обременениях) на недвижимое имущество и его технических характеристиках;",
    "информацию об отсутствии (наличии) недвижимого имущества.",
    "приложение к техническому паспорту, содержащее сведения о собственнике (правообладателе) недвижимого имущества;",
    "копии документов регистрационных дел, заверенные регистрирующим органом, включая план (схему) объектов недвижимости.",
    "Вид объекта недвижимости",
    "Местонахождение объекта",
    "Прилагаю следующие документы:",
    "Дата",
    "(Ф.И.О. и подпись заявителя/уполномоченного представителя)",
    "(Ф.И.О. и подпись специалиста, принявшего заявление)",
    "Результат исполнения /рассмотрения/ заявления:",
    "проверено: дата",
    "20",
    "г.",
    "(Ф.И.О. и подпись специалиста)",
    "Примечание:",
    "В запросе указываются сведения о заявителе (фамилия, имя, отчество, дата рождения, индивидуальный идентификационный номер, сведения о документе, данные паспорта, удостоверяющего личность, место жительства физического лица, наименование юридического лица, бизнес-идентификационный номер и реквизиты), вид предоставляемой информации, вид объекта недвижимости, адрес, кадастровый номер для получения информации на конкретный объект недвижимости.",
];

/// What is drawn as check boxes on a page: the number of small squares (7.7 pt a side at
/// 11 pt text) and the number of diagonal strokes (two cross each checked box). Nothing else
/// on the form is square and that small, or diagonal.
fn check_boxes(pdf: &Pdf, page: u32) -> (usize, usize) {
    let id = pdf.doc.get_pages()[&page];
    let content = pdf.doc.get_and_decode_page_content(id).expect("page content");
    let (mut squares, mut diagonals) = (0, 0);
    // The subpaths of the path being built: points and whether it was closed. One stroke
    // (`S`) may paint many subpaths.
    let mut subpaths: Vec<(Vec<(f32, f32)>, bool)> = Vec::new();
    for op in &content.operations {
        let xy = || (op.operands[0].as_float().expect("x"), op.operands[1].as_float().expect("y"));
        match op.operator.as_str() {
            "m" => subpaths.push((vec![xy()], false)),
            "l" => {
                if let Some(sub) = subpaths.last_mut() {
                    sub.0.push(xy());
                }
            }
            "h" => {
                if let Some(sub) = subpaths.last_mut() {
                    sub.1 = true;
                }
            }
            "S" => {
                for (path, closed) in subpaths.drain(..) {
                    let xs = path.iter().map(|p| p.0);
                    let ys = path.iter().map(|p| p.1);
                    let w = xs.clone().fold(f32::MIN, f32::max) - xs.fold(f32::MAX, f32::min);
                    let h = ys.clone().fold(f32::MIN, f32::max) - ys.fold(f32::MAX, f32::min);
                    if closed && path.len() == 4 && (w - 7.7).abs() < 0.1 && (h - 7.7).abs() < 0.1 {
                        squares += 1;
                    } else if !closed && path.len() == 2 && w > 0.5 && h > 0.5 {
                        diagonals += 1;
                    }
                }
            }
            _ => {}
        }
    }
    (squares, diagonals)
}

#[test]
fn individual_sample_has_both_languages_with_wording_and_data() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/request-individual.yaml"]);
    assert_eq!(pdf.page_count(), 2, "one page per language");
    let kk = fold(&pdf.page_text(1));
    let ru = fold(&pdf.page_text(2));
    assert!(kk.contains("Нысан") && ru.contains("Форма"), "Kazakh comes first");
    assert_in_order(&kk, KK_TEXT);
    assert_in_order(&ru, RU_TEXT);
    assert_contains_all(
        &kk,
        &[
            "\"Азаматтарға арналған үкімет\" мемлекеттік корпорациясы\" КЕАҚ Астана қаласы бойынша филиалы",
            "алуға сауал № С-2021-0720-01384",
            // IIN and date of birth follow the name in the E3 blank (spec note 1).
            "Мен, ӘБІЛҚАСЫМОВА ГҮЛНҰР ҚАЙРАТҚЫЗЫ, туған күні 12.04.1988, ЖСН 880412401551, жеке куәлік № 041234567, 05.05.2016, ҚР ІІМ, Астана қ., Есіл ауданы, Қабанбай батыр даңғылы, 11-үй, 45-пәтер",
            "Жылжымайтын мүлік объектісінің түрі Пәтер",
            // The cadastral number follows the address in the E8 blank (spec note 1).
            "45-пәтер, кадастрлық нөмірі 21:320:105:078:15",
            "Мына құжаттарды қоса беремін: Жеке куәліктің көшірмесі",
            "Күні 20.07.2021",
            "ӘБІЛҚАСЫМОВА Г. Қ.",
        ],
    );
    assert_contains_all(
        &ru,
        &[
            "Запрос № С-2021-0720-01384 на получение информации",
            "Я, ӘБІЛҚАСЫМОВА ГҮЛНҰР ҚАЙРАТҚЫЗЫ, дата рождения 12.04.1988, ИИН 880412401551, удостоверение личности № 041234567, 05.05.2016, МВД РК, г. Астана",
            "Вид объекта недвижимости Квартира",
            "кв. 45, кадастровый номер 21:320:105:078:15",
            "Дата 20.07.2021",
        ],
    );
    // Items 1 and 3 are requested: four boxes, two of them crossed, on each page; no glyphs.
    assert_eq!(check_boxes(&pdf, 1), (4, 4));
    assert_eq!(check_boxes(&pdf, 2), (4, 4));
    for glyph in ["☐", "☒", "☑", "■", "□"] {
        assert!(!kk.contains(glyph) && !ru.contains(glyph), "check boxes are drawn, not {glyph}");
    }
    // Office-use lines stay blank on a request from portal data (spec note 2).
    assert!(!kk.contains("тексерілді: күні 12"), "{kk}");
}

#[test]
fn representative_of_a_company_in_json_with_office_lines_filled() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/request-company.json"]);
    assert_eq!(pdf.page_count(), 2, "the note stays on the page of each language");
    let kk = fold(&pdf.page_text(1));
    let ru = fold(&pdf.page_text(2));
    assert_in_order(&kk, KK_TEXT);
    assert_in_order(&ru, RU_TEXT);
    assert_contains_all(
        &kk,
        &[
            "НҰРЛАНОВ ӘЛИХАН БЕРІКҰЛЫ, туған күні 05.03.1992, ЖСН 920305300773, паспорт № N12345678, 21.11.2019, ҚР ІІМ",
            "«Алатау Құрылыс Инвест» жауапкершілігі шектеулі серіктестігі, БСН 150340004568",
            // The value, its caption, then the word that follows the blank.
            "2024 жылғы 15 қаңтардағы № 3 сенімхат (өкілеттігін куәландыратын құжатының деректері) негізінде",
            "1) 2024 жылғы 15 қаңтардағы № 3 сенімхат 2) Өкілдің паспортының көшірмесі 3) Мемлекеттік тіркеу туралы анықтама",
            "Ғимарат",
            "Ахметова Д. С.",
            "Орындалды",
            "тексерілді: күні 12.03 20 24 ж.",
            "Жұмабеков Е. Т.",
        ],
    );
    assert_contains_all(
        &ru,
        &[
            // Issue 12: the name is free text in the nominative; a colon makes the phrase
            // need no declension ("от имени Товарищество …" would be ungrammatical).
            "действующий от имени: Товарищество с ограниченной ответственностью «Алатау Курылыс Инвест», БИН 150340004568",
            "на основании: Доверенность от 15 января 2024 года № 3",
            "Исполнено",
            "проверено: дата 12.03 20 24 г.",
        ],
    );
    // Items 2 and 4 are requested.
    assert_eq!(check_boxes(&pdf, 1), (4, 4));
    assert_eq!(check_boxes(&pdf, 2), (4, 4));
}

#[test]
fn one_box_crossed_per_item_requested() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (requested, crossed) in [("false", 0), ("true", 2)] {
        let case = dir.path().join(format!("case-{requested}.yaml"));
        let text = replaced_once(BASE, "  rights_info: true\n", &format!("  rights_info: {requested}\n"));
        std::fs::write(&case, text).expect("case written");
        let (_d, _p, pdf) = render_to_pdf(&["render", case.to_str().expect("path"), "--lang", "kk"]);
        assert_eq!(check_boxes(&pdf, 1), (4, crossed), "rights_info: {requested}");
    }
}

#[test]
fn blank_form_can_be_filled_in_by_hand() {
    let (_dir, _path, pdf) = render_to_pdf(&["blank", "request"]);
    assert_eq!(pdf.page_count(), 2, "one page per language");
    let kk = fold(&pdf.page_text(1));
    let ru = fold(&pdf.page_text(2));
    assert_in_order(&kk, KK_TEXT);
    assert_in_order(&ru, RU_TEXT);
    assert!(kk.contains("сауал №_________"), "the number blank: {kk}");
    assert!(ru.contains("Запрос №_________ на получение"), "the number blank: {ru}");
    // Empty boxes, drawn.
    assert_eq!(check_boxes(&pdf, 1), (4, 0));
    assert_eq!(check_boxes(&pdf, 2), (4, 0));
    // Real blank lines: every caption sits under an underline, and no data is printed.
    let id = pdf.doc.get_pages()[&1];
    let content = pdf.doc.get_and_decode_page_content(id).expect("content");
    // Open two-point horizontal subpaths (`x y m x' y l`, then a new subpath or the stroke).
    let ops = &content.operations;
    let lines = (0..ops.len().saturating_sub(2))
        .filter(|&i| {
            ops[i].operator == "m"
                && ops[i + 1].operator == "l"
                && matches!(ops[i + 2].operator.as_str(), "m" | "S")
                && ops[i].operands[1].as_float().ok() == ops[i + 1].operands[1].as_float().ok()
        })
        .count();
    assert!(lines >= 16, "a blank request has at least 16 underlines, got {lines}");
    assert!(!kk.contains("ЖСН") && !kk.contains("кадастрлық нөмірі"), "no data labels on a blank form");
    // The act's own wording on the blank: the preposition before the line, no colon.
    assert!(!ru.contains("от имени:") && !ru.contains("на основании:"), "{ru}");
}

/// Issue 12: after "от имени" / "на основании" a filled request never prints a name in the
/// nominative, which Russian grammar does not allow there.
#[test]
fn issue_12_no_ungrammatical_nominative_after_a_preposition() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/request-company.json", "--lang", "ru"]);
    let ru = pdf.text();
    assert_in_order(&ru, &["действующий от имени: Товарищество", "на основании: Доверенность"]);
    assert!(!ru.contains("от имени Товарищество") && !ru.contains("на основании Доверенность"), "{ru}");
}

#[test]
fn forms_lists_the_legal_source_and_schema_is_json_schema() {
    let listing = forms_listing();
    assert!(listing.contains(
        "request\n  kk: Құқықтық кадастардан жылжымайтын мүлікке құқықтарды (құқықтық ауыртпалықты) мемлекеттік тіркеу туралы ақпарат алуға сауал\n  ru: Запрос на получение информации о государственной регистрации прав (обременений прав) на недвижимое имущество из правового кадастра\n  source: Order of the Minister of Justice of the Republic of Kazakhstan No. 565 of 7 July 2021, appendix 3 (Rules, appendix 5)\n  languages: kk, ru (default kk,ru)"
    ), "{listing}");
    let value = schema_of("request");
    assert_required(&value, &["branch", "applicant", "requested", "date"]);
    let requested = &value["properties"]["requested"]["properties"];
    for item in ["rights_info", "presence_info", "tech_passport_annex", "registration_file_copies"] {
        assert_eq!(requested[item]["type"], "boolean", "{item}");
    }
    assert_eq!(
        value["properties"]["representation"]["required"],
        serde_json::json!(["on_behalf_of", "authority_document"])
    );
}

// ---- bad input ------------------------------------------------------------------------

/// A valid request by a representative; each test below changes one thing.
const BASE: &str = r#"form: request
branch: Филиал
applicant:
  kind: individual
  full_name: Әлиев Әли
  birth_date: 1988-04-12
  iin: "880412401551"
  identity_document:
    kind: id_card
    number: "041234567"
    issued_on: 2016-05-05
    issued_by: ҚР ІІМ
  residence: Астана қ.
representation:
  on_behalf_of: «Алатау» ЖШС
  authority_document: Сенімхат № 3
requested:
  rights_info: true
object_kind: flat
object_location: Астана қ.
cadastral_number: "21:320:105:078:15"
attachments:
  - Көшірме
date: 2021-07-20
checked_date: 2021-07-21
"#;

#[test]
fn base_case_renders() {
    accept_case("case.yaml", BASE);
}

#[test]
fn applicant_iin_with_a_wrong_check_digit() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "880412401551", "880412401552"),
        "error: case.yaml:7:8: applicant.iin: check digit is 2, expected 1\n",
    );
}

#[test]
fn legal_entity_bin_with_a_wrong_check_digit() {
    refuse_case(
        "case.yaml",
        &replaced_once(
            BASE,
            "  kind: individual\n  full_name: Әлиев Әли\n  birth_date: 1988-04-12\n  iin: \"880412401551\"\n  identity_document:\n    kind: id_card\n    number: \"041234567\"\n    issued_on: 2016-05-05\n    issued_by: ҚР ІІМ\n  residence: Астана қ.\n",
            "  kind: legal_entity\n  name: «Алатау» ЖШС\n  bin: \"150340004567\"\n",
        ),
        "error: case.yaml:6:8: applicant.bin: check digit is 7, expected 8\n",
    );
}

#[test]
fn birth_date_after_the_date_of_the_request() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "birth_date: 1988-04-12", "birth_date: 2021-07-21"),
        "error: case.yaml:6:15: applicant.birth_date: must not be after date (20.07.2021)\n",
    );
}

#[test]
fn identity_document_issued_after_the_date_of_the_request() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "issued_on: 2016-05-05", "issued_on: 2021-07-21"),
        "error: case.yaml:11:16: applicant.identity_document.issued_on: must not be after date (20.07.2021)\n",
    );
}

#[test]
fn unknown_kind_of_identity_document() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "kind: id_card", "kind: visa"),
        "error: case.yaml:9:11: applicant.identity_document.kind: unknown value \"visa\" (expected one of: id_card, passport)\n",
    );
}

#[test]
fn applicant_without_a_kind() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "  kind: individual\n", ""),
        "error: case.yaml:4:3: applicant.kind: required field is missing (individual or legal_entity)\n",
    );
}

#[test]
fn check_box_that_is_not_true_or_false() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "rights_info: true", "rights_info: \"yes\""),
        "error: case.yaml:18:16: requested.rights_info: expected true or false, got a string\n",
    );
}

#[test]
fn misspelt_kind_of_information() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "rights_info: true", "rights_inf: true"),
        "error: case.yaml:18:3: requested.rights_inf: unknown field \"rights_inf\"\n  hint: did you mean \"rights_info\"?\n",
    );
}

#[test]
fn request_without_the_kinds_of_information() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "requested:\n  rights_info: true\n", ""),
        "error: case.yaml:1:1: requested: required field is missing\n",
    );
}

#[test]
fn representative_without_the_document_of_authority() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "  authority_document: Сенімхат № 3\n", ""),
        "error: case.yaml:15:3: representation.authority_document: required field is missing\n",
    );
}

#[test]
fn malformed_cadastral_number() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "\"21:320:105:078:15\"", "\"21:32A:105:078:15\""),
        "error: case.yaml:21:19: cadastral_number: \"21:32A:105:078:15\" is not a cadastral number (expected groups of digits like 09:145:029:019)\n",
    );
}

#[test]
fn unknown_kind_of_object() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "object_kind: flat", "object_kind: flatt"),
        "error: case.yaml:19:14: object_kind: unknown code \"flatt\" in the dictionary object_kind\n  hint: did you mean \"flat\"?\n  hint: `anyqtama codes object_kind` lists the codes\n",
    );
}

#[test]
fn attachments_that_are_not_a_list() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "attachments:\n  - Көшірме", "attachments: Көшірме"),
        "error: case.yaml:22:14: attachments: expected a list, got a string\n",
    );
}

#[test]
fn date_checked_that_is_not_in_the_calendar() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "checked_date: 2021-07-21", "checked_date: 2021-02-30"),
        "error: case.yaml:25:15: checked_date: 2021-02-30 is not a date in the calendar\n",
    );
}

/// Issue 12: the note's ru follows the kk "жеке басын растайтын төлқұжат деректері" (the data
/// of the passport that proves identity): the passport proves identity, not its data.
#[test]
fn issue_12_note_names_the_passport_that_proves_identity() {
    let (_dir, _path, pdf) = render_to_pdf(&["blank", "request", "--lang", "ru"]);
    let ru = pdf.text();
    assert!(ru.contains("данные паспорта, удостоверяющего личность"), "{ru}");
    assert!(!ru.contains("паспортные данные, удостоверяющие личность"), "{ru}");
}
