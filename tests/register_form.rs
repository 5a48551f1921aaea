//! Order 246, appendix 2: the Register of state registration, read back from the PDF in
//! Kazakh, Russian and English: the intranet-portal register and the paper journal.

mod common;

use common::*;

/// Column headers 1–9 (spec 246-app2, A2 and B2), Kazakh.
const KK_COLUMNS: &[&str] = &[
    "Мемлекеттік тіркеу күні",
    "Мемлекеттік тіркеу нөмірі",
    "НҚА қабылдаған мемлекеттік органның (-дардың) атауы",
    "НҚА қабылдаған күні, тіркеу нөмірі және атауы",
    "НҚА өзгеріс (терді) және/немесе толықтыру(ларды) енгізуді көздейтін мемлекеттік тіркеу нөмірі және күні",
    "НҚА-ның (немесе оның құрылымдық элементін) қолданысын тоқтата тұруды көздейтін мемлекеттік тіркеу нөмірі және күні",
    "НҚА (немесе оның құрылымдық элементін) күші жойылды деп тануды көздейтін мемлекеттік тіркеу нөмірі және күні",
    "Сот шешімінің күні мен нөмірі көрсетіле отырып, НҚА мемлекеттік тіркеуді жою туралы сот шешімінің күшіне енген күні",
    "Өзге мәліметтер",
];

const RU_COLUMNS: &[&str] = &[
    "Дата государственной регистрации",
    "Номер государственной регистрации",
    "Наименование государственного органа (-ов), принявшего (-их) НПА",
    "Дата принятия, регистрационный номер и наименование НПА",
    "Номер и дата государственной регистрации, предусматривающей внесение изменения (-ий) и/или дополнения (-ий) в НПА",
    "Номер и дата государственной регистрации, предусматривающей приостановление действия НПА (или его структурного элемента)",
    "Номер и дата государственной регистрации, предусматривающей признание утратившим силу НПА (или его структурного элемента)",
    "Дата вступления в законную силу решения суда об отмене государственной регистрации НПА с указанием даты и номера решения суда",
    "Иные сведения",
];

/// The en seed's headers; column 4 of the paper register lacks "registration".
const EN_COLUMNS: &[&str] = &[
    "Date of state registration",
    "Number of state registration",
    "Name of the state body(-ies) that received the RLA",
    "Number and date of state registration providing for amendment (s) and/or additions (s) to the RLA",
    "Number and date of state registration providing for the suspension of the RLA (or its structural element)",
    "Number and date of state registration providing for the invalidation of the RLA(s) (or its/their structural element)",
    "Date of entry into force of a court decision on cancellation of state registration of the RLA with the date and number of the court decision",
    "Other information",
];
const EN_COL4_INTRANET: &str = "Date of receipt, registration number and title of the RLA";
const EN_COL4_JOURNAL: &str = "Date of receipt, number and title of the RLA";

const KK_TITLE_INTRANET: &str =
    "Мемлекеттік органдардың интранет-порталында Нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімі";
const KK_TITLE_JOURNAL: &str = "Қағаз түріндегі нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімі";
const RU_TITLE_INTRANET: &str = "Реестр государственной регистрации нормативных правовых актов на интранет-портале государственных органов";
const RU_TITLE_JOURNAL: &str =
    "Реестр государственной регистрации нормативных правовых актов на бумажном носителе";
const EN_TITLE_INTRANET: &str =
    "Register of state registration of regulatory legal acts on the Intranet portal of state bodies";
const EN_TITLE_JOURNAL: &str = "State Registration Register of Regulatory Legal Acts in paper form";

const KK_CORNER: &str =
    "Қазақстан Республикасы Әділет министрінің 2019 жылғы 6 мамырдағы № 246 бұйрығына 2-қосымша";
const RU_CORNER: &str =
    "Приложение 2 к приказу Министра юстиции Республики Казахстан от 6 мая 2019 года № 246";
const EN_CORNER: &str =
    "Appendix 2 to Order № 246 as of May 6, 2019 of the Minister of Justice of the Republic of Kazakhstan";

