//! `register`: the Register of state registration (order 246, appendix 2) kept as a journal
//! in a database, and the conclusion, the stamp and the printed register made from it.
//!
//! The rules live in [`anyqtama::register`]; this module reads the arguments, opens the
//! store, prints what happened and chooses the exit code. The forms' engine is loaded only by
//! the commands that read act files or print documents.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyqtama::diag::Diagnostic;
use anyqtama::domain::Lang;
use anyqtama::domain::date::parse_date;
use anyqtama::output::write_atomic;
use anyqtama::register::documents::{self, RegisterPrint};
use anyqtama::register::model::{MAX_NUMBER, Range};
use anyqtama::register::{
    AppendOptions, Body, CourtDecision, Entry, Kind, Location, NewEntry, Reference, RegNumber, Register,
    RegisterError, Relation,
};
use anyqtama::{Engine, RenderOptions, parse_langs};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value as Json;

use super::stamp::{self, BackgroundArg};
use super::{Exit, fail, invalid, print_diagnostics};

/// The database when neither --db nor the environment names one.
const DEFAULT_DB: &str = "register.db";
/// The environment variable that names the database.
const DB_ENV: &str = "ANYQTAMA_REGISTER";

const REGISTER_HELP: &str = "\
EXAMPLES:
  anyqtama register init --start-number 23501 --start-number 09=6010
      A new register in ./register.db; the Ministry's numbers continue from 23501, the
      Karaganda department's (index 09) from 6010; other sequences start at 1.
  anyqtama register add act.yaml --conclusion c.pdf --stamp s.png --date 2026-11-02
      Registers the act under the next number of its body (printed), and writes its
      conclusion (kk, ru) and stamp from the stored record.
  anyqtama register amend 23516 --by act2.yaml
      Registers act2.yaml as a new act that amends № 23516 (column 5 of № 23516).
      Likewise `suspend` (column 6) and `invalidate` (column 7); several numbers may follow.
  anyqtama register cancel-by-court 1651-02 --decision-number 7527-21-00-3а/412 \\
      --decision-date 2026-11-10 --in-force-on 2026-11-25
      Column 8: a court decision cancelled the state registration № 1651-02.
  anyqtama register list --from 2026-11-01 --to 2026-11-30 [--json]
  anyqtama register export --variant paper --month 2026-11 -o journal.pdf
      The paper journal of November, columns 5–8 filled from all later entries.
  anyqtama register conclusion 23516 -o c.pdf     the conclusion again, from the record
  anyqtama register stamp 6013-09 -o s.png         the stamp again
  anyqtama register verify                         checks the whole journal

NUMBERS: 23516 for the Ministry's sequence, 6013-09 for the sequence of region 09.
DATES: --date YYYY-MM-DD (or DD.MM.YYYY); without it SOURCE_DATE_EPOCH, else today. Today is
the machine's date in Kazakhstan (UTC+5), or $ANYQTAMA_TODAY; a later date is refused.
NUMBER LIMIT: 999999 per sequence; `add` refuses before going past it.
DATABASE: --db PATH, else $ANYQTAMA_REGISTER, else ./register.db. A shared register on a
PostgreSQL server: --db postgres://USER[:PASSWORD]@HOST[:PORT]/DB; `register init` makes its
schema, `register migrate` brings one made by an older anyqtama up to date.

Entries are never changed or removed; each stores SHA-256 over the previous entry's hash and
its own content, so `verify` finds any change made to the file by other means, and no command
prints from or appends to a journal whose chain fails. `add` prints the new head hash; write
it down, and `verify --head HASH` shows the journal still leads to it. The same act twice
is refused unless --allow-duplicate.

EXIT STATUS: 0 done; 1 the tool could not run (no register, a file that could not be read
or written, a server that cannot be reached, a schema to migrate, a failed `init`, which
leaves no file and no table); 2 invalid input: an act that fails
validation, an unknown number, a date after today, the same act again, a full sequence, a
file that is not a register, is damaged or is of a newer format, a journal whose chain fails,
a recorded head it no longer leads to. Nothing is stored for an act that is refused.";

#[derive(Debug, Args)]
#[command(after_help = REGISTER_HELP)]
pub struct RegisterArgs {
    /// The register's database: an SQLite file, or postgres://USER@HOST:PORT/DB (default:
    /// $ANYQTAMA_REGISTER, else ./register.db).
    #[arg(long, value_name = "PATH|URL", global = true)]
    db: Option<std::ffi::OsString>,
    #[command(subcommand)]
    command: RegisterCommand,
}

