//! `stamp`: the registration stamp of order 246 (appendix 3) as PDF, SVG or PNG, or placed
//! onto a page of an existing PDF.
//!
//! The stamp is the form `stamp` (templates/forms/246-app3-stamp): its data comes from a case
//! file or from the arguments, which are turned into a case and validated by the same
//! pipeline (messages then name the option: `error: --date: …`). One layout is drawn three
//! ways: [`anyqtama::pdf`], [`anyqtama::svg`], [`anyqtama::raster`].

use std::path::{Path, PathBuf};

use anyqtama::Engine;
use anyqtama::diag::{Diagnostic, FieldPath, PathSegment};
use anyqtama::domain::Lang;
use anyqtama::output::{Owner, Plan, write_atomic};
use anyqtama::render::{Onto, Output, OutputFormat, RenderError, StampFormat, StampOptions};
use anyqtama::stamp;
use anyqtama::validate::{Case, ValidateOptions};
use clap::{Args, ValueEnum};
use serde_json::{Map, Value as Json};

use super::{Exit, LangArg, fail, print_diagnostics};

/// The form the stamp is.
const FORM: &str = stamp::FORM;

/// Resolution of a PNG stamp when --dpi is not given.
const DEFAULT_DPI: u32 = 300;

/// The file name used in messages about data given as arguments.
const ARGUMENTS: &str = "<arguments>";

/// Options that carry the stamp's data, with the field each one fills.
const DATA_OPTIONS: [(&str, &str); 5] = [
    ("registration_number", "--number"),
    ("registered_on", "--date"),
    ("issuer", "--issuer"),
    ("for_official_use", "--for-official-use"),
    ("language", "--lang"),
];

const STAMP_HELP: &str = "\
EXAMPLES:
  anyqtama stamp --number 23516 --date 2021-07-14 -o stamp.png --dpi 600
      Kazakh stamp, 1654 × 827 pixels at 600 dpi: prints at exactly 70 × 35 mm.
  anyqtama stamp --number 23516 --date 2021-07-14 --lang ru --for-official-use -o stamp.pdf
      Russian stamp with \"ДСП\" after the number, a 70 × 35 mm PDF page.
  anyqtama stamp samples/stamp-ru-official-use.yaml -o stamp.svg
      The data from a case file; the SVG is 70mm × 35mm and needs no fonts.
  anyqtama stamp --number 23516 --date 2021-07-14 --onto act.pdf --at 130,15 -o out.pdf
      A copy of act.pdf with the stamp on page 1 (--page N for another), its top-left
      corner 130 mm from the left edge and 15 mm from the top; act.pdf is not changed.
  anyqtama stamp --blank --lang kk -o blank-stamp.png --background white

The inner text of the stamp is a proposal (the act gives only its size and the mark); it
lives in templates/forms/246-app3-stamp/text.yaml.

