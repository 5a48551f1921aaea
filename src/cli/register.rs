//! `register`: the Register of state registration (order 246, appendix 2) kept as a journal
//! in a database, and the conclusion, the stamp and the printed register made from it.
//!
//! The rules live in [`anyqtama::register`]; this module reads the arguments, opens the
//! store, prints what happened and chooses the exit code. The forms' engine is loaded only by
//! the commands that read act files or print documents.

use std::path::{Path, PathBuf};

use anyqtama::domain::Lang;
use anyqtama::domain::date::parse_date;
use anyqtama::output::write_atomic;
use anyqtama::register::model::Range;
use anyqtama::register::ops::{
    self, ActFile, Clerk, CourtCancellation, Export, Field, Registration, Verified,
};
use anyqtama::register::{
    Body, CourtDecision, Entry, Location, Month, OpError, RegNumber, RegisterError, Registrar, Relation,
};
use anyqtama::stamp::{StampFormat, StampOptions};
use anyqtama::{Engine, parse_langs};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::Value as Json;

use super::{Exit, exit_for, fail, invalid, print_diagnostics};

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
CLERK: each entry stores who made it: --clerk NAME, else the operating system's user ($USER,
else $USERNAME); it is covered by the entry's hash and shown by `list --json`.
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
    #[command(flatten)]
    clerk: ClerkArgs,
}

/// Who makes the entry.
#[derive(Debug, Args)]
struct ClerkArgs {
    /// The clerk's name, stored with the entry (default: the operating system's user).
    #[arg(long, value_name = "NAME")]
    clerk: Option<String>,
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
    #[command(flatten)]
    clerk: ClerkArgs,
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
enum PaperArg {
    /// A4 landscape.
    #[value(name = "A4")]
    A4,
    /// A3 landscape.
    #[value(name = "A3")]
    A3,
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
    #[arg(long, value_enum, ignore_case = true)]
    paper: Option<PaperArg>,
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
    super::done(run(templates, args))
}

/// A command's outcome: `Err` with the exit code once its problems are printed.
type Outcome<T = ()> = Result<T, Exit>;

fn run(templates: Option<&Path>, args: RegisterArgs) -> Outcome {
    let db = args
        .db
        .or_else(|| std::env::var_os(DB_ENV).filter(|v| !v.is_empty()))
        .unwrap_or_else(|| DEFAULT_DB.into());
    let db = Location::parse(&db).map_err(|e| invalid(format!("--db: {e}")))?;
    let ctx = Context { db, templates: templates.map(Path::to_path_buf) };
    match args.command {
        RegisterCommand::Init(a) => init(&ctx, a),
        RegisterCommand::Migrate => migrate(&ctx),
        RegisterCommand::Add(a) => add(&ctx, &a.acts, None, &a.issue),
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

    /// Prints why an operation did nothing and returns its exit code.
    fn refused(&self, e: OpError) -> Exit {
        match e {
            OpError::Register(e) => self.fail(&e),
            OpError::Invalid { diagnostics, .. } => {
                print_diagnostics(&diagnostics);
                exit_for(&diagnostics)
            }
            OpError::Form(d) => {
                print_diagnostics(&[d]);
                Exit::Failure
            }
            OpError::Field { field, message } => invalid(format!("{}: {message}", option(field))),
            OpError::NoRegistrations => invalid(format!("{}: {e}", self.db)),
            OpError::Stamp(e) => fail(e),
            e @ (OpError::ActOfOtherBody { .. } | OpError::RegistrationOfOtherBody { .. }) => invalid(e),
        }
    }

    /// The register, its chain checked.
    fn open(&self) -> Outcome<Registrar> {
        Registrar::open(&self.db).map_err(|e| self.fail(&e))
    }

    fn engine(&self) -> Outcome<Engine> {
        Engine::new(self.templates.as_deref()).map_err(|diags| {
            print_diagnostics(&diags);
            Exit::Failure
        })
    }
}

/// The option of a request's field: `--decision-number`.
fn option(field: Field) -> String {
    format!("--{}", field.name().replace('_', "-"))
}

/// The clerk of an entry made here: --clerk, else the operating system's user.
fn clerk(args: &ClerkArgs) -> Clerk {
    let os_user =
        || ["USER", "USERNAME"].into_iter().find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()));
    Clerk { name: args.clerk.clone().or_else(os_user), body: None }
}

