//! From act files to entries, and from entries to the forms of order 246: the conclusion
//! (appendix 1), the register (appendix 2) and the stamp (appendix 3). Every document is
//! built from the stored entry as case data and validated by the same pipeline as a case
//! file ([`Engine::load_value`]: the data as a value, never written as text and parsed
//! again), so the number and the date on all three come from one record.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json, json};

use super::model::{Body, Entry, Kind, NewEntry, RegNumber, Relation};
use crate::Engine;
use crate::diag::{Diagnostic, FieldPath, StageResult};
use crate::domain::Lang;
use crate::input;
use crate::validate::{Case, ValidateOptions, Value};

/// The form of an act file.
pub const ACT_FORM: &str = "act";

/// An act file read and checked: the entry to append, and the warnings to show.
#[derive(Debug)]
pub struct LoadedAct {
    /// The registration to append (no references nor clerk yet).
    pub entry: NewEntry,
    /// Warnings (the act is valid).
    pub warnings: Vec<Diagnostic>,
}

/// Reads an act file for registration on `registered_on`. Errors are located in the file
/// (`act.yaml:3:7: act.title: …`); nothing is stored when there are any.
pub fn load_act(engine: &Engine, file: &str, text: &str, registered_on: NaiveDate) -> StageResult<LoadedAct> {
    let loaded = engine.load(file, text, Some(ACT_FORM), ValidateOptions::default());
    let mut diagnostics = loaded.diagnostics;
    let Some(case) = loaded.case.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
        return Err(diagnostics);
    };
    // Rules across fields that the schema cannot state; positions from the file, parsed again
    // only when one is broken.
    let pos = |key: &str| {
        let node = input::parse(file, text, input::Format::from_path(file)).ok()?;
        node.get(key).map(|k| k.pos.clone())
    };
    let data = &case.data;
    let region = data.get("region_index").and_then(Value::as_str).map(str::to_owned);
    if region.is_some() && matches!(data.get("issuer"), None | Some(Value::Null)) {
        diagnostics.push(
            Diagnostic::error(
                FieldPath::root().key("issuer"),
                pos("region_index"),
                "required for a registration by a regional justice department (the stamp's first line)",
            )
            .with_hint("e.g. issuer: {kk: Қарағанды облысының Әділет департаменті, ru: Департамент юстиции Карагандинской области}"),
        );
    }
    if let Some(received) = data.get("received_on").and_then(Value::as_datetime).map(|d| d.date())
        && received > registered_on
    {
        diagnostics.push(Diagnostic::error(
            FieldPath::root().key("received_on"),
            pos("received_on"),
            format!(
                "{} is after the date of registration {}",
                received.format("%Y-%m-%d"),
                registered_on.format("%Y-%m-%d")
            ),
        ));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let body = match &region {
        Some(code) => {
            Body::from_code(code).ok_or_else(|| vec![Diagnostic::plain(format!("unknown region {code}"))])?
        }
        None => Body::Ministry,
    };
    let for_official_use = matches!(data.get("for_official_use"), Some(Value::Bool(true)));
    let entry = NewEntry {
        kind: Kind::Registration,
        body,
        registered_on,
        for_official_use,
        references: Vec::new(),
        court: None,
        act: Some(value_json(data)),
        clerk: None,
    };
    Ok(LoadedAct { entry, warnings: diagnostics })
}

/// A validated value as case data again: text as `{kk, ru, en}`, dates as `YYYY-MM-DD`,
/// enums by their code; fields not given are left out.
pub fn value_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => json!(n),
        Value::Text(t) => {
            let mut m = Map::new();
            m.insert("kk".into(), json!(t.kk));
            m.insert("ru".into(), json!(t.ru));
            if let Some(en) = &t.en {
                m.insert("en".into(), json!(en));
            }
            Json::Object(m)
        }
        Value::Str(s) => json!(s),
        Value::Label { code: Some(code), .. } => json!(code),
        Value::Label { code: None, label } => value_json(&Value::Text(label.clone())),
        Value::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
        Value::DateTime(dt, _) => json!(dt.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Record(fields) => Json::Object(
            fields
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Null))
                .map(|(k, v)| (k.clone(), value_json(v)))
                .collect(),
        ),
        other => crate::template::to_json(other, Lang::Ru),
    }
}

