//! `render`, `validate` and `blank`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyqtama::Engine;
use anyqtama::batch::{self, JsonLines, NameTemplate, Source, SourceKind, Summary};
use anyqtama::diag::Diagnostic;
use anyqtama::domain::Lang;
use anyqtama::domain::date::Timezone;
use anyqtama::form::Form;
use anyqtama::input;
use anyqtama::output::{Owner, Plan, Staged, write_atomic};
use anyqtama::raster;
use anyqtama::render::{Output, OutputFormat, PREVIEW_DPI, RenderError};
use anyqtama::template::Electronic;
use anyqtama::validate::{Case, ValidateOptions};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::{Exit, LangArg, add_flag_hints, fail, langs_of, print_diagnostics};

/// Options shared by commands that print a form.
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Languages: kk, ru, en (order 246 only), or a list such as kk,ru. Default: the form's
    /// (kk,ru: the Kazakh version, then the Russian version from a new page).
    #[arg(long, value_name = "LANGS", value_enum, value_delimiter = ',')]
    lang: Vec<LangArg>,
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
    /// Case files (YAML, JSON, or JSON Lines `.jsonl`: one case per line) and directories
    /// (their .yaml, .yml, .json and .jsonl files); `-` reads standard input.
    #[arg(required_unless_present = "files_from", value_name = "FILE")]
    inputs: Vec<String>,
    /// Also render the files listed in LIST, one path per line; `-` reads the list from
    /// standard input.
    #[arg(long, value_name = "LIST")]
    files_from: Option<String>,
    /// Render N cases at a time (default: the number of cores). The files are the same
    /// bytes, and each case's messages come in input order, whatever N.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Output file names from each case's fields, e.g. '{number}' or 'cert-{holder.iin}'
    /// (.pdf is added when the name has no extension), in --out-dir or beside the input.
    /// Default: the input's name; for a JSON Lines file STEM-LINE.pdf (cases-7.pdf for
    /// line 7 of cases.jsonl).
    #[arg(long, value_name = "TEMPLATE")]
    name: Option<String>,
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
    /// Times with an offset from UTC (2021-02-01T10:00:00Z, …+06:00, as databases export
    /// them) are printed in this zone, an offset from UTC (Kazakhstan time by default).
    #[arg(long, value_name = "OFFSET", value_parser = Timezone::parse, default_value = "+05:00")]
    timezone: Timezone,
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
    /// Times with an offset from UTC (2021-02-01T10:00:00Z, …+06:00, as databases export
    /// them) are printed in this zone, an offset from UTC (Kazakhstan time by default).
    #[arg(long, value_name = "OFFSET", value_parser = Timezone::parse, default_value = "+05:00")]
    timezone: Timezone,
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

pub fn render(engine: &Engine, args: RenderArgs) -> Result<(), Exit> {
    let single = args.files_from.is_none()
        && args.name.is_none()
        && args.inputs.len() == 1
        && !batch::is_json_lines(&args.inputs[0])
        && (args.inputs[0] == "-" || !Path::new(&args.inputs[0]).is_dir());
    if single {
        return render_single(engine, &args);
    }
    let sources = batch::sources(&args.inputs, args.files_from.as_deref()).map_err(bad_name)?;
    render_batch(engine, &args, &sources)
}

/// One case file: the form's wording and templates are prepared on a second thread while the
/// case is validated, and the fonts are loaded on a third (see `cli::run`).
fn render_single(engine: &Engine, args: &RenderArgs) -> Result<(), Exit> {
    let input = &args.inputs[0];
    let target = match &args.output {
        Some(path) => path.clone(),
        None if input == "-" => return Err(fail("standard input has no file name: give -o")),
        None => beside_or_in(args, Path::new(input).with_extension("pdf")),
    };
    let target = Target::new(&target, &args.print)?;
    let mut plan = Plan::new(std::slice::from_ref(input));
    if let Target::File(path, _) = &target {
        plan.add(path, Owner::input(0)).map_err(fail)?;
    }
    create_out_dir(args)?;
    std::thread::scope(|scope| render_one(engine, args, input, &target, &plan, scope))
}

