//! The register's operations, one call each for the command line and the service alike:
//! [`Registrar::add`] (and [`Registrar::amend`], [`Registrar::suspend`],
//! [`Registrar::invalidate`]: an act that refers to earlier registrations),
//! [`Registrar::cancel_by_court`], [`verify`], [`Registrar::export`] (the month's paper journal
//! or the intranet register), and the documents of a registration ([`conclusion`],
//! [`stamp`]). Requests and results are typed; what is refused is an [`OpError`] that names
//! the field of the request at fault, never a command-line option.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde_json::Value as Json;
use thiserror::Error;

use super::chain::{Problem, Report};
use super::documents::{self, RegisterPrint};
use super::location::Location;
use super::model::{
    Body, CourtDecision, Entry, Kind, MAX_NUMBER, Month, NewEntry, Range, Reference, RegNumber, Relation,
};
use super::store::{AppendOptions, Register, RegisterError, Store, find_head, today};
use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::stamp::{StampError, StampOptions};
use crate::{Engine, RenderOptions};

/// A field of a request: how the service's JSON names it (the command line's option is the
/// same with dashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The date of the entry.
    Date,
    /// The number of a court decision.
    DecisionNumber,
    /// The date of a court decision.
    DecisionDate,
    /// The date a court decision entered into force.
    InForceOn,
    /// A start number of a sequence (`NUMBER` or `RR=NUMBER`).
    StartNumber,
}

impl Field {
    /// The name: `decision_number`, `in_force_on`, …
    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::DecisionNumber => "decision_number",
            Field::DecisionDate => "decision_date",
            Field::InForceOn => "in_force_on",
            Field::StartNumber => "start_number",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an operation did nothing.
#[derive(Debug, Error)]
pub enum OpError {
    /// The register refused the entry or could not be read or written.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// The act, or a document made from the entry, is invalid: its problems, located in the
    /// act (the templates' own problems carry [`crate::diag::Origin::Templates`]).
    #[error("the {form} is invalid")]
    Invalid {
        /// The form: `act`, `conclusion`, `stamp` or `register`.
        form: String,
        /// The problems (and warnings).
        diagnostics: Vec<Diagnostic>,
    },
    /// The forms of the engine lack one the register prints (a templates directory without
    /// it): the operator's problem.
    #[error("{}", .0.message)]
    Form(Diagnostic),
    /// A value of the request is wrong.
    #[error("{field}: {message}")]
    Field {
        /// Which.
        field: Field,
        /// Why, lower case.
        message: String,
    },
    /// A clerk's act of another body than the clerk's.
    #[error("{clerk} registers acts of {allowed} only, and this act is of {body} (its region_index)")]
    ActOfOtherBody {
        /// The clerk's name.
        clerk: String,
        /// The body the clerk registers for.
        allowed: Body,
        /// The act's body.
        body: Body,
    },
    /// A clerk's entry about a registration of another body than the clerk's.
    #[error("{clerk} makes entries for {allowed} only, and № {target} is a registration of {}", .target.body)]
    RegistrationOfOtherBody {
        /// The clerk's name.
        clerk: String,
        /// The body the clerk registers for.
        allowed: Body,
        /// The registration.
        target: RegNumber,
    },
    /// Nothing to print: no registration in the range.
    #[error("no registrations in the range asked for")]
    NoRegistrations,
    /// The stamp could not be drawn (its layout's problems are [`OpError::Invalid`]).
    #[error("failed to draw the stamp ({0})")]
    Stamp(StampError),
}

impl OpError {
    fn field(field: Field, message: impl Into<String>) -> OpError {
        OpError::Field { field, message: message.into() }
    }

    /// Whether the request is at fault (the command line's exit 2) rather than the tool, the
    /// forms or the database (exit 1).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            OpError::Register(e) => e.is_invalid_input(),
            OpError::Invalid { diagnostics, .. } => {
                !diagnostics.iter().any(|d| d.origin == crate::diag::Origin::Templates)
            }
            OpError::Form(_) | OpError::Stamp(_) => false,
            OpError::Field { .. }
            | OpError::ActOfOtherBody { .. }
            | OpError::RegistrationOfOtherBody { .. }
            | OpError::NoRegistrations => true,
        }
    }
}

