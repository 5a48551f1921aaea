//! `render`, `validate` and `blank`.

use std::path::{Path, PathBuf};

use anyqtama::domain::Lang;
use anyqtama::form::Form;
use anyqtama::input;
use anyqtama::output::{Plan, write_atomic};
use anyqtama::raster::{self, Background, RasterOptions};
use anyqtama::svg::{self, SvgOptions};
use anyqtama::template::Electronic;
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
    /// Resolution of PNG page previews (-o NAME.png), in dots per inch (1 to 2400; default
    /// 150).
    #[arg(long, value_name = "N")]
    dpi: Option<u32>,
    /// Print the electronic edition: eGov header, and on every page the equivalence
    /// statement, QR codes of the document's data (docs/qr-payload.md) and the barcode note.
    #[arg(long)]
    electronic: bool,
    /// With --electronic: the verification address put in the QR payload; {id} stands for
    /// the document's identifier.
    #[arg(long, value_name = "TEMPLATE", requires = "electronic")]
    verify_url: Option<String>,
    /// With --electronic: the information system the barcode note names (a service
    /// result's wording instead of the applicant-signed one); needs --barcode-signer.
    #[arg(long, value_name = "NAME", requires_all = ["electronic", "barcode_signer"])]
    barcode_system: Option<String>,
    /// With --barcode-system: who signed the data, as the note names it.
    #[arg(long, value_name = "NAME", requires = "barcode_system")]
    barcode_signer: Option<String>,
    #[command(flatten)]
    sign: super::sign::SignFlags,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Case files (YAML or JSON); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<String>,
    /// Output file (one input only); `-` writes the PDF to standard output. Its extension
    /// chooses the format: .pdf, or .png / .svg for page previews (NAME-1.png, NAME-2.png, …).
    /// Default: the input's name with .pdf, in --out-dir.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Directory for the output files when -o is not given (default: beside each input);
    /// created when missing.
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
    /// Output file: .pdf, or .png / .svg for page previews; `-` writes the PDF to standard
    /// output.
    #[arg(short, long, value_name = "FILE", required = true)]
    output: PathBuf,
    #[command(flatten)]
    print: PrintArgs,
}

pub fn render(engine: &Engine, args: RenderArgs) -> Exit {
    if args.output.is_some() && args.inputs.len() > 1 {
        return fail("-o names one output file; with several inputs use --out-dir");
    }
    // Every output is known, and checked, before anything is read or written.
    let mut plan = Plan::new(&args.inputs);
    let mut targets = Vec::with_capacity(args.inputs.len());
    for input in &args.inputs {
        let target = match (&args.output, input.as_str()) {
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
        let target = match Target::new(&target, &args.print) {
            Ok(target) => target,
            Err(exit) => return exit,
        };
        if let Target::File(path, _) = &target
            && let Err(e) = plan.add(path, Path::new(input))
        {
            return fail(e);
        }
        targets.push(target);
    }
    if let Some(dir) = &args.out_dir
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return fail(format!("failed to create the directory {} ({})", dir.display(), lower(&e)));
    }
    let mut worst = Exit::Success;
    for (input, target) in args.inputs.iter().zip(&targets) {
        worst =
            worst.worse(std::thread::scope(|scope| render_one(engine, &args, input, target, &plan, scope)));
    }
    worst
}

/// Renders one case file to `target`. The form's wording and templates are prepared on a
/// second thread (`scope`) while the case is validated.
fn render_one<'a>(
    engine: &'a Engine,
    args: &RenderArgs,
    input: &str,
    target: &Target,
    plan: &Plan,
    scope: &'a std::thread::Scope<'a, '_>,
) -> Exit {
    let text = match read(input) {
        Ok(text) => text,
        Err(exit) => return exit,
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
    print_form(engine, form, Some(&case), &args.print, target, plan)
}

/// What an output path asks for: standard output, or a file in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// `-o -`: the PDF on standard output.
    Stdout,
    /// A file; previews are written one file per page beside it.
    File(PathBuf, Format),
}

