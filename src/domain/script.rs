//! Latin letters that look like Cyrillic ones, typed by mistake inside Kazakh and Russian
//! words.
//!
//! Official texts sometimes contain a Latin `i` (U+0069) instead of the Kazakh `і` (U+0456),
//! as in `нормативтiк`, or a Latin schwa `ə` (U+0259) instead of the Cyrillic `ә` (U+04D9), as
//! in `жəне`. Such text looks right but searches, sorts and hyphenates wrongly, and a font may
//! draw the two letters differently.
//!
//! A word (a maximal run of letters; combining diacritical marks U+0300–U+036F belong to the
//! word) is suspicious when it contains at least one Cyrillic letter and at least one Latin
//! look-alike. Words made of Latin letters only (`www.egov.kz`, `sms`) are never touched.
//!
//! The look-alikes and their replacements:
//!
//! | Latin | Cyrillic | | Latin | Cyrillic |
//! |---|---|---|---|---|
//! | `a` | `а` U+0430 | | `A` | `А` U+0410 |
//! | `c` | `с` U+0441 | | `B` | `В` U+0412 |
//! | `e` | `е` U+0435 | | `C` | `С` U+0421 |
//! | `h` | `һ` U+04BB | | `E` | `Е` U+0415 |
//! | `i` | `і` U+0456 | | `H` | `Н` U+041D |
//! | `o` | `о` U+043E | | `I` | `І` U+0406 |
//! | `p` | `р` U+0440 | | `K` | `К` U+041A |
//! | `x` | `х` U+0445 | | `M` | `М` U+041C |
//! | `y` | `у` U+0443 | | `O` | `О` U+041E |
//! | `ə` U+0259 | `ә` U+04D9 | | `P` | `Р` U+0420 |
//! | | | | `T` | `Т` U+0422 |
//! | | | | `X` | `Х` U+0425 |
//! | | | | `Ə` U+018F | `Ә` U+04D8 |
//!
//! `h` is the Kazakh `һ` (as in `шаһар`), which Latin `h` is typed for on keyboards without it.
//! Deliberately left out: `Y`, which could stand for the Russian `У` or the Kazakh `Ү`, so it
//! has no safe replacement; and letters that only resemble Cyrillic ones in some fonts or in
//! italics (`k`, `m`, `n`, `u`, `b`, `r`).

/// A Latin look-alike letter found inside a Cyrillic word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lookalike {
    /// The Latin letter found.
    pub found: char,
    /// The Cyrillic letter it stands for.
    pub replacement: char,
    /// The whole word containing it, as found (before any replacement).
    pub word: String,
    /// The position of the letter: 0-based offset in characters (not bytes) in the whole
    /// string searched.
    pub char_index: usize,
}

/// The Cyrillic letter a Latin look-alike stands for, or `None` if `c` is not a look-alike.
pub fn cyrillic_for(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'h' => 'һ',
        'i' => 'і',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        '\u{259}' => 'ә',
        'A' => 'А',
        'B' => 'В',
        'C' => 'С',
        'E' => 'Е',
        'H' => 'Н',
        'I' => 'І',
        'K' => 'К',
        'M' => 'М',
        'O' => 'О',
        'P' => 'Р',
        'T' => 'Т',
        'X' => 'Х',
        '\u{18f}' => 'Ә',
        _ => return None,
    })
}

/// Whether `c` is a Cyrillic letter (Cyrillic, Cyrillic Supplement and Extended blocks).
fn is_cyrillic_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c,
            '\u{400}'..='\u{52f}' | '\u{1c80}'..='\u{1c8f}' | '\u{2de0}'..='\u{2dff}' | '\u{a640}'..='\u{a69f}')
}

/// Whether `c` belongs to a word: a letter, or a combining diacritical mark (so that a
/// decomposed `й` stays one word).
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Calls `f(word_start, word)` for every suspicious word: a maximal run of word characters
/// containing a Cyrillic letter and a Latin look-alike. `word_start` is a char index.
fn for_each_suspicious_word(chars: &[char], mut f: impl FnMut(usize, &[char])) {
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_char(chars[i]) {
            i += 1;
        }
        let word = &chars[start..i];
        if word.iter().any(|&c| is_cyrillic_letter(c)) && word.iter().any(|&c| cyrillic_for(c).is_some()) {
            f(start, word);
        }
    }
}

