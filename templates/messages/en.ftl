# Messages of diagnostics and register errors, in English.
#
# The same message ids, with the same variables, are in kk.ftl and ru.ftl (a test checks it).
# The English text is the tool's reference wording: lower case, no final period. Variables
# hold field paths, values as given and numbers; they are never translated.

## Stable codes (docs/diagnostic-codes.md): what each one means.

code-input = a problem of the input
code-templates = a problem of the form definitions, wording or templates
code-run = the tool could not run
code-input-unreadable = the file could not be read
code-input-too_large = the file is larger than 16 MiB
code-input-empty = the file holds no case
code-input-encoding = the file is not UTF-8 text
code-input-syntax = the YAML or JSON cannot be parsed
code-input-duplicate_key = a key given twice in one mapping
code-form-missing = the case names no form
code-form-unknown = no form of that name
code-form-mismatch = the case is for another form
code-field-unknown = a field the form does not have
code-field-required = a required field is missing
code-value-type = the wrong kind of value
code-value-empty = an empty value where one is required
code-value-format = a value that does not read as its type
code-value-check_digit = an IIN or BIN whose last digit is not its check digit
code-value-unknown = a value outside the field's list of choices
code-value-unknown_code = a code not in the field's dictionary
code-number-format = not a whole number
code-number-range = a number out of its range
code-text-language = a language other than kk, ru or en
code-text-missing_language = the Kazakh or the Russian text is missing
code-text-too_long = a text longer than the field allows
code-text-character = a character no page can show
code-text-no_glyph = the font has no glyph for a character
code-text-lookalike = a Latin letter in a Cyrillic word
code-list-too_short = fewer items than the field needs
code-list-too_long = more items than the field allows
code-list-duplicate = two items with the same key fields
code-list-order = items not in the order the form requires
code-list-sequence = an item's number is not the one after the previous item's
code-share-total = the shares add up to more than a whole
code-time-order = a date or time out of order

## Lists in messages.

# "a or b or c"
list-or = { $first } or { $second }
# "a, b and c": `init` is the items but the last, joined with ", ".
list-and = { $init } and { $last }

## Reading a case file (src/input/).

input-unreadable = failed to read { $file } ({ $cause ->
        [not-found] no such file or directory
        [permission-denied] permission denied
        [is-a-directory] it is a directory
       *[other] { $detail }
    })
input-unreadable-stdin = failed to read standard input ({ $cause ->
        [not-found] no such file or directory
        [permission-denied] permission denied
        [is-a-directory] it is a directory
       *[other] { $detail }
    })
input-too-large-file = { $file }: the file is larger than 16 MiB
input-too-large-stdin = standard input: the file is larger than 16 MiB
input-too-large = the file is larger than 16 MiB
input-nul = the file is not UTF-8 text (it contains NUL bytes)
input-not-utf8 = the file is not valid UTF-8
input-looks-like-utf32 = the file looks like UTF-32 ({ $order ->
        [big] big-endian
       *[little] little-endian
    }); save it as UTF-8
input-looks-like = the file looks like { $encoding }; save it as UTF-8
input-looks-like-windows1251 = the file looks like Windows-1251 (Cyrillic); save it as UTF-8
input-empty = the file is empty
input-syntax = failed to parse { $format } ({ $cause })
input-internal = failed to parse { $format } (internal error)
input-too-deep = nesting is deeper than { $max } levels
input-many-documents = expected one document, found more
input-duplicate-key = duplicate key { $key }
input-key-not-string = mapping keys must be strings
input-too-many-aliases = too many aliases (more than { $max })
input-too-many-anchors = too many anchors (more than { $max })
input-alias-expansion = aliases expand to too many values (more than { $max })
input-too-many-values = too many values (more than { $max })
input-too-much-text = too much text (more than 64 MiB, aliases expanded)
input-too-many-events = the file is too complex (more than { $max } parser events)
input-too-complex = the file is too large or too complex

## Validation (src/validate/).

# `expected` and `got` name kinds of values.
value-type = expected { $expected ->
        [fields] a mapping of fields
        [mapping] a mapping
        [number] a number
        [share] a share like 1/2
        [cadastral] a cadastral number
        [date] a date
        [datetime] a date and time
        [bool] true or false
        [text] text (a string or {"{"}kk: …, ru: …{"}"})
        [integer] a whole number
        [area] an area like 72.40 or "72.40 m2"
        [digits] 12 digits
        [list] a list
       *[string] a string
    }, got { $got ->
        [null] null
        [bool] a boolean
        [number] a number
        [list] a list
        [mapping] a mapping
       *[string] a string
    }
field-unknown = unknown field { $name }
hint-did-you-mean = did you mean "{ $name }"?
hint-expected-one-of = expected one of: { $names }
field-required = required field is missing
field-required-variant = required field is missing ({ $names })
value-empty = must not be empty
value-unknown = unknown value "{ $value }" (expected one of: { $known })
value-unknown-variant = unknown { $tag } "{ $value }" (expected { $names })
value-unknown-code = unknown code "{ $code }" in the dictionary { $dictionary }
hint-code-did-you-mean = did you mean "{ $code }"?
hint-code-list = the field takes a code of the dictionary { $dictionary }; free text is accepted too
text-language = unknown language { $lang } (expected kk, ru or en)
text-missing-kk = missing the Kazakh text (kk)
text-missing-ru = missing the Russian text (ru)
text-lookalike = Latin letter '{ $letter }' ({ $code }) in the Cyrillic word "{ $word }"
hint-fix-script = replace the look-alike letters with Cyrillic ones