fn init(ctx: &Context, args: InitArgs) -> Outcome {
    let starts =
        ops::start_numbers(args.start_number.iter().map(String::as_str)).map_err(|e| ctx.refused(e))?;
    ctx.db.init(&starts).map_err(|e| ctx.fail(&e))?;
    say!("created the register {}", ctx.db);
    for (body, n) in &starts {
        say!("  {body}: numbers from {}", RegNumber { body: *body, number: *n });
    }
    Ok(())
}

fn migrate(ctx: &Context) -> Outcome {
    match ctx.db.migrate().map_err(|e| ctx.fail(&e))? {
        (from, to) if from == to => say!("{}: the register is up to date (format {to})", ctx.db),
        (from, to) => say!("{}: migrated the register from format {from} to format {to}", ctx.db),
    }
    Ok(())
}

/// A date given as `option`.
fn date_arg(text: &str, option: &str) -> Outcome<NaiveDate> {
    parse_date(text).map_err(|e| invalid(format!("{option}: {e}")))
}

/// The date of an entry: --date, else SOURCE_DATE_EPOCH, else today.
fn entry_date(date: Option<&str>) -> Outcome<NaiveDate> {
    let given = date.map(|d| date_arg(d, "--date")).transpose()?;
    ops::entry_date(given).map_err(fail)
}

fn parse_number(text: &str) -> Outcome<RegNumber> {
    text.parse::<RegNumber>().map_err(invalid)
}

fn relate(ctx: &Context, relation: Relation, args: RelateArgs) -> Outcome {
    let targets = args.numbers.iter().map(|n| parse_number(n)).collect::<Outcome<Vec<_>>>()?;
    add(ctx, std::slice::from_ref(&args.by), Some((relation, &targets)), &args.issue)
}

/// What the documents of a registration are written as.
struct Outputs {
    conclusion: Option<(PathBuf, Vec<Lang>)>,
    stamp: Option<(PathBuf, Lang, StampOptions)>,
}

/// The stamp's format named by a file's extension (`given` names the option it was given to).
fn stamp_format(path: &Path, given: &str) -> Outcome<StampFormat> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("pdf") => Ok(StampFormat::Pdf),
        Some("svg") => Ok(StampFormat::Svg),
        Some("png") => Ok(StampFormat::Png),
        _ => Err(fail(format!(
            "{given}cannot tell the format of {} from its extension: use .pdf, .svg or .png",
            path.display()
        ))),
    }
}

/// How a stamp is drawn into `path` at `dpi`.
fn stamp_options(path: &Path, dpi: u32, given: &str) -> Outcome<StampOptions> {
    let format = stamp_format(path, given)?;
    if dpi == 0 || dpi > anyqtama::raster::MAX_DPI {
        return Err(fail(super::dpi_out_of_range(dpi)));
    }
    Ok(StampOptions { format, dpi, white_background: false })
}

fn langs_arg(text: Option<&str>, option: &str, default: &[Lang]) -> Outcome<Vec<Lang>> {
    match text {
        Some(text) => parse_langs(text).map_err(|e| fail(format!("{option}: {e}"))),
        None => Ok(default.to_vec()),
    }
}

fn outputs(issue: &IssueArgs, count: usize) -> Outcome<Outputs> {
    if count > 1 && (issue.conclusion.is_some() || issue.stamp.is_some()) {
        return Err(fail(
            "--conclusion and --stamp name one file: register one act at a time, or print the documents later with `register conclusion` and `register stamp`",
        ));
    }
    let conclusion = match &issue.conclusion {
        None => None,
        Some(path) => {
            let langs =
                langs_arg(issue.conclusion_lang.as_deref(), "--conclusion-lang", &[Lang::Kk, Lang::Ru])?;
            Some((path.clone(), langs))
        }
    };
    let stamp = match &issue.stamp {
        None => None,
        Some(path) => {
            let options = stamp_options(path, issue.dpi, "--stamp: ")?;
            Some((path.clone(), stamp_lang(issue.stamp_lang.as_deref(), "--stamp-lang")?, options))
        }
    };
    Ok(Outputs { conclusion, stamp })
}

fn stamp_lang(text: Option<&str>, option: &str) -> Outcome<Lang> {
    match text {
        None => Ok(Lang::Kk),
        Some(code) => Lang::from_code(code).ok_or_else(|| {
            invalid(format!("{option}: unknown value \"{code}\" (expected one of: kk, ru, en)"))
        }),
    }
}