/// Explanations A3–A5 and B3–B4, word for word (the act's typos "мәліметттер", "Алматы
/// қ.– 02", "Павлодар облысы-14" kept).
const KK_EXPLANATIONS: &[&str] = &[
    "Мемлекеттік органдардың интранет-порталында Нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімін толтыру жөніндегі түсініктеме",
    "Нормативтік құқықтық акт туралы мәліметтер осы нормативтік құқықтық актіге мемлекеттік тіркеу нөмірі берілген күннен кейін хронологиялық тәртіппен автоматты түрде электрондық тізілімге енгізіледі.",
    "Бұл ретте облыстардың, Астана, Алматы және Шымкент қалаларының әділет департаменттері мемлекеттік тіркеуді жүзеге асырған кезде мемлекеттік тіркеу нөміріне өңірдің тиісті индексі беріледі: Астана қ. – 01, Алматы қ.– 02, Ақмола облысы – 03, Ақтөбе облысы – 04, Алматы облысы – 05, Атырау облысы – 06, Батыс Қазақстан облысы – 07, Жамбыл облысы – 08, Қарағанды облысы – 09, Қостанай облысы – 10, Қызылорда облысы – 11, Маңғыстау облысы – 12, Түркістан облысы – 13, Павлодар облысы-14, Солтүстік Қазақстан облысы – 15, Шығыс Қазақстан облысы – 16, Шымкент қаласы – 17, Абай облысы – 18, Жетісу облысы – 19, Ұлытау облысы – 20.",
    "Қағаз түріндегі нормативтік құқықтық актілерді мемлекеттік тіркеу тізілімін толтыру жөніндегі түсініктеме",
    "1. Тізілім тігілген, нөмірленген, Тізілімді жүргізуге жауапты адамның қолы қойылған және мөрімен бекітілген журналды білдіреді.",
    "2. Журнал бөтен адамдардың қолжетімділігін шектейтін арнайы орында тұрақты сақталатын құжат болып табылады.",
    "3. Тізілімді жүргізуге жауапты адамды Әділет министрлігінің тиісті құрылымдық бөлімшесінің басшысы не оның міндетін атқарушы адам, аумақтық органдарда – тиісті аумақтық органның басшысы не оның міндетін атқарушы адам тағайындайды.",
    "4. Нормативтік құқықтық акт туралы мәліметттер осы нормативтік құқықтық акт мемлекеттік тіркеу туралы қорытынды бекітілген күннен бастап бір жұмыс күні ішінде хронологиялық тәртіппен Тізілімге енгізіледі.",
    "5. Тізілімге жазбалар нақты, түсінікті жазылып, қара түсті сиямен енгізіледі. Қарындашпен жазуға, сызып тастауға және басқа да түзетулерге жол берілмейді.",
    "6. \"Өзге мәліметтер\" бағанында заң сараптамасын жүргізген әділет органы қызметкерінің тегі, аты, болған жағдайда әкесінің аты, сондай-ақ Тізілімнің республикалық (өңірлік) бөлімін жүргізу барысында туындауы мүмкін өзге де мәліметтер енгізіледі.",
    "7. Бұл ретте кезекті реттік нөмірден мемлекеттік тіркеу нөмірі беріледі.",
];

const RU_EXPLANATIONS: &[&str] = &[
    "Пояснение по заполнению Реестра государственной регистрации нормативных правовых актов на интранет-портале государственных органов",
    "Сведения о нормативном правовом акте автоматически вносятся в электронный реестр в хронологическом порядке после дня присвоения данному нормативному правовому акту номера государственной регистрации.",
    "При этом при осуществлении государственной регистрации департаментами юстиции областей, городов Астаны, Алматы и Шымкента номеру государственной регистрации присваивается соответствующий индекс региона: г. Астана – 01, г. Алматы – 02, Акмолинская область – 03, Актюбинская область – 04, Алматинская область – 05, Атырауская область – 06, Западно-Казахстанская область – 07, Жамбылская область – 08, Карагандинская область – 09, Костанайская область – 10, Кызылординская область – 11, Мангистауская область – 12, Туркестанская область – 13, Павлодарская область – 14, Северо-Казахстанская область – 15, Восточно-Казахстанская область – 16, город Шымкент – 17, область Абай – 18, область Жетісу – 19, область Ұлытау – 20.",
    "Пояснение по заполнению Реестра государственной регистрации нормативных правовых актов на бумажном носителе",
    "1. Реестр представляет собой прошитый, пронумерованный, подписанный лицом, ответственным за ведение Реестра, и скрепленный печатью журнал.",
    "2. Журнал является документом постоянного хранения, хранящимся в специально отведенном месте, ограничивающем доступ посторонних лиц.",
    "3. Лицо, ответственное за ведение Реестра, назначается руководителем соответствующего структурного подразделения Министерства юстиции либо лицом, исполняющим его обязанности, в территориальных органах – руководителем соответствующего территориального органа либо лицом, исполняющим его обязанности.",
    "4. Сведения о нормативном правовом акте вносятся в Реестр в хронологическом порядке в течение одного рабочего дня со дня утверждения заключения о государственной регистрации данного нормативного правового акта.",
    "5. Записи в Реестр вносятся четко, разборчиво, чернилами черного цвета. Записи карандашом, зачеркивания и иные исправления не допускаются.",
    "6. В графу «Иные сведения» вносятся фамилия, имя, отчество (при его наличии) работника органа юстиции, проводившего юридическую экспертизу, а также иные сведения, которые могут возникнуть в ходе ведения республиканского (регионального) раздела Реестра.",
    "7. При этом номер государственной регистрации присваивается по очередному порядковому номеру.",
];