# Hints only the command line gives (added by the CLI, never by the library).
hint-cli-codes = `anyqtama codes { $dictionary }` lists the codes
hint-cli-fix-script = or run with --fix-script to replace them
hint-cli-form = or pass --form NAME
text-character = contains { $code } ({ $what ->
        [tab] a tab in a one-line field
        [line-break] a line break in a one-line field
        [line-separator] a line separator
        [paragraph-separator] a paragraph separator
        [noncharacter] a noncharacter
       *[control] a control character
    }), which cannot be printed here
text-too-long = text is too long ({ $count } characters, at most { $max })
text-no-glyph = font "{ $font }" has no glyph for { $char }
number-not-whole = "{ $value }" is not a whole number
number-at-least = must be at least { $min } (got { $value })
number-at-most = must be at most { $max } (got { $value })
number-negative = must not be negative (got { $value })
list-too-short = needs { $min ->
        [1] at least one item
       *[other] at least { $min } items
    }
list-too-long = has { $count } items, at most { $max } are allowed
share-total = the shares add up to { $total }, more than a whole
list-duplicate = the same { $fields } as { $other } ({ $values })
list-order = { $value } is before { $other } ({ $previous }); the list must be in order of { $field }
list-sequence = must be { $expected }, the number after { $other } ({ $previous }); got { $value }
time-after = must be after { $field } ({ $value })
time-not-after = must not be after { $field } ({ $value })

## Values that do not read as their type (src/domain/).

# `kind` is iin or bin.
ident-not-12-digits = must be 12 digits (got "{ $value }")
ident-all-zeros = 000000000000 is not a valid { $kind ->
        [bin] BIN
       *[iin] IIN
    }
ident-not-iin = { $value } is not an IIN: the seventh digit must be 0–6
ident-not-bin = { $value } is not a BIN: the month digits must be 01–12 and the fifth digit 4, 5 or 6
ident-no-check-digit = no valid { $kind ->
        [bin] BIN
       *[iin] IIN
    } has the first 11 digits { $digits }
ident-check-digit = check digit is { $found }, expected { $expected }
date-not-in-calendar = { $value } is not a date in the calendar
date-not-date = "{ $value }" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)
date-not-datetime = "{ $value }" is not a date and time (expected YYYY-MM-DDTHH:MM[:SS] or DD.MM.YYYY HH:MM[:SS])
date-impossible-time = "{ $value }" has an impossible time of day
number-not-decimal = "{ $value }" is not a decimal number
number-too-many-digits = "{ $value }" has too many digits
number-not-quantity = "{ $value }" is not a quantity (expected a number and a unit, like 72.40 m2)
number-unknown-unit = unknown unit "{ $unit }" in "{ $value }" (expected m2, m3, m or ha)
share-not-share = "{ $value }" is not a share (expected a fraction like 1/2)
share-zero-denominator = share has a zero denominator
share-zero = a share must be more than 0
share-more-than-whole = { $value } is more than a whole share
share-sum-too-large = the shares cannot be added up exactly: their denominators are too large
cadastral-not-number = "{ $value }" is not a cadastral number (expected groups of digits like 09:145:029:019)

## The Register (src/register/).

# `body` is ministry or region; `region` its index (09).
register-missing = no register here (create one with `anyqtama register init`)
register-exists = already exists: `register init` makes a new register and never overwrites what is there
register-not-a-register = not an anyqtama register ({ $detail })
register-newer = register format { $found } is newer than this anyqtama reads (up to { $supported }): use a newer anyqtama
register-older = register format { $found } is older than this anyqtama writes ({ $latest }): run `anyqtama register migrate`
register-bad-url = not a database URL of the form postgres://USER[:PASSWORD]@HOST[:PORT]/DB
register-unknown-number = № { $number } is not in the register
register-already-cancelled = the state registration № { $number } was already cancelled by a court decision (entry { $seq })
register-before-last = the register is kept in chronological order: its last entry is of { $last }, so a new entry cannot be of { $date }
register-unreadable = entry { $seq } cannot be read ({ $detail })
register-after-today = the date { $date } is later than today ({ $today }): an entry is made on the day of the registration, never ahead
register-bad-today = { $variable }: "{ $value }" is not a date (expected YYYY-MM-DD)
register-duplicate = the same act (submitting body, form, date of adoption and number) is already registered as № { $number } (entry { $seq })
register-sequence-full = the sequence of { $body ->
        [ministry] the Ministry
       *[region] region { $region }
    } has reached № { $last }, the highest number the forms print: it gives no further number
register-bad-start = the start number { $number } of { $body ->
        [ministry] the Ministry
       *[region] region { $region }
    } is not between 1 and { $max }
register-broken = the chain of entries is broken at { $problem }
register-head-not-found = the recorded head { $head } is not in the journal: entries were changed and their hashes computed again, or the last ones replaced
register-damaged = the register is damaged ({ $detail })
register-database = { $detail }