/// The format an output's extension chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    /// One PNG per page, at this resolution.
    Png(u32),
    /// One SVG per page.
    Svg,
}

/// Default resolution of PNG page previews.
const PREVIEW_DPI: u32 = 150;

impl Target {
    /// The target of `path`, its format checked against `--dpi` and `--split`.
    fn new(path: &Path, args: &PrintArgs) -> Result<Target, Exit> {
        if path.as_os_str() == "-" {
            if args.split {
                return Err(fail("--split writes one file per language: give -o a file name, not -"));
            }
            if args.dpi.is_some() {
                return Err(fail("--dpi is for PNG previews: standard output gets the PDF"));
            }
            return Ok(Target::Stdout);
        }
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let format = match extension.as_deref() {
            Some("pdf") => Format::Pdf,
            Some("svg") => Format::Svg,
            Some("png") => {
                let dpi = args.dpi.unwrap_or(PREVIEW_DPI);
                if dpi == 0 || dpi > raster::MAX_DPI {
                    return Err(fail(raster::RasterError::Dpi(dpi)));
                }
                Format::Png(dpi)
            }
            _ => {
                return Err(fail(format!(
                    "cannot tell the format of {} from its extension: use .pdf, .png or .svg",
                    path.display()
                )));
            }
        };
        if args.dpi.is_some() && !matches!(format, Format::Png(_)) {
            return Err(fail(format!("--dpi is for PNG previews, not {}", path.display())));
        }
        Ok(Target::File(path.to_path_buf(), format))
    }
}