const EN_EXPLANATIONS: &[&str] = &[
    "Explanation of how to fill out the State Registration Register of Regulatory Legal Acts on the Intranet portal of state bodies",
    "Information about the regulatory legal act is automatically included in the electronic register after assigning the state registration number of the regulatory legal act in chronological order.",
    "Explanation of how to fill out the State Registration Register of Regulatory Legal Acts in paper form",
    "1. The Register is a journal that must be bound, numbered, signed by the person responsible for maintaining the Register and sealed.",
    "2. The journal belongs to permanent records subject to the storage in a specially designated place with restricted access to unauthorized persons.",
    "3. The person responsible for maintaining the Register is appointed by the head of the relevant structural unit of the Ministry of Justice or a person acting for him/her, in territorial bodies - by the head of the relevant territorial body or a person acting for him/her.",
    "4. Information about the regulatory legal act shall be included in the Register within one working day of approval of the opinion on the state registration of the regulatory legal act in chronological order.",
    "5. Entries in the Register shall be clear, legible and in black ink. Pencil entries, strikethroughs and other corrections are not allowed.",
    "6. In the “Other information” column, one enters the surname, name, patronymic (if any) of the employee of the justice agency who conducted the legal examination, as well as other information that may arise in the course of maintenance of the republican (regional) section of the Register.",
    "7. In this case, the assigned state registration number is the next sequential number.",
];

const INTRANET: &str = "samples/register-2021-07-intranet.yaml";
const JOURNAL: &str = "samples/register-2021-07-journal.yaml";

/// The registration numbers of the July 2021 samples, as printed (kk).
fn sample_numbers() -> Vec<String> {
    let mut numbers: Vec<String> = (23501..=23524).map(|n| n.to_string()).collect();
    numbers.extend(["6010-09", "6011-09", "6012-09", "6013-09", "1650-02", "1651-02"].map(String::from));
    numbers
}

fn assert_landscape(pdf: &Pdf, width: f32, height: f32) {
    let boxes = pdf.media_boxes();
    assert!(!boxes.is_empty());
    for mb in boxes {
        assert_eq!((mb[0], mb[1]), (0.0, 0.0));
        assert!(
            (mb[2] - width).abs() < 0.01 && (mb[3] - height).abs() < 0.01,
            "page {mb:?}, expected {width} × {height}"
        );
    }
}