/// Registers the acts in order (each in its own transaction), referring to earlier
/// registrations when `relation` is given, and writes the documents asked for. One act that
/// fails does not stop the others; the exit code is the worst.
fn add(
    ctx: &Context,
    acts: &[String],
    relation: Option<(Relation, &[RegNumber])>,
    issue: &IssueArgs,
) -> Outcome {
    let date = entry_date(issue.date.as_deref())?;
    let outputs = outputs(issue, acts.len())?;
    let mut registrar = ctx.open()?;
    let engine = ctx.engine()?;
    let how = Registration {
        date,
        allow_duplicate: issue.allow_duplicate,
        clerk: clerk(&issue.clerk),
        stamp_lang: outputs.stamp.as_ref().map_or(Lang::Kk, |s| s.1),
    };
    let mut worst = Exit::Success;
    for file in acts {
        if let Err(exit) = add_one(ctx, &mut registrar, &engine, file, relation, &how, &outputs) {
            worst = worst.worse(exit);
        }
    }
    if worst == Exit::Success { Ok(()) } else { Err(worst) }
}

fn add_one(
    ctx: &Context,
    registrar: &mut Registrar,
    engine: &Engine,
    file: &str,
    relation: Option<(Relation, &[RegNumber])>,
    how: &Registration,
    outputs: &Outputs,
) -> Outcome {
    let text = read(file)?;
    let act = ActFile { name: file, text: &text };
    let added = match relation {
        None => registrar.add(engine, act, how),
        Some((relation, targets)) => registrar.relate(engine, relation, targets, act, how),
    }
    .map_err(|e| ctx.refused(e))?;
    print_diagnostics(&added.warnings);
    let stored = &added.entry;
    let number = stored.reg_number().map(|n| n.to_string()).unwrap_or_default();
    say!(
        "registered {file} as № {number}{} of {}",
        if stored.data.for_official_use { " (for official use)" } else { "" },
        stored.data.registered_on.format("%Y-%m-%d")
    );
    say!("  head: {}", stored.hash);
    write_documents(ctx, engine, stored, outputs)
}

/// Reads an act file: 1 when it cannot be read, 2 when its bytes are not a case file (too
/// large, not UTF-8).
fn read(file: &str) -> Outcome<String> {
    anyqtama::input::read(file).map_err(|e| {
        print_diagnostics(&[e.diagnostic().clone()]);
        match e {
            anyqtama::input::ReadError::Unreadable(_) => Exit::Failure,
            anyqtama::input::ReadError::Invalid(_) => Exit::Invalid,
        }
    })
}

/// Writes the conclusion and the stamp of a stored registration.
fn write_documents(ctx: &Context, engine: &Engine, entry: &Entry, outputs: &Outputs) -> Outcome {
    let mut worst = Exit::Success;
    if let Some((path, langs)) = &outputs.conclusion
        && let Err(exit) = write_conclusion(ctx, engine, entry, langs, path)
    {
        worst = worst.worse(exit);
    }
    if let Some((path, lang, options)) = &outputs.stamp
        && let Err(exit) = write_stamp(ctx, engine, entry, *lang, options, path)
    {
        worst = worst.worse(exit);
    }
    if worst == Exit::Success {
        return Ok(());
    }
    if let Some(n) = entry.reg_number() {
        eprintln!(
            "  hint: the act is registered as № {n}; print its documents with `anyqtama register conclusion {n}` and `anyqtama register stamp {n}`"
        );
    }
    Err(worst)
}

fn write_file(path: &Path, bytes: &[u8]) -> Outcome {
    write_atomic(path, bytes).map_err(fail)?;
    say!("wrote {}", path.display());
    Ok(())
}

fn write_conclusion(ctx: &Context, engine: &Engine, entry: &Entry, langs: &[Lang], path: &Path) -> Outcome {
    write_file(path, &ops::conclusion(engine, entry, langs).map_err(|e| ctx.refused(e))?)
}

fn write_stamp(
    ctx: &Context,
    engine: &Engine,
    entry: &Entry,
    lang: Lang,
    options: &StampOptions,
    path: &Path,
) -> Outcome {
    write_file(path, &ops::stamp(engine, entry, lang, options).map_err(|e| ctx.refused(e))?)
}

fn cancel_by_court(ctx: &Context, args: CourtArgs) -> Outcome {
    let target = parse_number(&args.number)?;
    // Every date is checked, each problem printed, before giving up.
    let dates = (
        entry_date(args.date.as_deref()),
        date_arg(&args.decision_date, "--decision-date"),
        date_arg(&args.in_force_on, "--in-force-on"),
    );
    let (Ok(date), Ok(decision_date), Ok(in_force_on)) = dates else {
        return Err(Exit::Invalid);
    };
    let request = CourtCancellation {
        target,
        decision: CourtDecision { in_force_on, decision_date, decision_number: args.decision_number },
        date,
        clerk: clerk(&args.clerk),
    };
    // The request is checked before the register is opened.
    ops::check_court_cancellation(&request).map_err(|e| ctx.refused(e))?;
    let stored = ctx.open()?.cancel_by_court(&request).map_err(|e| ctx.refused(e))?;
    say!(
        "entered the court decision cancelling № {target} as entry {} of {}",
        stored.seq,
        stored.data.registered_on.format("%Y-%m-%d")
    );
    say!("  head: {}", stored.hash);
    Ok(())
}

