//! The forms the tool knows: each is data (`form.yaml`: legal source and schema; `text.yaml`:
//! the official wording per language) and a Tera template (`form.xml`), all under
//! `templates/`. The directory is compiled into the binary; `--templates DIR` reads another
//! one instead, so a form can be corrected without a rebuild.

pub mod check;
mod precompiled;
pub mod recursion;
pub mod sandbox;
pub mod schema_json;
pub mod spec;

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use indexmap::IndexMap;

pub use spec::{FieldKind, FieldSpec, FieldType, FormSpec, Texts};

use crate::diag::{Diagnostic, StageResult};

include!(concat!(env!("OUT_DIR"), "/embedded_templates.rs"));

/// A file of the templates directory: its path relative to the directory (with `/`) and its
/// text, borrowed from the binary when compiled in.
type TemplateFile = (String, Cow<'static, str>);

/// One form: its definition, and — read on first use, so that start-up parses only what a
/// command needs — its wording and its parsed templates.
pub struct Form {
    /// Definition and schema.
    pub spec: FormSpec,
    /// The Tera template's name.
    pub template: String,
    /// The form's directory under `templates/forms/`.
    dir: String,
    /// The template files, shared by all forms of the catalog.
    files: Arc<Vec<TemplateFile>>,
    /// The templates are the compiled-in ones, parsed at build time.
    precompiled: bool,
    /// The templates directory as named in messages (`templates` when compiled in).
    shown_root: Arc<str>,
    prepared: OnceLock<Result<Prepared, Vec<Diagnostic>>>,
}

/// What rendering a form needs beyond its definition.
pub struct Prepared {
    /// The official wording, by key, per language.
    pub texts: IndexMap<String, Texts>,
    /// The form's template, with the shared macros and the templates it imports.
    pub tera: tera::Tera,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form").field("id", &self.spec.id).field("template", &self.template).finish()
    }
}

impl Form {
    /// A form with a definition only (no wording, no templates): enough to validate cases.
    pub fn from_spec(spec: FormSpec) -> Form {
        Form {
            spec,
            template: String::new(),
            dir: String::new(),
            files: Arc::new(Vec::new()),
            precompiled: false,
            shown_root: "templates".into(),
            prepared: OnceLock::new(),
        }
    }

    /// The wording and the parsed templates, read on first use.
    pub fn prepared(&self) -> Result<&Prepared, Vec<Diagnostic>> {
        self.prepared.get_or_init(|| self.prepare()).as_ref().map_err(Clone::clone)
    }

    /// A Tera error met while rendering this form's template, as the templates' problem: the
    /// innermost cause, at the first place in the form's templates (its own first) where the
    /// name the cause quotes appears (Tera's render errors carry no position).
    pub fn render_error(&self, e: &tera::Error) -> Diagnostic {
        let mut cause = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        let cause = lower_first(&cause.replace('\n', " "));
        let quoted = cause.split('`').nth(1).filter(|q| !q.is_empty());
        match quoted.and_then(|q| self.locate(q)) {
            Some(pos) => Diagnostic::error(
                crate::diag::FieldPath::root(),
                Some(pos),
                format!("failed to render the template ({cause})"),
            ),
            None => Diagnostic::plain(format!(
                "failed to render the template {}/{} ({cause})",
                self.shown_root, self.template
            )),
        }
        .in_templates()
    }

    /// The first place `needle` appears in the form's template, else in another `.xml` file.
    fn locate(&self, needle: &str) -> Option<crate::diag::SourcePos> {
        self.locate_in(&self.template, needle).or_else(|| {
            let others = self.files.iter().filter(|(p, _)| *p != self.template && p.ends_with(".xml"));
            others.map(|(p, _)| p.as_str()).find_map(|p| self.locate_in(p, needle))
        })
    }

    /// Where `needle` first appears in the template file `file`.
    fn locate_in(&self, file: &str, needle: &str) -> Option<crate::diag::SourcePos> {
        self.files.iter().filter(|(p, _)| p == file).find_map(|(path, text)| {
            let at = text.find(needle)?;
            let line = text[..at].matches('\n').count() + 1;
            let column = text[..at].rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            Some(crate::diag::SourcePos {
                file: format!("{}/{path}", self.shown_root).into(),
                line: line as u32,
                column: column as u32,
            })
        })
    }

    /// The official wording, by key (empty when text.yaml cannot be read; `prepared` reports
    /// why).
    pub fn text(&self, key: &str) -> Option<&Texts> {
        self.prepared().ok().and_then(|p| p.texts.get(key))
    }

