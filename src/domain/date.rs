//! Dates and times: reading them from input, and writing them in Kazakh, Russian and English
//! the way official documents do.
//!
//! Kazakh puts the year first, followed by `жылғы`, then the day and the month, the month
//! inflected for its role: `2021 жылғы 7 шілдедегі № 565 бұйрығы` (attributive, "of 7 July"),
//! `2021 жылғы 14 шілдеде тіркелді` (locative, "on 14 July"), `2021 жылғы «7» шілде` (the
//! nominative, as in forms). Russian puts the month in the genitive after the day:
//! `«7» июля 2021 года`, `7 июля 2021 года`.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::messages::Message;

use super::lang::Lang;

/// Why a text is not a date or a date and time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DateError {
    /// Has the shape of a date, but no such day exists (`2021-02-30`, `31.04.2021`).
    NotInCalendar {
        /// The date part of the input, trimmed.
        date: String,
    },
    /// Not `YYYY-MM-DD` nor `DD.MM.YYYY`.
    NotADate {
        /// The input as given.
        got: String,
    },
    /// Not one of the date-and-time shapes accepted by [`parse_datetime`].
    NotADateTime {
        /// The input as given.
        got: String,
    },
    /// The time has the right shape but is impossible (`25:00`, `10:60`, `10:30:60`).
    ImpossibleTime {
        /// The input as given.
        got: String,
    },
}

impl DateError {
    /// The error as catalog data (`templates/messages/*.ftl`).
    pub fn message(&self) -> Message {
        match self {
            DateError::NotInCalendar { date } => Message::new("date-not-in-calendar").arg("value", date),
            DateError::NotADate { got } => Message::new("date-not-date").arg("value", got),
            DateError::NotADateTime { got } => Message::new("date-not-datetime").arg("value", got),
            DateError::ImpossibleTime { got } => Message::new("date-impossible-time").arg("value", got),
        }
    }
}

crate::messages::english_display!(DateError);

/// Grammatical form of a Kazakh month name (ignored for Russian and English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KkCase {
    /// On its own, or in the blanks of a form: `2021 жылғы «7» шілде`.
    Nominative,
    /// Before a noun, "of 7 July": `2021 жылғы 7 шілдедегі № 565 бұйрығы`.
    Attributive,
    /// "On 14 July": `2021 жылғы 14 шілдеде № 23516 болып тіркелді`.
    Locative,
}

const KK_NOMINATIVE: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];

const KK_ATTRIBUTIVE: [&str; 12] = [
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
];

const KK_LOCATIVE: [&str; 12] = [
    "қаңтарда",
    "ақпанда",
    "наурызда",
    "сәуірде",
    "мамырда",
    "маусымда",
    "шілдеде",
    "тамызда",
    "қыркүйекте",
    "қазанда",
    "қарашада",
    "желтоқсанда",
];

const RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of a month (1–12) as it stands after a day number; `None` for other numbers.
///
/// Kazakh: the form given by `case` (`шілде`, `шілдедегі`, `шілдеде`). Russian: the genitive
/// whatever `case` is (`июля`). English: `July`.
pub fn month_name(month: u32, lang: Lang, case: KkCase) -> Option<&'static str> {
    let table = match (lang, case) {
        (Lang::Kk, KkCase::Nominative) => &KK_NOMINATIVE,
        (Lang::Kk, KkCase::Attributive) => &KK_ATTRIBUTIVE,
        (Lang::Kk, KkCase::Locative) => &KK_LOCATIVE,
        (Lang::Ru, _) => &RU_GENITIVE,
        (Lang::En, _) => &EN_MONTHS,
    };
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    table.get(index).copied()
}

/// The name of the month of `d`; months of a `NaiveDate` are always 1–12.
fn month_of(d: NaiveDate, lang: Lang, case: KkCase) -> &'static str {
    month_name(d.month(), lang, case).unwrap_or_default()
}