/// Finds the Latin look-alike letters inside Cyrillic words, in order.
pub fn find_lookalikes(s: &str) -> Vec<Lookalike> {
    if !may_have_lookalikes(s) {
        return Vec::new();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut found = Vec::new();
    for_each_suspicious_word(&chars, |start, word| {
        let text: String = word.iter().collect();
        for (offset, &c) in word.iter().enumerate() {
            if let Some(replacement) = cyrillic_for(c) {
                found.push(Lookalike {
                    found: c,
                    replacement,
                    word: text.clone(),
                    char_index: start + offset,
                });
            }
        }
    });
    found
}

/// A quick test that rules out most strings: a look-alike needs a Latin letter (or the Latin
/// schwa) and a Cyrillic letter in the same string.
fn may_have_lookalikes(s: &str) -> bool {
    let latin = s.bytes().any(|b| b.is_ascii_alphabetic()) || s.contains(['ə', 'Ə']);
    latin && s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// Replaces the Latin look-alike letters inside Cyrillic words with the Cyrillic letters
/// (see the module documentation); everything else is kept as it is.
pub fn fix_lookalikes(s: &str) -> String {
    if !may_have_lookalikes(s) {
        return s.to_owned();
    }
    let mut chars: Vec<char> = s.chars().collect();
    let mut fixes = Vec::new();
    for_each_suspicious_word(&chars, |start, word| {
        for (offset, &c) in word.iter().enumerate() {
            if let Some(replacement) = cyrillic_for(c) {
                fixes.push((start + offset, replacement));
            }
        }
    });
    for (index, replacement) in fixes {
        if let Some(c) = chars.get_mut(index) {
            *c = replacement;
        }
    }
    chars.into_iter().collect()
}

/// A message describing a look-alike:
/// `Latin letter 'a' (U+0061) in the Cyrillic word "Caбыр"` (the word as found).
pub fn describe(l: &Lookalike) -> String {
    describe_message(l).english()
}

/// [`describe`] as catalog data (`templates/messages/*.ftl`).
pub fn describe_message(l: &Lookalike) -> crate::messages::Message {
    crate::messages::Message::new("text-lookalike")
        .arg("letter", l.found)
        .arg("code", format!("U+{:04X}", u32::from(l.found)))
        .arg("word", &l.word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adilet_latin_i() {
        let s = "нормативтiк құқықтық актілер";
        assert_eq!(
            find_lookalikes(s),
            vec![Lookalike {
                found: 'i', replacement: 'і', word: "нормативтiк".to_owned(), char_index: 9
            }]
        );
        let fixed = fix_lookalikes(s);
        assert_eq!(fixed, "нормативтік құқықтық актілер");
        assert!(fixed.contains('\u{456}'));
        assert!(find_lookalikes(&fixed).is_empty());
    }

    #[test]
    fn latin_schwa() {
        assert_eq!(fix_lookalikes("жəне сəйкес"), "және сәйкес");
        assert_eq!(fix_lookalikes("Əділет"), "Әділет");
        let found = find_lookalikes("жəне");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].found, '\u{259}');
        assert_eq!(found[0].replacement, '\u{4d9}');
        assert_eq!(describe(&found[0]), "Latin letter 'ə' (U+0259) in the Cyrillic word \"жəне\"");
        assert_eq!(fix_lookalikes("Ə"), "Ə");
    }

    #[test]
    fn several_in_one_word() {
        let s = "Caбыр";
        let found = find_lookalikes(s);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].found, found[0].replacement, found[0].char_index), ('C', 'С', 0));
        assert_eq!((found[1].found, found[1].replacement, found[1].char_index), ('a', 'а', 1));
        assert_eq!(describe(&found[1]), "Latin letter 'a' (U+0061) in the Cyrillic word \"Caбыр\"");
        assert_eq!(describe(&found[0]), "Latin letter 'C' (U+0043) in the Cyrillic word \"Caбыр\"");
        assert_eq!(fix_lookalikes(s), "Сабыр");
    }

    #[test]
    fn every_lookalike_is_replaced() {
        let pairs = [
            ('a', 'а'),
            ('c', 'с'),
            ('e', 'е'),
            ('h', 'һ'),
            ('i', 'і'),
            ('o', 'о'),
            ('p', 'р'),
            ('x', 'х'),
            ('y', 'у'),
            ('ə', 'ә'),
            ('A', 'А'),
            ('B', 'В'),
            ('C', 'С'),
            ('E', 'Е'),
            ('H', 'Н'),
            ('I', 'І'),
            ('K', 'К'),
            ('M', 'М'),
            ('O', 'О'),
            ('P', 'Р'),
            ('T', 'Т'),
            ('X', 'Х'),
            ('Ə', 'Ә'),
        ];
        for (latin, cyrillic) in pairs {
            assert!(latin.is_ascii() || matches!(latin, 'ə' | 'Ə'));
            assert!(is_cyrillic_letter(cyrillic), "{cyrillic}");
            assert_eq!(cyrillic_for(latin), Some(cyrillic));
            let word = format!("ж{latin}");
            assert_eq!(fix_lookalikes(&word), format!("ж{cyrillic}"));
            assert_eq!(find_lookalikes(&word).len(), 1);
            // Alone, the Latin letter is untouched.
            assert_eq!(fix_lookalikes(&latin.to_string()), latin.to_string());
        }
        // Latin letters with no safe Cyrillic twin stay, even in a Cyrillic word.
        for latin in ['Y', 'b', 'k', 'm', 'n', 'u', 'r', 'z', 'q', 'D'] {
            assert_eq!(cyrillic_for(latin), None);
            let word = format!("ж{latin}");
            assert_eq!(fix_lookalikes(&word), word);
            assert!(find_lookalikes(&word).is_empty());
        }
    }

    #[test]
    fn latin_words_untouched() {
        for s in [
            "www.egov.kz",
            "sms",
            "e-mail: info@example.kz",
            "TOO Acme",
            "Kazakhstan Republic",
            "Қазақстан, www.egov.kz, sms арқылы",
            "1a2б",
            "",
        ] {
            assert_eq!(fix_lookalikes(s), s, "{s:?}");
            assert!(find_lookalikes(s).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn mixed_text() {
        let s = "ТОО «Aлмaты» (Almaty), KZ: Сәуiр";
        let found = find_lookalikes(s);
        let indices: Vec<usize> = found.iter().map(|l| l.char_index).collect();
        assert_eq!(indices, vec![5, 8, 30]);
        for l in &found {
            assert_eq!(s.chars().nth(l.char_index), Some(l.found));
        }
        assert_eq!(found[0].word, "Aлмaты");
        assert_eq!(found[2].word, "Сәуiр");
        assert_eq!(fix_lookalikes(s), "ТОО «Алматы» (Almaty), KZ: Сәуір");
    }

    #[test]
    fn word_boundaries() {
        // Digits, punctuation and hyphens end words.
        assert_eq!(fix_lookalikes("Қызыл-Ordа"), "Қызыл-\u{41e}rdа");
        assert_eq!(fix_lookalikes("Қызыл-Orda"), "Қызыл-Orda");
        assert_eq!(fix_lookalikes("5a үй"), "5a үй");
        // A decomposed й (и + U+0306) stays in one word.
        assert_eq!(fix_lookalikes("и\u{306}e"), "и\u{306}е");
        // Char indices count characters, not bytes.
        let found = find_lookalikes("әәә бiр");
        assert_eq!(found[0].char_index, 5);
    }

    #[test]
    fn russian_words() {
        assert_eq!(fix_lookalikes("Pеспублика Kазахстан"), "Республика Казахстан");
        assert_eq!(fix_lookalikes("улицa Абaя, дом 5"), "улица Абая, дом 5");
        assert_eq!(fix_lookalikes("Hомер"), "Номер");
    }
}