    fn prepare(&self) -> Result<Prepared, Vec<Diagnostic>> {
        let get = |path: &str| self.files.iter().find(|(p, _)| p == path).map(|(_, c)| c.as_ref());
        let text_path = format!("forms/{}/text.yaml", self.dir);
        let texts = match get(&text_path) {
            Some(text) => parse_yaml(&self.shown_root, &text_path, text, self.precompiled)
                .map_err(|d| vec![d.in_templates()])?,
            None => IndexMap::new(),
        };
        // The form's own templates, the shared ones, and those of other forms it imports.
        let own = format!("forms/{}/", self.dir);
        let mut wanted: Vec<String> = vec![own.clone(), "common/".into()];
        let mut i = 0;
        while i < wanted.len() {
            let prefix = wanted[i].clone();
            for (path, content) in
                self.files.iter().filter(|(p, _)| p.starts_with(&prefix) && p.ends_with(".xml"))
            {
                let _ = path;
                for other in content.split("\"forms/").skip(1) {
                    if let Some(dir) = other.split('/').next() {
                        let prefix = format!("forms/{dir}/");
                        if !wanted.contains(&prefix) {
                            wanted.push(prefix);
                        }
                    }
                }
            }
            i += 1;
        }
        let templates: Vec<(&str, &str)> = self
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".xml") && wanted.iter().any(|w| p.starts_with(w.as_str())))
            .map(|(p, c)| (p.as_str(), c.as_ref()))
            .collect();
        let mut tera = tera::Tera::default();
        sandbox::configure(&mut tera);
        let added = if self.precompiled {
            add_precompiled(&mut tera, &templates)
        } else {
            tera.add_raw_templates(templates)
        };
        added.map_err(|e| {
            vec![
                Diagnostic::plain(format!(
                    "failed to parse the templates of {} ({})",
                    self.spec.id,
                    tera_cause(&e)
                ))
                .in_templates(),
            ]
        })?;
        // The compiled-in templates were checked when the binary was built (src/build.rs).
        let parsed = || tera.templates.iter().map(|(name, t)| (name.as_str(), t)).collect::<Vec<_>>();
        if !self.precompiled
            && let Some(cycle) = recursion::find_cycle(&parsed())
        {
            let pos = self.locate_in(&cycle.file, &cycle.needle);
            return Err(vec![
                Diagnostic::error(crate::diag::FieldPath::root(), pos, cycle.message).in_templates(),
            ]);
        }
        Ok(Prepared { texts, tera })
    }
}

/// Adds the compiled-in templates, parsed at build time, and checks them as
/// `Tera::add_raw_templates` does. (Tera has no documented way to add a parsed template; its
/// template map is public but hidden from the docs. The test in `precompiled` and the
/// rendering tests fail if that changes.)
fn add_precompiled(tera: &mut tera::Tera, templates: &[(&str, &str)]) -> tera::Result<()> {
    for (path, text) in templates {
        let template = match precompiled::template(path) {
            Some(template) => template,
            // Not compiled in (cannot happen for the embedded catalog): parse it now.
            None => tera::Template::new(path, None, text)?,
        };
        tera.templates.insert((*path).to_owned(), template);
    }
    tera.build_inheritance_chains()?;
    tera.check_macro_files()
}

/// Bilingual dictionaries of classifier values (`templates/codes.yaml`).
pub type Codes = IndexMap<String, IndexMap<String, Texts>>;

/// Every form and the dictionaries. Load it once per process. A form's definition is parsed
/// when the form is first asked for, so that a command reads only the forms it uses.
pub struct Catalog {
    /// One entry per form directory, in the order of `templates/forms/`.
    entries: Vec<Entry>,
    /// The dictionaries.
    pub codes: Codes,
}

/// A form directory: its identifier (read from the `id:` line) and, once parsed, the form.
struct Entry {
    id: String,
    path: String,
    dir: String,
    files: Arc<Vec<TemplateFile>>,
    precompiled: bool,
    shown_root: Arc<str>,
    form: OnceLock<Result<Form, Diagnostic>>,
}

impl Entry {
    fn form(&self) -> Result<&Form, Diagnostic> {
        self.form.get_or_init(|| self.parse()).as_ref().map_err(Clone::clone)
    }