/// The range of --from, --to, --month and --body.
fn parse_range(args: &RangeArgs) -> Outcome<Range> {
    let body = match args.body.as_deref() {
        None => None,
        Some(name) => Some(Body::from_name(name).ok_or_else(|| {
            invalid(format!("--body: \"{name}\" is not `ministry` nor a regional index 01–20"))
        })?),
    };
    if let Some(month) = &args.month {
        let month: Month = month.parse().map_err(|e| invalid(format!("--month: {e}")))?;
        return Ok(month.range(body));
    }
    let from = args.from.as_deref().map(|d| date_arg(d, "--from")).transpose()?;
    let to = args.to.as_deref().map(|d| date_arg(d, "--to")).transpose()?;
    Ok(Range { from, to, body })
}

fn list(ctx: &Context, args: ListArgs) -> Outcome {
    let range = parse_range(&args.range)?;
    let lang = Lang::from_code(&args.lang).ok_or_else(|| {
        invalid(format!("--lang: unknown value \"{}\" (expected one of: kk, ru, en)", args.lang))
    })?;
    let registrar = ctx.open()?;
    let selected = registrar.entries().iter().filter(|e| range.contains(e));
    if args.json {
        let items: Vec<Json> = selected.map(Entry::json).collect();
        let text =
            serde_json::to_string_pretty(&items).map_err(|e| fail(format!("failed to print JSON ({e})")))?;
        say!("{text}");
        return Ok(());
    }
    for e in selected {
        say!("{}", ops::summary(e, lang));
    }
    Ok(())
}

fn export(ctx: &Context, args: ExportArgs) -> Outcome {
    let range = parse_range(&args.range)?;
    let langs = args.lang.as_deref().map(|text| langs_arg(Some(text), "--lang", &[])).transpose()?;
    let registrar = ctx.open()?;
    let engine = ctx.engine()?;
    let request = Export {
        variant: match args.variant {
            Variant::Paper => ops::Variant::Paper,
            Variant::Intranet => ops::Variant::Intranet,
        },
        range,
        langs,
        section: args.section,
        paper: args.paper.map(|p| match p {
            PaperArg::A4 => ops::Paper::A4,
            PaperArg::A3 => ops::Paper::A3,
        }),
    };
    let exported = registrar.export(&engine, &request).map_err(|e| ctx.refused(e))?;
    write_file(&args.output, &exported.pdf)?;
    say!("{} registrations", exported.registrations);
    Ok(())
}

/// The stored registration of a number given on the command line, from a journal whose
/// chain is intact, and the engine to print its documents.
fn stored_entry(ctx: &Context, text: &str) -> Outcome<(Entry, Engine)> {
    let number = parse_number(text)?;
    let entry = ctx.open()?.registration(number).cloned().map_err(|e| ctx.fail(&e))?;
    Ok((entry, ctx.engine()?))
}

fn reissue_conclusion(ctx: &Context, args: ConclusionArgs) -> Outcome {
    let langs = langs_arg(args.lang.as_deref(), "--lang", &[Lang::Kk, Lang::Ru])?;
    let (entry, engine) = stored_entry(ctx, &args.number)?;
    write_conclusion(ctx, &engine, &entry, &langs, &args.output)
}

fn reissue_stamp(ctx: &Context, args: StampArgs) -> Outcome {
    let options = stamp_options(&args.output, args.dpi, "")?;
    let lang = stamp_lang(args.lang.as_deref(), "--lang")?;
    let (entry, engine) = stored_entry(ctx, &args.number)?;
    write_stamp(ctx, &engine, &entry, lang, &options, &args.output)
}

fn verify(ctx: &Context, args: VerifyArgs) -> Outcome {
    let store = ctx.db.open().map_err(|e| ctx.fail(&e))?;
    let Verified { report, recorded } =
        ops::verify(&*store, args.head.as_deref()).map_err(|e| match ops::broken(&e) {
            Some(problem) => invalid(format!("{}: {problem}", ctx.db)),
            None => ctx.fail(&e),
        })?;
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
    Ok(())
}
