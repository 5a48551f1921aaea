//! `render`, `validate` and `blank`.

use std::path::{Path, PathBuf};

use anyqtama::domain::Lang;
use anyqtama::form::Form;
use anyqtama::input;
use anyqtama::output::write_atomic;
use anyqtama::template::TemplateOptions;
use anyqtama::validate::{Case, ValidateOptions};
use anyqtama::{Engine, RenderOptions, parse_langs};
use clap::Args;

use super::{Exit, fail, print_diagnostics};

/// Options shared by commands that print a form.
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Languages: kk, ru, en (order 246 only), or a list such as kk,ru. Default: the form's
    /// (kk,ru: the Kazakh version, then the Russian version from a new page).
    #[arg(long, value_name = "LANGS")]
    lang: Option<String>,
    /// Write one file per language: NAME.kk.pdf, NAME.ru.pdf.
    #[arg(long)]
    split: bool,
    /// Number the rows of the service standards 1–10 instead of the act's own numbering
    /// (rows 6, 8, 9, 10 of Rules appendix 8 are unnumbered in the act, the default).
    #[arg(long)]
    corrected_numbering: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Case files (YAML or JSON); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<String>,
    /// Output file (one input only). Default: the input's name with .pdf, in --out-dir.
    #[arg(short, long, value_name = "PDF")]
    output: Option<PathBuf>,
    /// Directory for the output files when -o is not given (default: beside each input).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// The form, when the files have no `form:` key (see `anyqtama forms`).
    #[arg(long, value_name = "FORM")]
    form: Option<String>,
    /// Replace Latin look-alike letters inside Cyrillic words (a → а, i → і, …) instead of
    /// warning about them.
    #[arg(long)]
    fix_script: bool,
    #[command(flatten)]
    print: PrintArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Case files (YAML or JSON); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<String>,
    /// The form, when the files have no `form:` key.
    #[arg(long, value_name = "FORM")]
    form: Option<String>,
    /// Do not warn about Latin look-alike letters (they would be replaced when rendering
    /// with --fix-script).
    #[arg(long)]
    fix_script: bool,
}

#[derive(Debug, Args)]
pub struct BlankArgs {
    /// The form (see `anyqtama forms`).
    form: String,
    /// Output file.
    #[arg(short, long, value_name = "PDF", required = true)]
    output: PathBuf,
    #[command(flatten)]
    print: PrintArgs,
}

pub fn render(engine: &Engine, args: RenderArgs) -> Exit {
    if args.output.is_some() && args.inputs.len() > 1 {
        return fail("-o names one output file; with several inputs use --out-dir");
    }
    let mut worst = Exit::Success;
    for input in &args.inputs {
        worst = worst.worse(std::thread::scope(|scope| render_one(engine, &args, input, scope)));
    }
    worst
}

/// Renders one case file. The form's wording and templates are prepared on a second thread
/// (`scope`) while the case is validated.
fn render_one<'a>(
    engine: &'a Engine,
    args: &RenderArgs,
    input: &str,
    scope: &'a std::thread::Scope<'a, '_>,
) -> Exit {
    let Some(text) = read(input) else {
        return Exit::Failure;
    };
    let options = ValidateOptions { fix_script: args.fix_script };
    let langs = args.print.lang.as_deref().and_then(|l| parse_langs(l).ok());
    let loaded = engine.load_then(input, &text, args.form.as_deref(), options, |form| {
        let langs = langs.unwrap_or_else(|| form.spec.default_languages());
        scope.spawn(move || engine.prepare(form, &langs));
    });
    print_diagnostics(&loaded.diagnostics);
    let (Some(case), Some(form_id)) = (loaded.case, loaded.form) else {
        return Exit::Invalid;
    };
    let Ok(form) = engine.form(&form_id) else { return Exit::Success };
    let target = match (&args.output, input) {
        (Some(path), _) => path.clone(),
        (None, "-") => return fail("standard input has no file name: give -o"),
        (None, path) => {
            let name = Path::new(path).with_extension("pdf");
            let file = name.file_name().map(PathBuf::from).unwrap_or(name.clone());
            match &args.out_dir {
                Some(dir) => dir.join(file),
                None => name,
            }
        }
    };
    print_form(engine, form, Some(&case), &args.print, &target)
}

pub fn validate(engine: &Engine, args: ValidateArgs) -> Exit {
    let mut worst = Exit::Success;
    for input in &args.inputs {
        let Some(text) = read(input) else {
            worst = worst.worse(Exit::Failure);
            continue;
        };
        let loaded =
            engine.load(input, &text, args.form.as_deref(), ValidateOptions { fix_script: args.fix_script });
        print_diagnostics(&loaded.diagnostics);
        match (loaded.case, loaded.form) {
            (Some(_), Some(form)) => say!("{input}: valid ({form})"),
            _ => worst = worst.worse(Exit::Invalid),
        }
    }
    worst
}

pub fn blank(engine: &Engine, args: BlankArgs) -> Exit {
    match engine.form(&args.form) {
        Ok(form) => print_form(engine, form, None, &args.print, &args.output),
        Err(d) => {
            print_diagnostics(&[d]);
            Exit::Failure
        }
    }
}

/// Renders a form (blank when `case` is `None`) and writes it, per language with --split.
fn print_form(engine: &Engine, form: &Form, case: Option<&Case>, args: &PrintArgs, target: &Path) -> Exit {
    let asked = match args.lang.as_deref().map(parse_langs).transpose() {
        Ok(asked) => asked,
        Err(e) => return fail(e),
    };
    // A case that names its `language` (one language per document) is printed in it.
    let langs = match engine.languages(form, case, asked) {
        Ok(langs) => langs,
        Err(e) => return fail(e),
    };
    let mut options = RenderOptions::default();
    if args.corrected_numbering {
        options.template = TemplateOptions { flags: vec!["corrected_numbering".into()] };
    }
    let jobs: Vec<(Vec<Lang>, PathBuf)> = if args.split {
        langs.iter().map(|&l| (vec![l], with_lang(target, l))).collect()
    } else {
        vec![(langs, target.to_path_buf())]
    };
    let mut worst = Exit::Success;
    for (langs, path) in jobs {
        match engine.render_pdf(form, case, &langs, &options) {
            Ok(bytes) => match write_atomic(&path, &bytes) {
                Ok(()) => say!("wrote {}", path.display()),
                Err(e) => worst = worst.worse(fail(format!("failed to write {} ({e})", path.display()))),
            },
            Err(diags) => {
                print_diagnostics(&diags);
                worst = worst.worse(Exit::Invalid);
            }
        }
    }
    worst
}

/// `cert.pdf` → `cert.kk.pdf`.
fn with_lang(path: &Path, lang: Lang) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{stem}.{}.pdf", lang.code()))
}

fn read(input: &str) -> Option<String> {
    match input::read_source(input) {
        Ok(text) => Some(text),
        Err(d) => {
            print_diagnostics(&[d]);
            None
        }
    }
}