/// A registration number as the forms print it: with the regional index in the format of
/// the register's text.yaml (`number_regional`), without the mark.
pub fn printed_number(engine: &Engine, number: RegNumber) -> String {
    match number.body.region_index() {
        None => number.number.to_string(),
        Some(region) => {
            let format = engine
                .catalog
                .form("register")
                .ok()
                .and_then(|f| f.text("number_regional"))
                .map(|t| t.kk.clone())
                .unwrap_or_else(|| "{number}-{region}".into());
            format.replace("{number}", &number.number.to_string()).replace("{region}", &region)
        }
    }
}

/// Validates case data built from the register as a case of `form`; `origin` names the data
/// in messages (`register entry 12`).
fn load_built(engine: &Engine, origin: &str, form: &str, data: Map<String, Json>) -> StageResult<Case> {
    let mut data = data;
    data.insert("form".into(), json!(form));
    let loaded = engine.load_value(&Json::Object(data), origin, Some(form), ValidateOptions::default());
    match loaded.case {
        Some(case) if !loaded.diagnostics.iter().any(Diagnostic::is_error) => Ok(case),
        _ => Err(loaded.diagnostics),
    }
}

fn act_of(entry: &Entry) -> StageResult<&Map<String, Json>> {
    match &entry.data.act {
        Some(Json::Object(act)) if entry.data.kind == Kind::Registration => Ok(act),
        _ => Err(vec![Diagnostic::plain(format!("entry {} is not the registration of an act", entry.seq))]),
    }
}

fn iso(d: NaiveDate) -> Json {
    json!(d.format("%Y-%m-%d").to_string())
}

/// The conclusion (appendix 1) of a registration: the act's data, the number and mark the
/// register gave, and the date of registration as the date the conclusion was signed.
pub fn conclusion_case(engine: &Engine, entry: &Entry) -> StageResult<Case> {
    let act = act_of(entry)?;
    let mut data = Map::new();
    for key in [
        "act",
        "submitting_body",
        "send_to",
        "legal_basis",
        "received_on",
        "justice_body",
        "specialist",
        "approval_heading",
    ] {
        if let Some(v) = act.get(key) {
            data.insert(key.into(), v.clone());
        }
    }
    let mut approver = Map::new();
    if let Some(name) = act.get("approver").and_then(|a| a.get("position_name")) {
        approver.insert("position_name".into(), name.clone());
    }
    approver.insert("signed_on".into(), iso(entry.data.registered_on));
    data.insert("approver".into(), Json::Object(approver));
    data.insert("registration_number".into(), json!(entry.number));
    if let Some(region) = entry.data.body.region_index() {
        data.insert("region_index".into(), json!(region));
    }
    data.insert("for_official_use".into(), json!(entry.data.for_official_use));
    load_built(engine, &origin_of(entry, "conclusion"), "conclusion", data)
}

/// The stamp (appendix 3) of a registration, in one language.
pub fn stamp_case(engine: &Engine, entry: &Entry, lang: Lang) -> StageResult<Case> {
    let act = act_of(entry)?;
    let number = entry.reg_number().ok_or_else(|| vec![Diagnostic::plain("the entry has no number")])?;
    let mut data = Map::new();
    data.insert("registration_number".into(), json!(printed_number(engine, number)));
    data.insert("registered_on".into(), iso(entry.data.registered_on));
    if let Some(issuer) = act.get("issuer") {
        data.insert("issuer".into(), issuer.clone());
    }
    data.insert("for_official_use".into(), json!(entry.data.for_official_use));
    data.insert("language".into(), json!(lang.code()));
    load_built(engine, &origin_of(entry, "stamp"), "stamp", data)
}

/// How messages name the document of an entry: `the conclusion of № 23516`, or of an entry
/// not yet stored (checked before it is): `the conclusion of the act`.
fn origin_of(entry: &Entry, document: &str) -> String {
    match entry.reg_number() {
        Some(_) if entry.seq == 0 => format!("the {document} of the act"),
        Some(n) => format!("the {document} of № {n}"),
        None => format!("the {document} of entry {}", entry.seq),
    }
}

