//! Order 565, appendix 2: the presence (absence) of real estate certificate, read back from the
//! PDF; and its bad input, refused with exact messages.

mod common;

use common::*;

/// The official headings and captions of the form (spec 565-app2 §2), Kazakh, in the order
/// of the form.
const KK_HEADINGS: &[&str] = &[
    "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына 2-қосымша",
    "Құқықтық кадастрдан ақпарат ұсыну туралы қағидаға қосымша-3 Нысан",
    "(Қазақстан Республикасы Әділет министрлігінің аумақтық органы)",
    "Жылжымайтын мүлкінің бар (жоқ) екендігі туралы ақпарат",
    "Берілді",
    "(жеке тұлғаның тегі, аты, әкесінің аты, туған күні және ЖСН;",
    "заңды тұлғаның атауы және БСН, оның өкілінің тегі, аты, әкесінің аты)",
    "(жеке тұлға үшін - тегі, аты, әкесінің аты, туған күні және ЖСН)",
    "тұлғаға",
    "заңды тұлға үшін - атауы және БСН)",
    "1. Жылжымайтын мүлік тіркелді:",
    "2. Жылжымайтын мүлікке жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару құқығы тіркелген, құқық иесі (меншік иесі) басқа тұлға болып табылады.",
    "3. Бұрын осы тұлғаға жылжымайтын мүлікке құқықтары тіркелген:",
    "4. Бұрын осы тұлғаға жылжымайтын мүлікке жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару құқығы тіркелген, құқық иесі (меншік иесі) басқа тұлға болып табылады.",
    "Орындаушы:",
    "Бөлім бастығы:",
    "Басшысы:",
    "(қолы) (тегі, аты, әкесінің аты)",
    "Ескертпе: ақпараттар берген сәтінде жарамды болып табылады.",
];

/// The same, Russian.
const RU_HEADINGS: &[&str] = &[
    "Приложение 2 к приказу Министра юстиции Республики Казахстан от 7 июля 2021 года № 565",
    "Приложение 3 к Правилам предоставления информации из правового кадастра Форма",
    "(территориальный орган Министерства юстиции Республики Казахстан)",
    "Информация о наличии (отсутствии) недвижимого имущества",
    "Выдана",
    "(фамилия, имя, отчество, дата рождения и ИИН физического лица;",
    "наименование и БИН юридического лица, фамилия, имя, отчество его представителя)",
    "в отношении лица",
    "(для физического лица – фамилия, имя, отчество, дата рождения и ИИН;",
    "для юридического лица – наименование и БИН)",
    "1. Зарегистрировано недвижимое имущество:",
    "2. Зарегистрировано право аренды, безвозмездного пользования, доверительного управления на недвижимое имущество, правообладателем (собственником) которого является другое лицо.",
    "3. Ранее за данным лицом были зарегистрированы права на недвижимое имущество:",
    "4. Ранее за данным лицом было зарегистрировано право аренды, безвозмездного пользования, доверительного управления на недвижимое имущество, правообладателем (собственником) которого является другое лицо.",
    "Исполнитель:",
    "Начальник отдела:",
    "Руководитель:",
    "(подпись) (фамилия, имя, отчество)",
    "Примечание: сведения действительны на момент выдачи.",
];

/// The column headers of tables S1–S4 and the address caption, Kazakh (the act's own
/// "Құқық иеленуші, (меншік иесі)", "Меншік құқықтың" and "құқығының тоқтату" kept).
const KK_TABLES: &[&str] = &[
    "(мекенжай, мекенжайдың тіркеу коды - бар болған жағдайда)",
    "Жылжымайтын мүлік объектісі (объект түрі, нысаналы мақсаты, кадастрлық нөмірі)",
    "Құқықтың түрі, меншік нысаны (дара немесе жалпы үлес)",
    "Құқықтың пайда болу негізі, тіркеу күні және уақыты",
    "Тіркелген ауыртпалықтардың болуы (ауыртпалықтың түрі, мүдделі тұлға, ауыртпалықтың туындау негізі, тіркеу күні және уақыты)",
    "Жылжымайтын мүлікке құқықтардың немесе құқықтық ауыртпалықтардың туындауына әкеп соқтырмайтын заңдық талаптар мен мәмілелердің тіркелуі",
    "Құқық иеленуші, (меншік иесі)",
    "Меншік құқықтың пайда болу негізі, тіркеу күні және уақыты",
    "Жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару негізі, тіркеу күні және уақыты",
    "Құқықтың түрі, меншік нысаны (дара немесе жалпы, үлес)",
    "Құқықты тоқтату негізі, тіркеу күні және уақыты",
    "Жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару құқығының пайда болу негізі, тіркеу күні және уақыты",
    "Жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару құқығының тоқтату негізі, тіркеу күні және уақыты",
];

