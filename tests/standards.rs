//! Order 565, appendices 4 and 5 (= Rules, appendices 6 and 8): the two state-service
//! standards, read back from the PDF and compared with the spec's wording.

mod common;

use std::path::Path;

use common::*;

/// Text in both languages.
struct Text {
    kk: &'static str,
    ru: &'static str,
}

/// One row of a standard: its caption and the paragraphs of its content.
struct Row {
    caption: Text,
    kk: &'static [&'static str],
    ru: &'static [&'static str],
}

/// A standard as the spec gives it.
struct Standard {
    id: &'static str,
    corner: Text,
    title: Text,
    rows: [Row; 10],
    /// The act's own row numbers (spec note 7 of appendix 5: rows 6, 8, 9, 10 unnumbered).
    source_numbers: [&'static str; 10],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Kk,
    Ru,
}

impl Text {
    fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Kk => self.kk,
            Lang::Ru => self.ru,
        }
    }
}

impl Row {
    fn paragraphs(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::Kk => self.kk,
            Lang::Ru => self.ru,
        }
    }
}

// The wording below is transcribed from ../shared/spec/forms/565-app4-standard-rights.md and
// 565-app5-standard-presence.md, §1 and §2 (rows 1–4 and 7–10 are the same in both).

/// Row 1, the same in both standards.
const R1_PROVIDER: Row = Row {
    caption: Text {
        kk: "Қызмет берушінің атауы", ru: "Наименование услугодателя"
    },
    kk: &["\"Азаматтарға арналған үкімет\" Мемлекеттік корпорациясы\" Коммерциялық емес акционерлік қоғамы"],
    ru: &["Некоммерческое акционерное общество «Государственная корпорация «Правительство для граждан»»"],
};

/// Row 2, the same in both standards.
const R2_METHODS: Row = Row {
    caption: Text {
        kk: "Мемлекеттік қызметті ұсыну түрі",
        ru: "Способы предоставления государственной услуги",
    },
    kk: &["1) \"Электрондық үкімет\" веб-порталы www.egov.kz;"],
    ru: &["1) веб-портал «электронного правительства» www.egov.kz;"],
};

/// Row 3, the same in both standards.
const R3_TERM: Row = Row {
    caption: Text {
        kk: "Мемлекеттік қызметтің көрсетілу мерзімі",
        ru: "Срок оказания государственной услуги",
    },
    kk: &[
        "Көрсетілетін қызметті алушы өтінішті берген кезден бастап қызмет мемлекеттік ақпараттық жүйеде мәліметтер болған кезде 20 (жиырма) минут ішінде көрсетіледі.",
    ],
    ru: &[
        "С момента подачи услугополучателем заявления услуга оказывается при наличии сведений в государственной информационной системе в течение 20 (двадцати) минут.",
    ],
};

/// Row 4, the same in both standards.
const R4_FORM: Row = Row {
    caption: Text {
        kk: "Мемлекеттік көрсетілетін қызметтің формасы",
        ru: "Форма оказания государственной услуги",
    },
    kk: &["Электрондық (толық автоматтандырылған);"],
    ru: &["Электронная (полностью автоматизированная);"],
};

/// Row 5 of appendix 4.
const R5_RESULT_RIGHTS: Row = Row {
    caption: Text {
        kk: "Мемлекеттік көрсетілетін қызметтің нәтижесі",
        ru: "Результат оказания государственной услуги",
    },
    kk: &[
        "жылжымайтын мүлікке тіркелген құқықтар (ауыртпалықтар) және оның техникалық сипаттамалары туралы тиісті ақпарат көрсетілген қызметті алушының \"жеке кабинетіне\" жіберіледі",
    ],
    ru: &[
        "соответствующая информация о зарегистрированных правах (обременениях) на недвижимое имущество и его технических характеристиках направляется в «личный кабинет» услугополучателя",
    ],
};

/// Row 5 of appendix 5.
const R5_RESULT_PRESENCE: Row = Row {
    caption: Text {
        kk: "Мемлекеттік көрсетілетін қызметтің нәтижесі",
        ru: "Результат оказания государственной услуги",
    },
    kk: &[
        "жылжымайтын мүліктің болмауы (болуы) туралы тиісті ақпарат көрсетілген қызметті алушының \"жеке кабинетіне\" жіберіледі",
    ],
    ru: &[
        "соответствующая информация об отсутствии (наличии) недвижимого имущества направляется в «личный кабинет» услугополучателя",
    ],
};

/// Row 6 of appendix 4.
const R6_FEE_RIGHTS: Row = Row {
    caption: Text {
        kk: "Көрсетілетін қызметті алушыдан мемлекеттік қызметтер көрсету кезінде өндіріп алынатын төлем мөлшері және Қазақстан Республикасының заңнамасында көзделген жағдайларда оны жинау тәсілдері",
        ru: "Размер оплаты, взимаемой с услугополучателя при оказании государственной услуги, и способы ее взимания в случаях, предусмотренных законодательством Республики Казахстан",
    },
    kk: &["Тегін"],
    ru: &["Бесплатно"],
};

/// Row 6 of appendix 5.
const R6_FEE_PRESENCE: Row = Row {
    caption: Text {
        kk: "Көрсетілетін қызметті алушыдан мемлекеттік қызметтер көрсету кезінде өндіріп алынатын төлем мөлшері және Қазақстан Республикасының заңнамасында көзделген жағдайларда оны жинау тәсілдері",
        ru: "Размер оплаты, взимаемой с услугополучателя при оказании государственной услуги, и способы ее взимания в случаях, предусмотренных законодательством Республики Казахстан",
    },
    kk: &["тегін"],
    ru: &["бесплатно"],
};