EXIT STATUS: 0 written; 1 unusable arguments or files (--dpi out of range or not with a
.png, --lang other than kk, ru or en, --page, --at, -o naming the case file or what is not
a regular file, a file that is not a PDF); 2 invalid data (number, date, issuer; a case
file's language; a case file without `form: stamp`, too large or not UTF-8).";

#[derive(Debug, Args)]
#[command(after_help = STAMP_HELP)]
pub struct StampArgs {
    /// A case file (YAML or JSON, `-` for standard input) with the stamp's data, instead of
    /// --number, --date, --issuer and --for-official-use.
    #[arg(value_name = "FILE", conflicts_with_all = ["number", "date", "issuer", "for_official_use", "blank"])]
    input: Option<String>,
    /// State registration number (with the regional index for a regional registration).
    #[arg(long, value_name = "NUMBER")]
    number: Option<String>,
    /// Date of state registration: YYYY-MM-DD or DD.MM.YYYY.
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// The registering body, printed as the first line (default: the Ministry of Justice).
    #[arg(long, value_name = "TEXT")]
    issuer: Option<String>,
    /// The act is marked "Қызметтік пайдалану үшін" / "Для служебного пользования": print
    /// "қпү" / "ДСП" / "FOU" after the number.
    #[arg(long)]
    for_official_use: bool,
    /// The language of the stamp (default: the case's `language`, else kk).
    #[arg(long, value_name = "LANG", value_enum)]
    lang: Option<LangArg>,
    /// Print the stamp with blanks for the date and number instead of data.
    #[arg(long, conflicts_with_all = ["number", "date", "issuer", "for_official_use"])]
    blank: bool,
    /// Output file; its extension chooses the format: .pdf, .svg or .png.
    #[arg(short, long, value_name = "FILE", required = true)]
    output: PathBuf,
    /// Resolution of a PNG, in dots per inch (1 to 2400; default 300). Only for .png.
    #[arg(long, value_name = "N")]
    dpi: Option<u32>,
    /// Background of a PNG or SVG.
    #[arg(long, value_enum, value_name = "COLOUR", default_value_t = BackgroundArg::Transparent)]
    background: BackgroundArg,
    /// Place the stamp on a page of this PDF and write the stamped copy to -o (a .pdf); the
    /// original file is not changed.
    #[arg(long, value_name = "PDF", requires = "at")]
    onto: Option<PathBuf>,
    /// With --onto: the page, counted from 1 (default 1).
    #[arg(long, value_name = "N", requires = "onto")]
    page: Option<u32>,
    /// With --onto: the stamp's top-left corner, in millimetres from the top-left corner of
    /// the page, e.g. 120,15.
    #[arg(long, value_name = "X,Y", requires = "onto", allow_hyphen_values = true)]
    at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum BackgroundArg {
    /// No background: only the ink is opaque.
    Transparent,
    /// White.
    White,
}

/// What -o asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Pdf,
    Svg,
    Png,
}

pub fn stamp(engine: &Engine, args: StampArgs) -> Result<(), Exit> {
    // Arguments that make the command unusable, before anything is read.
    let format = format_of(&args.output).ok_or_else(|| {
        fail(format!(
            "cannot tell the format of {} from its extension: use .pdf, .svg or .png",
            args.output.display()
        ))
    })?;
    if args.dpi.is_some() && format != Format::Png {
        return Err(fail(format!("--dpi is for a PNG, not {}", args.output.display())));
    }
    let mut output = Output::stamp(options(format, args.dpi.unwrap_or(DEFAULT_DPI), args.background));
    output.check().map_err(super::render_failed)?;
    // Never over the case file (a stamped copy is checked against --onto below).
    let inputs: Vec<&str> = args.input.iter().map(String::as_str).collect();
    Plan::new(&inputs).add(&args.output, Owner::input(0)).map_err(fail)?;
    let onto = args.onto.as_deref().map(|path| onto_target(path, &args, format)).transpose()?;
    let form = engine.form(FORM).map_err(|d| {
        print_diagnostics(&[d]);
        Exit::Failure
    })?;

    // The data, validated as a case of the form.
    let case = if args.blank { None } else { Some(load_case(engine, &args)?) };
    // --lang is the case's `language` when the data are arguments, and overrides a file's.
    output.langs = args.lang.map(|lang| vec![lang.into()]);
    let onto_path = onto.as_ref().map(|(path, _)| path.clone());
    if let (OutputFormat::Stamp { onto: slot, .. }, Some((_, onto))) = (&mut output.format, onto) {
        *slot = Some(onto);
    }
    let rendered = engine.render_form(form, case.as_ref(), &output).map_err(|e| match (e, &onto_path) {
        (RenderError::Onto(e), Some(path)) => fail(format!("{}: {e}", path.display())),
        (e, _) => super::render_failed(e),
    })?;
    write_atomic(&args.output, rendered.bytes()).map_err(fail)?;
    say!("wrote {}", args.output.display());
    Ok(())
}

/// The library's stamp options for a format, a resolution and a background.
fn options(format: Format, dpi: u32, background: BackgroundArg) -> StampOptions {
    StampOptions {
        format: match format {
            Format::Pdf => StampFormat::Pdf,
            Format::Svg => StampFormat::Svg,
            Format::Png => StampFormat::Png,
        },
        dpi,
        white_background: background == BackgroundArg::White,
    }
}

pub(super) fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "pdf" => Some(Format::Pdf),
        "svg" => Some(Format::Svg),
        "png" => Some(Format::Png),
        _ => None,
    }
}