/// The same, Russian.
const RU_TABLES: &[&str] = &[
    "(адрес, регистрационный код адреса – при наличии)",
    "Объект недвижимости (вид объекта, целевое назначение, кадастровый номер)",
    "Вид права, форма собственности (единоличная или общая, доля)",
    "Основание возникновения права, дата и время регистрации",
    "Наличие зарегистрированных обременений (вид обременения, заинтересованное лицо, основание возникновения обременения, дата и время регистрации)",
    "Регистрация юридических притязаний и сделок, не влекущих возникновение прав или обременений прав на недвижимое имущество",
    "Правообладатель (собственник)",
    "Основание возникновения права собственности, дата и время регистрации",
    "Основание аренды, безвозмездного пользования, доверительного управления, дата и время регистрации",
    "Основание прекращения права, дата и время регистрации",
    "Основание возникновения права аренды, безвозмездного пользования, доверительного управления, дата и время регистрации",
    "Основание прекращения права аренды, безвозмездного пользования, доверительного управления, дата и время регистрации",
];

/// The text of the Kazakh pages and of the Russian pages, told apart by their footers.
fn by_language(pdf: &Pdf) -> (String, String) {
    let (mut kk, mut ru) = (Vec::new(), Vec::new());
    for page in 1..=pdf.page_count() as u32 {
        let text = fold(&pdf.page_text(page));
        if text.contains("беттің") {
            kk.push(text);
        } else {
            assert!(text.contains("Страница"), "page {page} has no footer: {text}");
            ru.push(text);
        }
    }
    (kk.join(" "), ru.join(" "))
}

#[test]
fn individual_sample_has_both_languages_with_headings_and_data() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/presence-certificate-individual.yaml"]);
    let (kk, ru) = by_language(&pdf);
    assert!(fold(&pdf.page_text(1)).contains("Нысан"), "Kazakh comes first");
    assert_in_order(&kk, KK_HEADINGS);
    assert_contains_all(&kk, KK_TABLES);
    assert_in_order(&ru, RU_HEADINGS);
    assert_contains_all(&ru, RU_TABLES);
    assert!(kk.contains("Мөр орны (болған жағдайда)") && ru.contains("Место печати (при наличии)"));
    assert_contains_all(
        &kk,
        &[
            "Қазақстан Республикасы Әділет министрлігінің Астана қаласы Әділет департаменті",
            // E3: the number and the date in the blank's order (spec note 3).
            "№ П-2021-000731 «20» шілде 2021 жыл",
            "ӘБІЛҚАСЫМОВА ГҮЛНҰР ҚАЙРАТҚЫЗЫ, 12.04.1988, ЖСН 880412401551",
            // Groups: the first of section 1 as the act prints "1)", the others "мекенжайы бойынша:".
            "1) Мекенжайда орналасқан жылжымайтын мүлікке құқық:",
            "Астана қ., Есіл ауданы, Қабанбай батыр даңғылы, 11-үй, 45-пәтер, 0203400012345678",
            "Пәтер, тұрғын үй-жай, 21:320:105:078:15",
            "Меншік құқығы, ортақ үлестік меншік, 1/2",
            "05.04.2019 11:20:00",
            "Ипотека, «Отбасы банк» АҚ, БСН 050140000110",
            "«Сарыарқа Сауда Орталығы» ЖШС, БСН 120540007891",
            "Жалға алу құқығы: 2020 жылғы 1 ақпандағы № 17 жалға алу шарты",
            "1) Мекенжайы бойынша: Ақмола облысы",
            "2018 жылғы 22 қазандағы № 3-918 сатып алу-сату шарты",
            "25.10.2018 12:30:00",
            "НҰРЛАНОВ ӘЛИХАН БЕРІКҰЛЫ, ЖСН 920305300773",
            "Серікбаева А. М.",
        ],
    );
    assert_contains_all(
        &ru,
        &[
            "№ П-2021-000731 «20» июля 2021 года",
            "1) Право на недвижимое имущество, расположенное по адресу:",
            "г. Астана, район Есиль, проспект Кабанбай батыра, дом 11, кв. 45",
            "Квартира, жилое помещение, 21:320:105:078:15",
            "Право собственности, общая долевая собственность, 1/2",
            "ИИН 880412401551",
            "Право аренды: Договор аренды от 1 февраля 2020 года № 17",
            "1) По адресу: Акмолинская область",
            "Соглашение о расторжении договора от 1 марта 2019 года",
        ],
    );
    // An object without legal claims gets the empty-cell mark; a filled form has no dots.
    assert!(kk.contains("11:25:00 —"), "{kk}");
    assert!(!kk.contains("......"), "the blank form's continuation marks are not printed");
    assert!(!kk.contains("1) Меншік құқығы"), "a single right in an object is not numbered");
}