/// Row 7, the same in both standards.
const R7_HOURS: Row = Row {
    caption: Text { kk: "Жұмыс уақыты", ru: "График работы" },
    kk: &[
        "көрсетілетін қызметті беруші:",
        "1) Мемлекеттік корпорация филиалдарында – Қазақстан Республикасының Еңбек кодексіне сәйкес демалыс және мереке күндерін қоспағанда, дүйсенбіден бастап жұманы қоса алғанда, сағат 9.00-ден сағат 18.30-ге дейін, түскі үзілісі сағат 13.00-тен 14.00-ге дейін,",
        "2) құжаттарды қабылдау және беру бойынша Мемлекеттік корпорацияда - Қазақстан Республикасының Еңбек кодексіне сәйкес жексенбі және мереке күндерінен басқа, дүйсенбіден бастап сенбіні қоса алғанда, түскі үзіліссіз, сағат 9.00-ден сағат 20.00-ге дейін.",
        "3) портал – жөндеу жұмыстарын жүргізумен байланысты техникалық үзілістерді қоспағанда, тәулік бойы",
    ],
    ru: &[
        "услугодатель:",
        "1) в филиалах Государственной корпорации – за исключением выходных и праздничных дней согласно Трудовому кодексу Республики Казахстан, с понедельника по пятницу включительно, с 9.00 до 18.30 часов, с перерывом на обед с 13.00 до 14.00 часов,",
        "2) в Государственной корпорации по приему и выдаче документов – кроме воскресенья и праздничных дней согласно Трудовому кодексу Республики Казахстан, с понедельника по субботу включительно, без перерыва на обед, с 9.00 до 20.00 часов.",
        "3) портал – круглосуточно, за исключением технических перерывов в связи с проведением ремонтных работ",
    ],
};

/// Row 8, the same in both standards.
const R8_DOCUMENTS: Row = Row {
    caption: Text {
        kk: "Мемлекеттік қызметті көрсету үшін қажетті құжаттардың тізбесі",
        ru: "Перечень документов, необходимых для оказания государственной услуги",
    },
    kk: &[
        "Порталға:",
        "осы қағидаға 5-қосымшаға сәйкес электрондық-цифрлық қолтаңбамен (бұдан әрі – ЭЦҚ) немесе порталдың есеп жазбасына ұялы байланыс операторымен ұсынылатын көрсетілетін қызметті алушының нөмірін тіркеу және қосу жағдайында, бір реттік парольмен куәландырылған электрондық құжат нысанындақы құқықтық кадастрдан жылжымайтын мүлікке құқықтарды (құқықтар ауыртпалықтарын) мемлекеттік тіркеу туралы ақпарат алуға сұрау салу;",
        "субъектінің порталының жеке кабинетінде үшінші тұлғалардан электрондық сұрау және/немесе ұялы байланыс операторымен ұсынылған порталдың есептік жазбасына субъектінің абоненттік номері тіркелген және қосылған жағдайда sms-хабарлама түрінде, субъектінің келісімі жағдайда, субъектінің порталының жеке кабинетінен және/немесе субъектінің абоненттік номері тіркелген және қосылған жағдайда, sms-хабарлама түрінде, ұялы байланыс операторымен порталдың есептік жазбасына қысқа мәтіндік хабарлама жіберу.",
        "Егер Қазақстан Республикасының заңдарында өзгеше көзделмесе, мемлекеттік қызмет алуға жүгінген кезде, көрсетілетін қызметті алушы заңмен қорғалатын құпияны құрайтын, ақпараттық жүйелерде қамтылған мәліметтерді пайдалануға жазбаша келісім береді.",
        "Көрсетілетін қызметті берушілер цифрлық құжаттарды \"электрондық үкімет\" веб-порталында тіркелген пайдаланушының ұялы байланысының абоненттік нөмірі арқылы ұсынылған құжат иесінің келісімі болған жағдайда, іске асырылған интеграция арқылы цифрлық құжаттар сервисінен бір реттік паролді беру арқылы немесе \"электрондық үкімет\" веб-порталының хабарламасына жауап ретінде қысқа мәтіндік хабарлама жіберу арқылы алады.",
    ],
    ru: &[
        "На портал:",
        "запрос на получение информации о государственной регистрации прав (обременений прав) на недвижимое имущество из правового кадастра в форме электронного документа согласно приложению 5 к настоящим Правилам, удостоверенный электронной цифровой подписью (далее – ЭЦП) или одноразовым паролем в случае регистрации и подключения абонентского номера услугополучателя, предоставленного оператором сотовой связи, к учетной записи портала;",
        "электронный запрос от третьих лиц в личном кабинете портала субъекта и/или в виде sms-сообщения при условии регистрации и подключения абонентского номера субъекта, предоставленного оператором сотовой связи, к учетной записи портала; при согласии субъекта – из личного кабинета портала субъекта и/или, при условии регистрации и подключения абонентского номера субъекта, в виде sms-сообщения – направление короткого текстового сообщения оператором сотовой связи на учетную запись портала.",
        "Если иное не предусмотрено законами Республики Казахстан, при обращении за получением государственной услуги услугополучатель дает письменное согласие на использование сведений, составляющих охраняемую законом тайну, содержащихся в информационных системах.",
        "Услугодатели получают цифровые документы из сервиса цифровых документов через реализованную интеграцию при условии согласия владельца документа, предоставленного посредством зарегистрированного на веб-портале «электронного правительства» абонентского номера сотовой связи пользователя, путем передачи одноразового пароля или путем отправления короткого текстового сообщения в качестве ответа на уведомление веб-портала «электронного правительства».",
    ],
};

