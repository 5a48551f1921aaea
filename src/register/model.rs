//! What the register stores: entries, the bodies that number them, and the references of
//! later entries to earlier ones.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json, json};

/// The body whose sequence numbers a registration: the Ministry of Justice, or the justice
/// department of a region, whose number carries the regional index 01–20 (246-app2 A5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Body {
    /// The Ministry of Justice: the republican section, numbers without an index.
    Ministry,
    /// A regional justice department, by its index (1–20).
    Region(u8),
}

/// The highest regional index (246-app2 A5: 20, Ulytau region).
pub const MAX_REGION: u8 = 20;

/// The highest registration number of a sequence: the forms print six digits (the
/// conclusion's, the stamp's and the register's number fields go up to 999999). A sequence
/// that has reached it gives no further number: `append` refuses before assigning one, and a
/// register cannot start past it.
pub const MAX_NUMBER: i64 = 999_999;

impl Body {
    /// The code stored in the database: empty for the Ministry, `01`–`20` for a region.
    pub fn code(self) -> String {
        match self {
            Body::Ministry => String::new(),
            Body::Region(r) => format!("{r:02}"),
        }
    }

    /// The body of a stored code or of a regional index as written in an act file.
    pub fn from_code(code: &str) -> Option<Body> {
        if code.is_empty() {
            return Some(Body::Ministry);
        }
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let r: u8 = code.parse().ok()?;
        (1..=MAX_REGION).contains(&r).then_some(Body::Region(r))
    }

    /// The body of a name as options and the tokens file write it: `ministry`, or a regional
    /// index `01`–`20`.
    pub fn from_name(name: &str) -> Option<Body> {
        match name {
            "ministry" => Some(Body::Ministry),
            code => Body::from_code(code).filter(|b| *b != Body::Ministry),
        }
    }

    /// The regional index, `None` for the Ministry.
    pub fn region_index(self) -> Option<String> {
        match self {
            Body::Ministry => None,
            Body::Region(r) => Some(format!("{r:02}")),
        }
    }
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Ministry => f.write_str("the Ministry"),
            Body::Region(r) => write!(f, "region {r:02}"),
        }
    }
}

/// A state registration number: the number in its body's sequence. Written on the command
/// line as `23516` (the Ministry) or `6013-09` (region 09); printed documents use the format
/// of text.yaml (`number_regional`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegNumber {
    /// The body whose sequence it is in.
    pub body: Body,
    /// The number.
    pub number: i64,
}

impl fmt::Display for RegNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.body {
            Body::Ministry => write!(f, "{}", self.number),
            Body::Region(r) => write!(f, "{}-{r:02}", self.number),
        }
    }
}

impl FromStr for RegNumber {
    type Err = String;

    /// `23516` or `6013-09`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad =
            || format!("\"{s}\" is not a state registration number (write 23516, or 6013-09 for region 09)");
        let (number, body) = match s.split_once('-') {
            Some((n, r)) => (n, Body::from_code(r).filter(|b| *b != Body::Ministry).ok_or_else(bad)?),
            None => (s, Body::Ministry),
        };
        if number.is_empty() || number.len() > 9 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number: i64 = number.parse().map_err(|_| bad())?;
        if number < 1 {
            return Err(bad());
        }
        Ok(RegNumber { body, number })
    }
}

/// What a later entry does to an earlier registration: columns 5–8 of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Amends or supplements it (col. 5).
    Amends,
    /// Suspends it or a structural element (col. 6).
    Suspends,
    /// Declares it or a structural element invalid (col. 7).
    Invalidates,
    /// A court decision cancels its state registration (col. 8).
    CancelsByCourt,
    /// The same act registered again knowingly (`--allow-duplicate`): the entry records the
    /// registration it repeats. Printed in no column.
    Repeats,
}