#[derive(Debug, Subcommand)]
enum RegisterCommand {
    /// Create a new, empty register.
    Init(InitArgs),
    /// Bring the schema of a register up to date (PostgreSQL: the versioned migrations).
    Migrate,
    /// Register acts: each gets the next number of its body's sequence.
    Add(AddArgs),
    /// Register an act that amends or supplements earlier registrations (column 5).
    Amend(RelateArgs),
    /// Register an act that suspends earlier registrations (column 6).
    Suspend(RelateArgs),
    /// Register an act that declares earlier registrations invalid (column 7).
    Invalidate(RelateArgs),
    /// Enter a court decision that cancels a state registration (column 8).
    CancelByCourt(CourtArgs),
    /// List the entries.
    List(ListArgs),
    /// Print the register (the paper journal or the intranet register) as PDF.
    Export(ExportArgs),
    /// Print the conclusion of a registration again, from the record.
    Conclusion(ConclusionArgs),
    /// Make the stamp of a registration again, from the record.
    Stamp(StampArgs),
    /// Check the whole journal: numbering, links and hashes.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// A head hash written down earlier (printed by `add` and on the paper journal's
    /// certification page): the journal must still lead to it.
    #[arg(long, value_name = "HASH")]
    head: Option<String>,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The first number of a sequence: NUMBER for the Ministry, or RR=NUMBER for region RR
    /// (01–20), so that the register continues an existing journal. Repeatable; sequences not
    /// given start at 1.
    #[arg(long, value_name = "[RR=]NUMBER")]
    start_number: Vec<String>,
}

/// The date of registration and the documents to write.
#[derive(Debug, Args)]
struct IssueArgs {
    /// Date of registration (YYYY-MM-DD or DD.MM.YYYY); default SOURCE_DATE_EPOCH, else today.
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// Write the conclusion (appendix 1) of the registration to this PDF (one act only).
    #[arg(long, value_name = "PDF")]
    conclusion: Option<PathBuf>,
    /// Languages of the conclusion (default kk,ru).
    #[arg(long, value_name = "LANGS", requires = "conclusion")]
    conclusion_lang: Option<String>,
    /// Write the stamp (appendix 3) to this file: .pdf, .svg or .png (one act only).
    #[arg(long, value_name = "FILE")]
    stamp: Option<PathBuf>,
    /// Language of the stamp: kk, ru or en (default kk).
    #[arg(long, value_name = "LANG", requires = "stamp")]
    stamp_lang: Option<String>,
    /// Resolution of a PNG stamp.
    #[arg(long, value_name = "N", default_value_t = 300, requires = "stamp")]
    dpi: u32,
    /// Register an act that is registered already (same submitting body, form, date of
    /// adoption and number); the new entry records the registration it repeats.
    #[arg(long)]
    allow_duplicate: bool,
}

#[derive(Debug, Args)]
struct AddArgs {
    /// Act files (YAML or JSON, form `act`), registered in this order.
    #[arg(required = true, value_name = "ACT")]
    acts: Vec<String>,
    #[command(flatten)]
    issue: IssueArgs,
}

#[derive(Debug, Args)]
struct RelateArgs {
    /// The earlier registrations (23516, or 6013-09 for region 09).
    #[arg(required = true, value_name = "NUMBER")]
    numbers: Vec<String>,
    /// The act file of the new act.
    #[arg(long, value_name = "ACT", required = true)]
    by: String,
    #[command(flatten)]
    issue: IssueArgs,
}