/// Row 9, the same in both standards.
const R9_REFUSAL: Row = Row {
    caption: Text {
        kk: "Қазақстан Республикасының қолданыстағы заңнамада Мемлекеттік қызметті көрсетудегі бас тарту үшін негіз",
        ru: "Основания для отказа в оказании государственной услуги, установленные законодательством Республики Казахстан",
    },
    kk: &["Жоқ."],
    ru: &["Нет."],
};

/// Row 10, the same in both standards.
const R10_OTHER: Row = Row {
    caption: Text {
        kk: "Мемлекеттік қызметтерді, оның ішінде электрондық нысанда және Мемлекеттік корпорация арқылы ұсыну ерекшеліктерін ескеретін өзге де талаптар",
        ru: "Иные требования с учетом особенностей оказания государственной услуги, в том числе оказываемой в электронной форме и через Государственную корпорацию",
    },
    kk: &[
        "Көрсетілетін қызметті алушының ЭЦҚ болған жағдайда \"электрондық үкімет\" веб-порталы арқылы электрондық нысанда мемлекеттік көрсетілетін қызметті алуына мүмкіндігі бар. Көрсетілетін қызметті алушының порталдың \"жеке кабинеті\", көрсетілетін қызметті берушінің ақпарат қызметтерінің, сондай-ақ 1414, 8 800 080 777 Бірыңғай байланыс орталығы арқылы қашықтықтан қолжетімділік режимінде мемлекеттік қызмет көрсету тәртібі мен мәртебесі туралы ақпаратты алу мүмкіндігі бар. Мемлекеттік қызмет үшінші тұлғаларға көрсетілуі мүмкін Үшінші тұлғалардың электрондық сұрау салуы порталдағы \"жеке кабинетінен\" ұсынылған мәліметтер сұратылатын тұлғаның келісімі болған кезде, сондай-ақ біржолғы парольді беру арқылы немесе порталдың хабарламасына жауап ретінде қысқаша мәтіндік хабар жіберу арқылы субъектінің ұялы байланысының порталда тіркелген абоненттік нөмірі арқылы орындалады.",
        "Цифрлық құжаттар сервисі мобилді қосымшада авторландырылған пайдаланушылар үшін қолжетімді",
        "Цифрлық құжатты пайдалану үшін электрондық-цифрлық қолтаңбаны немесе бір реттік паролді пайдалана отырып, мобилді қосымшада авторландырудан өту, одан әрі \"цифрлық құжаттар\" бөліміне өтіп, қажетті құжатты таңдау қажет.",
    ],
    ru: &[
        "Услугополучатель имеет возможность получения государственной услуги в электронной форме через веб-портал «электронного правительства» при условии наличия ЭЦП. Услугополучатель имеет возможность получения информации о порядке и статусе оказания государственной услуги в режиме удаленного доступа посредством «личного кабинета» портала, справочных служб услугодателя, а также Единого контакт-центра 1414, 8 800 080 7777. Государственная услуга может быть оказана третьим лицам. Электронный запрос третьих лиц исполняется при наличии согласия лица, сведения о котором запрашиваются, предоставленного из «личного кабинета» на портале, а также посредством зарегистрированного на портале абонентского номера сотовой связи субъекта путем передачи одноразового пароля или путем отправления короткого текстового сообщения в качестве ответа на уведомление портала.",
        "Сервис цифровых документов доступен для пользователей, авторизованных в мобильном приложении.",
        "Для использования цифрового документа необходимо пройти авторизацию в мобильном приложении с использованием электронной цифровой подписи или одноразового пароля, далее перейти в раздел «Цифровые документы» и выбрать необходимый документ.",
    ],
};

const RIGHTS: Standard = Standard {
    id: "standard-rights",
    corner: Text {
        kk: "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына 4-қосымша Құқықтық кадастрдан ақпарат ұсыну туралы қағидаға қосымша-6 Нысан",
        ru: "Приложение 4 к приказу Министра юстиции Республики Казахстан от 7 июля 2021 года № 565 Приложение 6 к Правилам предоставления информации из правового кадастра Форма",
    },
    title: Text {
        kk: "\"жылжымайтын мүлікке тіркелген құқықтар (ауыртпалықтар) және оның техникалық сипаттамалары туралы ақпарат беру\" мемлекеттік көрсетілетін қызмет стандарты",
        ru: "Стандарт государственной услуги «Предоставление информации о зарегистрированных правах (обременениях) на недвижимое имущество и его технических характеристиках»",
    },
    rows: [
        R1_PROVIDER,
        R2_METHODS,
        R3_TERM,
        R4_FORM,
        R5_RESULT_RIGHTS,
        R6_FEE_RIGHTS,
        R7_HOURS,
        R8_DOCUMENTS,
        R9_REFUSAL,
        R10_OTHER,
    ],
    source_numbers: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
};

const PRESENCE: Standard = Standard {
    id: "standard-presence",
    corner: Text {
        kk: "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына 5-қосымша Құқықтық кадастрдан ақпарат ұсыну туралы қағидаға қосымша-8 Нысан",
        ru: "Приложение 5 к приказу Министра юстиции Республики Казахстан от 7 июля 2021 года № 565 Приложение 8 к Правилам предоставления информации из правового кадастра Форма",
    },
    title: Text {
        kk: "\"Жылжымайтын мүліктің болмауы (болуы) туралы ақпарат беру\" мемлекеттік көрсетілетін қызмет стандарты",
        ru: "Стандарт государственной услуги «Предоставление информации об отсутствии (наличии) недвижимого имущества»",
    },
    rows: [
        R1_PROVIDER,
        R2_METHODS,
        R3_TERM,
        R4_FORM,
        R5_RESULT_PRESENCE,
        R6_FEE_PRESENCE,
        R7_HOURS,
        R8_DOCUMENTS,
        R9_REFUSAL,
        R10_OTHER,
    ],
    source_numbers: ["1", "2", "3", "4", "5", "", "7", "", "", ""],
};