#[test]
fn company_sample_spans_pages_numbers_its_address_groups_and_repeats_headers() {
    let (_dir, _path, pdf) =
        render_to_pdf(&["render", "samples/presence-certificate-company.yaml", "--lang", "kk"]);
    let pages = pdf.page_count();
    assert!(pages >= 4, "fourteen addresses span at least four pages, got {pages}");
    for page in 1..=pages as u32 {
        let text = fold(&pdf.page_text(page));
        let footer = format!("{pages} беттің {page}-беті");
        assert!(text.contains(&footer), "page {page} has no footer \"{footer}\"");
        assert!(
            text.contains("Жылжымайтын мүлік объектісі (объект түрі, нысаналы мақсаты, кадастрлық нөмірі)"),
            "page {page} carries no table header"
        );
    }
    let text = pdf.text();
    let mut groups: Vec<String> = vec!["1) Мекенжайда орналасқан жылжымайтын мүлікке құқық:".into()];
    groups.extend((2..=14).map(|n| format!("{n}) мекенжайы бойынша:")));
    groups.push("2. Жылжымайтын мүлікке жалға беру".into());
    groups.extend((1..=3).map(|n| format!("{n}) мекенжайы бойынша:")));
    groups.push("3. Бұрын осы тұлғаға".into());
    groups.push("1) Мекенжайы бойынша:".into());
    groups.extend((2..=4).map(|n| format!("{n}) мекенжайы бойынша:")));
    groups.push("4. Бұрын осы тұлғаға".into());
    groups.extend((1..=2).map(|n| format!("{n}) мекенжайы бойынша:")));
    groups.push("Орындаушы:".into());
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    assert_in_order(&text, &groups);
    assert!(!text.contains("15) мекенжайы бойынша:"));
    assert_contains_all(
        &text,
        &[
            "«Алатау Құрылыс Инвест» жауапкершілігі шектеулі серіктестігі, БСН 150340004568, НҰРЛАНОВ ӘЛИХАН БЕРІКҰЛЫ",
            // A building bought in two steps: each right numbered in columns 2 and 3.
            "1) Меншік құқығы, ортақ үлестік меншік, 1/3",
            "2) Меншік құқығы, ортақ үлестік меншік, 1/6",
            "2) Тыйым салу (қамауға алу), Алматы қаласы Алмалы аудандық соты",
            "Алдын ала шарт, Үй-жайды сатып алу-сату туралы алдын ала шарт",
            "Өтеусіз пайдалану құқығы: 2022 жылғы 4 мамырдағы № ӨП-3 өтеусіз пайдалану шарты",
            "Сенімгерлікпен басқару құқығы:",
            "ТОҚТАРОВ ЕРЛАН САҒЫНТАЙҰЛЫ, ЖСН 871111400210",
        ],
    );
}