#[derive(Debug, Args)]
struct CourtArgs {
    /// The cancelled registration (23516, or 6013-09).
    #[arg(value_name = "NUMBER")]
    number: String,
    /// The number of the court decision.
    #[arg(long, value_name = "TEXT", required = true)]
    decision_number: String,
    /// The date of the court decision.
    #[arg(long, value_name = "DATE", required = true)]
    decision_date: String,
    /// The date the decision entered into force.
    #[arg(long, value_name = "DATE", required = true)]
    in_force_on: String,
    /// Date of the entry (default SOURCE_DATE_EPOCH, else today).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

/// Which entries.
#[derive(Debug, Args)]
struct RangeArgs {
    /// From this date (inclusive).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// To this date (inclusive).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// One month: YYYY-MM.
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
    month: Option<String>,
    /// Only one body's registrations: `ministry`, or a regional index 01–20.
    #[arg(long, value_name = "BODY")]
    body: Option<String>,
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    range: RangeArgs,
    /// Print the entries as JSON (with their hashes).
    #[arg(long)]
    json: bool,
    /// Language of the titles (default kk).
    #[arg(long, value_name = "LANG", default_value = "kk")]
    lang: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Variant {
    /// The paper journal (part B): item numbers, numbered pages, a certification page.
    Paper,
    /// The register of the intranet portal (part A).
    Intranet,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Which register.
    #[arg(long, value_enum, default_value_t = Variant::Paper)]
    variant: Variant,
    #[command(flatten)]
    range: RangeArgs,
    /// Output PDF.
    #[arg(short, long, value_name = "PDF", required = true)]
    output: PathBuf,
    /// Languages (default kk).
    #[arg(long, value_name = "LANGS")]
    lang: Option<String>,
    /// A line under the title naming the section (e.g. the republican section).
    #[arg(long, value_name = "TEXT")]
    section: Option<String>,
    /// Paper: A4 (default) or A3, landscape.
    #[arg(long, value_name = "SIZE")]
    paper: Option<String>,
}

#[derive(Debug, Args)]
struct ConclusionArgs {
    /// The registration (23516, or 6013-09).
    #[arg(value_name = "NUMBER")]
    number: String,
    /// Output PDF.
    #[arg(short, long, value_name = "PDF", required = true)]
    output: PathBuf,
    /// Languages (default kk,ru).
    #[arg(long, value_name = "LANGS")]
    lang: Option<String>,
}

#[derive(Debug, Args)]
struct StampArgs {
    /// The registration (23516, or 6013-09).
    #[arg(value_name = "NUMBER")]
    number: String,
    /// Output file: .pdf, .svg or .png.
    #[arg(short, long, value_name = "FILE", required = true)]
    output: PathBuf,
    /// Language: kk, ru or en (default kk).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Resolution of a PNG.
    #[arg(long, value_name = "N", default_value_t = 300)]
    dpi: u32,
}

/// Runs a `register` command. `templates` is the global --templates.
pub fn register(templates: Option<&Path>, args: RegisterArgs) -> Exit {
    let db = args
        .db
        .or_else(|| std::env::var_os(DB_ENV).filter(|v| !v.is_empty()))
        .unwrap_or_else(|| DEFAULT_DB.into());
    let db = match Location::parse(&db) {
        Ok(db) => db,
        Err(e) => return invalid(format!("--db: {e}")),
    };
    let ctx = Context { db, templates: templates.map(Path::to_path_buf) };
    match args.command {
        RegisterCommand::Init(a) => init(&ctx, a),
        RegisterCommand::Migrate => migrate(&ctx),
        RegisterCommand::Add(a) => add(&ctx, &a.acts, &[], &a.issue),
        RegisterCommand::Amend(a) => relate(&ctx, Relation::Amends, a),
        RegisterCommand::Suspend(a) => relate(&ctx, Relation::Suspends, a),
        RegisterCommand::Invalidate(a) => relate(&ctx, Relation::Invalidates, a),
        RegisterCommand::CancelByCourt(a) => cancel_by_court(&ctx, a),
        RegisterCommand::List(a) => list(&ctx, a),
        RegisterCommand::Export(a) => export(&ctx, a),
        RegisterCommand::Conclusion(a) => reissue_conclusion(&ctx, a),
        RegisterCommand::Stamp(a) => reissue_stamp(&ctx, a),
        RegisterCommand::Verify(a) => verify(&ctx, a),
    }
}

struct Context {
    db: Location,
    templates: Option<PathBuf>,
}

impl Context {
    /// Prints an error about the register and returns its exit code.
    fn fail(&self, e: &RegisterError) -> Exit {
        eprintln!("error: {}: {}", self.db, anyqtama::messages::localize_register(e, super::message_lang()));
        match e {
            RegisterError::Broken(_) | RegisterError::HeadNotFound(_) => eprintln!(
                "  hint: nothing is printed from or added to a register whose chain fails; `anyqtama register verify` checks it, and the register is restored from a copy"
            ),
            RegisterError::Duplicate { .. } => {
                eprintln!(
                    "  hint: to register it again all the same, add --allow-duplicate (the entry records it)"
                )
            }
            _ => {}
        }
        if e.is_invalid_input() { Exit::Invalid } else { Exit::Failure }
    }

    /// How entries are appended today.
    fn append_options(&self, allow_duplicate: bool) -> Result<AppendOptions, Exit> {
        let today = anyqtama::register::store::today().map_err(|e| self.fail(&e))?;
        Ok(AppendOptions { today, allow_duplicate })
    }

    fn open(&self) -> Result<Box<dyn anyqtama::register::Store>, Exit> {
        self.db.open().map_err(|e| self.fail(&e))
    }