const FORMS: [&Standard; 2] = [&RIGHTS, &PRESENCE];

/// A page read back: its language and number, told by its footer, and its text without the
/// footer.
struct Page {
    lang: Lang,
    number: usize,
    total: usize,
    body: String,
}

fn pages(pdf: &Pdf) -> Vec<Page> {
    (1..=pdf.page_count() as u32)
        .map(|p| {
            let text = fold(&pdf.page_text(p));
            let words: Vec<&str> = text.split(' ').collect();
            assert!(words.len() > 4, "page {p} is empty: {text}");
            let num = |s: &str| s.parse::<usize>().unwrap_or_else(|_| panic!("page {p} footer {text}"));
            // Kazakh "2 беттің 1-беті" (the ordinal hyphen), Russian "Страница 1 из 2".
            let (lang, number, total, body) = match words.split_at(words.len() - 3) {
                (body, [total, "беттің", page]) if page.ends_with("-беті") => {
                    (Lang::Kk, num(page.trim_end_matches("-беті")), num(total), body)
                }
                _ => match words.split_at(words.len() - 4) {
                    (body, ["Страница", page, "из", total]) => {
                        (Lang::Ru, num(page), num(total), body)
                    }
                    _ => panic!("page {p} has no page footer: {text}"),
                },
            };
            Page { lang, number, total, body: body.join(" ") }
        })
        .collect()
}

/// The text of one language's pages, joined.
fn text_of(pages: &[Page], lang: Lang) -> String {
    pages.iter().filter(|p| p.lang == lang).map(|p| p.body.as_str()).collect::<Vec<_>>().join(" ")
}

/// Renders and reads back the pages.
fn render_pages(args: &[&str]) -> Vec<Page> {
    let (_dir, _path, pdf) = render_to_pdf(args);
    pages(&pdf)
}

/// The act's text of a standard in one language, top to bottom: corner, title, then each
/// row's caption and paragraphs. `replaced` leaves out paragraphs a case replaced, as
/// (row, paragraph) indices from 0.
fn act_text(std: &Standard, lang: Lang, replaced: &[(usize, usize)]) -> Vec<&'static str> {
    let mut out = vec![std.corner.get(lang), std.title.get(lang)];
    for (r, row) in std.rows.iter().enumerate() {
        out.push(row.caption.get(lang));
        for (p, paragraph) in row.paragraphs(lang).iter().enumerate() {
            if !replaced.contains(&(r, p)) {
                out.push(paragraph);
            }
        }
    }
    out
}

/// The word printed just before each row's caption: the row's number, or, where the number
/// cell is empty, the last word of the row above.
fn words_before_captions(text: &str, std: &Standard, lang: Lang) -> Vec<String> {
    let mut from = 0;
    std.rows
        .iter()
        .map(|row| {
            let caption = fold(row.caption.get(lang));
            let at = from + text[from..].find(&caption).unwrap_or_else(|| panic!("no caption {caption}"));
            from = at + caption.len();
            text[..at].trim_end().rsplit(' ').next().unwrap_or_default().to_owned()
        })
        .collect()
}

/// What [`words_before_captions`] must give for the act's own numbering.
fn source_numbering(std: &Standard, lang: Lang) -> Vec<String> {
    (0..10)
        .map(|i| match std.source_numbers[i] {
            "" => {
                let above = std.rows[i - 1].paragraphs(lang);
                above[above.len() - 1].rsplit(' ').next().unwrap_or_default().to_owned()
            }
            n => n.to_owned(),
        })
        .collect()
}

fn one_to_ten() -> Vec<String> {
    (1..=10).map(|n| n.to_string()).collect()
}

fn assert_a4(pdf: &Pdf) {
    for mb in pdf.media_boxes() {
        assert_eq!([mb[0], mb[1]], [0.0, 0.0]);
        assert!((mb[2] - 595.276).abs() < 0.01 && (mb[3] - 841.89).abs() < 0.01, "not A4: {mb:?}");
    }
}

#[test]
fn blank_form_is_the_acts_text_in_kazakh_then_russian() {
    for std in FORMS {
        let (_dir, _path, pdf) = render_to_pdf(&["blank", std.id]);
        assert_eq!(pdf.page_count(), 4, "{}: two pages per language", std.id);
        assert_a4(&pdf);
        let pages = pages(&pdf);
        let langs: Vec<Lang> = pages.iter().map(|p| p.lang).collect();
        assert_eq!(langs, [Lang::Kk, Lang::Kk, Lang::Ru, Lang::Ru], "{}: Kazakh first", std.id);
        for p in &pages {
            assert_eq!((p.number, p.total), (if p.number == 1 { 1 } else { 2 }, 2));
        }
        for lang in [Lang::Kk, Lang::Ru] {
            let text = text_of(&pages, lang);
            assert_in_order(&text, &act_text(std, lang, &[]));
        }
        let kk = text_of(&pages, Lang::Kk);
        let ru = text_of(&pages, Lang::Ru);
        assert!(kk.contains("Нысан") && !kk.contains("Форма"), "{}: Russian in the Kazakh pages", std.id);
        assert!(ru.contains("Форма") && !ru.contains("Нысан"), "{}: Kazakh in the Russian pages", std.id);
        // The act's own spellings, kept (spec notes 1 and 5).
        assert_contains_all(
            &kk,
            &[
                "сондай-ақ 1414, 8 800 080 777 Бірыңғай байланыс орталығы",
                "электрондық құжат нысанындақы құқықтық кадастрдан",
                "субъектінің келісімі жағдайда,",
                "көрсетілуі мүмкін Үшінші тұлғалардың",
                "авторландырылған пайдаланушылар үшін қолжетімді Цифрлық құжатты пайдалану үшін",
            ],
        );
        assert!(ru.contains("Единого контакт-центра 1414, 8 800 080 7777. Государственная услуга"));
        // A telephone number is never broken across lines: its spaces are no-break spaces.
        let raw: String = (1..=4).map(|p| pdf.page_text(p)).collect();
        assert!(raw.contains("1414, 8\u{a0}800\u{a0}080\u{a0}777"), "{}", std.id);
    }
}