#[test]
fn company_yaml_and_json_render_to_the_same_bytes() {
    assert_same_pdf_bytes(
        &["render", "samples/presence-certificate-company.yaml"],
        &["render", "samples/presence-certificate-company.json"],
    );
}

#[test]
fn russian_only_and_a4_pages() {
    let (_dir, _path, pdf) =
        render_to_pdf(&["render", "samples/presence-certificate-company.json", "--lang", "ru"]);
    let text = pdf.text();
    assert!(!text.contains("Нысан") && !text.contains("беттің"), "no Kazakh version with --lang ru");
    assert_contains_all(
        &text,
        &[
            "14) по адресу:",
            "Товарищество с ограниченной ответственностью «Алатау Курылыс Инвест», БИН 150340004568",
        ],
    );
    let total = pdf.page_count();
    assert!(fold(&pdf.page_text(total as u32)).contains(&format!("Страница {total} из {total}")));
    for mb in pdf.media_boxes() {
        assert!((mb[2] - 595.276).abs() < 0.01 && (mb[3] - 841.89).abs() < 0.01, "{mb:?} is not A4");
    }
}

#[test]
fn certificate_of_absence_prints_every_section_as_empty() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/presence-certificate-absence.yaml"]);
    let (kk, ru) = by_language(&pdf);
    // Each heading is followed by the mark of an empty section (spec note 6), in order.
    assert_in_order(
        &kk,
        &[
            "Берілді АБЕШОВ АБЕШ МҰРАТҰЛЫ, 25.06.1976, ЖСН 760625301668",
            "1. Жылжымайтын мүлік тіркелді: —",
            "2. Жылжымайтын мүлікке жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару құқығы тіркелген, құқық иесі (меншік иесі) басқа тұлға болып табылады. —",
            "3. Бұрын осы тұлғаға жылжымайтын мүлікке құқықтары тіркелген: —",
            "4. Бұрын осы тұлғаға жылжымайтын мүлікке жалға беру, өтеусіз пайдалану, сенімгерлікпен басқару құқығы тіркелген, құқық иесі (меншік иесі) басқа тұлға болып табылады. —",
            "Орындаушы:",
        ],
    );
    assert_in_order(
        &ru,
        &[
            "1. Зарегистрировано недвижимое имущество: —",
            "2. Зарегистрировано право аренды, безвозмездного пользования, доверительного управления на недвижимое имущество, правообладателем (собственником) которого является другое лицо. —",
            "3. Ранее за данным лицом были зарегистрированы права на недвижимое имущество: —",
            "4. Ранее за данным лицом было зарегистрировано право аренды, безвозмездного пользования, доверительного управления на недвижимое имущество, правообладателем (собственником) которого является другое лицо. —",
        ],
    );
    assert!(
        !kk.contains("мекенжайы бойынша") && !kk.contains("Құқық иеленуші"),
        "no address groups or tables"
    );
    // Issue 12: the caption is the act's and always printed; `seal: false` says no seal is
    // applied, not that the caption goes.
    assert_in_order(&kk, &["Орындаушы:", "Мөр орны (болған жағдайда)"]);
    assert_in_order(&ru, &["Исполнитель:", "Место печати (при наличии)"]);
    assert_eq!(pdf.page_count(), 2, "one page per language");
}

#[test]
fn blank_form_has_every_caption_in_order_and_no_data() {
    for (lang, headings, tables, blank_line, second, dots) in [
        (
            "kk",
            KK_HEADINGS,
            KK_TABLES,
            "№ ________ \"___\" ________ ____ жыл",
            "2) мекенжайы бойынша:",
            ".........",
        ),
        ("ru", RU_HEADINGS, RU_TABLES, "№ ________ «___» ________ ____ года", "2) по адресу:", "........."),
    ] {
        let (_dir, _path, pdf) = render_to_pdf(&["blank", "presence-certificate", "--lang", lang]);
        let text = pdf.text();
        assert_in_order(&text, headings);
        assert_contains_all(&text, tables);
        assert_contains_all(&text, &[blank_line, second, dots]);
        // Each section shows "1)" with its table and "2)" without one (spec note 5).
        assert_eq!(text.matches(second).count(), 4, "{lang}: one \"2)\" per section");
        assert!(!text.contains("—"), "{lang}: a blank form has no empty-section marks");
    }
    let (_dir, _path, kk) = render_to_pdf(&["blank", "presence-certificate", "--lang", "kk"]);
    let text = kk.text();
    assert_in_order(
        &text,
        &[
            "1) Мекенжайда орналасқан жылжымайтын мүлікке құқық:",
            "2) мекенжайы бойынша:",
            "1) мекенжайы бойынша:",
            "1) Мекенжайы бойынша:",
            "Құқықты тоқтату негізі",
            "1) мекенжайы бойынша:",
        ],
    );
    assert!(text.contains("Мөр орны (болған жағдайда)"));
    assert!(text.contains("қағидаға қосымша-3"), "the act's \"қосымша-3\" is kept");
}