/// How to print the register.
#[derive(Debug, Clone)]
pub struct RegisterPrint {
    /// `journal` (the paper journal, part B) or `intranet` (part A).
    pub variant: String,
    /// A section line under the title (e.g. the republican section).
    pub section: Option<String>,
    /// `A4` or `A3`.
    pub paper: Option<String>,
    /// The journal's item number of the first row (it continues the journal).
    pub first_item_no: usize,
    /// The hash of the last entry printed, for the journal's certification page.
    pub head_hash: Option<String>,
}

/// The register (appendix 2) with the registrations `selected` (in chain order), columns 5–8
/// filled from every entry of `all` that refers to them.
pub fn register_case(
    engine: &Engine,
    all: &[Entry],
    selected: &[&Entry],
    print: &RegisterPrint,
) -> StageResult<Case> {
    // Columns 5–8 of each registration, from the entries that refer to it.
    let mut derived: HashMap<RegNumber, Map<String, Json>> = HashMap::new();
    for e in all {
        for r in &e.data.references {
            let cell = derived.entry(r.target).or_default();
            let column = match r.relation {
                Relation::Amends => "amended_by",
                Relation::Suspends => "suspended_by",
                Relation::Invalidates => "invalidated_by",
                Relation::CancelsByCourt => {
                    if let Some(c) = &e.data.court {
                        cell.insert(
                            "court_cancellation".into(),
                            json!({"in_force_on": iso(c.in_force_on), "decision_date": iso(c.decision_date), "decision_number": c.decision_number}),
                        );
                    }
                    continue;
                }
                Relation::Repeats => continue,
            };
            let Some(by) = e.reg_number() else { continue };
            let item = json!({"number": printed_number(engine, by), "date": iso(e.data.registered_on)});
            match cell.entry(column).or_insert_with(|| Json::Array(Vec::new())) {
                Json::Array(items) => items.push(item),
                _ => unreachable!("columns 5–7 are lists"),
            }
        }
    }
    let mut entries = Vec::new();
    for e in selected {
        let act = act_of(e)?;
        let number = e.reg_number().ok_or_else(|| vec![Diagnostic::plain("the entry has no number")])?;
        let mut row = Map::new();
        row.insert("registered_on".into(), iso(e.data.registered_on));
        row.insert("number".into(), json!(number.number));
        if let Some(region) = number.body.region_index() {
            row.insert("region_index".into(), json!(region));
        }
        row.insert("for_official_use".into(), json!(e.data.for_official_use));
        let bodies = match act.get("adopting_bodies") {
            Some(Json::Array(b)) if !b.is_empty() => Json::Array(b.clone()),
            _ => json!([act.get("submitting_body").cloned().unwrap_or(Json::Null)]),
        };
        row.insert("adopting_bodies".into(), bodies);
        let a = act.get("act").cloned().unwrap_or(Json::Null);
        row.insert(
            "act".into(),
            json!({"adopted_on": a["adopted_on"], "number": a["number"], "title": a["title"]}),
        );
        if let Some(cells) = derived.get(&number) {
            row.extend(cells.clone());
        }
        let other = act.get("other_info").or_else(|| act.get("specialist").and_then(|s| s.get("name")));
        if let Some(other) = other {
            row.insert("other_info".into(), other.clone());
        }
        entries.push(Json::Object(row));
    }
    let mut data = Map::new();
    data.insert("variant".into(), json!(print.variant));
    if let Some(paper) = &print.paper {
        data.insert("paper".into(), json!(paper));
    }
    if let Some(section) = &print.section {
        data.insert("section".into(), json!(section));
    }
    data.insert("first_item_no".into(), json!(print.first_item_no));
    if let Some(head) = &print.head_hash {
        data.insert("head_hash".into(), json!(head));
    }
    data.insert("entries".into(), Json::Array(entries));
    load_built(engine, "the register", "register", data)
}