/// Who makes an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clerk {
    /// The name stored with the entry, when known.
    pub name: Option<String>,
    /// The only body the clerk makes entries for; `None`: any.
    pub body: Option<Body>,
}

impl Clerk {
    /// The name as messages print it.
    fn shown(&self) -> String {
        self.name.clone().unwrap_or_else(|| "this clerk".into())
    }

    /// The name to store: trimmed, none when blank.
    fn stored(&self) -> Option<String> {
        self.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned)
    }
}

/// The date of a new entry: the one `given`, else the date of `SOURCE_DATE_EPOCH`, else today
/// ([`today`]: Kazakhstan time, or `ANYQTAMA_TODAY`).
pub fn entry_date(given: Option<NaiveDate>) -> Result<NaiveDate, RegisterError> {
    match given {
        Some(date) => Ok(date),
        None => match crate::source_date_epoch() {
            Some(d) => Ok(d.date()),
            None => today(),
        },
    }
}

/// The start numbers of a new register from `NUMBER` (the Ministry's sequence) and
/// `RR=NUMBER` (region RR's) texts; each body at most once.
pub fn start_numbers<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<BTreeMap<Body, i64>, OpError> {
    let mut starts = BTreeMap::new();
    for text in texts {
        let (body, number) = match text.split_once('=') {
            Some((r, n)) => (Body::from_code(r).filter(|b| *b != Body::Ministry), n),
            None => (Some(Body::Ministry), text),
        };
        let number = number.parse::<i64>().ok().filter(|n| (1..=MAX_NUMBER).contains(n));
        let (Some(body), Some(number)) = (body, number) else {
            return Err(OpError::field(
                Field::StartNumber,
                format!(
                    "\"{text}\" is not NUMBER or RR=NUMBER (a number from 1 to {MAX_NUMBER}, RR a regional index 01–20)"
                ),
            ));
        };
        if starts.insert(body, number).is_some() {
            return Err(OpError::field(Field::StartNumber, format!("{body} is given twice")));
        }
    }
    Ok(starts)
}

/// How an act is registered.
#[derive(Debug, Clone)]
pub struct Registration {
    /// The date of registration ([`entry_date`]); never after today.
    pub date: NaiveDate,
    /// Register an act that is registered already; the entry records the registration it
    /// repeats.
    pub allow_duplicate: bool,
    /// Who registers it.
    pub clerk: Clerk,
    /// The language the stamp is checked in before the act is stored (the one it is to be
    /// drawn in).
    pub stamp_lang: Lang,
}

impl Registration {
    /// A registration on `date` by `clerk`, the stamp checked in Kazakh, no duplicates.
    pub fn new(date: NaiveDate, clerk: Clerk) -> Registration {
        Registration { date, allow_duplicate: false, clerk, stamp_lang: Lang::Kk }
    }
}

/// An act file: its name in messages (`act.yaml`, `request.json`; the extension tells JSON
/// from YAML) and its text.
#[derive(Debug, Clone, Copy)]
pub struct ActFile<'a> {
    /// The name.
    pub name: &'a str,
    /// The text.
    pub text: &'a str,
}

/// A registered act.
#[derive(Debug, Clone)]
pub struct Added {
    /// The stored entry: its number, date and hash (the register's new head).
    pub entry: Entry,
    /// The act's warnings (it is valid).
    pub warnings: Vec<Diagnostic>,
}

/// A court decision to enter (column 8).
#[derive(Debug, Clone)]
pub struct CourtCancellation {
    /// The cancelled registration.
    pub target: RegNumber,
    /// The decision; its number is trimmed, 1 to 60 characters.
    pub decision: CourtDecision,
    /// The date of the entry ([`entry_date`]); the decision must be in force by then.
    pub date: NaiveDate,
    /// Who enters it.
    pub clerk: Clerk,
}