    fn parse(&self) -> Result<Form, Diagnostic> {
        let text =
            self.files.iter().find(|(p, _)| *p == self.path).map(|(_, c)| c.as_ref()).unwrap_or_default();
        let spec: FormSpec = parse_yaml(&self.shown_root, &self.path, text, self.precompiled)
            .map_err(Diagnostic::in_templates)?;
        if spec.id != self.id {
            return Err(Diagnostic::plain(format!(
                "templates/{}: the id \"{}\" differs from the id line \"{}\"",
                self.path, spec.id, self.id
            )));
        }
        let template = format!("forms/{}/form.xml", self.dir);
        if !self.files.iter().any(|(p, _)| *p == template) {
            return Err(Diagnostic::plain(format!("form {} has no template {template}", spec.id)));
        }
        Ok(Form {
            spec,
            template,
            dir: self.dir.clone(),
            files: self.files.clone(),
            precompiled: self.precompiled,
            shown_root: self.shown_root.clone(),
            prepared: OnceLock::new(),
        })
    }
}

/// The value of the top-level `id:` line of a form.yaml.
fn id_line(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        .filter(|v| !v.is_empty())
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> StageResult<Catalog> {
        Catalog::from_files(embedded_files(), true, "templates")
    }

    /// The catalog in a directory laid out like `templates/`.
    pub fn from_dir(dir: &Path) -> StageResult<Catalog> {
        let mut files = Vec::new();
        let failed = |e: String| {
            vec![Diagnostic::plain(format!("failed to read templates from {} ({e})", dir.display()))]
        };
        let root = std::fs::canonicalize(dir).map_err(|e| failed(format!("{} ({e})", dir.display())))?;
        collect_dir(&root, &root, &mut files).map_err(failed)?;
        if files.is_empty() {
            return Err(vec![Diagnostic::plain(format!("no templates in {}", dir.display()))]);
        }
        check_forms(dir, &files)?;
        let catalog = Catalog::from_files(files, false, &dir.display().to_string())?;
        // Every definition, wording and template is read now, so that a problem in one is
        // reported when the directory is given, not when that form is first used.
        let mut problems: Vec<Diagnostic> = Vec::new();
        for form in catalog.forms()? {
            for d in form.prepared().err().into_iter().flatten() {
                if !problems.contains(&d) {
                    problems.push(d);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(catalog)
    }

    /// Builds the catalog from (relative path, contents) pairs. The dictionaries are read
    /// now; each form's definition when it is first asked for ([`Catalog::form`]), its wording
    /// and templates when it is first rendered ([`Form::prepared`]).
    /// `precompiled`: the files are the compiled-in ones, whose templates were parsed at build
    /// time.
    /// `shown_root` names the directory in messages.
    fn from_files(mut files: Vec<TemplateFile>, precompiled: bool, shown_root: &str) -> StageResult<Catalog> {
        let shown_root: Arc<str> = shown_root.into();
        files.sort();
        let files = Arc::new(files);
        let mut problems = Vec::new();
        let codes: Codes = match files.iter().find(|(p, _)| p == "codes.yaml") {
            Some((_, text)) => parse_yaml(&shown_root, "codes.yaml", text, precompiled).unwrap_or_else(|d| {
                problems.push(d);
                Codes::default()
            }),
            None => Codes::default(),
        };
        let mut entries = Vec::new();
        for (path, text) in files.iter() {
            let Some(dir) = path.strip_prefix("forms/").and_then(|p| p.strip_suffix("/form.yaml")) else {
                continue;
            };
            match id_line(text) {
                Some(id) => entries.push(Entry {
                    id,
                    path: path.clone(),
                    dir: dir.to_owned(),
                    files: files.clone(),
                    precompiled,
                    shown_root: shown_root.clone(),
                    form: OnceLock::new(),
                }),
                None => problems.push(Diagnostic::plain(format!("templates/{path} has no `id:` line"))),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Catalog { entries, codes })
    }

    /// The form with this identifier, parsed on first use.
    pub fn form(&self, id: &str) -> Result<&Form, Diagnostic> {
        match self.entries.iter().find(|e| e.id == id) {
            Some(entry) => entry.form(),
            None => Err(Diagnostic::plain(format!("unknown form \"{id}\""))
                .with_code("form.unknown")
                .with_hint(format!("forms: {}", self.form_ids()))),
        }
    }

    /// Every form, parsed; the problems of those that cannot be read.
    pub fn forms(&self) -> StageResult<Vec<&Form>> {
        let mut forms = Vec::new();
        let mut problems = Vec::new();
        for entry in &self.entries {
            match entry.form() {
                Ok(form) => forms.push(form),
                Err(d) => problems.push(d),
            }
        }
        if problems.is_empty() { Ok(forms) } else { Err(problems) }
    }

    /// The identifiers of all forms, comma-separated, for messages.
    pub fn form_ids(&self) -> String {
        self.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// Checks the names every `form.yaml` of `files` uses ([`check`]); the files are those of
/// `dir`, named in messages as `DIR/forms/…/form.yaml:LINE:COL`.
fn check_forms(dir: &Path, files: &[TemplateFile]) -> StageResult<()> {
    let found = check::catalog(files.iter().map(|(p, t)| (p.as_str(), t.as_ref()))).map_err(|e| {
        vec![Diagnostic::plain(format!("failed to read templates from {} ({e})", dir.display()))]
    })?;
    let problems: Vec<Diagnostic> = found
        .into_iter()
        .map(|(path, p)| {
            let field = crate::diag::FieldPath(
                p.path
                    .split('.')
                    .filter(|k| !k.is_empty())
                    .map(|k| crate::diag::PathSegment::Key(k.to_owned()))
                    .collect(),
            );
            let file = dir.join(&path).display().to_string().into();
            let pos = crate::diag::SourcePos { file, line: p.line as u32, column: p.column as u32 };
            let d = Diagnostic::error(field, Some(pos), p.message).in_templates();
            match p.hint {
                Some(hint) => d.with_hint(hint),
                None => d,
            }
        })
        .collect();
    let mut problems = problems;
    problems.extend(check_markup(dir, files));
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Every unknown element or attribute of the markup in the `.xml` files of `files`
/// ([`crate::template::vocabulary`]).
fn check_markup(dir: &Path, files: &[TemplateFile]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".xml")) {
        let file: Arc<str> = dir.join(path).display().to_string().into();
        for p in crate::template::vocabulary::check(text) {
            let pos =
                crate::diag::SourcePos { file: file.clone(), line: p.line as u32, column: p.column as u32 };
            let d = Diagnostic::error(crate::diag::FieldPath::root(), Some(pos), p.message).in_templates();
            problems.push(match p.hint {
                Some(hint) => d.with_hint(hint),
                None => d,
            });
        }
    }
    problems
}

/// Reads a YAML file of the catalog: from the JSON made of it at build time when it is
/// compiled in (`precompiled`), else from its text. `shown_root` names the templates
/// directory in messages.
fn parse_yaml<T: serde::de::DeserializeOwned>(
    shown_root: &str,
    path: &str,
    text: &str,
    precompiled: bool,
) -> Result<T, Diagnostic> {
    if precompiled && let Some((_, json)) = EMBEDDED_JSON.iter().find(|(p, _)| *p == path) {
        return serde_json::from_str(json).map_err(|e| {
            Diagnostic::plain(format!("failed to read templates/{path} ({})", first_line(&e.to_string())))
        });
    }
    serde_saphyr::from_str(text).map_err(|e| yaml_error(&format!("{shown_root}/{path}"), &e))
}

/// A YAML error of `file`: an unknown key or value at its line and column, with the closest
/// known one as a hint; any other error with saphyr's own message (which has the position).
fn yaml_error(file: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let e = e.without_snippet();
    let (message, hint) = match e {
        serde_saphyr::Error::SerdeUnknownField { field, expected, .. } => {
            (format!("unknown key \"{field}\""), check::suggest(field, expected.iter().copied()))
        }
        serde_saphyr::Error::SerdeUnknownVariant { variant, expected, .. } => {
            (format!("unknown value \"{variant}\""), check::suggest(variant, expected.iter().copied()))
        }
        other => {
            let message = format!("failed to read {file} ({})", first_line(&other.to_string()));
            return Diagnostic::plain(message);
        }
    };
    let pos = e.location().filter(|l| l.line() > 0).map(|l| crate::diag::SourcePos {
        file: file.into(),
        line: l.line() as u32,
        column: l.column() as u32,
    });
    let d = Diagnostic::error(crate::diag::FieldPath::root(), pos, message);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

/// `Variable …` → `variable …`: messages start in lower case.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
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

/// The compiled-in template files.
fn embedded_files() -> Vec<TemplateFile> {
    EMBEDDED.iter().map(|(path, text)| ((*path).to_owned(), Cow::Borrowed(*text))).collect()
}

/// Reads the `.xml` and `.yaml` files under `dir` into `out`. Only regular files are read (a
/// FIFO or device named `x.xml` is skipped, so a run cannot hang or read a device); a symbolic
/// link is followed only when it leads to a place inside `root` (canonical), else it is an
/// error naming the link.
fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<TemplateFile>) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| format!("{} ({e})", path.display());
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let mut file_type = entry.file_type().map_err(|e| io(&path, e))?;
        if file_type.is_symlink() {
            let target = std::fs::canonicalize(&path).map_err(|e| io(&path, e))?;
            if !target.starts_with(root) {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                return Err(format!(
                    "{} is a symbolic link to {}, outside the directory",
                    rel.display(),
                    target.display()
                ));
            }
            file_type = std::fs::metadata(&target).map_err(|e| io(&path, e))?.file_type();
            if file_type.is_dir() && dir.starts_with(&target) {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                return Err(format!("{} is a symbolic link to a directory that contains it", rel.display()));
            }
        }
        if file_type.is_dir() {
            collect_dir(root, &path, out)?;
        } else if file_type.is_file()
            && matches!(path.extension().and_then(|e| e.to_str()), Some("xml" | "yaml"))
        {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, Cow::Owned(std::fs::read_to_string(&path).map_err(|e| io(&path, e))?)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_made_at_build_time_holds_what_each_yaml_file_holds() {
        let mut checked = 0;
        for (path, text) in EMBEDDED.iter().filter(|(p, _)| p.ends_with(".yaml")) {
            let from_yaml: serde_json::Value =
                serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            let json = EMBEDDED_JSON.iter().find(|(p, _)| p == path).map(|(_, j)| *j);
            let from_json: serde_json::Value =
                serde_json::from_str(json.unwrap_or_else(|| panic!("{path} has no JSON"))).expect("JSON");
            assert_eq!(from_json, from_yaml, "{path}");
            checked += 1;
        }
        assert!(checked >= 19, "only {checked} YAML files");
        assert_eq!(EMBEDDED_JSON.len(), checked);
    }

    #[test]
    fn every_compiled_in_form_has_wording_and_templates_that_parse() {
        let catalog = Catalog::embedded().expect("catalog loads");
        let forms = catalog.forms().expect("every form.yaml parses");
        assert!(forms.len() >= 9, "{} forms", forms.len());
        for form in forms {
            let prepared = form.prepared().unwrap_or_else(|d| panic!("{}: {d:?}", form.spec.id));
            assert!(!prepared.texts.is_empty(), "{} has no wording", form.spec.id);
        }
    }

    #[test]
    fn the_check_build_rs_runs_passes_the_compiled_in_forms_and_finds_a_typo_in_them() {
        let files = embedded_files();
        let pairs = || files.iter().map(|(p, t)| (p.as_str(), t.as_ref()));
        assert_eq!(check::catalog(pairs()), Ok(Vec::new()));
        let form = "forms/565-app1-rights-certificate/form.yaml";
        let broken: Vec<(String, String)> = pairs()
            .map(|(p, t)| {
                let t = if p == form {
                    t.replacen("dictionary: right_kind", "dictionary: right_knd", 1)
                } else {
                    t.to_owned()
                };
                (p.to_owned(), t)
            })
            .collect();
        let found = check::catalog(broken.iter().map(|(p, t)| (p.as_str(), t.as_str()))).expect("codes.yaml");
        assert_eq!(found.len(), 1, "{found:?}");
        let (path, problem) = &found[0];
        assert_eq!(path, form);
        assert_eq!(problem.message, "unknown dictionary \"right_knd\"");
        assert_eq!(problem.hint.as_deref(), Some("did you mean \"right_kind\"?"));
        assert!(problem.path.ends_with(".dictionary"), "{}", problem.path);
    }

    #[test]
    fn the_compiled_in_templates_use_only_elements_and_attributes_of_the_markup() {
        let files = embedded_files();
        let problems = check_markup(Path::new("templates"), &files);
        assert_eq!(problems, Vec::new());
        assert!(files.iter().filter(|(p, _)| p.ends_with(".xml")).count() >= 10);
    }

    #[test]
    fn form_ids_are_unique() {
        let catalog = Catalog::embedded().expect("catalog loads");
        let forms = catalog.forms().expect("every form.yaml parses");
        let mut ids: Vec<&str> = forms.iter().map(|f| f.spec.id.as_str()).collect();
        ids.sort();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