#[test]
fn forms_lists_the_legal_source_and_schema_is_json_schema() {
    let listing = forms_listing();
    assert!(listing.contains(
        "presence-certificate\n  kk: Жылжымайтын мүлкінің бар (жоқ) екендігі туралы ақпарат\n  ru: Информация о наличии (отсутствии) недвижимого имущества\n  source: Order of the Minister of Justice of the Republic of Kazakhstan No. 565 of 7 July 2021, appendix 2 (Rules, appendix 3)\n  languages: kk, ru (default kk,ru)"
    ), "{listing}");
    let value = schema_of("presence-certificate");
    assert_required(&value, &["issuer", "number", "date", "requester", "subject"]);
    for section in ["section1", "section2", "section3", "section4"] {
        assert_eq!(value["properties"][section]["type"], "array");
        let row = &value["properties"][section]["items"]["properties"]["rows"]["items"];
        assert_eq!(row["additionalProperties"], false, "{section}");
        assert_eq!(row["properties"]["object"]["type"], "object", "{section}");
    }
}

// ---- bad input ------------------------------------------------------------------------

/// A valid case with every section filled; each test below changes one thing.
const BASE: &str = r#"form: presence-certificate
issuer: Әділет департаменті
number: "П-1"
date: 2021-07-20
requester:
  kind: individual
  full_name: Әлиев Әли
  birth_date: 1988-04-12
  iin: "880412401551"
subject:
  kind: legal_entity
  name: «Алатау» ЖШС
  bin: "150340004568"
section1:
  - address: Астана қ.
    rows:
      - object:
          kind: flat
          purpose: Тұрғын үй-жай
          cadastral_number: "21:320:105:078:15"
        rights:
          - right_kind: ownership
            ownership: shared
            share: 1/2
            basis: Шарт
            registered_at: 2019-04-05T11:20
        encumbrances:
          - kind: mortgage
            interested_person: Банк
            interested_person_bin: "050140000110"
            basis: Шарт
            registered_at: 2019-04-05T11:25
section2:
  - address: Астана қ.
    rows:
      - object:
          kind: non_residential_premises
          purpose: Сауда үй-жайы
          cadastral_number: "21:318:042:016:1:3"
        holder: «Сарыарқа» ЖШС
        holder_bin: "120540007891"
        ownership_basis: Акт
        ownership_registered_at: 2012-11-20T09:40
        use_kind: lease
        use_basis: Шарт
        use_registered_at: 2020-02-04T16:05
section3:
  - address: Алматы қ.
    rows:
      - object:
          kind: building
          purpose: Ғимарат
          cadastral_number: "20:311:100:020:1"
        right_kind: ownership
        ownership: sole
        basis: Шарт
        registered_at: 2015-01-05T10:05
        termination_basis: Шарт
        terminated_at: 2018-10-25T12:30
section4:
  - address: Астана қ.
    rows:
      - object:
          kind: flat
          purpose: Тұрғын үй-жай
          cadastral_number: "21:319:011:070:112"
        holder: Нұрланов Ә.
        holder_iin: "920305300773"
        use_basis: Шарт
        use_registered_at: 2016-09-02T14:00
        termination_basis: Келісім
        terminated_at: 2019-03-04T10:20
"#;