/// Parses `min..=max` ASCII digits, nothing else.
fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Splits a date into (year, month, day) if it has one of the accepted shapes:
/// `YYYY-MM-DD`, or `DD.MM.YYYY` where the day and month may have one digit.
fn date_shape(s: &str) -> Option<(i32, u32, u32)> {
    let (y, m, d) = if let [y, m, d] = s.split('-').collect::<Vec<_>>()[..] {
        (digits(y, 4, 4)?, digits(m, 2, 2)?, digits(d, 2, 2)?)
    } else if let [d, m, y] = s.split('.').collect::<Vec<_>>()[..] {
        (digits(y, 4, 4)?, digits(m, 1, 2)?, digits(d, 1, 2)?)
    } else {
        return None;
    };
    Some((i32::try_from(y).ok()?, m, d))
}

/// Parses a date, `2021-07-07` or `07.07.2021` (also `7.7.2021`); surrounding whitespace is
/// trimmed.
///
/// Errors: [`DateError::NotADate`] for another shape, [`DateError::NotInCalendar`] for a day
/// that does not exist (`2021-02-30 is not a date in the calendar`).
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let t = s.trim();
    let (y, m, d) = date_shape(t).ok_or_else(|| DateError::NotADate { got: s.to_owned() })?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DateError::NotInCalendar { date: t.to_owned() })
}

/// The parts of a date and time: (date, hour, minute, second if given).
fn datetime_shape(t: &str) -> Option<(&str, &str, &str, Option<&str>)> {
    let (date, time) = match t.split_once('T') {
        Some((date, time)) if date.contains('-') => (date, time),
        Some(_) => return None,
        None => {
            let (date, time) = t.split_once(char::is_whitespace)?;
            (date, time.trim_start())
        }
    };
    let parts: Vec<&str> = time.split(':').collect();
    let ok = |p: &str, min: usize| digits(p, min, 2).is_some();
    match parts[..] {
        [h, m] if ok(h, 1) && ok(m, 2) => Some((date, h, m, None)),
        [h, m, sec] if ok(h, 1) && ok(m, 2) && ok(sec, 2) => Some((date, h, m, Some(sec))),
        _ => None,
    }
}

/// The time zone times are printed in: a fixed offset from UTC. Kazakhstan's, UTC+5 (one
/// zone for the whole country since 1 March 2024), unless another is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timezone(pub FixedOffset);

impl Default for Timezone {
    /// UTC+05:00.
    fn default() -> Timezone {
        Timezone(FixedOffset::east_opt(5 * 3600).unwrap_or(FixedOffset::east_opt(0).expect("UTC")))
    }
}

impl Timezone {
    /// Parses `+06:00`, `-03:30`, `+0600`, `+06`, `Z` or `UTC`.
    pub fn parse(text: &str) -> Result<Timezone, String> {
        let t = text.trim();
        let offset = if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
            FixedOffset::east_opt(0)
        } else {
            parse_offset(t)
        };
        offset.map(Timezone).ok_or_else(|| {
            format!("\"{text}\" is not a time zone (expected an offset from UTC such as +05:00 or +06:00)")
        })
    }
}

/// `+05:00`, `+0500`, `+05` (a sign, then hours up to 23 and minutes up to 59).
fn parse_offset(t: &str) -> Option<FixedOffset> {
    let sign = match t.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &t[1..];
    let (h, m) = match rest.len() {
        2 => (rest, "00"),
        4 => (&rest[..2], &rest[2..]),
        5 if rest.as_bytes()[2] == b':' => (&rest[..2], &rest[3..]),
        _ => return None,
    };
    let (h, m) = (digits(h, 2, 2)?, digits(m, 2, 2)?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * i32::try_from(h * 3600 + m * 60).ok()?)
}