#[test]
fn intranet_register_kk_has_nine_columns_and_every_entry() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", INTRANET]);
    let text = pdf.text();
    assert_contains_all(&text, &[KK_CORNER, KK_TITLE_INTRANET]);
    assert_contains_all(&text, KK_COLUMNS);
    assert!(!text.contains(KK_TITLE_JOURNAL) && !text.contains("Р/с №"), "no journal title, no item column");
    // Rows: date, number (regional index, official-use mark), bodies, act, columns 5–9.
    assert_contains_all(
        &text,
        &[
            "01.07.2021 23501 Қазақстан Республикасының Қаржы министрлігі 22.06.2021 № 598 Мемлекеттік мекемелерде бухгалтерлік есеп жүргізу қағидаларына өзгерістер енгізу туралы",
            "01.07.2021 6010-09 Қарағанды облыстық мәслихаты",
            "07.07.2021 23507 қпү Қазақстан Республикасының Қорғаныс министрлігі",
            "№ 23524, 29.07.2021",
            "№ 23561, 06.08.2021",
            "№ 6013-09, 22.07.2021",
            // The decision number may wrap after its "/".
            "14.09.2021 (10.08.2021, № 7527-21-00-3а/",
            "412)",
            "Қазақстан Республикасының Қаржы министрлігі Қазақстан Республикасының Ұлттық экономика министрлігі 08.07.2021 № 641 / 69",
            "Жұмабекова Әсел Бақытқызы",
        ],
    );
    for number in sample_numbers() {
        assert!(text.contains(&format!(" {number} ")), "entry {number} is missing");
    }
    // Entries in chronological order, as given.
    let first = text.find("23501").expect("23501");
    let last = text.find("29.07.2021 23524").expect("23524");
    assert!(first < last);
    let pages = pdf.page_count();
    assert!(pages >= 2, "30 entries take more than a page");
    for page in 1..=pages as u32 {
        let page_text = fold(&pdf.page_text(page));
        assert!(page_text.contains("Мемлекеттік тіркеу нөмірі"), "header repeated on page {page}");
        assert!(page_text.contains(&format!("{pages} беттің {page}-беті")), "footer of page {page}");
    }
    assert_landscape(&pdf, 841.89, 595.276);
}

#[test]
fn intranet_register_ru_and_en() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", INTRANET, "--lang", "ru"]);
    let text = pdf.text();
    assert_contains_all(&text, &[RU_CORNER, RU_TITLE_INTRANET]);
    assert_contains_all(&text, RU_COLUMNS);
    assert_contains_all(
        &text,
        &[
            "07.07.2021 23507 ДСП Министерство обороны Республики Казахстан 30.06.2021 № 340 Об утверждении Правил организации оперативной готовности воинских частей",
            "15.07.2021 1651-02 Маслихат города Алматы",
            "Тажибаев Айдос Болатович",
        ],
    );
    let pages = pdf.page_count();
    assert!(fold(&pdf.page_text(pages as u32)).contains(&format!("Страница {pages} из {pages}")));

    let (_d, _p, en) = render_to_pdf(&["render", INTRANET, "--lang", "en"]);
    let text = en.text();
    assert_contains_all(&text, &[EN_CORNER, EN_TITLE_INTRANET, EN_COL4_INTRANET]);
    assert_contains_all(&text, EN_COLUMNS);
    assert_contains_all(
        &text,
        &[
            "07.07.2021 23507 FOU Ministry of Defence of the Republic of Kazakhstan",
            "№ 23524, 29.07.2021",
            "14.09.2021 (10.08.2021, № 7527-21-00-3а/",
            "Page 1 of",
        ],
    );
    assert_landscape(&en, 841.89, 595.276);
}

/// The Russian word for "sheets" that agrees with `n`.
fn ru_sheets(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (1, t) if t != 11 => "лист",
        (2..=4, t) if !(12..=14).contains(&t) => "листа",
        _ => "листов",
    }
}

#[test]
fn journal_kk_has_item_column_numbered_pages_and_certification() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", JOURNAL]);
    let text = pdf.text();
    assert_contains_all(&text, &[KK_CORNER, KK_TITLE_JOURNAL, "Р/с №"]);
    assert_contains_all(&text, KK_COLUMNS);
    // The item column runs 1..30 in front of the date and number.
    assert_contains_all(
        &text,
        &["1 01.07.2021 23501", "3 01.07.2021 6010-09", "9 07.07.2021 23507 қпү", "30 29.07.2021 23524"],
    );
    let pages = pdf.page_count();
    assert!(pages >= 3, "{pages} pages");
    for page in 1..=pages as u32 {
        let page_text = pdf.page_text(page);
        let words: Vec<&str> = page_text.split_whitespace().collect();
        assert_eq!(words.last().copied(), Some(page.to_string().as_str()), "page {page} is numbered");
    }
    // The last page certifies the number of sheets, this page included.
    let last = fold(&pdf.page_text(pages as u32));
    assert_contains_all(
        &last,
        &[
            &format!("Журналда {pages} парақ нөмірленген және тігілген"),
            "Тізілімді жүргізуге жауапты адам",
            "Нормативтік құқықтық актілерді тіркеу департаментінің бас сарапшысы",
            "Ә. Б. Жұмабекова",
            "(лауазымы)",
            "(қолы)",
            "(тегі және аты-жөні)",
            "Мөр орны",
        ],
    );
    assert!(!last.contains("23524"), "the certification stands on a page of its own");
    assert_landscape(&pdf, 841.89, 595.276);
}