#[test]
fn each_language_alone() {
    for std in FORMS {
        for (code, lang, other) in [("kk", Lang::Kk, Lang::Ru), ("ru", Lang::Ru, Lang::Kk)] {
            let pages = render_pages(&["blank", std.id, "--lang", code]);
            assert_eq!(pages.len(), 2, "{} --lang {code}", std.id);
            assert!(pages.iter().all(|p| p.lang == lang), "{} --lang {code}", std.id);
            let text = text_of(&pages, lang);
            assert_in_order(&text, &act_text(std, lang, &[]));
            assert!(!text.contains(&fold(std.title.get(other))));
        }
    }
}

/// Issue 12: the act's layout is the default: appendix 5 leaves rows 6, 8, 9 and 10
/// unnumbered (its spec, note 7); appendix 4 numbers all ten.
#[test]
fn rows_carry_the_acts_own_numbers_by_default() {
    assert_eq!(PRESENCE.source_numbers, ["1", "2", "3", "4", "5", "", "7", "", "", ""]);
    for std in FORMS {
        let sample = format!("samples/{}-minimal.yaml", std.id);
        for args in [vec!["blank", std.id], vec!["render", sample.as_str()]] {
            let pages = render_pages(&args);
            for lang in [Lang::Kk, Lang::Ru] {
                let words = words_before_captions(&text_of(&pages, lang), std, lang);
                assert_eq!(words, source_numbering(std, lang), "{args:?} {lang:?}");
            }
        }
    }
    let words = source_numbering(&PRESENCE, Lang::Kk);
    assert_eq!(words[5], "жіберіледі", "row 6 follows row 5's content with no number");
}

/// Issue 12: the corrected numbering 1–10 is the option.
#[test]
fn corrected_numbering_numbers_the_rows_1_to_10() {
    for std in FORMS {
        let sample = format!("samples/{}-minimal.yaml", std.id);
        for args in [vec!["blank", std.id], vec!["render", sample.as_str()]] {
            let mut args = args.clone();
            args.push("--corrected-numbering");
            let pages = render_pages(&args);
            for lang in [Lang::Kk, Lang::Ru] {
                let words = words_before_captions(&text_of(&pages, lang), std, lang);
                assert_eq!(words, one_to_ten(), "{args:?} {lang:?}");
            }
        }
    }
    // Appendix 4 numbers every row: the switch changes nothing.
    assert_same_pdf_bytes(
        &["blank", "standard-rights"],
        &["blank", "standard-rights", "--corrected-numbering"],
    );
}

#[test]
fn a_page_break_falls_between_rows_and_repeats_nothing() {
    for std in FORMS {
        let runs = [
            vec!["blank", std.id],
            vec!["blank", std.id, "--corrected-numbering"],
            vec!["render", "samples/standard-rights-full.yaml"],
        ];
        for args in runs {
            let source = !args.contains(&"--corrected-numbering");
            let pages = render_pages(&args);
            for lang in [Lang::Kk, Lang::Ru] {
                let own: Vec<&Page> = pages.iter().filter(|p| p.lang == lang).collect();
                assert!(own.len() >= 2, "{args:?}: the standard spans pages");
                // The title stays with the first row.
                let first = &own[0].body;
                let std = if args.contains(&"render") { &RIGHTS } else { std };
                assert!(first.starts_with(&fold(std.corner.get(lang))), "{args:?} {lang:?}");
                assert!(
                    first.contains(&fold(std.title.get(lang)))
                        && first.contains(std.rows[0].caption.get(lang))
                );
                // Every further page opens with a whole row: its number, then its caption.
                for page in &own[1..] {
                    let opens_a_row = std.rows.iter().enumerate().any(|(i, row)| {
                        let number =
                            if source { std.source_numbers[i].to_owned() } else { (i + 1).to_string() };
                        page.body.starts_with(&fold(&format!("{number} {}", row.caption.get(lang))))
                    });
                    let start: String = page.body.chars().take(80).collect();
                    assert!(opens_a_row, "{args:?} {lang:?}: page {} opens mid-row: {start}", page.number);
                }
                // No row, caption or header is printed twice.
                let text = text_of(&pages, lang);
                for row in &std.rows {
                    let caption = fold(row.caption.get(lang));
                    assert_eq!(text.matches(&caption).count(), 1, "{args:?} {lang:?}: {caption}");
                }
            }
        }
    }
}

/// Issue 12: the standard is the act's approved text, not a form to fill: the minimal
/// samples name only the form and print exactly the blank, which is the act.
#[test]
fn minimal_samples_are_three_lines_and_print_the_act() {
    for std in FORMS {
        let sample = format!("samples/{}-minimal.yaml", std.id);
        let lines = std::fs::read_to_string(root().join(&sample)).expect("sample").lines().count();
        assert_eq!(lines, 3, "{sample}");
        assert_same_pdf_bytes(&["render", &sample], &["blank", std.id]);
        let pages = render_pages(&["render", &sample]);
        for lang in [Lang::Kk, Lang::Ru] {
            assert_in_order(&text_of(&pages, lang), &act_text(std, lang, &[]));
        }
        let kk = text_of(&pages, Lang::Kk);
        assert!(kk.contains("мәліметтер болған кезде 20 (жиырма) минут ішінде көрсетіледі. 4"), "{kk}");
        assert!(!kk.contains("өзгерістермен"), "no amendment is named: {kk}");
    }
}

