//! `forms`, `schema` and `codes`: what the tool knows.

use anyqtama::Engine;
use anyqtama::domain::Lang;
use anyqtama::form::schema_json;

use super::{Exit, fail, print_diagnostics};

pub fn forms(engine: &Engine) -> Exit {
    let forms = match engine.catalog.forms() {
        Ok(forms) => forms,
        Err(diags) => {
            print_diagnostics(&diags);
            return Exit::Failure;
        }
    };
    for form in forms {
        let spec = &form.spec;
        say!("{}", spec.id);
        say!("  kk: {}", spec.title.kk);
        say!("  ru: {}", spec.title.ru);
        say!("  source: {}", spec.source_line(Lang::En));
        say!("  languages: {} (default {})", spec.languages.join(", "), spec.default_languages.join(","));
    }
    Exit::Success
}

pub fn schema(engine: &Engine, id: &str) -> Exit {
    let form = match engine.form(id) {
        Ok(form) => form,
        Err(d) => {
            print_diagnostics(&[d]);
            return Exit::Failure;
        }
    };
    let schema = schema_json::schema(&form.spec, &engine.catalog.codes);
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => {
            say!("{text}");
            Exit::Success
        }
        Err(e) => fail(format!("failed to print the schema ({e})")),
    }
}

pub fn codes(engine: &Engine, dictionary: Option<&str>) -> Exit {
    let codes = &engine.catalog.codes;
    match dictionary {
        None => {
            for (name, entries) in codes {
                say!("{name} ({} codes)", entries.len());
            }
            Exit::Success
        }
        Some(name) => match codes.get(name) {
            Some(entries) => {
                for (code, label) in entries {
                    say!("{code}\n  kk: {}\n  ru: {}", label.kk, label.ru);
                }
                Exit::Success
            }
            None => {
                let known: Vec<&str> = codes.keys().map(String::as_str).collect();
                fail(format!("unknown dictionary \"{name}\" (dictionaries: {})", known.join(", ")))
            }
        },
    }
}