#[test]
fn journal_ru_and_en_certify_the_sheet_count_in_words_that_agree() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", JOURNAL, "--lang", "ru"]);
    assert_contains_all(&pdf.text(), &[RU_TITLE_JOURNAL, "№ п/п", "9 07.07.2021 23507 ДСП"]);
    assert_contains_all(&pdf.text(), RU_COLUMNS);
    let pages = pdf.page_count();
    let last = fold(&pdf.page_text(pages as u32));
    assert!(
        last.contains(&format!("В журнале пронумеровано и прошнуровано {pages} {}", ru_sheets(pages))),
        "{last}"
    );
    assert_contains_all(
        &last,
        &["Лицо, ответственное за ведение Реестра", "Жумабекова А. Б.", "Место печати"],
    );

    let (_d, _p, en) = render_to_pdf(&["render", JOURNAL, "--lang", "en"]);
    let text = en.text();
    assert_contains_all(
        &text,
        &[EN_CORNER, EN_TITLE_JOURNAL, "Item №", EN_COL4_JOURNAL, "9 07.07.2021 23507 FOU"],
    );
    assert_contains_all(&text, EN_COLUMNS);
    assert!(!text.contains(EN_COL4_INTRANET));
    let pages = en.page_count();
    let last = fold(&en.page_text(pages as u32));
    assert_contains_all(
        &last,
        &[
            &format!("{pages} sheets are numbered and bound in the journal"),
            "The person responsible for maintaining the Register",
            "A. B. Zhumabekova",
        ],
    );
}

/// The journal sample with `from` replaced by `to`, in a temporary directory.
fn variant_of(sample: &str, from: &str, to: &str) -> (tempfile::TempDir, String) {
    let text = std::fs::read_to_string(root().join(sample)).expect("sample");
    assert!(text.contains(from), "{from:?} not in {sample}");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("case.yaml");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let path = path.to_str().expect("path").to_owned();
    (dir, path)
}

#[test]
fn a3_is_printed_when_asked() {
    let (_dir, path) = variant_of(JOURNAL, "paper: A4", "paper: A3");
    let (_d, _p, pdf) = render_to_pdf(&["render", &path]);
    assert_landscape(&pdf, 1190.55, 841.89);
    let pages = pdf.page_count();
    assert!(fold(&pdf.page_text(pages as u32)).contains(&format!("Журналда {pages} парақ")));
    let (_dir2, path) = variant_of(INTRANET, "variant: intranet", "variant: intranet\npaper: A3");
    let (_d2, _p2, pdf) = render_to_pdf(&["render", &path]);
    assert_landscape(&pdf, 1190.55, 841.89);
}

#[test]
fn item_column_can_be_switched_off_or_continue_a_journal() {
    let (_dir, path) = variant_of(JOURNAL, "paper: A4", "paper: A4\nitem_column: false");
    let (_d, _p, pdf) = render_to_pdf(&["render", &path]);
    let text = pdf.text();
    assert!(!text.contains("Р/с №") && text.contains("Журналда"), "{text}");
    assert!(text.contains(" 01.07.2021 23501 ") && !text.contains("1 01.07.2021 23501"));

    let (_dir2, path) = variant_of(JOURNAL, "paper: A4", "paper: A4\nfirst_item_no: 781");
    let (_d2, _p2, pdf) = render_to_pdf(&["render", &path]);
    assert_contains_all(&pdf.text(), &["781 01.07.2021 23501", "810 29.07.2021 23524"]);
}