/// A date and time split into the local part, its fraction of a second and its offset:
/// `2021-02-01T10:00:00.250+06:00` → (`2021-02-01T10:00:00`, `250`, +06:00).
fn split_zone(t: &str) -> Option<(&str, Option<&str>, Option<FixedOffset>)> {
    // The time starts after `T` or the first white space; an offset sign is only looked for
    // there (the date has `-` of its own).
    let time_at = t.find(['T', ' ', '\t'])? + 1;
    let (mut rest, mut offset) = (t, None);
    if let Some(stripped) = t.strip_suffix(['Z', 'z']) {
        rest = stripped;
        offset = FixedOffset::east_opt(0);
    } else if let Some(sign) = t[time_at..].rfind(['+', '-']) {
        let at = time_at + sign;
        offset = Some(parse_offset(&t[at..])?);
        rest = &t[..at];
    }
    let rest = rest.trim_end();
    match rest.rfind('.').filter(|&i| i > time_at) {
        Some(dot) => {
            let digits = &rest[dot + 1..];
            if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((&rest[..dot], Some(digits), offset))
        }
        None => Some((rest, None, offset)),
    }
}

/// Parses a date and time, to the minute or to the second; surrounding whitespace is
/// trimmed. Accepted shapes: `2021-07-14T10:32`, `2021-07-14T10:32:05`, `2021-07-14 10:32`,
/// `2021-07-14 10:32:05`, `14.07.2021 10:32`, `14.07.2021 10:32:05` (the hour may have one
/// digit). Without seconds, the seconds are 0; use [`datetime_has_seconds`] to know whether
/// they were given, so that printing can keep the precision of the input.
///
/// Errors: [`DateError::NotADateTime`] for another shape, [`DateError::NotInCalendar`] for a
/// day that does not exist, [`DateError::ImpossibleTime`] for an hour over 23, minutes or
/// seconds over 59.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, DateError> {
    parse_datetime_in(s, Timezone::default()).map(|(dt, _)| dt)
}

/// [`parse_datetime`], also reading the times of database exports: fractional seconds
/// (`10:00:00.123456`, dropped) and an offset from UTC (`Z`, `+05:00`, `-0300`, `+06`, also
/// after a space), in which case the time is converted to `zone` (the time printed is
/// `zone`'s). A time without an offset is taken as `zone`'s already. Returns the time and
/// whether it gives seconds.
pub fn parse_datetime_in(s: &str, zone: Timezone) -> Result<(NaiveDateTime, bool), DateError> {
    let t = s.trim();
    let not_a_datetime = || DateError::NotADateTime { got: s.to_owned() };
    let (local, fraction, offset) = split_zone(t).ok_or_else(not_a_datetime)?;
    let (date, h, m, sec) = datetime_shape(local).ok_or_else(not_a_datetime)?;
    // A fraction of a second only after the seconds.
    if fraction.is_some() && sec.is_none() {
        return Err(not_a_datetime());
    }
    let has_seconds = sec.is_some();
    let (y, mo, d) = date_shape(date).ok_or_else(not_a_datetime)?;
    let date = NaiveDate::from_ymd_opt(y, mo, d)
        .ok_or_else(|| DateError::NotInCalendar { date: date.to_owned() })?;
    let num = |p: &str| digits(p, 1, 2).ok_or_else(not_a_datetime);
    let time = NaiveTime::from_hms_opt(num(h)?, num(m)?, sec.map(num).transpose()?.unwrap_or(0))
        .ok_or_else(|| DateError::ImpossibleTime { got: s.to_owned() })?;
    let local = date.and_time(time);
    let converted = match offset {
        Some(offset) => local
            .and_local_timezone(offset)
            .single()
            .map(|t| t.with_timezone(&zone.0).naive_local())
            .ok_or_else(not_a_datetime)?,
        None => local,
    };
    Ok((converted, has_seconds))
}

/// Whether `s` is a date and time accepted by [`parse_datetime`] that gives the seconds
/// (`2021-07-14T10:32:05`); false for `2021-07-14T10:32` and for anything that does not parse.
pub fn datetime_has_seconds(s: &str) -> bool {
    parse_datetime_in(s, Timezone::default()).is_ok_and(|(_, seconds)| seconds)
}

