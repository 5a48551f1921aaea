//! `forms`, `schema` and `codes`: what the tool knows.

use anyqtama::Engine;
use anyqtama::diag::Diagnostic;
use anyqtama::domain::Lang;
use anyqtama::form::schema_json;

use super::{Exit, fail, print_diagnostics};

/// Prints the problems of the catalogue: the tool cannot run.
fn failed(diags: &[Diagnostic]) -> Exit {
    print_diagnostics(diags);
    Exit::Failure
}

pub fn forms(engine: &Engine) -> Result<(), Exit> {
    let forms = engine.catalog.forms().map_err(|d| failed(&d))?;
    for form in forms {
        let spec = &form.spec;
        say!("{}", spec.id);
        say!("  kk: {}", spec.title.kk);
        say!("  ru: {}", spec.title.ru);
        say!("  source: {}", spec.source_line(Lang::En));
        say!("  languages: {} (default {})", spec.languages.join(", "), spec.default_languages.join(","));
    }
    Ok(())
}

pub fn schema(engine: &Engine, id: &str) -> Result<(), Exit> {
    let form = engine.form(id).map_err(|d| failed(&[d]))?;
    let schema = schema_json::schema(&form.spec, &engine.catalog.codes);
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| fail(format!("failed to print the schema ({e})")))?;
    say!("{text}");
    Ok(())
}

pub fn codes(engine: &Engine, dictionary: Option<&str>) -> Result<(), Exit> {
    let codes = &engine.catalog.codes;
    let Some(name) = dictionary else {
        for (name, entries) in codes {
            say!("{name} ({} codes)", entries.len());
        }
        return Ok(());
    };
    let entries = codes.get(name).ok_or_else(|| {
        let known: Vec<&str> = codes.keys().map(String::as_str).collect();
        fail(format!("unknown dictionary \"{name}\" (dictionaries: {})", known.join(", ")))
    })?;
    for (code, label) in entries {
        say!("{code}\n  kk: {}\n  ru: {}", label.kk, label.ru);
    }
    Ok(())
}