/// Which register to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// The paper journal (part B): item numbers, numbered pages, a certification page with the
    /// head hash of its last entry.
    #[default]
    Paper,
    /// The register of the intranet portal (part A).
    Intranet,
}

/// The paper the register is printed on, landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// A4 (the default, spec note 6).
    #[default]
    A4,
    /// A3.
    A3,
}

/// How to print the register.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// Paper journal or intranet register.
    pub variant: Variant,
    /// The registrations dated in this range (and of its body).
    pub range: Range,
    /// The languages; the register form's defaults when `None`.
    pub langs: Option<Vec<Lang>>,
    /// A line under the title naming the section (e.g. the republican section).
    pub section: Option<String>,
    /// A4 or A3; the form's default (A4) when `None`.
    pub paper: Option<Paper>,
}

impl Export {
    /// The paper journal of `month` (of `body`, when given), in the form's languages: what
    /// `register export --month` and `GET /v1/register/journal.pdf?month=` print.
    pub fn journal(month: Month, body: Option<Body>) -> Export {
        Export { range: month.range(body), ..Export::default() }
    }
}

/// A printed register.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The PDF/A.
    pub pdf: Vec<u8>,
    /// How many registrations it lists.
    pub registrations: usize,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Entries, sequences and head hash of the intact chain.
    pub report: Report,
    /// Where the recorded head asked about is: the place of its entry, 0 for the register's
    /// start.
    pub recorded: Option<i64>,
}

/// Checks the whole register: its chain, and that it still leads to `head` when one is
/// given. A broken chain is [`RegisterError::Broken`] (with the first entry at fault), a head
/// it does not lead to [`RegisterError::HeadNotFound`].
pub fn verify(store: &dyn Store, head: Option<&str>) -> Result<Verified, RegisterError> {
    let report = Register::open(store)?.report();
    let recorded = head.map(|h| find_head(store, h)).transpose()?;
    Ok(Verified { report, recorded })
}

/// The problem of a broken chain, if that is what `e` is.
pub fn broken(e: &RegisterError) -> Option<&Problem> {
    match e {
        RegisterError::Broken(problem) => Some(problem),
        _ => None,
    }
}

/// A register opened for its operations: its store, and its entries read and checked whole
/// (a broken chain is refused before anything is printed from it or appended to it).
pub struct Registrar {
    store: Box<dyn Store>,
    register: Register,
}

impl Registrar {
    /// Opens the register at `location` and checks its chain.
    pub fn open(location: &Location) -> Result<Registrar, RegisterError> {
        Registrar::new(location.open()?)
    }

    /// The register of `store`, its chain checked.
    pub fn new(store: Box<dyn Store>) -> Result<Registrar, RegisterError> {
        let register = Register::open(&*store)?;
        Ok(Registrar { store, register })
    }

    /// Every entry, in chain order (with those appended through this registrar).
    pub fn entries(&self) -> &[Entry] {
        self.register.entries()
    }

    /// The registration of `number`.
    pub fn registration(&self, number: RegNumber) -> Result<&Entry, RegisterError> {
        self.entries()
            .iter()
            .find(|e| e.reg_number() == Some(number))
            .ok_or(RegisterError::UnknownNumber(number))
    }

    /// Registers the act of `act` under the next number of its body: validates it (with the
    /// rules across its fields), checks that its conclusion and stamp can be printed, and
    /// appends it. Nothing is stored when anything fails.
    pub fn add(&mut self, engine: &Engine, act: ActFile<'_>, how: &Registration) -> Result<Added, OpError> {
        self.register_act(engine, act, how, Vec::new())
    }

    /// Registers an act that amends or supplements the registrations `targets` (column 5).
    pub fn amend(
        &mut self,
        engine: &Engine,
        targets: &[RegNumber],
        act: ActFile<'_>,
        how: &Registration,
    ) -> Result<Added, OpError> {
        self.relate(engine, Relation::Amends, targets, act, how)
    }