    fn engine(&self) -> Result<Engine, Exit> {
        Engine::new(self.templates.as_deref()).map_err(|diags| {
            print_diagnostics(&diags);
            Exit::Failure
        })
    }
}

fn init(ctx: &Context, args: InitArgs) -> Exit {
    let mut starts = BTreeMap::new();
    for text in &args.start_number {
        let (body, number) = match text.split_once('=') {
            Some((r, n)) => (Body::from_code(r).filter(|b| *b != Body::Ministry), n),
            None => (Some(Body::Ministry), text.as_str()),
        };
        let number = number.parse::<i64>().ok().filter(|n| (1..=MAX_NUMBER).contains(n));
        let (Some(body), Some(number)) = (body, number) else {
            return invalid(format!(
                "--start-number: \"{text}\" is not NUMBER or RR=NUMBER (a number from 1 to {MAX_NUMBER}, RR a regional index 01–20)"
            ));
        };
        if starts.insert(body, number).is_some() {
            return invalid(format!("--start-number: {body} is given twice"));
        }
    }
    match ctx.db.init(&starts) {
        Ok(_) => {
            say!("created the register {}", ctx.db);
            for (body, n) in &starts {
                say!("  {body}: numbers from {}", RegNumber { body: *body, number: *n });
            }
            Exit::Success
        }
        Err(e) => ctx.fail(&e),
    }
}

fn migrate(ctx: &Context) -> Exit {
    match ctx.db.migrate() {
        Ok((from, to)) if from == to => {
            say!("{}: the register is up to date (format {to})", ctx.db);
            Exit::Success
        }
        Ok((from, to)) => {
            say!("{}: migrated the register from format {from} to format {to}", ctx.db);
            Exit::Success
        }
        Err(e) => ctx.fail(&e),
    }
}

/// The date of an entry: --date, else SOURCE_DATE_EPOCH, else today (Kazakhstan time, or
/// $ANYQTAMA_TODAY).
fn entry_date(date: Option<&str>, option: &str) -> Result<NaiveDate, Exit> {
    match date {
        Some(text) => parse_date(text).map_err(|e| invalid(format!("{option}: {e}"))),
        None => match anyqtama::source_date_epoch() {
            Some(d) => Ok(d.date()),
            None => anyqtama::register::store::today().map_err(fail),
        },
    }
}

fn parse_number(text: &str) -> Result<RegNumber, Exit> {
    text.parse::<RegNumber>().map_err(invalid)
}

fn relate(ctx: &Context, relation: Relation, args: RelateArgs) -> Exit {
    let mut references = Vec::new();
    for text in &args.numbers {
        match parse_number(text) {
            Ok(target) => references.push(Reference { relation, target }),
            Err(exit) => return exit,
        }
    }
    add(ctx, std::slice::from_ref(&args.by), &references, &args.issue)
}

/// What the documents of a registration are written as.
struct Outputs {
    conclusion: Option<(PathBuf, Vec<Lang>)>,
    stamp: Option<(PathBuf, stamp::Format, Lang, u32)>,
}

fn outputs(issue: &IssueArgs, count: usize) -> Result<Outputs, Exit> {
    if count > 1 && (issue.conclusion.is_some() || issue.stamp.is_some()) {
        return Err(fail(
            "--conclusion and --stamp name one file: register one act at a time, or print the documents later with `register conclusion` and `register stamp`",
        ));
    }
    let conclusion = match &issue.conclusion {
        None => None,
        Some(path) => {
            let langs = match &issue.conclusion_lang {
                Some(text) => parse_langs(text).map_err(|e| fail(format!("--conclusion-lang: {e}")))?,
                None => vec![Lang::Kk, Lang::Ru],
            };
            Some((path.clone(), langs))
        }
    };
    let stamp = match &issue.stamp {
        None => None,
        Some(path) => {
            let format = stamp::format_of(path).ok_or_else(|| {
                fail(format!(
                    "--stamp: cannot tell the format of {} from its extension: use .pdf, .svg or .png",
                    path.display()
                ))
            })?;
            if issue.dpi == 0 || issue.dpi > anyqtama::raster::MAX_DPI {
                return Err(fail(anyqtama::raster::RasterError::Dpi(issue.dpi)));
            }
            let lang = stamp_lang(issue.stamp_lang.as_deref(), "--stamp-lang")?;
            Some((path.clone(), format, lang, issue.dpi))
        }
    };
    Ok(Outputs { conclusion, stamp })
}

fn stamp_lang(text: Option<&str>, option: &str) -> Result<Lang, Exit> {
    match text {
        None => Ok(Lang::Kk),
        Some(code) => Lang::from_code(code).ok_or_else(|| {
            invalid(format!("{option}: unknown value \"{code}\" (expected one of: kk, ru, en)"))
        }),
    }
}

/// Registers the acts in order (each in its own transaction), with `references` to earlier
/// registrations, and writes the documents asked for.
fn add(ctx: &Context, acts: &[String], references: &[Reference], issue: &IssueArgs) -> Exit {
    let date = match entry_date(issue.date.as_deref(), "--date") {
        Ok(d) => d,
        Err(exit) => return exit,
    };
    let outputs = match outputs(issue, acts.len()) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let options = match ctx.append_options(issue.allow_duplicate) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let mut store = match ctx.open() {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let engine = match ctx.engine() {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    // A broken chain, or a number that does not exist, is refused before any act is read.
    let mut register = match Register::open(&*store) {
        Ok(r) => r,
        Err(e) => return ctx.fail(&e),
    };
    if let Some(r) =
        references.iter().find(|r| !register.entries().iter().any(|e| e.reg_number() == Some(r.target)))
    {
        return ctx.fail(&RegisterError::UnknownNumber(r.target));
    }
    let mut worst = Exit::Success;
    for file in acts {
        // An act that is not UTF-8 or too large is invalid input (2), an unreadable one 1.
        let text = match super::render::read(file) {
            Ok(text) => text,
            Err(exit) => {
                worst = worst.worse(exit);
                continue;
            }
        };
        let mut entry = match documents::load_act(&engine, file, &text, date) {
            Ok(loaded) => {
                print_diagnostics(&loaded.warnings);
                loaded.entry
            }
            Err(diags) => {
                print_diagnostics(&diags);
                worst = worst.worse(Exit::Invalid);
                continue;
            }
        };
        entry.references = references.to_vec();
        // The documents must be printable before the act is stored: try them with the
        // largest number the sequence can reach.
        if let Err(exit) = check_documents(&engine, &entry, &outputs) {
            worst = worst.worse(exit);
            continue;
        }
        let stored = match register.append(&mut *store, entry, &options) {
            Ok(stored) => stored,
            Err(e) => {
                worst = worst.worse(ctx.fail(&e));
                continue;
            }
        };
        let number = stored.reg_number().map(|n| n.to_string()).unwrap_or_default();
        say!(
            "registered {file} as № {number}{} of {}",
            if stored.data.for_official_use { " (for official use)" } else { "" },
            stored.data.registered_on.format("%Y-%m-%d")
        );
        say!("  head: {}", stored.hash);
        worst = worst.worse(write_documents(&engine, &stored, &outputs));
    }
    worst
}

/// Builds the conclusion and the stamp of an entry not yet stored, to refuse an act whose
/// documents could not be printed.
fn check_documents(engine: &Engine, entry: &NewEntry, outputs: &Outputs) -> Result<(), Exit> {
    let trial = Entry {
        seq: 0,
        number: Some(MAX_NUMBER),
        data: entry.clone(),
        prev_hash: String::new(),
        hash: String::new(),
    };
    let report = |diags: Vec<Diagnostic>| {
        print_diagnostics(&diags);
        Exit::Invalid
    };
    documents::conclusion_case(engine, &trial).map_err(report)?;
    let lang = outputs.stamp.as_ref().map_or(Lang::Kk, |s| s.2);
    let case = documents::stamp_case(engine, &trial, lang).map_err(report)?;
    if let Some((_, format, lang, dpi)) = &outputs.stamp {
        let form = engine.form("stamp").map_err(|d| report(vec![d]))?;
        stamp::draw(engine, form, Some(&case), *lang, *format, *dpi, BackgroundArg::Transparent, None)?;
    }
    Ok(())
}

/// Writes the conclusion and the stamp of a stored registration.
fn write_documents(engine: &Engine, entry: &Entry, outputs: &Outputs) -> Exit {
    let mut worst = Exit::Success;
    if let Some((path, langs)) = &outputs.conclusion {
        worst = worst.worse(write_conclusion(engine, entry, langs, path));
    }
    if let Some((path, format, lang, dpi)) = &outputs.stamp {
        worst = worst.worse(write_stamp(engine, entry, *lang, *format, *dpi, path));
    }
    if worst != Exit::Success
        && let Some(n) = entry.reg_number()
    {
        eprintln!(
            "  hint: the act is registered as № {n}; print its documents with `anyqtama register conclusion {n}` and `anyqtama register stamp {n}`"
        );
    }
    worst
}

fn write_file(path: &Path, bytes: &[u8]) -> Exit {
    match write_atomic(path, bytes) {
        Ok(()) => {
            say!("wrote {}", path.display());
            Exit::Success
        }
        Err(e) => fail(e),
    }
}

/// The case built from a stored entry and the form it is for; on failure, the diagnostics
/// are printed and the exit code returned.
fn built_case<'e>(
    engine: &'e Engine,
    built: anyqtama::diag::StageResult<anyqtama::validate::Case>,
    form_id: &str,
) -> Result<(&'e anyqtama::form::Form, anyqtama::validate::Case), Exit> {
    let case = built.map_err(|diags| {
        print_diagnostics(&diags);
        Exit::Invalid
    })?;
    let form = engine.form(form_id).map_err(|d| {
        print_diagnostics(&[d]);
        Exit::Failure
    })?;
    Ok((form, case))
}

fn write_conclusion(engine: &Engine, entry: &Entry, langs: &[Lang], path: &Path) -> Exit {
    let (form, case) = match built_case(engine, documents::conclusion_case(engine, entry), "conclusion") {
        Ok(built) => built,
        Err(exit) => return exit,
    };
    match engine.render_pdf(form, Some(&case), langs, &RenderOptions::default()) {
        Ok(bytes) => write_file(path, &bytes),
        Err(diags) => {
            print_diagnostics(&diags);
            Exit::Invalid
        }
    }
}

fn write_stamp(
    engine: &Engine,
    entry: &Entry,
    lang: Lang,
    format: stamp::Format,
    dpi: u32,
    path: &Path,
) -> Exit {
    let (form, case) = match built_case(engine, documents::stamp_case(engine, entry, lang), "stamp") {
        Ok(built) => built,
        Err(exit) => return exit,
    };
    match stamp::draw(engine, form, Some(&case), lang, format, dpi, BackgroundArg::Transparent, None) {
        Ok(bytes) => write_file(path, &bytes),
        Err(exit) => exit,
    }
}

fn cancel_by_court(ctx: &Context, args: CourtArgs) -> Exit {
    let target = match parse_number(&args.number) {
        Ok(n) => n,
        Err(exit) => return exit,
    };
    let dates = (
        entry_date(args.date.as_deref(), "--date"),
        entry_date(Some(&args.decision_date), "--decision-date"),
        entry_date(Some(&args.in_force_on), "--in-force-on"),
    );
    let (Ok(date), Ok(decision_date), Ok(in_force_on)) = dates else {
        return Exit::Invalid;
    };
    let decision_number = args.decision_number.trim().to_owned();
    if decision_number.is_empty() || decision_number.chars().count() > 60 {
        return invalid("--decision-number: must have 1 to 60 characters");
    }
    if in_force_on <= decision_date {
        return invalid(format!(
            "--in-force-on: {} must be after the date of the decision {}",
            in_force_on.format("%Y-%m-%d"),
            decision_date.format("%Y-%m-%d")
        ));
    }
    if in_force_on > date {
        return invalid(format!(
            "--in-force-on: {} is after the date of the entry {}: enter a decision once it is in force",
            in_force_on.format("%Y-%m-%d"),
            date.format("%Y-%m-%d")
        ));
    }
    let options = match ctx.append_options(false) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let mut store = match ctx.open() {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let entry = NewEntry {
        kind: Kind::CourtCancellation,
        body: target.body,
        registered_on: date,
        for_official_use: false,
        references: vec![Reference { relation: Relation::CancelsByCourt, target }],
        court: Some(CourtDecision { in_force_on, decision_date, decision_number }),
        act: None,
    };
    match anyqtama::register::append(&mut *store, entry, &options) {
        Ok(stored) => {
            say!(
                "entered the court decision cancelling № {target} as entry {} of {}",
                stored.seq,
                stored.data.registered_on.format("%Y-%m-%d")
            );
            say!("  head: {}", stored.hash);
            Exit::Success
        }
        Err(e) => ctx.fail(&e),
    }
}

/// The range of --from, --to, --month and --body.
fn parse_range(args: &RangeArgs) -> Result<Range, Exit> {
    let body = match args.body.as_deref() {
        None => None,
        Some(name) => Some(Body::from_name(name).ok_or_else(|| {
            invalid(format!("--body: \"{name}\" is not `ministry` nor a regional index 01–20"))
        })?),
    };
    if let Some(month) = &args.month {
        let first = parse_date(&format!("{month}-01"))
            .ok()
            .filter(|_| month.len() == 7)
            .ok_or_else(|| invalid(format!("--month: \"{month}\" is not a month (expected YYYY-MM)")))?;
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
        };
        return Ok(Range { from: Some(first), to: next.and_then(|d| d.pred_opt()), body });
    }
    let from = args.from.as_deref().map(|d| entry_date(Some(d), "--from")).transpose()?;
    let to = args.to.as_deref().map(|d| entry_date(Some(d), "--to")).transpose()?;
    Ok(Range { from, to, body })
}

/// Every entry of the register, oldest first, once its whole chain is checked.
fn read_entries(ctx: &Context) -> Result<Vec<Entry>, Exit> {
    anyqtama::register::read(&*ctx.open()?).map_err(|e| ctx.fail(&e))
}

fn list(ctx: &Context, args: ListArgs) -> Exit {
    let range = match parse_range(&args.range) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let lang = match Lang::from_code(&args.lang) {
        Some(l) => l,
        None => {
            return invalid(format!("--lang: unknown value \"{}\" (expected one of: kk, ru, en)", args.lang));
        }
    };
    let entries = match read_entries(ctx) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let selected: Vec<&Entry> = entries.iter().filter(|e| range.contains(e)).collect();
    if args.json {
        let items: Vec<Json> = selected.iter().map(|e| e.json()).collect();
        match serde_json::to_string_pretty(&items) {
            Ok(text) => say!("{text}"),
            Err(e) => return fail(format!("failed to print JSON ({e})")),
        }
        return Exit::Success;
    }
    for e in selected {
        say!("{}", entry_line(e, lang));
    }
    Exit::Success
}

/// One line of `list`: date, number, what the entry is.
fn entry_line(e: &Entry, lang: Lang) -> String {
    let date = e.data.registered_on.format("%Y-%m-%d");
    let refs: Vec<String> = e
        .data
        .references
        .iter()
        .map(|r| {
            let verb = match r.relation {
                Relation::Amends => "amends",
                Relation::Suspends => "suspends",
                Relation::Invalidates => "invalidates",
                Relation::CancelsByCourt => "cancels",
                Relation::Repeats => "repeats",
            };
            format!("{verb} № {}", r.target)
        })
        .collect();
    let refs = if refs.is_empty() { String::new() } else { format!(" [{}]", refs.join(", ")) };
    match (e.data.kind, e.reg_number()) {
        (Kind::Registration, Some(n)) => {
            let act = e.data.act.as_ref().map(|a| &a["act"]);
            let text = |v: Option<&Json>| -> String {
                match v {
                    Some(Json::Object(t)) => t
                        .get(lang.code())
                        .or_else(|| t.get("ru"))
                        .and_then(Json::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    Some(Json::String(s)) => s.clone(),
                    _ => String::new(),
                }
            };
            let mark = if e.data.for_official_use { " FOU" } else { "" };
            format!(
                "{date}  {:<12} {} № {} {}{refs}",
                format!("{n}{mark}"),
                text(act.map(|a| &a["form"])),
                act.and_then(|a| a["number"].as_str()).unwrap_or_default(),
                text(act.map(|a| &a["title"]))
            )
        }
        _ => {
            let court = e.data.court.as_ref().map_or(String::new(), |c| {
                format!(
                    "court decision № {} of {}, in force {}",
                    c.decision_number,
                    c.decision_date.format("%Y-%m-%d"),
                    c.in_force_on.format("%Y-%m-%d")
                )
            });
            format!("{date}  {:<12} {court}{refs}", "—")
        }
    }
}

fn export(ctx: &Context, args: ExportArgs) -> Exit {
    let range = match parse_range(&args.range) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    if let Some(paper) = &args.paper
        && paper != "A4"
        && paper != "A3"
    {
        return invalid(format!("--paper: unknown value \"{paper}\" (expected A4 or A3)"));
    }
    let entries = match read_entries(ctx) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let is_registration = |e: &&Entry| e.data.kind == Kind::Registration;
    let selected: Vec<&Entry> =
        entries.iter().filter(is_registration).filter(|e| range.contains(e)).collect();
    let Some(first) = selected.first() else {
        return invalid(format!("{}: no registrations in the range asked for", ctx.db));
    };
    // The journal continues: its first row has the item number after every earlier
    // registration of the same bodies.
    let before = entries
        .iter()
        .filter(is_registration)
        .filter(|e| e.seq < first.seq && range.body.is_none_or(|b| e.data.body == b))
        .count();
    let engine = match ctx.engine() {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let print = RegisterPrint {
        variant: match args.variant {
            Variant::Paper => "journal".into(),
            Variant::Intranet => "intranet".into(),
        },
        section: args.section.clone(),
        paper: args.paper.clone(),
        first_item_no: before + 1,
        head_hash: match args.variant {
            Variant::Paper => selected.last().map(|e| e.hash.clone()),
            Variant::Intranet => None,
        },
    };
    let case = match documents::register_case(&engine, &entries, &selected, &print) {
        Ok(case) => case,
        Err(diags) => {
            print_diagnostics(&diags);
            return Exit::Invalid;
        }
    };
    let form = match engine.form("register") {
        Ok(form) => form,
        Err(d) => {
            print_diagnostics(&[d]);
            return Exit::Failure;
        }
    };
    let langs = match &args.lang {
        Some(text) => match parse_langs(text) {
            Ok(l) => l,
            Err(e) => return fail(format!("--lang: {e}")),
        },
        None => form.spec.default_languages(),
    };
    match engine.render_pdf(form, Some(&case), &langs, &RenderOptions::default()) {
        Ok(bytes) => {
            let exit = write_file(&args.output, &bytes);
            if exit == Exit::Success {
                say!("{} registrations", selected.len());
            }
            exit
        }
        Err(diags) => {
            print_diagnostics(&diags);
            Exit::Invalid
        }
    }
}

/// The stored registration of a number given on the command line, from a journal whose
/// chain is intact.
fn registration(ctx: &Context, text: &str) -> Result<Entry, Exit> {
    let number = parse_number(text)?;
    let entries = read_entries(ctx)?;
    match entries.into_iter().find(|e| e.reg_number() == Some(number)) {
        Some(e) => Ok(e),
        None => Err(ctx.fail(&RegisterError::UnknownNumber(number))),
    }
}

fn reissue_conclusion(ctx: &Context, args: ConclusionArgs) -> Exit {
    let langs = match &args.lang {
        Some(text) => match parse_langs(text) {
            Ok(l) => l,
            Err(e) => return fail(format!("--lang: {e}")),
        },
        None => vec![Lang::Kk, Lang::Ru],
    };
    match stored_entry(ctx, &args.number) {
        Ok((entry, engine)) => write_conclusion(&engine, &entry, &langs, &args.output),
        Err(exit) => exit,
    }
}

/// The registration with this number, and the engine to print its documents.
fn stored_entry(ctx: &Context, number: &str) -> Result<(Entry, Engine), Exit> {
    let entry = registration(ctx, number)?;
    Ok((entry, ctx.engine()?))
}

fn reissue_stamp(ctx: &Context, args: StampArgs) -> Exit {
    let Some(format) = stamp::format_of(&args.output) else {
        return fail(format!(
            "cannot tell the format of {} from its extension: use .pdf, .svg or .png",
            args.output.display()
        ));
    };
    if args.dpi == 0 || args.dpi > anyqtama::raster::MAX_DPI {
        return fail(anyqtama::raster::RasterError::Dpi(args.dpi));
    }
    let lang = match stamp_lang(args.lang.as_deref(), "--lang") {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    match stored_entry(ctx, &args.number) {
        Ok((entry, engine)) => write_stamp(&engine, &entry, lang, format, args.dpi, &args.output),
        Err(exit) => exit,
    }
}

fn verify(ctx: &Context, args: VerifyArgs) -> Exit {
    let store = match ctx.open() {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let report = match anyqtama::register::verify(&*store) {
        Ok(Ok(report)) => report,
        Ok(Err(problem)) => return invalid(format!("{}: {problem}", ctx.db)),
        Err(e) => return ctx.fail(&e),
    };
    // The recorded head is checked before anything is printed.
    let recorded = match args.head.as_deref().map(|h| anyqtama::register::store::find_head(&*store, h)) {
        None => None,
        Some(Ok(seq)) => Some(seq),
        Some(Err(e)) => return ctx.fail(&e),
    };
    say!("{}: {} entries, the chain is intact", ctx.db, report.entries);
    for (body, first, last) in &report.sequences {
        say!(
            "  {body}: № {} to № {}",
            RegNumber { body: *body, number: *first },
            RegNumber { body: *body, number: *last }
        );
    }
    say!("  head: {}", report.head);
    match recorded {
        None => {}
        Some(0) => say!("  the recorded head is the register's start: {} entries since", report.entries),
        Some(seq) => say!(
            "  the recorded head is entry {seq}: the journal leads to it, {} entries since",
            report.entries as i64 - seq
        ),
    }
    Exit::Success
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let args = |m: &str| RangeArgs { from: None, to: None, month: Some(m.into()), body: None };
        let r = parse_range(&args("2026-12")).expect("a month");
        assert_eq!(r.from, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(r.to, NaiveDate::from_ymd_opt(2026, 12, 31));
        let r = parse_range(&args("2028-02")).expect("a month");
        assert_eq!(r.to, NaiveDate::from_ymd_opt(2028, 2, 29));
    }
}