#[test]
fn base_case_renders() {
    accept_case("case.yaml", BASE);
}

#[test]
fn a_registration_later_on_the_day_of_issue_is_accepted() {
    let run = render_case_in_dir(
        "case.yaml",
        &replaced_once(BASE, "registered_at: 2019-04-05T11:20", "registered_at: 2021-07-20T18:45"),
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn termination_before_the_origin_of_a_right() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "terminated_at: 2018-10-25T12:30", "terminated_at: 2014-12-31T09:00"),
        "error: case.yaml:59:24: section3[0].rows[0].terminated_at: must be after registered_at (05.01.2015 10:05)\n",
    );
}

#[test]
fn termination_at_the_moment_of_origin() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "terminated_at: 2018-10-25T12:30", "terminated_at: 2015-01-05T10:05"),
        "error: case.yaml:59:24: section3[0].rows[0].terminated_at: must be after registered_at (05.01.2015 10:05)\n",
    );
}

#[test]
fn lease_terminated_before_it_was_registered() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "terminated_at: 2019-03-04T10:20", "terminated_at: 2016-09-01T10:20"),
        "error: case.yaml:72:24: section4[0].rows[0].terminated_at: must be after use_registered_at (02.09.2016 14:00)\n",
    );
}

#[test]
fn registration_after_the_date_of_issue() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "registered_at: 2019-04-05T11:20", "registered_at: 2021-07-21T09:00"),
        "error: case.yaml:26:28: section1[0].rows[0].rights[0].registered_at: must not be after date (20.07.2021)\n",
    );
}

#[test]
fn termination_after_the_date_of_issue() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "terminated_at: 2018-10-25T12:30", "terminated_at: 2021-08-01T10:00"),
        "error: case.yaml:59:24: section3[0].rows[0].terminated_at: must not be after date (20.07.2021)\n",
    );
}

#[test]
fn shares_of_one_object_add_up_to_more_than_a_whole() {
    refuse_case(
        "case.yaml",
        &replaced_once(
            BASE,
            "            registered_at: 2019-04-05T11:20\n",
            "            registered_at: 2019-04-05T11:20\n          - right_kind: ownership\n            ownership: shared\n            share: 2/3\n            basis: Мұрагерлік\n            registered_at: 2020-01-10T10:00\n",
        ),
        "error: case.yaml:22:11: section1[0].rows[0].rights: the shares add up to 7/6, more than a whole\n",
    );
}

#[test]
fn share_more_than_a_whole() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "share: 1/2", "share: 3/2"),
        "error: case.yaml:24:20: section1[0].rows[0].rights[0].share: 3/2 is more than a whole share\n",
    );
}

#[test]
fn requester_iin_with_a_wrong_check_digit() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "880412401551", "880412401552"),
        "error: case.yaml:9:8: requester.iin: check digit is 2, expected 1\n",
    );
}

#[test]
fn subject_bin_with_a_wrong_check_digit() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "150340004568", "150340004567"),
        "error: case.yaml:13:8: subject.bin: check digit is 7, expected 8\n",
    );
}

#[test]
fn interested_person_bin_with_a_wrong_check_digit() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "050140000110", "050140000111"),
        "error: case.yaml:30:36: section1[0].rows[0].encumbrances[0].interested_person_bin: check digit is 1, expected 0\n",
    );
}

#[test]
fn owner_iin_with_a_wrong_check_digit() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "920305300773", "920305300774"),
        "error: case.yaml:68:21: section4[0].rows[0].holder_iin: check digit is 4, expected 3\n",
    );
}

#[test]
fn unknown_form_of_ownership() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "ownership: sole", "ownership: solo"),
        "error: case.yaml:55:20: section3[0].rows[0].ownership: unknown code \"solo\" in the dictionary ownership_form\n  hint: did you mean \"sole\"?\n  hint: `anyqtama codes ownership_form` lists the codes\n",
    );
}

#[test]
fn address_group_without_rows() {
    refuse_case(
        "case.yaml",
        &replaced_once(
            BASE,
            "            registered_at: 2019-04-05T11:25\n",
            "            registered_at: 2019-04-05T11:25\n  - address: Қостанай қ.\n    rows: []\n",
        ),
        "error: case.yaml:34:11: section1[1].rows: needs at least one item\n",
    );
}