/// `name` in --out-dir, or where it is (beside its input).
fn beside_or_in(args: &RenderArgs, name: PathBuf) -> PathBuf {
    match &args.out_dir {
        Some(dir) => dir.join(name.file_name().map(PathBuf::from).unwrap_or(name)),
        None => name,
    }
}

fn create_out_dir(args: &RenderArgs) -> Result<(), Exit> {
    match &args.out_dir {
        Some(dir) => std::fs::create_dir_all(dir)
            .map_err(|e| fail(format!("failed to create the directory {} ({})", dir.display(), lower(&e)))),
        None => Ok(()),
    }
}

/// Where one case of a batch goes: `Err(Some(problem))` when --name cannot name it,
/// `Err(None)` when the case could not be read to name it (its problems are reported when it
/// is rendered).
type Named = Result<Target, Option<Diagnostic>>;

/// How the outputs of a batch are named: by --name from the case's fields, by -o, or after
/// the input (`CASE.pdf`, `STEM-LINE.pdf` for a line of a JSON Lines file).
#[derive(Clone, Copy)]
struct Naming<'a> {
    args: &'a RenderArgs,
    template: Option<&'a NameTemplate>,
}

impl Naming<'_> {
    /// Whether a name needs the case's tree.
    fn needs_tree(&self) -> bool {
        self.template.is_some()
    }

    /// The target of the case on `line` of `source` (or the case file `source`); `tree` is
    /// the case, when it could be parsed and [`Naming::needs_tree`].
    fn target(&self, source: &str, line: Option<u32>, tree: Option<&input::Node>) -> Named {
        let path = match (self.template, &self.args.output) {
            (Some(template), _) => match tree {
                Some(tree) => beside_or_in(self.args, sibling(source, &template.expand(tree).map_err(Some)?)),
                None => return Err(None),
            },
            (None, Some(path)) => path.clone(),
            (None, None) => match line {
                Some(line) => beside_or_in(self.args, sibling(source, &batch::line_name(source, line))),
                None => beside_or_in(self.args, Path::new(source).with_extension("pdf")),
            },
        };
        Ok(check(path, self.args)?)
    }
}

/// What an output of a batch is written for: the source `source` (its index), or one line of it.
fn owner(source: usize, line: Option<u32>) -> Owner {
    match line {
        Some(line) => Owner::line(source, line),
        None => Owner::input(source),
    }
}

/// One case to render: a case file (`text` is `None`: it is read by the worker), or a line
/// of a JSON Lines file, or a JSON Lines file that could not be opened again (`Some(Err)`).
struct Work {
    /// Index into the sources.
    source: usize,
    /// The line, for a case of a JSON Lines file.
    line: Option<u32>,
    text: Option<Result<String, Diagnostic>>,
}

/// How many cases are rendered before their files are synced and renamed and their messages
/// printed.
const CHUNK: usize = 128;

/// What a chunk hands to the thread that commits its files and prints its messages.
type Committed = (Staged, Vec<(Vec<Message>, Exit)>);