impl Relation {
    /// The name stored and hashed.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Amends => "amends",
            Relation::Suspends => "suspends",
            Relation::Invalidates => "invalidates",
            Relation::CancelsByCourt => "cancels_by_court",
            Relation::Repeats => "repeats",
        }
    }

    /// The relation of a stored name.
    pub fn from_code(code: &str) -> Option<Relation> {
        [
            Relation::Amends,
            Relation::Suspends,
            Relation::Invalidates,
            Relation::CancelsByCourt,
            Relation::Repeats,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// A reference of an entry to an earlier registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference {
    /// What the entry does to it.
    pub relation: Relation,
    /// The earlier registration.
    pub target: RegNumber,
}

/// A court decision that cancels a state registration (col. 8, 246-app2 note 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourtDecision {
    /// The date the decision entered into force.
    pub in_force_on: NaiveDate,
    /// The date of the decision.
    pub decision_date: NaiveDate,
    /// The number of the decision.
    pub decision_number: String,
}

/// What kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The state registration of an act: it gets the next number of its body.
    Registration,
    /// A court decision cancelling an earlier registration: no number of its own.
    CourtCancellation,
}

impl Kind {
    /// The name stored and hashed.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Registration => "registration",
            Kind::CourtCancellation => "court_cancellation",
        }
    }

    /// The kind of a stored name.
    pub fn from_code(code: &str) -> Option<Kind> {
        match code {
            "registration" => Some(Kind::Registration),
            "court_cancellation" => Some(Kind::CourtCancellation),
            _ => None,
        }
    }
}

/// An entry to append: everything but what the register assigns (its place in the chain,
/// its number and its hashes).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    /// Registration or court cancellation.
    pub kind: Kind,
    /// The numbering body (registration) or the body of the cancelled registration.
    pub body: Body,
    /// The date of the entry: the date of state registration, or the date the court
    /// decision was entered.
    pub registered_on: NaiveDate,
    /// The act is marked "for official use".
    pub for_official_use: bool,
    /// The earlier registrations this entry amends, suspends, invalidates or cancels.
    pub references: Vec<Reference>,
    /// The court decision (court cancellations only).
    pub court: Option<CourtDecision>,
    /// The act's data (registrations only): the validated act file as JSON.
    pub act: Option<Json>,
    /// The clerk who made the entry (the service: the name of the token's holder; the
    /// command line: `--clerk`, else the operating system's user), when known. Covered by the
    /// entry's hash when given; entries of registers made before it was kept have none.
    pub clerk: Option<String>,
}

/// A stored entry. Entries are never changed or removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its place in the chain: 1, 2, 3, … in the order the entries were made.
    pub seq: i64,
    /// The state registration number (registrations only).
    pub number: Option<i64>,
    /// What was entered.
    pub data: NewEntry,
    /// The hash of the entry before it (hex; the register's genesis hash for the first).
    pub prev_hash: String,
    /// SHA-256 over the previous hash and this entry's canonical content (hex).
    pub hash: String,
}

impl Entry {
    /// The entry as `register list --json` and the service print it.
    pub fn json(&self) -> Json {
        let refs: Vec<Json> = self
            .data
            .references
            .iter()
            .map(|r| json!({"relation": r.relation.code(), "number": r.target.to_string()}))
            .collect();
        json!({
            "seq": self.seq,
            "kind": self.data.kind.code(),
            "number": self.reg_number().map(|n| n.to_string()),
            "region_index": self.data.body.region_index(),
            "registered_on": self.data.registered_on.format("%Y-%m-%d").to_string(),
            "for_official_use": self.data.for_official_use,
            "references": refs,
            "court": self.content()["court"].clone(),
            "act": self.data.act,
            "clerk": self.data.clerk,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        })
    }

    /// The registration number with its body, for registrations.
    pub fn reg_number(&self) -> Option<RegNumber> {
        self.number.map(|number| RegNumber { body: self.data.body, number })
    }