/// The numeric form used in all three languages: `07.07.2021`.
pub fn numeric(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// The numeric form of a date and time: `14.07.2021 10:32`, or `14.07.2021 10:32:05` when
/// `with_seconds`.
pub fn numeric_datetime(dt: NaiveDateTime, with_seconds: bool) -> String {
    let (date, h, m) = (numeric(dt.date()), dt.hour(), dt.minute());
    if with_seconds {
        format!("{date} {h:02}:{m:02}:{:02}", dt.second())
    } else {
        format!("{date} {h:02}:{m:02}")
    }
}

/// The date written out in words, with plain spaces:
/// - Kazakh, [`KkCase::Attributive`]: `2021 жылғы 7 шілдедегі`;
/// - Kazakh, [`KkCase::Locative`]: `2021 жылғы 14 шілдеде`;
/// - Kazakh, [`KkCase::Nominative`]: `2021 жылғы «7» шілде`;
/// - Russian (`case` ignored): `«7» июля 2021 года`;
/// - English (`case` ignored): `7 July 2021`.
pub fn long(d: NaiveDate, lang: Lang, case: KkCase) -> String {
    let (day, year) = (d.day(), d.year());
    let month = month_of(d, lang, case);
    match (lang, case) {
        (Lang::Kk, KkCase::Nominative) => format!("{year} жылғы «{day}» {month}"),
        (Lang::Kk, _) => format!("{year} жылғы {day} {month}"),
        (Lang::Ru, _) => format!("«{day}» {month} {year} года"),
        (Lang::En, _) => format!("{day} {month} {year}"),
    }
}

/// The Russian date without quotation marks, as in citations: `7 июля 2021 года`.
pub fn ru_plain(d: NaiveDate) -> String {
    format!("{} {} {} года", d.day(), month_of(d, Lang::Ru, KkCase::Nominative), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn date_err(s: &str) -> String {
        match parse_date(s) {
            Ok(d) => panic!("{s:?} parsed as {d}"),
            Err(e) => e.to_string(),
        }
    }

    fn dt_err(s: &str) -> String {
        match parse_datetime(s) {
            Ok(d) => panic!("{s:?} parsed as {d}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parse_dates() {
        assert_eq!(parse_date("2021-07-07"), Ok(ymd(2021, 7, 7)));
        assert_eq!(parse_date("07.07.2021"), Ok(ymd(2021, 7, 7)));
        assert_eq!(parse_date(" 7.7.2021\n"), Ok(ymd(2021, 7, 7)));
        assert_eq!(parse_date("29.02.2024"), Ok(ymd(2024, 2, 29)));
        assert_eq!(parse_date("2021-12-31"), Ok(ymd(2021, 12, 31)));
    }

    #[test]
    fn date_errors() {
        assert_eq!(date_err("2021-02-30"), "2021-02-30 is not a date in the calendar");
        assert_eq!(date_err("31.04.2021"), "31.04.2021 is not a date in the calendar");
        assert_eq!(date_err(" 29.02.2021 "), "29.02.2021 is not a date in the calendar");
        assert_eq!(date_err("2021-13-01"), "2021-13-01 is not a date in the calendar");
        assert_eq!(date_err("00.01.2021"), "00.01.2021 is not a date in the calendar");
        for s in [
            "",
            "2021-7-7",
            "21-07-07",
            "07.07.21",
            "07/07/2021",
            "2021.07.07",
            "2021-07-07T10:00",
            "07.07.2021 10:00",
            "7 июля 2021",
            "2021-07-07-01",
            "+2021-07-07",
            "2021-0a-07",
            "007.07.2021",
        ] {
            assert_eq!(
                date_err(s),
                format!("\"{s}\" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn datetimes_of_database_exports_are_converted_to_kazakhstan_time() {
        let kz = Timezone::default();
        let at = |d: u32, h: u32, m: u32, s: u32| {
            NaiveDate::from_ymd_opt(2021, 2, d).and_then(|d| d.and_hms_opt(h, m, s)).expect("valid")
        };
        assert_eq!(parse_datetime_in("2021-02-01T10:00:00Z", kz), Ok((at(1, 15, 0, 0), true)));
        assert_eq!(parse_datetime_in("2021-02-01T10:00:00+05:00", kz), Ok((at(1, 10, 0, 0), true)));
        assert_eq!(parse_datetime_in("2021-02-01T10:00:00.123456+06:00", kz), Ok((at(1, 9, 0, 0), true)));
        assert_eq!(parse_datetime_in("2021-02-01 21:30:05.5-03:00", kz), Ok((at(2, 5, 30, 5), true)));
        assert_eq!(parse_datetime_in("2021-02-01 10:00:00+05", kz), Ok((at(1, 10, 0, 0), true)));
        assert_eq!(parse_datetime_in("2021-02-01 10:00:00 +0000", kz), Ok((at(1, 15, 0, 0), true)));
        assert_eq!(parse_datetime_in("2021-02-01T10:00Z", kz), Ok((at(1, 15, 0, 0), false)));
        assert_eq!(parse_datetime_in("2021-02-01T10:00:00", kz), Ok((at(1, 10, 0, 0), true)));
        let plus6 = Timezone::parse("+06:00").expect("zone");
        assert_eq!(parse_datetime_in("2021-02-01T10:00:00Z", plus6), Ok((at(1, 16, 0, 0), true)));
        // Without an offset a time is the zone's own.
        assert_eq!(parse_datetime_in("2021-02-01T10:00:00", plus6), Ok((at(1, 10, 0, 0), true)));
        for bad in [
            "2021-02-01T10:00.5",
            "2021-02-01T10:00:00.",
            "2021-02-01T10:00:00+5",
            "2021-02-01T10:00:00+24:00",
            "2021-02-01T10:00:00.1234567890Z",
        ] {
            assert_eq!(
                parse_datetime_in(bad, kz),
                Err(DateError::NotADateTime { got: bad.to_owned() }),
                "{bad}"
            );
        }
    }

    #[test]
    fn timezones() {
        assert_eq!(Timezone::default().0.local_minus_utc(), 5 * 3600);
        assert_eq!(Timezone::parse("+06:00").map(|z| z.0.local_minus_utc()), Ok(6 * 3600));
        assert_eq!(Timezone::parse("-0330").map(|z| z.0.local_minus_utc()), Ok(-(3 * 3600 + 1800)));
        assert_eq!(Timezone::parse("UTC").map(|z| z.0.local_minus_utc()), Ok(0));
        assert_eq!(
            Timezone::parse("Asia/Almaty"),
            Err("\"Asia/Almaty\" is not a time zone (expected an offset from UTC such as +05:00 or +06:00)"
                .to_owned())
        );
    }

    #[test]
    fn parse_datetimes() {
        let at = |h, m, s| ymd(2021, 7, 14).and_hms_opt(h, m, s).expect("valid");
        assert_eq!(parse_datetime("2021-07-14T10:32"), Ok(at(10, 32, 0)));
        assert_eq!(parse_datetime("2021-07-14T10:32:05"), Ok(at(10, 32, 5)));
        assert_eq!(parse_datetime("2021-07-14 10:32"), Ok(at(10, 32, 0)));
        assert_eq!(parse_datetime("2021-07-14 10:32:05"), Ok(at(10, 32, 5)));
        assert_eq!(parse_datetime("14.07.2021 10:32"), Ok(at(10, 32, 0)));
        assert_eq!(parse_datetime("14.07.2021 10:32:05"), Ok(at(10, 32, 5)));
        assert_eq!(parse_datetime("  14.07.2021   9:05 "), Ok(at(9, 5, 0)));
        assert_eq!(parse_datetime("2021-07-14T23:59:59"), Ok(at(23, 59, 59)));
        assert_eq!(parse_datetime("2021-07-14T00:00"), Ok(at(0, 0, 0)));
    }

    #[test]
    fn datetime_errors() {
        let shape = |s: &str| {
            format!(
                "\"{s}\" is not a date and time (expected YYYY-MM-DDTHH:MM[:SS] or DD.MM.YYYY HH:MM[:SS])"
            )
        };
        for s in [
            "",
            "2021-07-14",
            "14.07.2021",
            "2021-07-14T10",
            "2021-07-14T10:3",
            "2021-07-14T10:32:5",
            "14.07.2021T10:32",
            "2021-07-14T 10:32",
            "2021-07-14  T10:32",
            "14.07.2021 10.32",
            "14.07.2021 100:32",
            "2021-07-14T10:32:05:01",
            "14/07/2021 10:32",
            // Offsets and fractions (issue 10) only where a time has them.
            "2021-07-14T10:32.5",
            "2021-07-14T10:32:05+06:0",
            "2021-07-14+06:00",
        ] {
            assert_eq!(dt_err(s), shape(s), "{s:?}");
        }
        assert_eq!(dt_err("2021-02-30T10:00"), "2021-02-30 is not a date in the calendar");
        assert_eq!(dt_err("31.04.2021 10:00"), "31.04.2021 is not a date in the calendar");
        // The calendar is checked before the time.
        assert_eq!(dt_err("31.04.2021 25:00"), "31.04.2021 is not a date in the calendar");
        for s in [
            "2021-07-14T25:00",
            "2021-07-14T24:00",
            "14.07.2021 10:60",
            "14.07.2021 10:30:60",
            "2021-07-14 99:99",
        ] {
            assert_eq!(dt_err(s), format!("\"{s}\" has an impossible time of day"), "{s:?}");
        }
    }

    #[test]
    fn seconds_remembered() {
        assert!(datetime_has_seconds("2021-07-14T10:32:05"));
        assert!(datetime_has_seconds(" 14.07.2021 10:32:00 "));
        assert!(!datetime_has_seconds("2021-07-14T10:32"));
        assert!(!datetime_has_seconds("14.07.2021 10:32"));
        assert!(!datetime_has_seconds("2021-07-14T10:32:61"));
        assert!(!datetime_has_seconds("garbage"));
        let dt = parse_datetime("2021-07-14T10:32:05").expect("valid");
        assert_eq!(numeric_datetime(dt, true), "14.07.2021 10:32:05");
        assert_eq!(numeric_datetime(dt, false), "14.07.2021 10:32");
        let dt = parse_datetime("2021-07-14T09:05").expect("valid");
        assert_eq!(numeric_datetime(dt, datetime_has_seconds("2021-07-14T09:05")), "14.07.2021 09:05");
    }

    #[test]
    fn numeric_form() {
        assert_eq!(numeric(ymd(2021, 7, 7)), "07.07.2021");
        assert_eq!(numeric(ymd(2021, 12, 31)), "31.12.2021");
        assert_eq!(numeric(ymd(987, 1, 2)), "02.01.0987");
    }

    #[test]
    fn long_forms() {
        let d7 = ymd(2021, 7, 7);
        let d14 = ymd(2021, 7, 14);
        assert_eq!(long(d7, Lang::Kk, KkCase::Attributive), "2021 жылғы 7 шілдедегі");
        assert_eq!(long(d14, Lang::Kk, KkCase::Locative), "2021 жылғы 14 шілдеде");
        assert_eq!(long(d7, Lang::Kk, KkCase::Nominative), "2021 жылғы «7» шілде");
        for case in [KkCase::Nominative, KkCase::Attributive, KkCase::Locative] {
            assert_eq!(long(d7, Lang::Ru, case), "«7» июля 2021 года");
            assert_eq!(long(d7, Lang::En, case), "7 July 2021");
        }
        assert_eq!(ru_plain(d7), "7 июля 2021 года");
        assert_eq!(ru_plain(d14), "14 июля 2021 года");
    }

    #[test]
    fn citation_formulas() {
        let kk = format!(
            "Қазақстан Республикасы Әділет министрінің {} № 565 бұйрығы. Қазақстан Республикасының Әділет министрлігінде {} № 23516 болып тіркелді",
            long(ymd(2021, 7, 7), Lang::Kk, KkCase::Attributive),
            long(ymd(2021, 7, 14), Lang::Kk, KkCase::Locative),
        );
        assert_eq!(
            kk,
            "Қазақстан Республикасы Әділет министрінің 2021 жылғы 7 шілдедегі № 565 бұйрығы. Қазақстан Республикасының Әділет министрлігінде 2021 жылғы 14 шілдеде № 23516 болып тіркелді"
        );
        let ru =
            format!("Приказ Министра юстиции Республики Казахстан от {} № 565.", ru_plain(ymd(2021, 7, 7)));
        assert_eq!(ru, "Приказ Министра юстиции Республики Казахстан от 7 июля 2021 года № 565.");
    }

    #[test]
    fn all_month_names() {
        let rows: [(u32, &str, &str, &str, &str, &str); 12] = [
            (1, "қаңтар", "қаңтардағы", "қаңтарда", "января", "January"),
            (2, "ақпан", "ақпандағы", "ақпанда", "февраля", "February"),
            (3, "наурыз", "наурыздағы", "наурызда", "марта", "March"),
            (4, "сәуір", "сәуірдегі", "сәуірде", "апреля", "April"),
            (5, "мамыр", "мамырдағы", "мамырда", "мая", "May"),
            (6, "маусым", "маусымдағы", "маусымда", "июня", "June"),
            (7, "шілде", "шілдедегі", "шілдеде", "июля", "July"),
            (8, "тамыз", "тамыздағы", "тамызда", "августа", "August"),
            (9, "қыркүйек", "қыркүйектегі", "қыркүйекте", "сентября", "September"),
            (10, "қазан", "қазандағы", "қазанда", "октября", "October"),
            (11, "қараша", "қарашадағы", "қарашада", "ноября", "November"),
            (12, "желтоқсан", "желтоқсандағы", "желтоқсанда", "декабря", "December"),
        ];
        for (m, nom, attr, loc, ru, en) in rows {
            assert_eq!(month_name(m, Lang::Kk, KkCase::Nominative), Some(nom));
            assert_eq!(month_name(m, Lang::Kk, KkCase::Attributive), Some(attr));
            assert_eq!(month_name(m, Lang::Kk, KkCase::Locative), Some(loc));
            assert_eq!(month_name(m, Lang::Ru, KkCase::Attributive), Some(ru));
            assert_eq!(month_name(m, Lang::En, KkCase::Locative), Some(en));
            let d = ymd(2020, m, 1);
            assert_eq!(long(d, Lang::Kk, KkCase::Attributive), format!("2020 жылғы 1 {attr}"));
            assert_eq!(long(d, Lang::Kk, KkCase::Locative), format!("2020 жылғы 1 {loc}"));
            assert_eq!(long(d, Lang::Kk, KkCase::Nominative), format!("2020 жылғы «1» {nom}"));
            assert_eq!(long(d, Lang::Ru, KkCase::Nominative), format!("«1» {ru} 2020 года"));
            assert_eq!(long(d, Lang::En, KkCase::Nominative), format!("1 {en} 2020"));
        }
        // The Kazakh words contain only Cyrillic letters (no Latin look-alikes).
        for table in [KK_NOMINATIVE, KK_ATTRIBUTIVE, KK_LOCATIVE, RU_GENITIVE] {
            for word in table {
                assert!(word.chars().all(|c| ('\u{400}'..='\u{4ff}').contains(&c)), "{word}");
            }
        }
        assert_eq!(month_name(0, Lang::Kk, KkCase::Nominative), None);
        assert_eq!(month_name(13, Lang::Ru, KkCase::Nominative), None);
    }
}
