# Диагностика мен тізілім қателерінің хабарлары, қазақ тілінде.
#
# Идентификаторлар мен айнымалылар en.ftl файлындағымен бірдей (мұны тест тексереді). Аударма
# біздікі, ресми мәтін емес (docs/open-points/message-translations.md). Айнымалыларда өріс
# жолдары, берілген мәндер мен сандар бар; олар аударылмайды.

## Тұрақты кодтар (docs/diagnostic-codes.md): әрқайсысының мағынасы.

code-input = кіріс деректеріндегі қате
code-templates = нысан анықтамаларындағы, тұжырымдардағы немесе үлгілердегі қате
code-run = бағдарлама жұмысты орындай алмады
code-input-unreadable = файлды оқу мүмкін болмады
code-input-too_large = файл 16 МиБ-тан үлкен
code-input-empty = файлда іс деректері жоқ
code-input-encoding = файл UTF-8 мәтіні емес
code-input-syntax = YAML немесе JSON талданбайды
code-input-duplicate_key = бір жиында кілт қайталанады
code-form-missing = істе нысан көрсетілмеген
code-form-unknown = мұндай атаулы нысан жоқ
code-form-mismatch = іс басқа нысанға арналған
code-field-unknown = нысанда жоқ өріс
code-field-required = міндетті өріс жоқ
code-value-type = мәннің түрі дұрыс емес
code-value-empty = міндетті мән бос
code-value-format = мән өз түрі ретінде оқылмайды
code-value-check_digit = ЖСН немесе БСН соңғы цифры бақылау цифрына сәйкес емес
code-value-unknown = мән өрістің рұқсат етілген тізімінде жоқ
code-value-unknown_code = код өрістің анықтамалығында жоқ
code-number-format = бүтін сан емес
code-number-range = сан рұқсат етілген шектен тыс
code-text-language = kk, ru және en тілдерінен басқа тіл
code-text-missing_language = қазақша немесе орысша мәтін жоқ
code-text-too_long = мәтін өріс рұқсат ететіннен ұзын
code-text-character = басып шығаруға болмайтын таңба
code-text-no_glyph = қаріпте таңбаның глифі жоқ
code-text-lookalike = кириллица сөзіндегі латын әрпі
code-list-too_short = элементтер өріске қажеттіден аз
code-list-too_long = элементтер өріс рұқсат ететіннен көп
code-list-duplicate = кілттік өрістері бірдей екі элемент
code-list-order = элементтер нысан талап ететін ретпен емес
code-list-sequence = элементтің нөмірі алдыңғы элементтің нөмірінен кейінгі нөмір емес
code-share-total = үлестердің қосындысы бүтіннен артық
code-time-order = күн немесе уақыт ретімен емес

## Тізбектер.

list-or = { $first } немесе { $second }
list-and = { $init } және { $last }

## Іс файлын оқу (src/input/).

input-unreadable = { $file } оқылмады ({ $cause ->
        [not-found] мұндай файл немесе каталог жоқ
        [permission-denied] рұқсат жоқ
        [is-a-directory] бұл каталог
       *[other] { $detail }
    })
input-unreadable-stdin = стандартты кіріс оқылмады ({ $cause ->
        [not-found] мұндай файл немесе каталог жоқ
        [permission-denied] рұқсат жоқ
        [is-a-directory] бұл каталог
       *[other] { $detail }
    })
input-too-large-file = { $file }: файл 16 МиБ-тан үлкен
input-too-large-stdin = стандартты кіріс: файл 16 МиБ-тан үлкен
input-too-large = файл 16 МиБ-тан үлкен
input-nul = файл UTF-8 мәтіні емес (онда NUL байттары бар)
input-not-utf8 = файл дұрыс UTF-8 емес
input-looks-like-utf32 = файл UTF-32 ({ $order ->
        [big] big-endian
       *[little] little-endian
    }) кодтауында сияқты; оны UTF-8 кодтауында сақтаңыз
input-looks-like = файл { $encoding } кодтауында сияқты; оны UTF-8 кодтауында сақтаңыз
input-looks-like-windows1251 = файл Windows-1251 (кириллица) кодтауында сияқты; оны UTF-8 кодтауында сақтаңыз
input-empty = файл бос
input-syntax = { $format } талдау мүмкін болмады ({ $cause })
input-internal = { $format } талдау мүмкін болмады (ішкі қате)
input-too-deep = кірістіру тереңдігі { $max } деңгейден асады
input-many-documents = бір құжат күтілді, одан көп құжат табылды
input-duplicate-key = қайталанған кілт { $key }
input-key-not-string = кілттер жол болуы тиіс
input-too-many-aliases = бүркеншік аттар (alias) тым көп (шегі — { $max })
input-too-many-anchors = зәкірлер (anchor) тым көп (шегі — { $max })
input-alias-expansion = бүркеншік аттар (alias) тым көп мәнге ашылады (шегі — { $max })
input-too-many-values = мәндер тым көп (шегі — { $max })
input-too-much-text = мәтін тым көп (бүркеншік аттар ашылғанда шегі — 64 МиБ)
input-too-many-events = файл тым күрделі (талдау оқиғаларының шегі — { $max })
input-too-complex = файл тым үлкен немесе тым күрделі