/// The PDF to stamp, read, with where the stamp goes.
fn onto_target(path: &Path, args: &StampArgs, format: Format) -> Result<(PathBuf, Onto), Exit> {
    if format != Format::Pdf {
        return Err(fail(format!(
            "--onto writes a stamped copy of a PDF: give -o a name ending in .pdf, not {}",
            args.output.display()
        )));
    }
    let at = args.at.as_deref().unwrap_or_default();
    let Some((x, y)) = parse_at(at) else {
        return Err(fail(format!(
            "--at takes X,Y: millimetres from the top-left corner of the page, such as 120,15 (got \"{at}\")"
        )));
    };
    let same_file = match (std::fs::canonicalize(path), std::fs::canonicalize(&args.output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same_file {
        return Err(fail(format!(
            "-o names the file being stamped ({}): write the stamped copy to another file",
            path.display()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("failed to read {} ({e})", path.display())))?;
    Ok((path.to_path_buf(), Onto::new(bytes, args.page.unwrap_or(1), x, y)))
}

/// `120,15` or `120.5, 15` → (120, 15) mm.
fn parse_at(text: &str) -> Option<(f32, f32)> {
    let (x, y) = text.split_once(',')?;
    let parse = |t: &str| t.trim().parse::<f32>().ok().filter(|v| v.is_finite());
    Some((parse(x)?, parse(y)?))
}

/// Reads and validates the stamp's data (from FILE or the arguments).
fn load_case(engine: &Engine, args: &StampArgs) -> Result<Case, Exit> {
    let options = ValidateOptions::default();
    let (loaded, from_arguments) = match &args.input {
        Some(file) => {
            let text = super::render::read(file)?;
            (engine.load_as(file, &text, FORM, options), false)
        }
        None => (engine.load_value(&arguments_case(args), ARGUMENTS, Some(FORM), options), true),
    };
    let mut diagnostics = loaded.diagnostics;
    if from_arguments {
        diagnostics = diagnostics.into_iter().map(name_the_option).collect();
    }
    print_diagnostics(&diagnostics);
    match loaded.case {
        Some(case) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(case),
        _ => Err(Exit::Invalid),
    }
}

/// The arguments as a case.
fn arguments_case(args: &StampArgs) -> Json {
    let mut case = Map::new();
    case.insert("form".into(), Json::String(FORM.into()));
    let mut put = |key: &str, value: &Option<String>| {
        if let Some(v) = value {
            case.insert(key.into(), Json::String(v.clone()));
        }
    };
    put("registration_number", &args.number);
    put("registered_on", &args.date);
    put("issuer", &args.issuer);
    put("language", &args.lang.map(|lang| Lang::from(lang).code().to_owned()));
    case.insert("for_official_use".into(), Json::Bool(args.for_official_use));
    Json::Object(case)
}

/// A diagnostic about a case built from the arguments names the option, not a position in
/// a file nobody wrote: `error: --date: 2021-02-30 is not a date in the calendar`.
fn name_the_option(mut d: Diagnostic) -> Diagnostic {
    if d.pos.as_ref().is_some_and(|p| &*p.file == ARGUMENTS) {
        d.pos = None;
    }
    if let Some(PathSegment::Key(field)) = d.path.0.first()
        && let Some((_, option)) = DATA_OPTIONS.iter().find(|(f, _)| f == field)
    {
        d.path = FieldPath::root().key(option);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(parse_at("120,15"), Some((120.0, 15.0)));
        assert_eq!(parse_at(" 120.5 , 15 "), Some((120.5, 15.0)));
        assert_eq!(parse_at("120"), None);
        assert_eq!(parse_at("a,b"), None);
    }

    #[test]
    fn output_formats() {
        assert_eq!(format_of(Path::new("a.PNG")), Some(Format::Png));
        assert_eq!(format_of(Path::new("a.svg")), Some(Format::Svg));
        assert_eq!(format_of(Path::new("a.jpg")), None);
        assert_eq!(format_of(Path::new("a")), None);
    }
}