#[test]
fn section_is_printed_under_the_title() {
    let (_dir, path) = variant_of(
        INTRANET,
        "variant: intranet",
        "variant: intranet\nsection: {kk: Республикалық бөлім, ru: Республиканский раздел}",
    );
    let (_d, _p, pdf) = render_to_pdf(&["render", &path, "--lang", "kk,ru"]);
    let text = pdf.text();
    assert_contains_all(
        &text,
        &[
            &format!("{KK_TITLE_INTRANET} Республикалық бөлім"),
            &format!("{RU_TITLE_INTRANET} Республиканский раздел"),
        ],
    );
}

#[test]
fn blank_register_is_the_appendix_with_both_parts_and_explanations() {
    let (_dir, _path, pdf) = render_to_pdf(&["blank", "register", "--lang", "kk"]);
    let text = pdf.text();
    assert_contains_all(&text, &[KK_CORNER, KK_TITLE_INTRANET, KK_TITLE_JOURNAL, "Р/с №"]);
    assert_contains_all(&text, KK_COLUMNS);
    assert_contains_all(&text, KK_EXPLANATIONS);
    assert_landscape(&pdf, 841.89, 595.276);

    let (_d, _p, ru) = render_to_pdf(&["blank", "register", "--lang", "ru"]);
    assert_contains_all(&ru.text(), &[RU_CORNER, RU_TITLE_INTRANET, RU_TITLE_JOURNAL, "№ п/п"]);
    assert_contains_all(&ru.text(), RU_COLUMNS);
    assert_contains_all(&ru.text(), RU_EXPLANATIONS);

    let (_d2, _p2, en) = render_to_pdf(&["blank", "register", "--lang", "en"]);
    let text = en.text();
    assert_contains_all(
        &text,
        &[EN_CORNER, EN_TITLE_INTRANET, EN_TITLE_JOURNAL, "Item №", EN_COL4_INTRANET, EN_COL4_JOURNAL],
    );
    assert_contains_all(&text, EN_COLUMNS);
    assert_contains_all(&text, EN_EXPLANATIONS);
    // The English has no regional-index paragraph, and none is borrowed from Russian.
    assert!(!text.contains("индекс") && !text.contains("– 01"), "{text}");
}

/// A valid journal, small enough to see every position in it.
const BASE: &str = r#"form: register
variant: journal
entries:
  - registered_on: 2021-07-01
    number: 23501
    adopting_bodies: [Қаржы министрлігі]
    act: {adopted_on: 2021-06-22, number: "598", title: Қағидалар туралы}
  - registered_on: 2021-07-01
    number: 6010
    region_index: "09"
    adopting_bodies: [Қарағанды облыстық мәслихаты]
    act: {adopted_on: 2021-06-24, number: "7/61", title: Ставкалар туралы}
  - registered_on: 2021-07-02
    number: 23502
    adopting_bodies: [Білім министрлігі]
    act: {adopted_on: 2021-06-28, number: "311", title: Жоспарлар туралы}
  - registered_on: 2021-07-05
    number: 23503
    for_official_use: true
    adopting_bodies: [Қорғаныс министрлігі]
    act: {adopted_on: 2021-06-30, number: "340", title: Даярлық туралы}
    court_cancellation: {in_force_on: 2021-09-14, decision_date: 2021-08-10, decision_number: "2-412"}
"#;

/// Renders `BASE` with `from` replaced by `to`; asserts exit code 2, no output, and exactly
/// these stderr lines (`{file}` is the case file's path).
fn rejected(from: &str, to: &str, expected: &[&str]) {
    assert!(BASE.contains(from), "{from:?} is not in the base case");
    refuse_case_by_path("journal.yaml", &BASE.replacen(from, to, 1), expected);
}

#[test]
fn base_journal_is_valid_and_renders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("ok.yaml");
    std::fs::write(&case, BASE).expect("write");
    let (_d, _p, pdf) = render_to_pdf(&["render", case.to_str().expect("path")]);
    assert_contains_all(
        &pdf.text(),
        &["4 05.07.2021 23503 қпү", "14.09.2021 (10.08.2021, № 2-412)", "Журналда 2 парақ"],
    );
}

#[test]
fn entries_out_of_chronological_order_are_rejected() {
    rejected(
        "registered_on: 2021-07-05",
        "registered_on: 2021-06-30",
        &[
            "error: {file}:17:20: entries[3].registered_on: 30.06.2021 is before entries[2].registered_on (02.07.2021); the list must be in order of registered_on",
        ],
    );
}