## Тексеру (src/validate/).

value-type = күтілгені: { $expected ->
        [fields] өрістер жиыны (кілт: мән)
        [mapping] «кілт: мән» жиыны
        [number] сан
        [share] 1/2 сияқты үлес
        [cadastral] кадастрлық нөмір
        [date] күн
        [datetime] күн мен уақыт
        [bool] true немесе false
        [text] мәтін (жол немесе {"{"}kk: …, ru: …{"}"})
        [integer] бүтін сан
        [area] 72.40 немесе "72.40 m2" сияқты аудан
        [digits] 12 цифр
        [list] тізім
       *[string] жол
    }; берілгені: { $got ->
        [null] null (бос)
        [bool] логикалық мән
        [number] сан
        [list] тізім
        [mapping] «кілт: мән» жиыны
       *[string] жол
    }
field-unknown = белгісіз өріс { $name }
hint-did-you-mean = "{ $name }" деп жазғыңыз келді ме?
hint-expected-one-of = күтілетіні мыналардың бірі: { $names }
field-required = міндетті өріс жоқ
field-required-variant = міндетті өріс жоқ ({ $names })
value-empty = бос болмауы тиіс
value-unknown = белгісіз мән "{ $value }" (күтілетіні мыналардың бірі: { $known })
value-unknown-variant = { $tag } өрісінің белгісіз мәні "{ $value }" (күтілетіні: { $names })
value-unknown-code = { $dictionary } анықтамалығында "{ $code }" коды жоқ
hint-code-did-you-mean = "{ $code }" деп жазғыңыз келді ме?
hint-code-list = өріс { $dictionary } анықтамалығының кодын қабылдайды; еркін мәтін де қабылданады
text-language = белгісіз тіл { $lang } (kk, ru немесе en күтілді)
text-missing-kk = қазақша мәтін жоқ (kk)
text-missing-ru = орысша мәтін жоқ (ru)
text-lookalike = "{ $word }" кириллица сөзінде '{ $letter }' ({ $code }) латын әрпі бар
hint-fix-script = ұқсас латын әріптерін кириллица әріптерімен ауыстырыңыз

# Hints only the command line gives (added by the CLI, never by the library).
hint-cli-codes = кодтар тізімі: `anyqtama codes { $dictionary }`
hint-cli-fix-script = немесе оларды ауыстыру үшін --fix-script опциясымен іске қосыңыз
hint-cli-form = немесе --form NAME опциясын беріңіз
text-character = құрамында { $code } ({ $what ->
        [tab] бір жолдық өрістегі табуляция
        [line-break] бір жолдық өрістегі жол ауысуы
        [line-separator] жол бөлгіш
        [paragraph-separator] абзац бөлгіш
        [noncharacter] Юникодтың таңба емес коды
       *[control] басқару таңбасы
    }) бар, оны мұнда басып шығаруға болмайды
text-too-long = мәтін тым ұзын ({ $count } таңба, ең көбі { $max })
text-no-glyph = "{ $font }" қарпінде { $char } таңбасының глифі жоқ
number-not-whole = "{ $value }" бүтін сан емес
number-at-least = кемінде { $min } болуы тиіс (берілгені: { $value })
number-at-most = ең көбі { $max } болуы тиіс (берілгені: { $value })
number-negative = теріс болмауы тиіс (берілгені: { $value })
list-too-short = { $min ->
        [1] кемінде бір элемент
       *[other] кемінде { $min } элемент
    } болуы тиіс
list-too-long = { $count } элемент бар, ең көбі { $max } элементке рұқсат етіледі
share-total = үлестердің қосындысы { $total }, бұл бүтіннен артық
list-duplicate = { $fields } мәндері { $other } элементіндегідей ({ $values })
list-order = { $value } мәні { $other } ({ $previous }) мәнінен бұрын тұр; тізім { $field } өрісі бойынша реттелуі тиіс
list-sequence = { $expected } болуы тиіс — { $other } ({ $previous }) нөмірінен кейінгі нөмір; берілгені: { $value }
time-after = { $field } ({ $value }) мерзімінен кейін болуы тиіс
time-not-after = { $field } ({ $value }) мерзімінен кеш болмауы тиіс

