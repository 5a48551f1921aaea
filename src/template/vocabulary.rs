//! The elements of the markup (see [`super::markup`]) and the attributes each takes, and a
//! check of a template's source against them: an unknown element or attribute
//! (`<p algin="center">`) is an error with its line, column and a "did you mean", found when
//! the templates load rather than ignored when a page is printed.
//!
//! The check reads the template's text, skipping Tera's `{{ … }}`, `{% … %}` and `{# … #}`, so
//! that it sees the elements and attributes a template writes in every branch. An element
//! whose name a template computes (`<{{ name }}>`) is not checked here; the markup reader
//! checks it when the page is printed.
//!
//! This file depends on nothing of the crate: `src/build.rs` includes it too, so that a typo in
//! a compiled-in template fails the build.

/// Each element and the attributes it takes.
pub const ELEMENTS: &[(&str, &[&str])] = &[
    ("document", &["title", "paper", "orientation", "margins", "size", "footer", "width", "height"]),
    (
        "p",
        &[
            "align",
            "size",
            "indent",
            "left",
            "space-before",
            "space-after",
            "keep-with-next",
            "page-total",
            "bold",
            "italic",
        ],
    ),
    ("column", &["width", "align"]),
    ("fill", &["size", "space-before", "keep-with-next"]),
    ("label", &["width", "bold", "italic"]),
    ("blank", &["width", "grow", "align", "caption", "bold", "italic"]),
    ("table", &["widths", "size", "borders", "space-before"]),
    ("tr", &["header"]),
    ("td", &["colspan", "align", "valign", "bold", "italic"]),
    ("checkbox", &["checked", "size", "bold", "italic"]),
    ("rule", &["width"]),
    ("space", &["height"]),
    ("keep", &["with-previous"]),
    ("pagebreak", &[]),
    ("frame", &["border", "double", "padding", "height", "center"]),
    ("running", &[]),
    ("qr-row", &["columns", "module"]),
    ("qr", &[]),
    ("b", &[]),
    ("i", &[]),
    ("br", &[]),
    ("nobreak", &[]),
];

/// The attributes of `element`, or `None` when it is not an element of the markup.
pub fn attributes(element: &str) -> Option<&'static [&'static str]> {
    ELEMENTS.iter().find(|(name, _)| *name == element).map(|(_, attributes)| *attributes)
}

/// An unknown element or attribute in a template's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Lower case, no final period.
    pub message: String,
    /// The closest known name, as `did you mean "…"?`, when there is one.
    pub hint: Option<String>,
}

/// The closest of `known` to `name`, as a hint.
fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    // Transpositions count as one edit (`tabel` → `table`); of equally close names, the one of
    // the same length, then the one sharing the longer start, wins.
    known
        .map(|k| (strsim::osa_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min_by(|(d1, k1), (d2, k2)| {
            let length = |k: &str| k.chars().count().abs_diff(name.chars().count());
            (d1.cmp(d2))
                .then(length(k1).cmp(&length(k2)))
                .then(strsim::jaro_winkler(name, k2).total_cmp(&strsim::jaro_winkler(name, k1)))
        })
        .map(|(_, k)| format!("did you mean \"{k}\"?"))
}

/// Every unknown element or attribute in the source of a template.
pub fn check(source: &str) -> Vec<Problem> {
    let text = without_tera(source);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut problems = Vec::new();
    let at = |byte: usize| {
        let before = &source[..byte];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        (line, column)
    };
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':';
    let mut i = 0;
    while i < chars.len() {
        if chars[i].1 != '<' {
            i += 1;
            continue;
        }
        // `<!-- … -->`, `<?…?>`, `<!DOCTYPE …>`: not elements.
        if matches!(chars.get(i + 1), Some((_, '!' | '?'))) {
            let rest = &text[chars[i].0..];
            let end = if rest.starts_with("<!--") { rest.find("-->").map(|e| e + 3) } else { rest.find('>') };
            let end_byte = chars[i].0 + end.unwrap_or(rest.len());
            while i < chars.len() && chars[i].0 < end_byte {
                i += 1;
            }
            continue;
        }
        let closing = matches!(chars.get(i + 1), Some((_, '/')));
        i += 1 + usize::from(closing);
        let start = i;
        while i < chars.len() && name_char(chars[i].1) {
            i += 1;
        }
        let name: String = chars[start..i].iter().map(|(_, c)| c).collect();
        if name.is_empty() {
            continue; // `<{{ name }}>` or a stray `<`
        }
        let Some(known) = attributes(&name) else {
            let (line, column) = at(chars[start].0);
            let hint = suggest(&name, ELEMENTS.iter().map(|(n, _)| *n));
            problems.push(Problem { line, column, message: format!("unknown element <{name}>"), hint });
            continue;
        };
        if closing {
            continue;
        }
        // Attributes, up to the end of the tag.
        while i < chars.len() && chars[i].1 != '>' {
            let c = chars[i].1;
            if c == '"' || c == '\'' {
                i += 1;
                while i < chars.len() && chars[i].1 != c {
                    i += 1;
                }
                i += 1;
            } else if name_char(c) {
                let attr_start = i;
                while i < chars.len() && name_char(chars[i].1) {
                    i += 1;
                }
                let attr: String = chars[attr_start..i].iter().map(|(_, c)| c).collect();
                if !known.contains(&attr.as_str()) {
                    let (line, column) = at(chars[attr_start].0);
                    let hint = suggest(&attr, known.iter().copied());
                    let message = format!("unknown attribute \"{attr}\" of <{name}>");
                    problems.push(Problem { line, column, message, hint });
                }
            } else {
                i += 1;
            }
        }
    }
    problems
}

/// The source with every Tera tag, expression and comment blanked out (the same length in
/// bytes, so that positions stay; newlines kept).
fn without_tera(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find(['{']) {
        let close = match rest[open..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
                continue;
            }
        };
        out.push_str(&rest[..open]);
        let end = rest[open + 2..].find(close).map_or(rest.len(), |e| open + 2 + e + 2);
        for c in rest[open..end].chars() {
            match c {
                '\n' => out.push('\n'),
                // One space per byte, so that byte offsets into the source stay right.
                _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Vec<String> {
        check(source)
            .into_iter()
            .map(|p| {
                format!(
                    "{}:{}: {}{}",
                    p.line,
                    p.column,
                    p.message,
                    p.hint.map(|h| format!(" / {h}")).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn known_elements_and_attributes_pass_in_every_branch() {
        let source = "{# <bogus> and Қазақ in a comment #}<document title=\"{{ t.x }}\">\n<fill><label{% if a %} width=\"52mm\"{% endif %}>x</label>\
                      <blank grow=\"1\" align=\"{{ align }}\" caption=\"{{ \"a>b\" }}\"/></fill><!-- <zz> -->\n<p>a<br/><b>b</b></p></document>";
        assert_eq!(found(source), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_element_or_attribute_is_found_with_the_closest_name() {
        let source = "<document>{# Қазақ #}\n  <p algin=\"center\">x</p>\n{% if a %}<tabel widths=\"1\"></tabel>{% endif %}\n{# Қазақ #}<frame zzz=\"1\"/></document>";
        assert_eq!(
            found(source),
            [
                "2:6: unknown attribute \"algin\" of <p> / did you mean \"align\"?",
                "3:12: unknown element <tabel> / did you mean \"table\"?",
                "3:31: unknown element <tabel> / did you mean \"table\"?",
                "4:19: unknown attribute \"zzz\" of <frame>",
            ]
        );
    }
}