/// Many cases, in two passes over the inputs, neither of which holds the batch in memory:
/// first every case is named and its output planned (a collision is refused before anything
/// is written; the plan keeps a digest per output), then the inputs are read again and the
/// cases rendered `--jobs` at a time by one pool of threads sharing the engine, in chunks
/// whose files are synced once ([`Staged`]) and whose messages are printed in input order.
/// A case whose output is not the one planned for it (its file changed in between) is
/// refused.
fn render_batch(engine: &Engine, args: &RenderArgs, sources: &[Source]) -> Result<(), Exit> {
    let started = Instant::now();
    let jobs_n =
        args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs_n)
        .stack_size(input::PARSE_STACK_BYTES)
        .thread_name(|i| format!("anyqtama-{i}"))
        .start_handler(|_| input::has_parse_stack())
        .build()
        .map_err(|e| fail(format!("failed to start {jobs_n} threads ({e})")))?;
    let template = args.name.as_deref().map(NameTemplate::parse).transpose().map_err(bad_name)?;
    let naming = Naming { args, template: template.as_ref() };
    let options = validate_options(args.fix_script, args.timezone);
    let mut summary = Summary::default();
    let mut worst = Exit::Success;

    // Plan: every case named, every output checked, before anything is rendered.
    let paths: Vec<&str> = sources.iter().map(|s| s.path.as_str()).collect();
    let mut plan = Plan::new(&paths);
    let mut cases = 0_usize;
    // The JSON Lines files that could not be opened (reported once, skipped when rendering).
    let mut unopened = vec![false; sources.len()];
    let mut add = |plan: &mut Plan, target: &Named, source: usize, line: Option<u32>| -> Result<(), Exit> {
        cases += 1;
        if args.output.is_some() && cases > 1 {
            return Err(fail("-o names one output file; with several cases use --out-dir or --name"));
        }
        match target {
            Ok(Target::File(path, _)) => plan.add(path, owner(source, line)).map_err(fail),
            _ => Ok(()),
        }
    };
    for (index, source) in sources.iter().enumerate() {
        match source.kind {
            SourceKind::Case => {
                if source.path == "-" && template.is_none() && args.output.is_none() {
                    return Err(fail("standard input has no file name: give -o or --name"));
                }
                // Parsed on a worker: its stack is large enough, no thread is started.
                let tree = naming.needs_tree().then(|| pool.install(|| case_tree(&source.path))).flatten();
                add(&mut plan, &naming.target(&source.path, None, tree.as_ref()), index, None)?;
            }
            SourceKind::JsonLines => {
                let mut lines = match JsonLines::open(&source.path) {
                    Ok(lines) => lines,
                    Err(d) => {
                        print_diagnostics(&[d]);
                        summary.failed += 1;
                        worst = worst.worse(Exit::Failure);
                        unopened[index] = true;
                        continue;
                    }
                };
                // A chunk of lines at a time: the file is never held whole.
                loop {
                    let lines: Vec<_> = lines.by_ref().take(CHUNK * 8).collect();
                    if lines.is_empty() {
                        break;
                    }
                    let named: Vec<Named> = pool.install(|| {
                        lines
                            .par_iter()
                            .map(|(line, text)| {
                                let tree = match text {
                                    Ok(text) if naming.needs_tree() => {
                                        input::parse_json_line(&source.path, *line, text).ok()
                                    }
                                    _ => None,
                                };
                                naming.target(&source.path, Some(*line), tree.as_ref())
                            })
                            .collect()
                    });
                    for ((line, _), target) in lines.iter().zip(&named) {
                        add(&mut plan, target, index, Some(*line))?;
                    }
                }
            }
        }
    }
    create_out_dir(args)?;

    // Render.
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let bar = ProgressBar::with_draw_target(Some(cases as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} cases, eta {eta}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    // A chunk's files are synced, renamed and reported on a thread of their own (one per
    // run) while the pool renders the next chunk; one chunk waits at most.
    let (send, receive) = std::sync::mpsc::sync_channel::<Committed>(1);
    let counted = std::thread::scope(|scope| {
        let bar = &bar;
        let committer = scope.spawn(move || {
            let (mut summary, mut worst) = (summary, worst);
            for (staged, reports) in receive {
                let failed = staged.commit();
                bar.suspend(|| {
                    for (lines, exit) in reports {
                        let exit = exit.worse(print_kept(lines, &failed));
                        match exit {
                            Exit::Success => summary.written += 1,
                            Exit::Invalid => summary.invalid += 1,
                            Exit::Failure => summary.failed += 1,
                        }
                        worst = worst.worse(exit);
                    }
                });
            }
            (summary, worst)
        });
        let render_chunk = |chunk: &mut Vec<Work>| -> bool {
            let staged = Staged::new();
            let reports: Vec<(Vec<Message>, Exit)> = pool.install(|| {
                chunk
                    .par_iter()
                    .map(|work| {
                        let mut out = Report::kept(&staged);
                        let exit = render_job(engine, naming, options, sources, work, &plan, &mut out);
                        bar.inc(1);
                        (out.lines, exit)
                    })
                    .collect()
            });
            chunk.clear();
            send.send((staged, reports)).is_ok()
        };
        let mut chunk: Vec<Work> = Vec::with_capacity(CHUNK);
        'sources: for (index, source) in sources.iter().enumerate() {
            match source.kind {
                _ if unopened[index] => {}
                SourceKind::Case => chunk.push(Work { source: index, line: None, text: None }),
                SourceKind::JsonLines => match JsonLines::open(&source.path) {
                    Ok(lines) => {
                        for (line, text) in lines {
                            chunk.push(Work { source: index, line: Some(line), text: Some(text) });
                            if chunk.len() == CHUNK && !render_chunk(&mut chunk) {
                                break 'sources;
                            }
                        }
                    }
                    Err(d) => chunk.push(Work { source: index, line: None, text: Some(Err(d)) }),
                },
            }
            if chunk.len() >= CHUNK && !render_chunk(&mut chunk) {
                break;
            }
        }
        if !chunk.is_empty() {
            render_chunk(&mut chunk);
        }
        drop(send);
        committer.join()
    });
    let (mut summary, worst) =
        counted.map_err(|_| fail("internal error: the thread that writes the files stopped"))?;
    bar.finish_and_clear();
    summary.elapsed = started.elapsed();
    match super::diagnostic_format() {
        super::DiagnosticFormat::Human => eprintln!("{summary}"),
        super::DiagnosticFormat::Json => eprintln!("{}", summary.to_json()),
    }
    worst.into_result()
}

