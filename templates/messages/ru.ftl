# Сообщения диагностики и ошибок реестра на русском языке.
#
# Те же идентификаторы и переменные, что в en.ftl (это проверяет тест). Перевод наш, не
# официальный текст (docs/open-points/message-translations.md). Переменные содержат пути
# полей, значения как они даны и числа; они не переводятся.

## Стабильные коды (docs/diagnostic-codes.md): что означает каждый.

code-input = ошибка во входных данных
code-templates = ошибка в определениях форм, формулировках или шаблонах
code-run = программа не смогла выполнить работу
code-input-unreadable = файл не удалось прочитать
code-input-too_large = файл больше 16 МиБ
code-input-empty = в файле нет данных дела
code-input-encoding = файл не является текстом UTF-8
code-input-syntax = YAML или JSON не удаётся разобрать
code-input-duplicate_key = ключ повторяется в одном наборе
code-form-missing = в деле не указана форма
code-form-unknown = формы с таким именем нет
code-form-mismatch = дело относится к другой форме
code-field-unknown = поле, которого в форме нет
code-field-required = отсутствует обязательное поле
code-value-type = значение не того вида
code-value-empty = пустое значение там, где оно обязательно
code-value-format = значение не читается как значение своего типа
code-value-check_digit = последняя цифра ИИН или БИН не совпадает с контрольной
code-value-unknown = значение не из списка допустимых для поля
code-value-unknown_code = кода нет в справочнике поля
code-number-format = не целое число
code-number-range = число вне допустимых пределов
code-text-language = язык, отличный от kk, ru и en
code-text-missing_language = нет текста на казахском или на русском языке
code-text-too_long = текст длиннее, чем допускает поле
code-text-character = символ, который нельзя напечатать
code-text-no_glyph = в шрифте нет глифа для символа
code-text-lookalike = латинская буква в кириллическом слове
code-list-too_short = элементов меньше, чем нужно полю
code-list-too_long = элементов больше, чем допускает поле
code-list-duplicate = два элемента с одинаковыми ключевыми полями
code-list-order = элементы не в том порядке, которого требует форма
code-list-sequence = номер элемента не следует за номером предыдущего
code-share-total = сумма долей больше целого
code-time-order = дата или время не в том порядке

## Перечисления в сообщениях.

list-or = { $first } или { $second }
list-and = { $init } и { $last }

## Чтение файла дела (src/input/).

input-unreadable = не удалось прочитать { $file } ({ $cause ->
        [not-found] нет такого файла или каталога
        [permission-denied] доступ запрещён
        [is-a-directory] это каталог
       *[other] { $detail }
    })
input-unreadable-stdin = не удалось прочитать стандартный ввод ({ $cause ->
        [not-found] нет такого файла или каталога
        [permission-denied] доступ запрещён
        [is-a-directory] это каталог
       *[other] { $detail }
    })
input-too-large-file = { $file }: файл больше 16 МиБ
input-too-large-stdin = стандартный ввод: файл больше 16 МиБ
input-too-large = файл больше 16 МиБ
input-nul = файл не является текстом UTF-8 (в нём есть байты NUL)
input-not-utf8 = файл не является корректным UTF-8
input-looks-like-utf32 = файл, похоже, в кодировке UTF-32 ({ $order ->
        [big] big-endian
       *[little] little-endian
    }); сохраните его в UTF-8
input-looks-like = файл, похоже, в кодировке { $encoding }; сохраните его в UTF-8
input-looks-like-windows1251 = файл, похоже, в кодировке Windows-1251 (кириллица); сохраните его в UTF-8
input-empty = файл пуст
input-syntax = не удалось разобрать { $format } ({ $cause })
input-internal = не удалось разобрать { $format } (внутренняя ошибка)
input-too-deep = вложенность глубже { $max } уровней
input-many-documents = ожидался один документ, найдено больше
input-duplicate-key = повторяющийся ключ { $key }
input-key-not-string = ключи должны быть строками
input-too-many-aliases = слишком много алиасов (больше { $max })
input-too-many-anchors = слишком много якорей (больше { $max })
input-alias-expansion = алиасы раскрываются в слишком много значений (больше { $max })
input-too-many-values = слишком много значений (больше { $max })
input-too-much-text = слишком много текста (больше 64 МиБ с раскрытыми алиасами)
input-too-many-events = файл слишком сложен (больше { $max } событий разбора)
input-too-complex = файл слишком большой или слишком сложный