/// Issue 12: the act's text is not a parameter. A case that changes a part of it without
/// naming the amending act is refused.
#[test]
fn issue_12_the_acts_text_changes_only_in_an_amended_edition() {
    check_bad_cases(&[
        (
            "term.yaml",
            "form: standard-rights\nterm: {kk: 30 (отыз) минут, ru: 30 (тридцати) минут}\n",
            "error: {file}:2:1: term: unknown field \"term\"\n  hint: expected one of: amended_edition\n",
        ),
        (
            "no-act.yaml",
            "form: standard-presence\namended_edition:\n  fee: {kk: Тегін, ru: Бесплатно}\n",
            "error: {file}:3:3: amended_edition.by: required field is missing\n",
        ),
        (
            "no-date.yaml",
            "form: standard-presence\namended_edition:\n  by: {number: \"5\", title: Т}\n  fee: {kk: Тегін, ru: Бесплатно}\n",
            "error: {file}:3:7: amended_edition.by.date: required field is missing\n",
        ),
    ]);
}

/// The paragraphs the amended edition replaces: rows 1, 3 and 6, the items of row 7, and
/// the first paragraph of row 10 (row, paragraph).
const REPLACED: &[(usize, usize)] = &[(0, 0), (2, 0), (5, 0), (6, 1), (6, 2), (6, 3), (9, 0)];

/// Issue 12: the amended edition names the amending act under the corner block, before the
/// title, and prints the parts it changed in place of the act's.
#[test]
fn amended_edition_names_the_amending_act_and_prints_its_changes() {
    let (_dir, _path, pdf) = render_to_pdf(&["render", "samples/standard-rights-full.yaml"]);
    assert_a4(&pdf);
    let pages = pages(&pdf);
    let (kk, ru) = (text_of(&pages, Lang::Kk), text_of(&pages, Lang::Ru));
    assert_in_order(&kk, &act_text(&RIGHTS, Lang::Kk, REPLACED));
    assert_in_order(&ru, &act_text(&RIGHTS, Lang::Ru, REPLACED));
    let first = |lang| &pages.iter().find(|p| p.lang == lang).expect("first page").body;
    assert_in_order(
        first(Lang::Kk),
        &[
            RIGHTS.corner.kk,
            "Қазақстан Республикасы Әділет министрінің 2024 жылғы 15 наурыздағы № 187 «Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығына өзгерістер енгізу туралы» бұйрығымен енгізілген өзгерістермен",
            RIGHTS.title.kk,
        ],
    );
    assert_in_order(
        first(Lang::Ru),
        &[
            RIGHTS.corner.ru,
            "с изменениями, внесёнными приказом Министра юстиции Республики Казахстан от 15 марта 2024 года № 187 «О внесении изменений в приказ Министра юстиции Республики Казахстан от 7 июля 2021 года № 565»",
            RIGHTS.title.ru,
        ],
    );
    assert_in_order(
        &kk,
        &[
            "1 Қызмет берушінің атауы \"Азаматтарға арналған үкімет\" мемлекеттік корпорациясы\" коммерциялық емес акционерлік қоғамы 2",
            "мәліметтер болған кезде 30 (отыз) минут ішінде көрсетіледі. 4",
            "жинау тәсілдері Тегін, мемлекеттік баж алынбайды 7 Жұмыс уақыты көрсетілетін қызметті беруші:",
            "сағат 9.00-ден сағат 19.00-ге дейін, түскі үзілісі сағат 13.00-тен 14.00-ге дейін,",
            "2) құжаттарды қабылдау және беру бойынша Мемлекеттік корпорацияда - Қазақстан Республикасының Еңбек кодексіне сәйкес мереке күндерінен басқа, күн сайын, түскі үзіліссіз, сағат 9.00-ден сағат 20.00-ге дейін.",
            "3) портал – жөндеу жұмыстарын жүргізумен байланысты техникалық үзілістерді қоспағанда, тәулік бойы, апта сайын 8",
            "сондай-ақ 1414, 8 800 080 7777 Бірыңғай байланыс орталығы",
        ],
    );
    assert_in_order(
        &ru,
        &[
            "1 Наименование услугодателя Некоммерческое акционерное общество «Государственная корпорация «Правительство для граждан»» 2",
            "в государственной информационной системе в течение 30 (тридцати) минут. 4",
            "Республики Казахстан Бесплатно, государственная пошлина не взимается 7 График работы услугодатель:",
            "с 9.00 до 19.00 часов, с перерывом на обед с 13.00 до 14.00 часов,",
            "кроме праздничных дней согласно Трудовому кодексу Республики Казахстан, ежедневно, без перерыва на обед, с 9.00 до 20.00 часов.",
            "3) портал – круглосуточно и ежедневно, за исключением технических перерывов в связи с проведением ремонтных работ 8",
            "а также Единого контакт-центра 1414, 8 800 080 7777. Государственная услуга",
        ],
    );
    for gone in ["20 (жиырма) минут", "сағат 18.30-ге", "080 777 ", "Коммерциялық емес акционерлік қоғамы 2"]
    {
        assert!(!kk.contains(gone), "the act's \"{gone}\" is replaced");
    }
    for gone in ["20 (двадцати) минут", "до 18.30 часов"] {
        assert!(!ru.contains(gone), "the act's \"{gone}\" is replaced");
    }
    // No branch is the provider and no other heading: the edition is the act's, amended.
    assert!(!kk.contains("филиалы") && !ru.contains("Филиал"));
}