/// A --name template that cannot be used, named by its flag (the library names it "the
/// output name").
fn bad_name(e: batch::BatchError) -> Exit {
    match e {
        batch::BatchError::Template { template, problem } => fail(format!("--name {template}: {problem}")),
        e => fail(e),
    }
}

/// The target of `path`, its format checked; a problem is a diagnostic of the case.
fn check(path: PathBuf, args: &RenderArgs) -> Result<Target, Diagnostic> {
    Target::check(&path, &args.print).map_err(Diagnostic::plain)
}

/// The tree of a case file, to name its output; None when it cannot be read or parsed.
fn case_tree(path: &str) -> Option<input::Node> {
    let text = input::read(path).ok()?;
    input::parse(path, &text, input::Format::from_path(path)).ok()
}

/// `name` in the directory of the input `input`.
fn sibling(input: &str, name: &str) -> PathBuf {
    Path::new(input).with_file_name(name)
}

/// Renders one case of a batch, its messages kept in `out`: read (a case file) and parsed,
/// named again, and rendered when its output is the one planned for it.
fn render_job(
    engine: &Engine,
    naming: Naming,
    options: ValidateOptions,
    sources: &[Source],
    work: &Work,
    plan: &Plan,
    out: &mut Report,
) -> Exit {
    let args = naming.args;
    let path = &sources[work.source].path;
    let tree = match (work.line, &work.text) {
        (_, Some(Err(d))) => {
            out.diagnostics(std::slice::from_ref(d));
            return if d.pos.is_some() { Exit::Invalid } else { Exit::Failure };
        }
        (Some(line), Some(Ok(text))) => input::parse_json_line(path, line, text),
        _ => match input::read(path) {
            Ok(text) => input::parse(path, &text, input::Format::from_path(path)),
            Err(e) => {
                out.diagnostics(&[e.diagnostic().clone()]);
                return read_exit(&e);
            }
        },
    };
    let target = naming.target(path, work.line, tree.as_ref().ok());
    let mut loaded = engine.load_tree(tree, args.form.as_deref(), options, |_| {});
    add_flag_hints(&mut loaded.diagnostics);
    out.diagnostics(&loaded.diagnostics);
    let target = match target {
        Ok(target) => target,
        Err(problem) => {
            if let Some(d) = problem
                && loaded.case.is_some()
            {
                out.diagnostics(std::slice::from_ref(&d));
            }
            return Exit::Invalid;
        }
    };
    let (Some(case), Some(form_id)) = (loaded.case, loaded.form) else {
        return Exit::Invalid;
    };
    if let Target::File(output, _) = &target {
        let owner = owner(work.source, work.line);
        if !plan.is_planned_for(output, owner) {
            return out.fail(format!(
                "{} changed while the batch ran: its output {} was not planned for it; nothing was written for it",
                plan.describe(owner).display(),
                output.display()
            ));
        }
    }
    let Ok(form) = engine.form(&form_id) else { return Exit::Success };
    print_form(engine, form, Some(&case), &args.print, &target, plan, out)
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
) -> Result<(), Exit> {
    let text = read(input)?;
    let options = validate_options(args.fix_script, args.timezone);
    let langs = langs_of(&args.print.lang);
    let mut loaded = engine.load_then(input, &text, args.form.as_deref(), options, |form| {
        let langs = langs.unwrap_or_else(|| form.spec.default_languages());
        scope.spawn(move || engine.prepare(form, &langs));
    });
    add_flag_hints(&mut loaded.diagnostics);
    print_diagnostics(&loaded.diagnostics);
    let (Some(case), Some(form_id)) = (loaded.case, loaded.form) else {
        return Err(Exit::Invalid);
    };
    let Ok(form) = engine.form(&form_id) else { return Ok(()) };
    print_form(engine, form, Some(&case), &args.print, target, plan, &mut Report::immediate()).into_result()
}