## Өз түрі ретінде оқылмайтын мәндер (src/domain/).

ident-not-12-digits = 12 цифрдан тұруы тиіс (берілгені: "{ $value }")
ident-all-zeros = 000000000000 жарамды { $kind ->
        [bin] БСН
       *[iin] ЖСН
    } емес
ident-not-iin = { $value } ЖСН емес: жетінші цифры 0–6 болуы тиіс
ident-not-bin = { $value } БСН емес: ай цифрлары 01–12, ал бесінші цифры 4, 5 немесе 6 болуы тиіс
ident-no-check-digit = алғашқы 11 цифры { $digits } болатын жарамды { $kind ->
        [bin] БСН
       *[iin] ЖСН
    } жоқ
ident-check-digit = бақылау цифры { $found }, ал { $expected } болуы тиіс
date-not-in-calendar = { $value }: күнтізбеде мұндай күн жоқ
date-not-date = "{ $value }" күн емес (YYYY-MM-DD немесе DD.MM.YYYY күтілді)
date-not-datetime = "{ $value }" күні мен уақыты емес (YYYY-MM-DDTHH:MM[:SS] немесе DD.MM.YYYY HH:MM[:SS] күтілді)
date-impossible-time = "{ $value }": тәулік уақыты мүмкін емес
number-not-decimal = "{ $value }" ондық сан емес
number-too-many-digits = "{ $value }" санында цифрлар тым көп
number-not-quantity = "{ $value }" шама емес (сан мен өлшем бірлігі күтілді, мысалы 72.40 m2)
number-unknown-unit = "{ $value }" ішіндегі "{ $unit }" өлшем бірлігі белгісіз (m2, m3, m немесе ha күтілді)
share-not-share = "{ $value }" үлес емес (1/2 сияқты бөлшек күтілді)
share-zero-denominator = үлестің бөлімі нөлге тең
share-zero = үлес 0-ден үлкен болуы тиіс
share-more-than-whole = { $value } бүтін үлестен артық
share-sum-too-large = үлестерді дәл қосу мүмкін емес: олардың бөлімдері тым үлкен
cadastral-not-number = "{ $value }" кадастрлық нөмір емес (09:145:029:019 сияқты цифр топтары күтілді)

## Тізілім (src/register/).

register-missing = мұнда тізілім жоқ (оны `anyqtama register init` командасымен жасаңыз)
register-exists = бұрыннан бар: `register init` жаңа тізілім жасайды және бар деректі ешқашан қайта жазбайды
register-not-a-register = бұл anyqtama тізілімі емес ({ $detail })
register-newer = тізілім форматы { $found } осы anyqtama оқитын форматтан жаңа (ең көбі { $supported }): anyqtama-ның жаңа нұсқасын пайдаланыңыз
register-older = тізілім форматы { $found } осы anyqtama жазатын форматтан ({ $latest }) ескі: `anyqtama register migrate` командасын орындаңыз
register-bad-url = бұл postgres://USER[:PASSWORD]@HOST[:PORT]/DB түріндегі дерекқор URL-і емес
register-unknown-number = № { $number } тізілімде жоқ
register-already-cancelled = № { $number } мемлекеттік тіркеу сот шешімімен бұрын жойылған (жазба { $seq })
register-before-last = тізілім хронологиялық тәртіппен жүргізіледі: соңғы жазбаның күні { $last }, сондықтан жаңа жазбаның күні { $date } бола алмайды
register-unreadable = { $seq } жазбасы оқылмайды ({ $detail })
register-after-today = { $date } күні бүгінгі күннен ({ $today }) кейін: жазба алдын ала емес, тіркеу күні енгізіледі
register-bad-today = { $variable }: "{ $value }" күн емес (YYYY-MM-DD күтілді)
register-duplicate = дәл осы акт (ұсынған орган, нысаны, қабылданған күні мен нөмірі) № { $number } болып тіркеліп қойған (жазба { $seq })
register-sequence-full = { $body ->
        [ministry] Министрліктің
       *[region] { $region } өңірдің
    } нөмірлері № { $last } нөміріне жетті, бұл нысандарда басылатын ең үлкен нөмір: келесі нөмір берілмейді
register-bad-start = { $body ->
        [ministry] Министрліктің
       *[region] { $region } өңірдің
    } бастапқы нөмірі { $number } 1 мен { $max } аралығында емес
register-broken = жазбалар тізбегі үзілген: { $problem }
register-head-not-found = жазылған тізбек басы { $head } журналда жоқ: жазбалар өзгертіліп, хэштері қайта есептелген немесе соңғы жазбалар ауыстырылған
register-damaged = тізілім зақымдалған ({ $detail })
register-database = { $detail }