#[test]
fn a_gap_in_the_numbers_is_rejected() {
    rejected(
        "number: 23503",
        "number: 23505",
        &[
            "error: {file}:18:13: entries[3].number: must be 23503, the number after entries[2].number (23502); got 23505",
        ],
    );
}

#[test]
fn a_gap_in_a_regional_sequence_is_rejected() {
    rejected(
        "decision_number: \"2-412\"}\n",
        "decision_number: \"2-412\"}\n  - registered_on: 2021-07-05\n    number: 6012\n    region_index: \"09\"\n    adopting_bodies: [Мәслихат]\n    act: {adopted_on: 2021-07-01, number: \"9/80\", title: Салық туралы}\n",
        &[
            "error: {file}:24:13: entries[4].number: must be 6011, the number after entries[1].number (6010); got 6012",
        ],
    );
}

#[test]
fn a_number_given_twice_is_rejected() {
    rejected(
        "number: 23503",
        "number: 23501",
        &[
            "error: {file}:18:13: entries[3].number: the same number and region_index as entries[0] (23501, none)",
        ],
    );
}

#[test]
fn regional_index_outside_01_to_20_is_rejected() {
    rejected(
        "region_index: \"09\"",
        "region_index: \"21\"",
        &[
            "error: {file}:10:19: entries[1].region_index: unknown value \"21\" (expected one of: 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)",
        ],
    );
    rejected(
        "region_index: \"09\"",
        "region_index: \"00\"",
        &[
            "error: {file}:10:19: entries[1].region_index: unknown value \"00\" (expected one of: 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)",
        ],
    );
}

#[test]
fn unknown_variant_and_paper_are_rejected() {
    rejected(
        "variant: journal",
        "variant: book",
        &["error: {file}:2:10: variant: unknown value \"book\" (expected one of: intranet, journal)"],
    );
    rejected(
        "variant: journal",
        "variant: journal\npaper: A5",
        &["error: {file}:3:8: paper: unknown value \"A5\" (expected one of: A4, A3)"],
    );
}

#[test]
fn court_decision_in_force_before_it_was_made_is_rejected() {
    rejected(
        "in_force_on: 2021-09-14",
        "in_force_on: 2021-08-01",
        &[
            "error: {file}:22:39: entries[3].court_cancellation.in_force_on: must be after decision_date (10.08.2021)",
        ],
    );
}

#[test]
fn an_entry_without_adopting_body_is_rejected() {
    rejected(
        "adopting_bodies: [Білім министрлігі]",
        "adopting_bodies: []",
        &["error: {file}:15:22: entries[2].adopting_bodies: needs at least one item"],
    );
}

#[test]
fn a_number_that_is_not_whole_is_rejected() {
    rejected(
        "number: 23503",
        "number: 23503a",
        &["error: {file}:18:13: entries[3].number: \"23503a\" is not a whole number"],
    );
}

#[test]
fn official_use_must_be_true_or_false() {
    rejected(
        "for_official_use: true",
        "for_official_use: ДСП",
        &["error: {file}:19:23: entries[3].for_official_use: expected true or false, got a string"],
    );
}

#[test]
fn a_register_without_entries_is_rejected() {
    let (_, entries) = BASE.split_once("entries:\n").expect("entries");
    rejected(
        &format!("entries:\n{entries}"),
        "entries: []\n",
        &["error: {file}:3:10: entries: needs at least one item"],
    );
}

/// Issue 12: one number sign within a document. The English register's own text writes "№"
/// (the seed's "Item №", "Order № 246", the acts' particulars), so the references of columns
/// 5–8 do too, never "No." beside it in one table.
#[test]
fn issue_12_english_register_uses_one_number_sign() {
    for sample in ["samples/register-2021-07-journal.yaml", "samples/register-2021-07-intranet.yaml"] {
        let (_dir, _path, pdf) = render_to_pdf(&["render", sample, "--lang", "en"]);
        let text = pdf.text();
        assert!(!text.contains("No."), "{sample}: \"No.\" beside \"№\": {text}");
        assert_contains_all(
            &text,
            &["№ 23524, 29.07.2021", "№ 6013-09, 22.07.2021", "(10.08.2021, № 7527-21-00-3а/"],
        );
    }
}