fn validate_options(fix_script: bool, timezone: Timezone) -> ValidateOptions {
    ValidateOptions { fix_script, timezone }
}

/// Where the messages of one case go: printed at once, or kept to be printed in input order
/// after the files of its chunk are in place.
struct Report<'a> {
    /// Files are staged here (a batch), or written at once.
    staged: Option<&'a Staged>,
    lines: Vec<Message>,
}

enum Message {
    /// A line for standard error.
    Error(String),
    /// A file staged: `wrote PATH` once it is in place.
    Wrote(PathBuf),
}

impl<'a> Report<'a> {
    fn immediate() -> Report<'a> {
        Report { staged: None, lines: Vec::new() }
    }

    fn kept(staged: &'a Staged) -> Report<'a> {
        Report { staged: Some(staged), lines: Vec::new() }
    }

    fn diagnostics(&mut self, diags: &[Diagnostic]) {
        if self.staged.is_none() {
            print_diagnostics(diags);
        } else {
            self.lines.extend(diags.iter().map(|d| Message::Error(super::diagnostic_text(d))));
        }
    }

    fn fail(&mut self, message: impl std::fmt::Display) -> Exit {
        if self.staged.is_none() {
            return fail(message);
        }
        self.lines.push(Message::Error(super::plain_text("run", message)));
        Exit::Failure
    }

    /// Writes one output file, unless it is an input of the run.
    fn write_file(&mut self, plan: &Plan, path: &Path, bytes: &[u8]) -> Exit {
        let written = plan.check_input(path).and_then(|()| match self.staged {
            Some(staged) => staged.stage(path, bytes),
            None => write_atomic(path, bytes),
        });
        match written {
            Ok(()) if self.staged.is_some() => {
                self.lines.push(Message::Wrote(path.to_path_buf()));
                Exit::Success
            }
            Ok(()) => {
                say!("wrote {}", path.display());
                Exit::Success
            }
            Err(e) => self.fail(e),
        }
    }
}

/// Prints the messages a case kept; a staged file that could not be put in place (`failed`)
/// is an error.
fn print_kept(lines: Vec<Message>, failed: &[(PathBuf, anyqtama::output::OutputError)]) -> Exit {
    let mut exit = Exit::Success;
    for line in lines {
        match line {
            Message::Error(text) => eprintln!("{text}"),
            Message::Wrote(path) => match failed.iter().find(|(p, _)| *p == path) {
                Some((_, e)) => exit = exit.worse(fail(e)),
                None => say!("wrote {}", path.display()),
            },
        }
    }
    exit
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

impl Target {
    /// The target of `path`, its format checked against `--dpi` and `--split`; a problem is
    /// printed.
    fn new(path: &Path, args: &PrintArgs) -> Result<Target, Exit> {
        Target::check(path, args).map_err(fail)
    }

    /// The target of `path`, its format checked against `--dpi` and `--split`.
    fn check(path: &Path, args: &PrintArgs) -> Result<Target, String> {
        if path.as_os_str() == "-" {
            if args.split {
                return Err("--split writes one file per language: give -o a file name, not -".into());
            }
            if args.dpi.is_some() {
                return Err("--dpi is for PNG previews: standard output gets the PDF".into());
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
                    return Err(super::dpi_out_of_range(dpi));
                }
                Format::Png(dpi)
            }
            _ => {
                return Err(format!(
                    "cannot tell the format of {} from its extension: use .pdf, .png or .svg",
                    path.display()
                ));
            }
        };
        if args.dpi.is_some() && !matches!(format, Format::Png(_)) {
            return Err(format!("--dpi is for PNG previews, not {}", path.display()));
        }
        Ok(Target::File(path.to_path_buf(), format))
    }
}