    /// The content the hash covers, as JSON (serialised canonically by
    /// [`super::chain::canonical`]).
    pub fn content(&self) -> Json {
        let d = &self.data;
        let references: Vec<Json> = d
            .references
            .iter()
            .map(|r| json!({"relation": r.relation.code(), "body": r.target.body.code(), "number": r.target.number}))
            .collect();
        let mut content = Map::new();
        content.insert("seq".into(), json!(self.seq));
        content.insert("kind".into(), json!(d.kind.code()));
        content.insert("body".into(), json!(d.body.code()));
        content.insert("number".into(), json!(self.number));
        content.insert("registered_on".into(), json!(d.registered_on.format("%Y-%m-%d").to_string()));
        content.insert("for_official_use".into(), json!(d.for_official_use));
        content.insert("references".into(), Json::Array(references));
        content.insert(
            "court".into(),
            match &d.court {
                Some(c) => json!({
                    "in_force_on": c.in_force_on.format("%Y-%m-%d").to_string(),
                    "decision_date": c.decision_date.format("%Y-%m-%d").to_string(),
                    "decision_number": c.decision_number,
                }),
                None => Json::Null,
            },
        );
        content.insert("act".into(), d.act.clone().unwrap_or(Json::Null));
        // Only when known, so that the entries of registers made before the clerk was kept
        // hash as they always did.
        if let Some(clerk) = &d.clerk {
            content.insert("clerk".into(), json!(clerk));
        }
        Json::Object(content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_numbers() {
        assert_eq!("23516".parse::<RegNumber>(), Ok(RegNumber { body: Body::Ministry, number: 23516 }));
        assert_eq!("6013-09".parse::<RegNumber>(), Ok(RegNumber { body: Body::Region(9), number: 6013 }));
        assert_eq!("6013-09".parse::<RegNumber>().map(|n| n.to_string()), Ok("6013-09".into()));
        for bad in ["", "0", "-09", "12-21", "12-00", "12-9", "a", "12-", "1234567890"] {
            assert!(bad.parse::<RegNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn body_codes() {
        assert_eq!(Body::from_code(""), Some(Body::Ministry));
        assert_eq!(Body::from_code("20"), Some(Body::Region(20)));
        assert_eq!(Body::from_code("21"), None);
        assert_eq!(Body::Region(3).code(), "03");
    }
}

/// The entries a range selects: those dated within it (both ends included), of the body
/// asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Range {
    /// The first day, if any.
    pub from: Option<NaiveDate>,
    /// The last day, if any.
    pub to: Option<NaiveDate>,
    /// Only this body's entries, if set.
    pub body: Option<Body>,
}

impl Range {
    /// Whether the range selects `e`.
    pub fn contains(&self, e: &Entry) -> bool {
        let d = e.data.registered_on;
        self.from.is_none_or(|f| d >= f)
            && self.to.is_none_or(|t| d <= t)
            && self.body.is_none_or(|b| e.data.body == b)
    }
}

/// A calendar month, `YYYY-MM`: the period the paper journal is printed for
/// (`register export --month`, `GET /v1/register/journal.pdf?month=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// The month of `year` and `month` (1–12).
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Month { first })
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// Its last day (the day before the first of the next month).
    pub fn last_day(self) -> NaiveDate {
        self.first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The entries of the month, of `body` if given.
    pub fn range(self, body: Option<Body>) -> Range {
        Range { from: Some(self.first_day()), to: Some(self.last_day()), body }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first.format("%Y-%m"))
    }
}

impl FromStr for Month {
    type Err = String;

    /// `2026-11`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("\"{s}\" is not a month (expected YYYY-MM)");
        let (year, month) = s.split_once('-').ok_or_else(bad)?;
        if year.len() != 4
            || month.len() != 2
            || !(year.bytes().chain(month.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let (year, month) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
        Month::new(year, month).ok_or_else(bad)
    }
}

#[cfg(test)]
mod month_tests {
    use super::*;

    #[test]
    fn months_and_their_last_days() {
        let m: Month = "2026-12".parse().expect("a month");
        assert_eq!((m.first_day(), m.last_day()), (ymd(2026, 12, 1), ymd(2026, 12, 31)));
        assert_eq!("2028-02".parse::<Month>().map(Month::last_day), Ok(ymd(2028, 2, 29)));
        assert_eq!("2027-02".parse::<Month>().map(Month::last_day), Ok(ymd(2027, 2, 28)));
        assert_eq!("2026-04".parse::<Month>().map(|m| m.to_string()), Ok("2026-04".into()));
        let r = "2026-11".parse::<Month>().expect("a month").range(Some(Body::Region(9)));
        assert_eq!(
            (r.from, r.to, r.body),
            (Some(ymd(2026, 11, 1)), Some(ymd(2026, 11, 30)), Some(Body::Region(9)))
        );
        for bad in ["2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "2026/11", "", "abcd-ef"] {
            assert_eq!(
                bad.parse::<Month>(),
                Err(format!("\"{bad}\" is not a month (expected YYYY-MM)")),
                "{bad}"
            );
        }
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }
}