/// Issue 12: an amended edition of appendix 5 changing one part: the rest is the act's text,
/// with the act's own row numbers.
#[test]
fn amended_edition_of_appendix_5_changes_only_what_it_names() {
    let case = "form: standard-presence\namended_edition:\n  by:\n    number: \"42\"\n    date: 2023-11-01\n    title: {kk: Өзгерістер енгізу туралы, ru: О внесении изменений}\n  term: {kk: 1 (бір) сағат, ru: 1 (одного) часа}\n";
    let run = render_case_in_dir("case.yaml", case, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pages = pages(&Pdf::open(&run.dir.path().join("out.pdf")));
    let (kk, ru) = (text_of(&pages, Lang::Kk), text_of(&pages, Lang::Ru));
    assert_in_order(&kk, &act_text(&PRESENCE, Lang::Kk, &[(2, 0)]));
    assert_in_order(&ru, &act_text(&PRESENCE, Lang::Ru, &[(2, 0)]));
    assert_in_order(
        &kk,
        &[
            PRESENCE.corner.kk,
            "2023 жылғы 1 қарашадағы № 42 «Өзгерістер енгізу туралы» бұйрығымен енгізілген өзгерістермен",
            PRESENCE.title.kk,
        ],
    );
    assert_in_order(
        &ru,
        &[
            PRESENCE.corner.ru,
            "с изменениями, внесёнными приказом Министра юстиции Республики Казахстан от 1 ноября 2023 года № 42 «О внесении изменений»",
            PRESENCE.title.ru,
        ],
    );
    assert!(kk.contains("мәліметтер болған кезде 1 (бір) сағат ішінде көрсетіледі. 4"), "{kk}");
    assert!(ru.contains("системе в течение 1 (одного) часа. 4"), "{ru}");
    for lang in [Lang::Kk, Lang::Ru] {
        assert_eq!(
            words_before_captions(&text_of(&pages, lang), &PRESENCE, lang),
            source_numbering(&PRESENCE, lang)
        );
    }
}

#[test]
fn yaml_and_json_samples_render_to_the_same_bytes() {
    assert_same_pdf_bytes(
        &["render", "samples/standard-rights-full.yaml"],
        &["render", "samples/standard-rights-full.json"],
    );
}

#[test]
fn a_case_naming_only_the_form_prints_the_blank_form() {
    for std in FORMS {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("case.pdf");
        let case = format!("form: {}\n", std.id);
        let result = run_with_stdin(&["render", "-", "-o", out.to_str().expect("path")], case.as_bytes());
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
        let (_d, blank, _) = render_to_pdf(&["blank", std.id]);
        assert!(std::fs::read(&out).expect("case") == std::fs::read(blank).expect("blank"), "{}", std.id);
    }
}

#[test]
fn forms_lists_the_legal_source_and_schema_has_only_optional_parameters() {
    let forms = stdout(&run(&["forms"]));
    assert!(forms.contains(&format!(
        "standard-rights\n  kk: {}\n  ru: {}\n  source: Order of the Minister of Justice of the Republic of Kazakhstan No. 565 of 7 July 2021, appendix 4 (Rules, appendix 6)\n  languages: kk, ru (default kk,ru)\n",
        RIGHTS.title.kk, RIGHTS.title.ru
    )), "{forms}");
    assert!(forms.contains(&format!(
        "standard-presence\n  kk: {}\n  ru: {}\n  source: Order of the Minister of Justice of the Republic of Kazakhstan No. 565 of 7 July 2021, appendix 5 (Rules, appendix 8)\n  languages: kk, ru (default kk,ru)\n",
        PRESENCE.title.kk, PRESENCE.title.ru
    )), "{forms}");
    for std in FORMS {
        let schema = schema_of(std.id);
        assert_eq!(schema["properties"]["form"]["const"], std.id);
        let names: Vec<&String> = schema["properties"].as_object().expect("properties").keys().collect();
        assert_eq!(names, ["form", "amended_edition"]);
        assert_eq!(schema["required"], serde_json::json!([]), "no field is required");
        assert_eq!(schema["additionalProperties"], false);
        // Issue 12: the parts of the act's text change only in an amended edition that names
        // the amending act.
        let edition = &schema["properties"]["amended_edition"];
        let names: Vec<&String> = edition["properties"].as_object().expect("edition").keys().collect();
        assert_eq!(names, ["by", "provider", "term", "fee", "working_hours", "contact_numbers"]);
        assert_eq!(edition["required"], serde_json::json!(["by"]));
        assert_eq!(edition["properties"]["by"]["required"], serde_json::json!(["number", "date", "title"]));
        let schema = edition;
        let hours = &schema["properties"]["working_hours"];
        assert_eq!(hours["additionalProperties"], false);
        let hour_names: Vec<&String> = hours["properties"].as_object().expect("hours").keys().collect();
        assert_eq!(hour_names, ["branches", "documents", "portal"]);
        let numbers = &schema["properties"]["contact_numbers"];
        assert_eq!(numbers["type"], "array");
        assert_eq!((numbers["minItems"].as_u64(), numbers["maxItems"].as_u64()), (Some(1), Some(5)));
        assert_eq!(numbers["items"]["maxLength"], 20);
        assert_eq!(schema["properties"]["term"]["oneOf"][0]["maxLength"], 200);
    }
}

/// Bad cases: file name, contents, the exact standard error (`{file}` stands for the path).
type Bad = (&'static str, &'static str, &'static str);

const BAD_RIGHTS: &[Bad] = &[
    (
        "unknown.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  provder: НАО\n",
        "error: {file}:4:3: amended_edition.provder: unknown field \"provder\"\n  hint: did you mean \"provider\"?\n",
    ),
    (
        "term-list.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  term: [20, минут]\n",
        "error: {file}:4:9: amended_edition.term: expected text (a string or {kk: …, ru: …}), got a list\n",
    ),
    (
        "fee-bool.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  fee: false\n",
        "error: {file}:4:8: amended_edition.fee: expected text (a string or {kk: …, ru: …}), got a boolean\n",
    ),
    (
        "hours.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  working_hours:\n    saturday: closed\n    portal: {kk: тәулік бойы}\n",
        "error: {file}:5:5: amended_edition.working_hours.saturday: unknown field \"saturday\"\n  hint: expected one of: branches, documents, portal\nerror: {file}:6:13: amended_edition.working_hours.portal: missing the Russian text (ru)\n",
    ),
    (
        "hours-string.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  working_hours: 9.00-18.30\n",
        "error: {file}:4:18: amended_edition.working_hours: expected a mapping, got a string\n",
    ),
    (
        "numbers-empty.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  contact_numbers: []\n",
        "error: {file}:4:20: amended_edition.contact_numbers: needs at least one item\n",
    ),
    (
        "numbers-string.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  contact_numbers: \"1414\"\n",
        "error: {file}:4:20: amended_edition.contact_numbers: expected a list, got a string\n",
    ),
    (
        "numbers-items.yaml",
        "form: standard-rights\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  contact_numbers: [{kk: 1414}, \"8 800 080 7777 доб. 12345\"]\n",
        "error: {file}:4:21: amended_edition.contact_numbers[0]: expected a string, got a mapping\nerror: {file}:4:33: amended_edition.contact_numbers[1]: text is too long (25 characters, at most 20)\n",
    ),
    (
        "language.json",
        "{\"form\": \"standard-rights\",\n \"amended_edition\": {\"by\": {\"number\": \"1\", \"date\": \"2024-03-15\", \"title\": \"Т\"},\n  \"provider\": {\"kk\": \"КЕАҚ\", \"ru\": \"НАО\", \"de\": \"AG\"}}}\n",
        "error: {file}:3:43: amended_edition.provider.de: unknown language \"de\" (expected kk, ru or en)\n",
    ),
];

const BAD_PRESENCE: &[Bad] = &[
    (
        "unknown.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  fee_kzt: 0\n",
        "error: {file}:4:3: amended_edition.fee_kzt: unknown field \"fee_kzt\"\n  hint: expected one of: by, provider, term, fee, working_hours, contact_numbers\n",
    ),
    (
        "term-kk-only.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  term: {kk: 1 (бір) сағат}\n",
        "error: {file}:4:9: amended_edition.term: missing the Russian text (ru)\n",
    ),
    (
        "term-long.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  term: {kk: 1 (бір) сағат, ru: LONG}\n",
        "error: {file}:4:9: amended_edition.term: text is too long (201 characters, at most 200)\n",
    ),
    (
        "provider-long.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  provider: LONG\n",
        "error: {file}:4:13: amended_edition.provider: text is too long (501 characters, at most 500)\n",
    ),
    (
        "hours-list.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  working_hours: [9.00, 18.30]\n",
        "error: {file}:4:18: amended_edition.working_hours: expected a mapping, got a list\n",
    ),
    (
        "documents-list.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  working_hours:\n    documents: [дүйсенбі, сенбі]\n",
        "error: {file}:5:16: amended_edition.working_hours.documents: expected text (a string or {kk: …, ru: …}), got a list\n",
    ),
    (
        "numbers-number.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  contact_numbers: 1414\n",
        "error: {file}:4:20: amended_edition.contact_numbers: expected a list, got a number\n",
    ),
    (
        "numbers-many.yaml",
        "form: standard-presence\namended_edition:\n  by: {number: \"1\", date: 2024-03-15, title: Т}\n  contact_numbers: [1414, 1415, 1416, 1417, 1418, 1419]\n",
        "error: {file}:4:20: amended_edition.contact_numbers: has 6 items, at most 5 are allowed\n",
    ),
    (
        "numbers-nested.json",
        "{\"form\": \"standard-presence\", \"amended_edition\": {\"by\": {\"number\": \"1\", \"date\": \"2024-03-15\", \"title\": \"Т\"}, \"contact_numbers\": [\"1414\", [\"8 800\", \"080 7777\"]]}}\n",
        "error: {file}:1:138: amended_edition.contact_numbers[1]: expected a string, got a list\n",
    ),
];

/// Writes each bad case, renders it, and checks the message, the exit code and that no
/// file was written.
fn check_bad_cases(cases: &[Bad]) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, contents, expected) in cases {
        let contents =
            contents.replace("LONG", &"ж".repeat(if contents.contains("term") { 201 } else { 501 }));
        let file = dir.path().join(name);
        std::fs::write(&file, &contents).expect("write case");
        let out = dir.path().join(Path::new(name).with_extension("pdf"));
        let file = file.to_str().expect("path");
        let result = run(&["render", file, "-o", out.to_str().expect("path")]);
        assert_eq!(stderr(&result), expected.replace("{file}", file), "{name}");
        assert_eq!(result.status.code(), Some(2), "{name}");
        assert_eq!(stdout(&result), "", "{name}");
        assert!(!out.exists(), "{name}: a PDF was written");
    }
}

#[test]
fn bad_rights_cases_are_refused_with_position_and_exit_code_2() {
    assert!(BAD_RIGHTS.len() >= 8);
    check_bad_cases(BAD_RIGHTS);
}

#[test]
fn bad_presence_cases_are_refused_with_position_and_exit_code_2() {
    assert!(BAD_PRESENCE.len() >= 8);
    check_bad_cases(BAD_PRESENCE);
}