    /// Registers an act that suspends the registrations `targets` (column 6).
    pub fn suspend(
        &mut self,
        engine: &Engine,
        targets: &[RegNumber],
        act: ActFile<'_>,
        how: &Registration,
    ) -> Result<Added, OpError> {
        self.relate(engine, Relation::Suspends, targets, act, how)
    }

    /// Registers an act that declares the registrations `targets` invalid (column 7).
    pub fn invalidate(
        &mut self,
        engine: &Engine,
        targets: &[RegNumber],
        act: ActFile<'_>,
        how: &Registration,
    ) -> Result<Added, OpError> {
        self.relate(engine, Relation::Invalidates, targets, act, how)
    }

    /// Registers an act that does `relation` to the registrations `targets`: amends,
    /// suspends or invalidates them.
    pub fn relate(
        &mut self,
        engine: &Engine,
        relation: Relation,
        targets: &[RegNumber],
        act: ActFile<'_>,
        how: &Registration,
    ) -> Result<Added, OpError> {
        let references = targets.iter().map(|&target| Reference { relation, target }).collect();
        self.register_act(engine, act, how, references)
    }

    fn register_act(
        &mut self,
        engine: &Engine,
        act: ActFile<'_>,
        how: &Registration,
        references: Vec<Reference>,
    ) -> Result<Added, OpError> {
        // A number that does not exist is refused before the act is read.
        for r in &references {
            self.registration(r.target)?;
        }
        let loaded = documents::load_act(engine, act.name, act.text, how.date)
            .map_err(|diagnostics| OpError::Invalid { form: documents::ACT_FORM.into(), diagnostics })?;
        let mut entry = loaded.entry;
        if let Some(allowed) = how.clerk.body
            && entry.body != allowed
        {
            return Err(OpError::ActOfOtherBody { clerk: how.clerk.shown(), allowed, body: entry.body });
        }
        entry.references = references;
        entry.clerk = how.clerk.stored();
        check_documents(engine, &entry, how.stamp_lang)?;
        let options = AppendOptions { today: today()?, allow_duplicate: how.allow_duplicate };
        let entry = self.register.append(&mut *self.store, entry, &options)?;
        Ok(Added { entry, warnings: loaded.warnings })
    }

    /// Enters a court decision that cancels a state registration (column 8), once
    /// [`check_court_cancellation`] accepts it.
    pub fn cancel_by_court(&mut self, request: &CourtCancellation) -> Result<Entry, OpError> {
        check_court_cancellation(request)?;
        let CourtCancellation { target, decision, date, clerk } = request;
        let court =
            CourtDecision { decision_number: decision.decision_number.trim().to_owned(), ..decision.clone() };
        let entry = NewEntry {
            kind: Kind::CourtCancellation,
            body: target.body,
            registered_on: *date,
            for_official_use: false,
            references: vec![Reference { relation: Relation::CancelsByCourt, target: *target }],
            court: Some(court),
            act: None,
            clerk: clerk.stored(),
        };
        let options = AppendOptions { today: today()?, allow_duplicate: false };
        Ok(self.register.append(&mut *self.store, entry, &options)?)
    }

