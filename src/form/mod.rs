//! The forms the tool knows: each is data (`form.yaml`: legal source and schema; `text.yaml`:
//! the official wording per language) and a Tera template (`form.xml`), all under
//! `templates/`. The directory is compiled into the binary; `--templates DIR` reads another
//! one instead, so a form can be corrected without a rebuild.

pub mod schema_json;
pub mod spec;

use std::path::Path;

use include_dir::{Dir, include_dir};
use indexmap::IndexMap;

pub use spec::{FieldKind, FieldSpec, FormSpec, Texts};

use crate::diag::{Diagnostic, StageResult};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// One form: its definition, its wording and the name of its template.
#[derive(Debug, Clone)]
pub struct Form {
    /// Definition and schema.
    pub spec: FormSpec,
    /// The official wording, by key, per language.
    pub texts: IndexMap<String, Texts>,
    /// The Tera template's name.
    pub template: String,
}

/// Bilingual dictionaries of classifier values (`templates/codes.yaml`).
pub type Codes = IndexMap<String, IndexMap<String, Texts>>;

/// Every form, the dictionaries, and the parsed templates. Load it once per process.
pub struct Catalog {
    /// The forms, in the order of `templates/forms/`.
    pub forms: Vec<Form>,
    /// The dictionaries.
    pub codes: Codes,
    /// The parsed templates.
    pub tera: tera::Tera,
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> StageResult<Catalog> {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        Catalog::from_files(files)
    }

    /// The catalog in a directory laid out like `templates/`.
    pub fn from_dir(dir: &Path) -> StageResult<Catalog> {
        let mut files = Vec::new();
        collect_dir(dir, dir, &mut files).map_err(|e| {
            vec![Diagnostic::plain(format!("failed to read templates from {} ({e})", dir.display()))]
        })?;
        if files.is_empty() {
            return Err(vec![Diagnostic::plain(format!("no templates in {}", dir.display()))]);
        }
        Catalog::from_files(files)
    }

    /// Builds the catalog from (relative path, contents) pairs.
    fn from_files(mut files: Vec<(String, String)>) -> StageResult<Catalog> {
        files.sort();
        let mut problems = Vec::new();
        let mut tera = tera::Tera::default();
        let templates: Vec<(String, String)> =
            files.iter().filter(|(p, _)| p.ends_with(".xml")).cloned().collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            problems.push(Diagnostic::plain(format!("failed to parse the templates ({})", tera_cause(&e))));
        }
        let get = |path: &str| files.iter().find(|(p, _)| p == path).map(|(_, c)| c.as_str());
        let codes: Codes = match get("codes.yaml") {
            Some(text) => parse_yaml("codes.yaml", text).unwrap_or_else(|d| {
                problems.push(d);
                Codes::default()
            }),
            None => Codes::default(),
        };
        let mut forms = Vec::new();
        for (path, text) in &files {
            let Some(dir) = path.strip_prefix("forms/").and_then(|p| p.strip_suffix("/form.yaml")) else {
                continue;
            };
            let spec: FormSpec = match parse_yaml(path, text) {
                Ok(spec) => spec,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            };
            let text_path = format!("forms/{dir}/text.yaml");
            let texts = match get(&text_path).map(|t| parse_yaml(&text_path, t)) {
                Some(Ok(texts)) => texts,
                Some(Err(d)) => {
                    problems.push(d);
                    continue;
                }
                None => IndexMap::new(),
            };
            let template = format!("forms/{dir}/form.xml");
            if get(&template).is_none() {
                problems.push(Diagnostic::plain(format!("form {} has no template {template}", spec.id)));
                continue;
            }
            forms.push(Form { spec, texts, template });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Catalog { forms, codes, tera })
    }

    /// The form with this identifier.
    pub fn form(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.spec.id == id)
    }

    /// The identifiers of all forms, comma-separated, for messages.
    pub fn form_ids(&self) -> String {
        self.forms.iter().map(|f| f.spec.id.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn parse_yaml<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str(text).map_err(|e| {
        Diagnostic::plain(format!("failed to read templates/{path} ({})", first_line(&e.to_string())))
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The innermost cause of a Tera error, which names the template and the problem.
pub(crate) fn tera_cause(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.push((file.path().to_string_lossy().replace('\\', "/"), text.to_owned()));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_dir(root, &path, out)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("xml" | "yaml")) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}