pub fn validate(engine: &Engine, args: ValidateArgs) -> Result<(), Exit> {
    let mut worst = Exit::Success;
    for input in &args.inputs {
        let text = match read(input) {
            Ok(text) => text,
            Err(exit) => {
                worst = worst.worse(exit);
                continue;
            }
        };
        let mut loaded =
            engine.load(input, &text, args.form.as_deref(), validate_options(args.fix_script, args.timezone));
        add_flag_hints(&mut loaded.diagnostics);
        print_diagnostics(&loaded.diagnostics);
        match (loaded.case, loaded.form) {
            (Some(_), Some(form)) => say!("{input}: valid ({form})"),
            _ => worst = worst.worse(Exit::Invalid),
        }
    }
    worst.into_result()
}

pub fn blank(engine: &Engine, args: BlankArgs) -> Result<(), Exit> {
    let target = Target::new(&args.output, &args.print)?;
    let plan = Plan::new::<&str>(&[]);
    if let Target::File(path, _) = &target {
        anyqtama::output::check_target(path).map_err(fail)?;
    }
    let form = engine.form(&args.form).map_err(|d| {
        print_diagnostics(&[d]);
        Exit::Failure
    })?;
    print_form(engine, form, None, &args.print, &target, &plan, &mut Report::immediate()).into_result()
}

/// Renders a form (blank when `case` is `None`) and writes it, per language with --split.
fn print_form(
    engine: &Engine,
    form: &Form,
    case: Option<&Case>,
    args: &PrintArgs,
    target: &Target,
    plan: &Plan,
    out: &mut Report,
) -> Exit {
    let asked = langs_of(&args.lang);
    // A case that names its `language` (one language per document) is printed in it.
    let langs = match engine.languages(form, case, asked) {
        Ok(langs) => langs,
        Err(e) => return out.fail(e),
    };
    let mut output = Output::pdf();
    if args.corrected_numbering {
        output = output.flag("corrected_numbering");
    }
    if args.electronic {
        output = output.electronic(Electronic {
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
        output.langs = Some(langs);
        output.format = match &target {
            Target::Stdout | Target::File(_, Format::Pdf) => OutputFormat::Pdf { archival: true },
            Target::File(_, Format::Png(dpi)) => OutputFormat::Png { page: None, dpi: *dpi },
            Target::File(_, Format::Svg) => OutputFormat::Svg { page: None },
        };
        if !matches!(output.format, OutputFormat::Pdf { .. }) && args.sign.is_asked() {
            return out.fail("a signature is written into a PDF: give -o NAME.pdf with --sign");
        }
        let rendered = match engine.render_form(form, case, &output) {
            Ok(rendered) => rendered,
            Err(RenderError::Layout(diags)) => {
                out.diagnostics(&diags);
                worst = worst.worse(super::exit_for(&diags));
                continue;
            }
            Err(e) => return out.fail(e),
        };
        let exit = match &target {
            Target::Stdout => {
                super::sign::sign_if_asked(&args.sign, rendered.signature_slot, rendered.into_bytes())
                    .map_or_else(|exit| exit, |bytes| write_stdout(&bytes))
            }
            Target::File(path, Format::Pdf) => {
                super::sign::sign_if_asked(&args.sign, rendered.signature_slot, rendered.into_bytes())
                    .map_or_else(|exit| exit, |bytes| out.write_file(plan, path, &bytes))
            }
            Target::File(path, _) => {
                let mut worst = Exit::Success;
                for (i, bytes) in rendered.files.iter().enumerate() {
                    worst = worst.worse(out.write_file(plan, &numbered(path, i + 1), bytes));
                    if worst != Exit::Success {
                        break;
                    }
                }
                worst
            }
        };
        worst = worst.worse(exit);
    }
    worst
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
        read_exit(&e)
    })
}

/// 1 when a case file cannot be read, 2 when its bytes are not a case file.
fn read_exit(e: &input::ReadError) -> Exit {
    match e {
        input::ReadError::Unreadable(_) => Exit::Failure,
        input::ReadError::Invalid(_) => Exit::Invalid,
    }
}