    /// Prints the register: the registrations of the range in chain order, columns 5–8 filled
    /// from every later entry that refers to them; the paper journal's item numbers continue
    /// after every earlier registration of the same bodies.
    pub fn export(&self, engine: &Engine, request: &Export) -> Result<Exported, OpError> {
        let entries = self.entries();
        let is_registration = |e: &&Entry| e.data.kind == Kind::Registration;
        let range = &request.range;
        let selected: Vec<&Entry> =
            entries.iter().filter(is_registration).filter(|e| range.contains(e)).collect();
        let Some(first) = selected.first() else { return Err(OpError::NoRegistrations) };
        let before = entries
            .iter()
            .filter(is_registration)
            .filter(|e| e.seq < first.seq && range.body.is_none_or(|b| e.data.body == b))
            .count();
        let print = RegisterPrint {
            variant: match request.variant {
                Variant::Paper => "journal".into(),
                Variant::Intranet => "intranet".into(),
            },
            section: request.section.clone(),
            paper: request.paper.map(|p| format!("{p:?}")),
            first_item_no: before + 1,
            head_hash: match request.variant {
                Variant::Paper => selected.last().map(|e| e.hash.clone()),
                Variant::Intranet => None,
            },
        };
        let case = documents::register_case(engine, entries, &selected, &print)
            .map_err(|diagnostics| OpError::Invalid { form: "register".into(), diagnostics })?;
        let form = engine.form("register").map_err(OpError::Form)?;
        let langs = request.langs.clone().unwrap_or_else(|| form.spec.default_languages());
        let pdf = engine
            .render_pdf(form, Some(&case), &langs, &RenderOptions::default())
            .map_err(|diagnostics| OpError::Invalid { form: "register".into(), diagnostics })?;
        Ok(Exported { pdf, registrations: selected.len() })
    }
}