#[test]
fn address_group_without_an_address() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "  - address: Алматы қ.\n    rows:", "  - rows:"),
        "error: case.yaml:48:5: section3[0].address: required field is missing\n",
    );
}

#[test]
fn birth_date_after_the_date_of_issue() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "birth_date: 1988-04-12", "birth_date: 2021-07-21"),
        "error: case.yaml:8:15: requester.birth_date: must not be after date (20.07.2021)\n",
    );
}

#[test]
fn unknown_kind_of_subject() {
    refuse_case(
        "case.yaml",
        &replaced_once(BASE, "kind: legal_entity", "kind: company"),
        "error: case.yaml:11:9: subject.kind: unknown kind \"company\" (expected individual or legal_entity)\n",
    );
}

/// Issue 12: values joined into one cell follow the language's capitalisation: only the
/// first part starts with a capital letter; abbreviations and names keep theirs.
#[test]
fn issue_12_joined_values_take_the_languages_capitalisation() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/presence-certificate-individual.yaml"]);
    let (kk, ru) = by_language(&pdf);
    assert_contains_all(
        &kk,
        &[
            "Пәтер, тұрғын үй-жай, 21:320:105:078:15",
            "Меншік құқығы, ортақ үлестік меншік, 1/2",
            "Тұрғын емес үй-жай, сауда үй-жайы, 21:318:042:016:1:3",
        ],
    );
    assert_contains_all(
        &ru,
        &[
            "Квартира, жилое помещение, 21:320:105:078:15",
            "Право собственности, общая долевая собственность, 1/2",
            "Нежилое помещение, торговое помещение, 21:318:042:016:1:3",
        ],
    );
    for text in [&kk, &ru] {
        assert!(!text.contains(", Тұрғын үй-жай") && !text.contains(", Жилое помещение"), "{text}");
    }
}

/// Issue 12: every cadastral number of the company sample on one line (one text run per
/// line in the PDF: a broken number reads "20:311:100: 020"), in both languages.
#[test]
fn issue_12_every_cadastral_number_of_the_company_sample_is_on_one_line() {
    let sample =
        std::fs::read_to_string(root().join("samples/presence-certificate-company.yaml")).expect("sample");
    let numbers: Vec<&str> =
        sample.lines().filter_map(|l| l.trim().strip_prefix("cadastral_number:")).map(str::trim).collect();
    assert!(numbers.len() >= 30, "{numbers:?}");
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/presence-certificate-company.yaml"]);
    let text = pdf.text();
    for n in &numbers {
        let printed = text
            .match_indices(&format!(", {n}"))
            .filter(|(i, m)| !text[i + m.len()..].starts_with(|c: char| c.is_ascii_digit() || c == ':'))
            .count();
        let listed = numbers.iter().filter(|m| *m == n).count() * 2;
        assert!(printed >= listed, "{n} is whole {printed} times, listed {listed} times:\n{text}");
    }
}

/// Issue 12: the page holding the signatures holds the header of the last table and at
/// least one of its rows before them, in both languages.
#[test]
fn issue_12_the_signatures_keep_the_last_row_of_the_table_before_them() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/presence-certificate-company.yaml"]);
    let text = form_text("565-app2-presence-certificate");
    let mut seen = 0;
    for page in 1..=pdf.page_count() as u32 {
        let page_text = fold(&pdf.page_text(page));
        for lang in ["kk", "ru"] {
            let header = fold(text["s4_termination"][lang].as_str().expect("wording"));
            let executor = text["sig_executor"][lang].as_str().expect("wording");
            let Some(signatures) = page_text.find(executor) else { continue };
            seen += 1;
            let header_end = page_text[..signatures].rfind(&header).unwrap_or_else(|| {
                panic!("page {page}: no table header before the signatures:\n{page_text}")
            }) + header.len();
            let row = page_text[header_end..signatures].trim();
            assert!(!row.is_empty(), "page {page}: no table row before the signatures:\n{page_text}");
        }
    }
    assert_eq!(seen, 2, "one page of signatures per language");
}
