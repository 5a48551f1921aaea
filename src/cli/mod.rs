//! Subcommands. Each lives in its own module; this one holds the argument definitions, the
//! exit codes and the printing of diagnostics.

#[macro_use]
mod macros {
    /// Prints a line to standard output, ignoring a closed pipe (`anyqtama schema … | head`).
    macro_rules! say {
        ($($arg:tt)*) => {{
            use std::io::Write as _;
            let _ = writeln!(std::io::stdout().lock(), $($arg)*);
        }};
    }
}

mod forms;
mod register;
mod render;
#[cfg(feature = "service")]
mod serve;
mod sign;
mod stamp;

use std::path::PathBuf;

use anyqtama::Engine;
use anyqtama::diag::Diagnostic;
use anyqtama::domain::Lang;
use anyqtama::messages::{self, Arg, Message, MessageLang};
use anyqtama::raster::RasterError;
use anyqtama::render::RenderError;
use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
EXAMPLES:
  anyqtama render samples/rights-certificate-individual.yaml -o cert.pdf
      Kazakh version, then the Russian version on new pages, in one PDF/A-2b file.
  anyqtama render samples/rights-certificate-company.json --lang ru -o cert-ru.pdf
  anyqtama render cases/*.yaml --out-dir out/ --split
      One PDF per case and language: out/NAME.kk.pdf, out/NAME.ru.pdf.
  anyqtama render cases.jsonl --out-dir out/ --name '{number}' --jobs 2
      One case per line of a JSON Lines file (also directories, --files-from LIST); ends
      with a line \"N written, N invalid, N failed in S s (N docs/s)\".
  anyqtama validate samples/*.yaml broken.yaml
      Every problem of every file, as FILE:LINE:COL: field.path: message.
  anyqtama blank rights-certificate --lang kk -o blank.pdf
  anyqtama forms              the forms, with their legal source
  anyqtama schema rights-certificate > schema.json
  anyqtama codes right_kind   dictionary codes accepted for classifier fields
  anyqtama sign act.pdf --p12 key.p12 --password-env P12_PASSWORD -o signed.pdf
      PAdES signature (also: render ... --sign key.p12 --sign-password-env VAR).
  anyqtama verify-signature signed.pdf --trust ca.pem
      Checks every signature: exit 0 when all are valid, 2 when any is not (or is GOST, not checked).
  anyqtama register add act.yaml --conclusion c.pdf --stamp s.png
      Registers an act in the Register of order 246 (./register.db) under the next number,
      with its conclusion and stamp: see `anyqtama register --help`.

INPUT:
  YAML (.yaml, .yml) or JSON (.json); `-` reads standard input. A `form:` key names the
  form (or pass --form). Free text is a string (the same in every language) or
  {kk: ..., ru: ...}. Dates are YYYY-MM-DD or DD.MM.YYYY; times YYYY-MM-DDTHH:MM[:SS],
  also with fractional seconds and an offset (Z, +05:00), then printed in Kazakhstan time
  (UTC+5; --timezone to change). JSON Lines (.jsonl): one case per line, problems at
  FILE:LINE:COL of the file, outputs STEM-LINE.pdf unless --name.

OUTPUT:
  The extension of -o chooses the format: .pdf; .png or .svg for page previews, one file
  per page (NAME-1.png, ...; --dpi, default 150, only with .png). -o - writes the PDF to
  standard output. --out-dir is created when missing. An output that is an input of the
  run, that exists and is not a regular file, or that two cases would share is refused
  before anything is rendered.

EXIT STATUS:
  0  everything was written (or every file is valid)
  1  the tool could not run: bad arguments, an unknown output format, an output refused
     as above, templates or form definitions with errors, unreadable files, a file that
     could not be written
  2  some input was invalid (a case, or a case file too large or not UTF-8), or some of it
     cannot be placed on the page: nothing was written for it (other cases of a batch
     were still written); the problems are on standard error

Output files are written to a temporary file (.NAME.anyqtama-PID.tmp, locked while it is
written) and renamed into place, so a failed run never leaves a half-written PDF; one that
a killed run left is removed by the next run that writes into that directory.";

/// Official Kazakhstan certificates and registration documents as PDF, in Kazakh and Russian.
#[derive(Debug, Parser)]
#[command(name = "anyqtama", version, about, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// Read templates from this directory instead of the compiled-in ones (same layout as
    /// the repository's templates/).
    #[arg(long, global = true, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// How problems are printed on standard error: `human` lines, or `json`, one JSON object
    /// a line with a stable code (docs/diagnostic-codes.md).
    #[arg(long, global = true, value_enum, default_value_t = DiagnosticFormat::Human)]
    diagnostic_format: DiagnosticFormat,
    /// The language of the messages of problems (of the case data and of the register);
    /// problems of templates and layout are in English.
    #[arg(long, global = true, value_enum, env = "ANYQTAMA_MESSAGE_LANG", default_value_t = MessageLangArg::En)]
    message_lang: MessageLangArg,
    #[command(subcommand)]
    command: Command,
}

/// How problems are printed on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    /// `error: FILE:LINE:COL: PATH: MESSAGE` and `  hint: …` lines.
    Human,
    /// One JSON object a line, as the HTTP service's 422 bodies.
    Json,
}

/// The language of messages, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageLangArg {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
}

/// The language chosen on the command line, set once by [`run`].
static MESSAGE_LANG: std::sync::OnceLock<MessageLang> = std::sync::OnceLock::new();

/// The language problems are printed in.
pub fn message_lang() -> MessageLang {
    MESSAGE_LANG.get().copied().unwrap_or_default()
}

/// The format chosen on the command line, set once by [`run`].
static DIAGNOSTIC_FORMAT: std::sync::OnceLock<DiagnosticFormat> = std::sync::OnceLock::new();

/// The format problems are printed in.
pub fn diagnostic_format() -> DiagnosticFormat {
    DIAGNOSTIC_FORMAT.get().copied().unwrap_or(DiagnosticFormat::Human)
}

/// One diagnostic as printed: human text (maybe several lines with hints) or one JSON line.
pub fn diagnostic_text(d: &Diagnostic) -> String {
    match diagnostic_format() {
        DiagnosticFormat::Human => messages::display(d, message_lang()),
        DiagnosticFormat::Json => {
            serde_json::to_string(&messages::to_json(d, message_lang())).expect("a diagnostic serialises")
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate case files and render them to PDF.
    Render(render::RenderArgs),
    /// Check case files and report every problem, without writing anything.
    Validate(render::ValidateArgs),
    /// Print the empty official form.
    Blank(render::BlankArgs),
    /// List the forms with their legal source.
    Forms,
    /// Print the JSON Schema of a form's input.
    Schema(SchemaArgs),
    /// List the dictionaries of classifier values, or the codes of one.
    Codes(CodesArgs),
    /// Make the registration stamp of order 246 (PDF, SVG or PNG), or stamp a PDF.
    Stamp(Box<stamp::StampArgs>),
    /// Keep the Register of state registration (order 246, appendix 2) as a journal, and print
    /// the conclusion, the stamp and the register from it.
    Register(Box<register::RegisterArgs>),
    /// Sign a PDF (PAdES B-B) with a PKCS#12 key or an external signer command.
    Sign(Box<sign::SignArgs>),
    /// Check the signatures of a PDF; exit 2 when any is not valid or cannot be checked (GOST).
    VerifySignature(sign::VerifyArgs),
    /// Run the HTTP service: render, validate, blank forms and stamps over HTTP.
    #[cfg(feature = "service")]
    Serve(serve::ServeArgs),
}

#[derive(Debug, Args)]
struct SchemaArgs {
    /// The form (see `anyqtama forms`).
    form: String,
}

#[derive(Debug, Args)]
struct CodesArgs {
    /// A dictionary name; all dictionaries when omitted.
    dictionary: Option<String>,
}

/// A language on the command line (`--lang`): a closed set, so a mistyped one is refused by
/// the argument parser with the values it takes and the nearest (`did you mean`), exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Kazakh, the state language.
    Kk,
    /// Russian.
    Ru,
    /// English (the forms of order 246 only).
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Kk => Lang::Kk,
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }
    }
}

/// The languages given (`--lang kk,ru`), each once, in order; `None` when none is given.
pub fn langs_of(given: &[LangArg]) -> Option<Vec<Lang>> {
    let mut langs: Vec<Lang> = Vec::new();
    for &lang in given {
        if !langs.contains(&lang.into()) {
            langs.push(lang.into());
        }
    }
    (!langs.is_empty()).then_some(langs)
}

/// Exit codes, as documented in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was written.
    Success = 0,
    /// The tool could not run.
    Failure = 1,
    /// Some input was invalid.
    Invalid = 2,
}

impl Exit {
    /// The more serious of two outcomes: invalid input outranks a failure to run, which
    /// outranks success.
    pub fn worse(self, other: Exit) -> Exit {
        let rank = |e: Exit| match e {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Invalid => 2,
        };
        if rank(other) > rank(self) { other } else { self }
    }
}

impl Exit {
    /// `Ok` for success, else `Err` with the code.
    pub fn into_result(self) -> Result<(), Exit> {
        if self == Exit::Success { Ok(()) } else { Err(self) }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Exit {
    let _ = DIAGNOSTIC_FORMAT.set(cli.diagnostic_format);
    let _ = MESSAGE_LANG.set(match cli.message_lang {
        MessageLangArg::Kk => MessageLang::Kk,
        MessageLangArg::Ru => MessageLang::Ru,
        MessageLangArg::En => MessageLang::En,
    });
    // The register loads the forms only for the commands that print or read acts.
    if let Command::Register(args) = cli.command {
        return register::register(cli.templates.as_deref(), *args);
    }
    match cli.command {
        Command::Sign(args) => return sign::sign(*args),
        Command::VerifySignature(args) => return sign::verify_signature(args),
        _ => {}
    }
    if matches!(cli.command, Command::Render(_) | Command::Blank(_) | Command::Stamp(_)) {
        // Meanwhile the input is read and validated on this thread; the fonts are behind
        // a `OnceLock`, so a first use before the loading ends waits for it.
        std::thread::spawn(anyqtama::pdf::load_fonts);
    }
    let engine = match Engine::new(cli.templates.as_deref()) {
        Ok(engine) => engine,
        Err(diags) => return templates_failed(&diags),
    };
    match cli.command {
        #[cfg(feature = "service")]
        Command::Serve(args) => done(serve::serve(engine, args)),
        Command::Render(args) => done(render::render(&engine, args)),
        Command::Validate(args) => done(render::validate(&engine, args)),
        Command::Blank(args) => done(render::blank(&engine, args)),
        Command::Forms => done(forms::forms(&engine)),
        Command::Schema(args) => done(forms::schema(&engine, &args.form)),
        Command::Codes(args) => done(forms::codes(&engine, args.dictionary.as_deref())),
        Command::Stamp(args) => done(stamp::stamp(&engine, *args)),
        Command::Register(_) | Command::Sign(_) | Command::VerifySignature(_) => {
            unreachable!("handled above")
        }
    }
}

/// Prints the problems of the templates or form definitions: the tool cannot run (1).
fn templates_failed(diags: &[Diagnostic]) -> Exit {
    print_diagnostics(diags);
    Exit::Failure
}

/// The exit code of a command that returns `Err` with the code of what went wrong.
fn done(result: Result<(), Exit>) -> Exit {
    result.err().unwrap_or(Exit::Success)
}

/// Prints why the library could not render and gives the exit code: 2 for the case's
/// problems, 1 for the templates' and for what cannot be made; a resolution out of range
/// names the option.
pub fn render_failed(e: RenderError) -> Exit {
    match e {
        RenderError::Layout(diagnostics) => {
            print_diagnostics(&diagnostics);
            exit_for(&diagnostics)
        }
        RenderError::Raster(RasterError::Dpi(dpi)) => fail(dpi_out_of_range(dpi)),
        e => fail(e),
    }
}

/// The message about a resolution out of range, naming the option.
pub fn dpi_out_of_range(dpi: u32) -> String {
    format!("--dpi must be from 1 to {} (got {dpi})", anyqtama::raster::MAX_DPI)
}

/// Prints diagnostics to standard error.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}", diagnostic_text(d));
    }
}

/// Adds the hints only the command line can give (the library knows no flag or command): a
/// case that names no form can be read with `--form NAME`, look-alike letters replaced with
/// `--fix-script`, and `anyqtama codes NAME` lists a dictionary's codes.
pub fn add_flag_hints(diags: &mut [Diagnostic]) {
    for d in diags.iter_mut() {
        let hint = match d.code() {
            "form.missing" => Some(Message::new("hint-cli-form")),
            "text.lookalike" => Some(Message::new("hint-cli-fix-script")),
            _ => dictionary_hinted(d).map(|name| Message::new("hint-cli-codes").arg("dictionary", name)),
        };
        if let Some(hint) = hint {
            *d = d.clone().with_hint_msg(hint);
        }
    }
}

/// The dictionary a hint of `d` names (`hint-code-did-you-mean`, `hint-code-list`).
fn dictionary_hinted(d: &Diagnostic) -> Option<String> {
    let details = d.details.as_ref()?;
    details.hints.iter().flatten().filter(|m| m.id().starts_with("hint-code-")).find_map(|m| {
        m.args().iter().find_map(|(name, arg)| match arg {
            Arg::Text(text) if *name == "dictionary" => Some(text.clone()),
            _ => None,
        })
    })
}

/// Prints one error without a position and returns the failure code.
pub fn fail(message: impl std::fmt::Display) -> Exit {
    eprintln!("{}", plain_text("run", message));
    Exit::Failure
}

/// `error: MESSAGE`, or in JSON an error without position with `code`.
pub fn plain_text(code: &'static str, message: impl std::fmt::Display) -> String {
    diagnostic_text(&Diagnostic::plain(message.to_string()).with_code(code))
}

/// The exit code for problems that stopped a document: the templates' problems are the
/// operator's (1), any other is the case's (2).
pub fn exit_for(diags: &[Diagnostic]) -> Exit {
    if diags.iter().any(|d| d.origin == anyqtama::diag::Origin::Templates) {
        Exit::Failure
    } else {
        Exit::Invalid
    }
}

/// Prints one error without a position and returns the code for invalid input.
pub fn invalid(message: impl std::fmt::Display) -> Exit {
    eprintln!("{}", plain_text("input", message));
    Exit::Invalid
}