/// Checks a court cancellation before the register is read: the decision's number has 1 to
/// 60 characters (trimmed), the decision entered into force after it was made and by the
/// date of the entry, and the clerk makes entries for the cancelled registration's body.
pub fn check_court_cancellation(request: &CourtCancellation) -> Result<(), OpError> {
    let CourtCancellation { target, decision, date, clerk } = request;
    let number = decision.decision_number.trim();
    if number.is_empty() || number.chars().count() > 60 {
        return Err(OpError::field(Field::DecisionNumber, "must have 1 to 60 characters"));
    }
    let (in_force_on, decision_date) = (decision.in_force_on, decision.decision_date);
    if in_force_on <= decision_date {
        return Err(OpError::field(
            Field::InForceOn,
            format!("{} must be after the date of the decision {}", iso(in_force_on), iso(decision_date)),
        ));
    }
    if in_force_on > *date {
        return Err(OpError::field(
            Field::InForceOn,
            format!(
                "{} is after the date of the entry {}: enter a decision once it is in force",
                iso(in_force_on),
                iso(*date)
            ),
        ));
    }
    match clerk.body {
        Some(allowed) if target.body != allowed => {
            Err(OpError::RegistrationOfOtherBody { clerk: clerk.shown(), allowed, target: *target })
        }
        _ => Ok(()),
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Builds the conclusion and the stamp of an entry not yet stored, with the largest number its
/// sequence can reach, and lays the stamp out in `lang`: an act whose documents could not be
/// printed is refused before it is stored.
fn check_documents(engine: &Engine, entry: &NewEntry, lang: Lang) -> Result<(), OpError> {
    let trial = Entry {
        seq: 0,
        number: Some(MAX_NUMBER),
        data: entry.clone(),
        prev_hash: String::new(),
        hash: String::new(),
    };
    conclusion_case(engine, &trial)?;
    let options = StampOptions { format: crate::stamp::StampFormat::Svg, ..StampOptions::default() };
    stamp(engine, &trial, lang, &options).map(drop)
}

fn conclusion_case(engine: &Engine, entry: &Entry) -> Result<crate::validate::Case, OpError> {
    documents::conclusion_case(engine, entry)
        .map_err(|diagnostics| OpError::Invalid { form: "conclusion".into(), diagnostics })
}

/// The conclusion (order 246, appendix 1) of a registration as PDF/A, in `langs`.
pub fn conclusion(engine: &Engine, entry: &Entry, langs: &[Lang]) -> Result<Vec<u8>, OpError> {
    let case = conclusion_case(engine, entry)?;
    let form = engine.form("conclusion").map_err(OpError::Form)?;
    engine
        .render_pdf(form, Some(&case), langs, &RenderOptions::default())
        .map_err(|diagnostics| OpError::Invalid { form: "conclusion".into(), diagnostics })
}

/// The registration stamp (order 246, appendix 3) of a registration, in `lang`, as
/// `options` say (PDF, SVG or PNG).
pub fn stamp(engine: &Engine, entry: &Entry, lang: Lang, options: &StampOptions) -> Result<Vec<u8>, OpError> {
    let invalid = |diagnostics| OpError::Invalid { form: crate::stamp::FORM.into(), diagnostics };
    let case = documents::stamp_case(engine, entry, lang).map_err(invalid)?;
    let form = engine.form(crate::stamp::FORM).map_err(OpError::Form)?;
    crate::stamp::draw(engine, form, Some(&case), lang, options).map_err(|e| match e {
        StampError::Layout(diagnostics) => invalid(diagnostics),
        e => OpError::Stamp(e),
    })
}

/// The entries a listing shows: those of a range whose act mentions some text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Dates and body.
    pub range: Range,
    /// Text the act contains anywhere (number, form, title, bodies…), in any case; blank text
    /// selects every entry.
    pub text: Option<String>,
}

impl Filter {
    /// Whether the filter selects `entry`.
    pub fn matches(&self, entry: &Entry) -> bool {
        let text = self.text.as_deref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
        self.range.contains(entry)
            && text.is_none_or(|t| entry.data.act.as_ref().is_some_and(|act| mentions(act, &t)))
    }
}

/// Whether a string of `value` contains `lower` (lower case) in any case.
fn mentions(value: &Json, lower: &str) -> bool {
    match value {
        Json::String(s) => s.to_lowercase().contains(lower),
        Json::Array(items) => items.iter().any(|v| mentions(v, lower)),
        Json::Object(map) => map.values().any(|v| mentions(v, lower)),
        _ => false,
    }
}

/// One line about an entry: date, number, the act's form, number and title in `lang` (or the
/// court decision), and what it refers to. `register list` prints these.
pub fn summary(e: &Entry, lang: Lang) -> String {
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
                    iso(c.decision_date),
                    iso(c.in_force_on)
                )
            });
            format!("{date}  {:<12} {court}{refs}", "—")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_numbers_name_the_field_never_an_option() {
        let starts = start_numbers(["23501", "09=6010"]).expect("valid");
        assert_eq!(starts, BTreeMap::from([(Body::Ministry, 23501), (Body::Region(9), 6010)]));
        let e = start_numbers(["21=5"]).expect_err("no region 21");
        assert_eq!(
            e.to_string(),
            "start_number: \"21=5\" is not NUMBER or RR=NUMBER (a number from 1 to 999999, RR a regional index 01–20)"
        );
        assert!(e.is_invalid_input());
        let e = start_numbers(["09=1", "09=2"]).expect_err("twice");
        assert_eq!(e.to_string(), "start_number: region 09 is given twice");
    }

    #[test]
    fn the_date_of_an_entry_is_the_one_given() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date");
        assert_eq!(entry_date(Some(d)).expect("given"), d);
    }

    #[test]
    fn a_filter_finds_words_of_the_act_in_any_case() {
        let entry = Entry {
            seq: 1,
            number: Some(7),
            data: NewEntry {
                kind: Kind::Registration,
                body: Body::Region(9),
                registered_on: NaiveDate::from_ymd_opt(2026, 11, 5).expect("a date"),
                for_official_use: false,
                references: Vec::new(),
                court: None,
                act: Some(
                    serde_json::json!({"act": {"title": {"kk": "Жер салығы", "ru": "О ставках земельного налога"}}}),
                ),
                clerk: None,
            },
            prev_hash: String::new(),
            hash: String::new(),
        };
        let filter = |text: &str| Filter { range: Range::default(), text: Some(text.into()) };
        assert!(filter("ЗЕМЕЛЬНОГО").matches(&entry));
        assert!(filter("жер").matches(&entry));
        assert!(filter("  ").matches(&entry));
        assert!(!filter("пошлин").matches(&entry));
        let other_body =
            Filter { range: Range { body: Some(Body::Ministry), ..Range::default() }, text: None };
        assert!(!other_body.matches(&entry));
    }
}