## Проверка (src/validate/).

value-type = ожидалось: { $expected ->
        [fields] набор полей (ключ: значение)
        [mapping] набор «ключ: значение»
        [number] число
        [share] доля вида 1/2
        [cadastral] кадастровый номер
        [date] дата
        [datetime] дата и время
        [bool] true или false
        [text] текст (строка или {"{"}kk: …, ru: …{"}"})
        [integer] целое число
        [area] площадь вида 72.40 или "72.40 m2"
        [digits] 12 цифр
        [list] список
       *[string] строка
    }; получено: { $got ->
        [null] null (пусто)
        [bool] логическое значение
        [number] число
        [list] список
        [mapping] набор «ключ: значение»
       *[string] строка
    }
field-unknown = неизвестное поле { $name }
hint-did-you-mean = возможно, имелось в виду "{ $name }"?
hint-expected-one-of = ожидается одно из: { $names }
field-required = отсутствует обязательное поле
field-required-variant = отсутствует обязательное поле ({ $names })
value-empty = не должно быть пустым
value-unknown = неизвестное значение "{ $value }" (допустимые: { $known })
value-unknown-variant = неизвестное значение поля { $tag }: "{ $value }" (ожидается { $names })
value-unknown-code = кода "{ $code }" нет в справочнике { $dictionary }
hint-code-did-you-mean = возможно, имелось в виду "{ $code }"?
hint-code-list = поле принимает код справочника { $dictionary }; допускается и произвольный текст
text-language = неизвестный язык { $lang } (ожидается kk, ru или en)
text-missing-kk = нет текста на казахском языке (kk)
text-missing-ru = нет текста на русском языке (ru)
text-lookalike = латинская буква '{ $letter }' ({ $code }) в кириллическом слове "{ $word }"
hint-fix-script = замените похожие латинские буквы кириллическими

# Hints only the command line gives (added by the CLI, never by the library).
hint-cli-codes = список кодов: `anyqtama codes { $dictionary }`
hint-cli-fix-script = или запустите с --fix-script, чтобы заменить их
hint-cli-form = или укажите --form NAME
text-character = содержит { $code } ({ $what ->
        [tab] табуляция в однострочном поле
        [line-break] перенос строки в однострочном поле
        [line-separator] разделитель строк
        [paragraph-separator] разделитель абзацев
        [noncharacter] несимвол Юникода
       *[control] управляющий символ
    }), этот символ здесь нельзя напечатать
text-too-long = текст слишком длинный ({ $count } { $count ->
        [one] символ
        [few] символа
       *[many] символов
    }, не более { $max })
text-no-glyph = в шрифте "{ $font }" нет глифа для { $char }
number-not-whole = "{ $value }" не является целым числом
number-at-least = должно быть не меньше { $min } (указано: { $value })
number-at-most = должно быть не больше { $max } (указано: { $value })
number-negative = не должно быть отрицательным (указано: { $value })
list-too-short = нужно не менее { $min ->
        [1] одного элемента
        [one] { $min } элемента
       *[other] { $min } элементов
    }
list-too-long = { $count } { $count ->
        [one] элемент
        [few] элемента
       *[many] элементов
    }, допускается не более { $max }
share-total = сумма долей равна { $total }, это больше целого
list-duplicate = те же значения { $fields }, что и у { $other } ({ $values })
list-order = { $value } предшествует { $other } ({ $previous }); список должен быть упорядочен по полю { $field }
list-sequence = должно быть { $expected } — номер, следующий за { $other } ({ $previous }); указано: { $value }
time-after = должно быть позже { $field } ({ $value })
time-not-after = не должно быть позже { $field } ({ $value })