pub fn validate(engine: &Engine, args: ValidateArgs) -> Exit {
    let mut worst = Exit::Success;
    for input in &args.inputs {
        let text = match read(input) {
            Ok(text) => text,
            Err(exit) => {
                worst = worst.worse(exit);
                continue;
            }
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
    let target = match Target::new(&args.output, &args.print) {
        Ok(target) => target,
        Err(exit) => return exit,
    };
    let plan = Plan::new::<&str>(&[]);
    if let Target::File(path, _) = &target
        && let Err(e) = anyqtama::output::check_target(path)
    {
        return fail(e);
    }
    match engine.form(&args.form) {
        Ok(form) => print_form(engine, form, None, &args.print, &target, &plan),
        Err(d) => {
            print_diagnostics(&[d]);
            Exit::Failure
        }
    }
}

/// Renders a form (blank when `case` is `None`) and writes it, per language with --split.
fn print_form(
    engine: &Engine,
    form: &Form,
    case: Option<&Case>,
    args: &PrintArgs,
    target: &Target,
    plan: &Plan,
) -> Exit {
    let langs = match &args.lang {
        Some(text) => match parse_langs(text) {
            Ok(langs) => langs,
            Err(e) => return fail(e),
        },
        // A case that names its `language` (one language per document) is printed in it.
        None => case
            .and_then(|c| c.data.get("language"))
            .and_then(|v| v.as_str())
            .and_then(Lang::from_code)
            .map_or_else(|| form.spec.default_languages(), |lang| vec![lang]),
    };
    let supported = form.spec.languages();
    if let Some(lang) = langs.iter().find(|l| !supported.contains(l)) {
        let list: Vec<&str> = supported.iter().map(|l| l.code()).collect();
        return fail(format!(
            "the form {} is not printed in {lang} (languages: {})",
            form.spec.id,
            list.join(", ")
        ));
    }
    let mut options = RenderOptions::default();
    if args.corrected_numbering {
        options.template.flags = vec!["corrected_numbering".into()];
    }
    if args.electronic {
        options.template.electronic = Some(Electronic {
            verify_url: args.verify_url.clone(),
            system_and_signer: args.barcode_system.clone().zip(args.barcode_signer.clone()),
        });
    }
    let jobs: Vec<(Vec<Lang>, Target)> = match target {
        Target::File(path, format) if args.split => {
            langs.iter().map(|&l| (vec![l], Target::File(with_lang(path, l), *format))).collect()
        }
        _ => vec![(langs, target.clone())],
    };
    let mut worst = Exit::Success;
    for (langs, target) in jobs {
        let written = match &target {
            Target::Stdout => engine.render_pdf(form, case, &langs, &options).map(|bytes| {
                super::sign::sign_if_asked(&args.sign, bytes)
                    .map_or_else(|exit| exit, |bytes| write_stdout(&bytes))
            }),
            Target::File(path, Format::Pdf) => engine.render_pdf(form, case, &langs, &options).map(|bytes| {
                super::sign::sign_if_asked(&args.sign, bytes)
                    .map_or_else(|exit| exit, |bytes| write_file(plan, path, &bytes))
            }),
            Target::File(..) if args.sign.is_asked() => {
                return fail("a signature is written into a PDF: give -o NAME.pdf with --sign");
            }
            Target::File(path, format) => engine.layout(form, case, &langs, &options).map(|document| {
                let title = document.title.clone();
                let lang = document.lang();
                let mut worst = Exit::Success;
                for (i, page) in document.pages.iter().enumerate() {
                    let page_path = numbered(path, i + 1);
                    let bytes = match format {
                        Format::Png(dpi) => {
                            let options = RasterOptions {
                                dpi: *dpi,
                                background: Background::White,
                                title: title.clone(),
                            };
                            match raster::png(page, &options) {
                                Ok(bytes) => bytes,
                                Err(e) => return fail(e),
                            }
                        }
                        _ => {
                            let options =
                                SvgOptions { description: title.clone(), lang, white_background: true };
                            svg::write(page, &options).into_bytes()
                        }
                    };
                    worst = worst.worse(write_file(plan, &page_path, &bytes));
                    if worst != Exit::Success {
                        break;
                    }
                }
                worst
            }),
        };
        match written {
            Ok(exit) => worst = worst.worse(exit),
            Err(diags) => {
                print_diagnostics(&diags);
                worst = worst.worse(super::exit_for(&diags));
            }
        }
    }
    worst
}

/// Writes one output file, unless it is an input of the run.
fn write_file(plan: &Plan, path: &Path, bytes: &[u8]) -> Exit {
    match plan.check_input(path).and_then(|()| write_atomic(path, bytes)) {
        Ok(()) => {
            say!("wrote {}", path.display());
            Exit::Success
        }
        Err(e) => fail(e),
    }
}

/// Writes the PDF to standard output.
fn write_stdout(bytes: &[u8]) -> Exit {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Exit::Success,
        Err(e) => fail(format!("failed to write to standard output ({})", lower(&e))),
    }
}

/// `cert.png`, page 2 → `cert-2.png`.
fn numbered(path: &Path, page: usize) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{stem}-{page}.{extension}"))
}

/// An I/O error's text, lower case, without `(os error N)`.
fn lower(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = text.split(" (os error ").next().unwrap_or_default();
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// `cert.pdf` → `cert.kk.pdf` (`cert.png` → `cert.kk.png`).
fn with_lang(path: &Path, lang: Lang) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let extension =
        path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "pdf".into());
    path.with_file_name(format!("{stem}.{}.{extension}", lang.code()))
}

/// Reads a case file; the exit code when it gives no text: 1 when it cannot be read, 2 when
/// its bytes are not a case file (too large, not UTF-8).
pub(super) fn read(input: &str) -> Result<String, Exit> {
    input::read(input).map_err(|e| {
        print_diagnostics(&[e.diagnostic().clone()]);
        match e {
            input::ReadError::Unreadable(_) => Exit::Failure,
            input::ReadError::Invalid(_) => Exit::Invalid,
        }
    })
}