## Значения, которые не читаются как значения своего типа (src/domain/).

ident-not-12-digits = должно состоять из 12 цифр (указано: "{ $value }")
ident-all-zeros = 000000000000 не является действительным { $kind ->
        [bin] БИН
       *[iin] ИИН
    }
ident-not-iin = { $value } не является ИИН: седьмая цифра должна быть от 0 до 6
ident-not-bin = { $value } не является БИН: цифры месяца должны быть 01–12, а пятая цифра — 4, 5 или 6
ident-no-check-digit = не существует действительного { $kind ->
        [bin] БИН
       *[iin] ИИН
    } с первыми 11 цифрами { $digits }
ident-check-digit = контрольная цифра { $found }, ожидалась { $expected }
date-not-in-calendar = { $value }: такой даты нет в календаре
date-not-date = "{ $value }" не является датой (ожидается YYYY-MM-DD или DD.MM.YYYY)
date-not-datetime = "{ $value }" не является датой и временем (ожидается YYYY-MM-DDTHH:MM[:SS] или DD.MM.YYYY HH:MM[:SS])
date-impossible-time = "{ $value }": невозможное время суток
number-not-decimal = "{ $value }" не является десятичным числом
number-too-many-digits = в "{ $value }" слишком много цифр
number-not-quantity = "{ $value }" не является величиной (ожидаются число и единица измерения, например 72.40 m2)
number-unknown-unit = неизвестная единица измерения "{ $unit }" в "{ $value }" (ожидается m2, m3, m или ha)
share-not-share = "{ $value }" не является долей (ожидается дробь вида 1/2)
share-zero-denominator = у доли нулевой знаменатель
share-zero = доля должна быть больше 0
share-more-than-whole = { $value } больше целой доли
share-sum-too-large = доли нельзя сложить точно: их знаменатели слишком велики
cadastral-not-number = "{ $value }" не является кадастровым номером (ожидаются группы цифр вида 09:145:029:019)

## Реестр (src/register/).

register-missing = здесь нет реестра (создайте его командой `anyqtama register init`)
register-exists = уже существует: `register init` создаёт новый реестр и никогда не перезаписывает существующее
register-not-a-register = это не реестр anyqtama ({ $detail })
register-newer = формат реестра { $found } новее, чем читает эта версия anyqtama (до { $supported }): используйте более новую версию anyqtama
register-older = формат реестра { $found } старше, чем записывает эта версия anyqtama ({ $latest }): выполните `anyqtama register migrate`
register-bad-url = это не URL базы данных вида postgres://USER[:PASSWORD]@HOST[:PORT]/DB
register-unknown-number = № { $number } нет в реестре
register-already-cancelled = государственная регистрация № { $number } уже отменена решением суда (запись { $seq })
register-before-last = реестр ведётся в хронологическом порядке: последняя запись от { $last }, поэтому новая запись не может быть от { $date }
register-unreadable = запись { $seq } не читается ({ $detail })
register-after-today = дата { $date } позже сегодняшней ({ $today }): запись вносится в день регистрации, но не заранее
register-bad-today = { $variable }: "{ $value }" не является датой (ожидается YYYY-MM-DD)
register-duplicate = тот же акт (представивший орган, форма, дата принятия и номер) уже зарегистрирован под № { $number } (запись { $seq })
register-sequence-full = нумерация { $body ->
        [ministry] Министерства
       *[region] региона { $region }
    } дошла до № { $last }, наибольшего номера, который печатают формы: следующего номера нет
register-bad-start = начальный номер { $number } { $body ->
        [ministry] Министерства
       *[region] региона { $region }
    } не в пределах от 1 до { $max }
register-broken = цепочка записей нарушена: { $problem }
register-head-not-found = записанная вершина цепочки { $head } отсутствует в журнале: записи были изменены и их хеши пересчитаны, либо последние записи заменены
register-damaged = реестр повреждён ({ $detail })
register-database = { $detail }
