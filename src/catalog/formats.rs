//! How a column writes its values, detected from the values themselves:
//! decimal commas and thousands separators, currency, the order of day,
//! month and year, durations such as `2h 22m` or `PT142M`.
//!
//! A column's role says what kind of value it holds ([`ValueKind`]); its
//! values say how that kind is written ([`ColumnFormat`]). The format
//! reads every cell of the column, describes itself in a few words for the
//! mapping table, and says which cells it could not read.
//!
//! Numbers: a value with both `,` and `.` decides by the last one (the
//! decimal mark); `8,1` or `7,25` (not three digits after the comma) is a
//! decimal comma; `28,341,469` or `28.341.469` (several marks) are
//! thousands separators. A value like `1,234` or `1.234` decides nothing:
//! it takes the file's convention, decided by the other columns, and a
//! decimal point when nothing decides. A comma delimiter never gets here:
//! such values are quoted, and the delimiter is chosen from the header.
//!
//! Dates: only the year is kept, but the whole date is read so that a
//! date is never taken for a number and the mapping table can show which
//! order it assumed. A day over 12 decides between day/month and
//! month/day; when nothing decides, a file with decimal commas is taken
//! as day first (as in Europe), any other as month first for `/` dates and
//! day first for `.` and `-` dates, and the mapping table says "assumed".

use super::role::ColumnRole;
use crate::table::{clean, Row};
use crate::text::fold;
use serde::{Deserialize, Serialize};

/// What kind of value a role reads from its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueKind {
    /// A number: rating, votes, popularity, any other quantity, a taste factor.
    Number,
    /// A year or a date (the year is kept).
    Date,
    /// A running time, read as minutes.
    Duration,
}

impl ValueKind {
    /// The kind of value `role` reads, if it reads one.
    pub fn of(role: ColumnRole) -> Option<ValueKind> {
        match role {
            ColumnRole::Rating
            | ColumnRole::Votes
            | ColumnRole::Popularity
            | ColumnRole::Number
            | ColumnRole::Taste => Some(ValueKind::Number),
            ColumnRole::Year => Some(ValueKind::Date),
            ColumnRole::Runtime => Some(ValueKind::Duration),
            _ => None,
        }
    }
}

/// The decimal mark of a column's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decimal {
    /// `8.1`, thousands as `1,234`.
    Point,
    /// `8,1`, thousands as `1.234`.
    Comma,
}

impl Decimal {
    fn marks(self) -> (char, char) {
        match self {
            Decimal::Point => ('.', ','),
            Decimal::Comma => (',', '.'),
        }
    }
}

/// How a column writes its numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberFormat {
    /// The decimal mark.
    pub decimal: Decimal,
    /// Some values group thousands (`28,341,469`, `1 234`).
    pub grouped: bool,
    /// The currency symbol or code some values carry, removed when read.
    pub currency: Option<String>,
    /// Some values end in `%` (`87%` is 87).
    pub percent: bool,
}

/// The order of day, month and year in numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateOrder {
    /// `2008-07-16`.
    YearMonthDay,
    /// `16.07.2008`, `16/07/2008`.
    DayMonthYear,
    /// `07/16/2008`.
    MonthDayYear,
}

/// How a column writes its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFormat {
    /// The order of numeric dates, when the column has any.
    pub order: Option<DateOrder>,
    /// The separator of numeric dates (`.`, `/`, `-`).
    pub separator: char,
    /// Nothing in the values decided the order: it was assumed.
    pub assumed: bool,
    /// Some dates name their month (`12 June 1998`, `Jun 12 1998`).
    pub month_names: bool,
    /// Some values are a year alone.
    pub years: bool,
}

/// How a running time is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DurationStyle {
    /// `142`.
    Minutes,
    /// `142 min`.
    MinutesWithUnit,
    /// `2h 22m`, `2 Std. 22 Min.`
    HoursMinutes,
    /// `2:22` or `2:22:00`.
    Clock,
    /// ISO 8601: `PT142M`, `PT2H22M`.
    Iso,
}

impl DurationStyle {
    fn example(self) -> &'static str {
        match self {
            DurationStyle::Minutes => "142",
            DurationStyle::MinutesWithUnit => "142 min",
            DurationStyle::HoursMinutes => "2h 22m",
            DurationStyle::Clock => "2:22",
            DurationStyle::Iso => "PT2H22M",
        }
    }
}

/// How a column writes the kind of value its role reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnFormat {
    /// Nothing to read: the role takes the text as it is.
    Text,
    /// Numbers.
    Number(NumberFormat),
    /// Years or dates.
    Date(DateFormat),
    /// Running times, in the styles seen, most common first.
    Duration(Vec<DurationStyle>),
}

/// Values of a column a format is detected from: enough to see every
/// convention a column uses (a day over 12 among 100 dates is all but
/// certain); the mapping table still counts failures over the whole sample.
pub const DETECT_VALUES: usize = 100;

/// What the file's numbers say as a whole: a column whose values decide
/// nothing (`1.234`) follows the others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileHints {
    /// The file's numbers use decimal commas.
    pub decimal_comma: bool,
}

impl FileHints {
    /// Enough decisive values to know a file's convention.
    pub const VOTES: usize = 200;

    /// Decisive numbers vote, column after column, until
    /// [`FileHints::VOTES`] have voted.
    pub fn detect(columns: &[Vec<&str>]) -> FileHints {
        let (mut comma, mut point) = (0usize, 0usize);
        for value in columns.iter().flatten() {
            match number_vote(value) {
                Vote::Decides(Decimal::Comma) => comma += 1,
                Vote::Decides(Decimal::Point) => point += 1,
                _ => {}
            }
            if comma + point >= Self::VOTES {
                break;
            }
        }
        FileHints {
            decimal_comma: comma > point,
        }
    }
}

/// How well a format reads a column: shown next to the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Understood {
    /// The format in words ("decimal comma", "day.month.year").
    pub format: String,
    /// Non-empty values in the sample.
    pub values: usize,
    /// Of those, how many the format could not read.
    pub failed: usize,
    /// The first value it could not read.
    pub example: Option<String>,
}

/// A column read each way a role may read it, so the mapping table can
/// show the format of whichever role the user picks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnReadings {
    /// Read as numbers.
    pub number: Understood,
    /// Read as dates.
    pub date: Understood,
    /// Read as running times.
    pub duration: Understood,
}

impl ColumnReadings {
    /// The reading for `role`, if the role reads values.
    pub fn for_role(&self, role: ColumnRole) -> Option<&Understood> {
        Some(match ValueKind::of(role)? {
            ValueKind::Number => &self.number,
            ValueKind::Date => &self.date,
            ValueKind::Duration => &self.duration,
        })
    }
}

/// The non-empty values of column `col` in the sample.
pub(super) fn column_values(sample: &[Row], col: usize) -> Vec<&str> {
    sample
        .iter()
        .filter_map(|r| r.cells.get(col).and_then(|c| clean(c)))
        .collect()
}

/// Every column's format for its role, from the sample.
pub fn detect_formats(roles: &[ColumnRole], sample: &[Row]) -> Vec<ColumnFormat> {
    let sample = &sample[..sample.len().min(super::SAMPLE_ROWS)];
    let columns: Vec<Vec<&str>> = (0..roles.len()).map(|c| column_values(sample, c)).collect();
    let hints = FileHints::detect(&columns);
    roles
        .iter()
        .zip(&columns)
        .map(|(&role, values)| match ValueKind::of(role) {
            Some(kind) => ColumnFormat::detect(kind, values, hints),
            None => ColumnFormat::Text,
        })
        .collect()
}

/// Every column read as numbers, dates and durations, from the sample.
pub fn read_columns(columns: usize, sample: &[Row]) -> Vec<ColumnReadings> {
    let sample = &sample[..sample.len().min(super::SAMPLE_ROWS)];
    let values: Vec<Vec<&str>> = (0..columns).map(|c| column_values(sample, c)).collect();
    let hints = FileHints::detect(&values);
    values
        .iter()
        .map(|values| {
            let read =
                |kind| ColumnFormat::detect(kind, values, hints).understand(values.iter().copied());
            ColumnReadings {
                number: read(ValueKind::Number),
                date: read(ValueKind::Date),
                duration: read(ValueKind::Duration),
            }
        })
        .collect()
}

impl ColumnFormat {
    /// The format of `values` (non-empty cells) read as `kind`.
    pub fn detect(kind: ValueKind, values: &[&str], hints: FileHints) -> ColumnFormat {
        match kind {
            ValueKind::Number => ColumnFormat::Number(NumberFormat::detect(values, hints)),
            ValueKind::Date => ColumnFormat::Date(DateFormat::detect(values, hints)),
            ValueKind::Duration => {
                let mut seen: Vec<(DurationStyle, usize)> = Vec::new();
                let first = values.iter().take(DETECT_VALUES);
                for style in first.filter_map(|v| parse_duration(v)).map(|d| d.1) {
                    match seen.iter_mut().find(|(s, _)| *s == style) {
                        Some((_, n)) => *n += 1,
                        None => seen.push((style, 1)),
                    }
                }
                seen.sort_by_key(|s| std::cmp::Reverse(s.1));
                ColumnFormat::Duration(seen.into_iter().map(|(s, _)| s).collect())
            }
        }
    }

    /// The number in a cell, under this format (`None` when it holds none):
    /// minutes for a running time, the year for a date.
    pub fn number(&self, value: &str) -> Option<f64> {
        match self {
            ColumnFormat::Number(f) => f.parse(value),
            ColumnFormat::Duration(_) => parse_duration(value).map(|d| d.0),
            ColumnFormat::Date(f) => f.year(value).map(f64::from),
            ColumnFormat::Text => super::parse_number(value),
        }
    }

    /// The format in words, for the mapping table.
    pub fn describe(&self) -> String {
        match self {
            ColumnFormat::Text => "text".into(),
            ColumnFormat::Number(f) => f.describe(),
            ColumnFormat::Date(f) => f.describe(),
            ColumnFormat::Duration(styles) => match styles.as_slice() {
                [] => "minutes".into(),
                [DurationStyle::Minutes] => "minutes".into(),
                styles => format!(
                    "minutes from {}",
                    styles
                        .iter()
                        .map(|s| format!("'{}'", s.example()))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            },
        }
    }

    fn reads(&self, value: &str) -> bool {
        matches!(self, ColumnFormat::Text) || self.number(value).is_some()
    }

    /// How well this format reads `values` (non-empty cells).
    pub fn understand<'a>(&self, values: impl Iterator<Item = &'a str>) -> Understood {
        let (mut count, mut failed, mut example) = (0, 0, None);
        for value in values {
            count += 1;
            if !self.reads(value) {
                failed += 1;
                example.get_or_insert_with(|| value.to_string());
            }
        }
        Understood {
            format: self.describe(),
            values: count,
            failed,
            example,
        }
    }
}

// ---------------------------------------------------------------- numbers

/// What one value says about the decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vote {
    /// Not a number, or a number with no mark at all.
    Nothing,
    /// `1,234` or `1.234`: a number either way, the mark undecided.
    Undecided,
    /// The value is a number only with this mark, or says so outright.
    Decides(Decimal),
}

/// Currency symbols and codes removed from either end of a number.
const CURRENCIES: [&str; 16] = [
    "US$", "R$", "CA$", "A$", "$", "€", "£", "¥", "₹", "₩", "₽", "CHF", "USD", "EUR", "GBP", "kr",
];

/// Spaces people put between groups of thousands (`1 234`, `1'234`).
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'')
}

/// The value without its currency and percent sign, and what was removed.
fn strip_affixes(value: &str) -> (&str, Option<&'static str>, bool) {
    let mut v = value.trim();
    // Most cells begin and end with a digit: nothing to remove.
    let digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
    if digit(v.as_bytes().first()) && digit(v.as_bytes().last()) {
        return (v, None, false);
    }
    let mut currency = None;
    let mut percent = false;
    loop {
        let before = v;
        if let Some(rest) = v.strip_suffix('%') {
            v = rest.trim_end();
            percent = true;
        }
        for c in CURRENCIES {
            if let Some(rest) = v.strip_prefix(c) {
                v = rest.trim_start();
                currency = Some(c);
            } else if let Some(rest) = v.strip_suffix(c) {
                v = rest.trim_end();
                currency = Some(c);
            }
        }
        if v == before {
            break;
        }
    }
    (v, currency, percent)
}

/// The number `value` holds with `decimal` as its decimal mark.
fn number_with(value: &str, decimal: Decimal) -> Option<f64> {
    let (body, _, _) = strip_affixes(value);
    let (sign, body) = match body.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (-1.0, rest),
        None => (1.0, body.strip_prefix('+').unwrap_or(body)),
    };
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    // Plain numbers, and exponents (`1e308`), as the standard library reads them.
    if decimal == Decimal::Point && body.bytes().all(|b| !b.is_ascii_whitespace() && b != b',') {
        if let Ok(x) = body.parse::<f64>() {
            return (x.is_finite() && body.bytes().any(|b| b.is_ascii_digit())).then_some(sign * x);
        }
    }
    let (mark, group) = decimal.marks();
    let (int, frac) = match body.split_once(mark) {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    if !frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut digits = String::with_capacity(body.len());
    let groups: Vec<&str> = int.split(|c| c == group || is_group_space(c)).collect();
    // Grouped thousands start with 1 to 3 digits, never a 0 (`0.123` is no 123).
    let grouped_ok = groups.len() == 1
        || (groups[0].len() <= 3
            && !groups[0].is_empty()
            && !groups[0].starts_with('0')
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    groups.iter().for_each(|g| digits.push_str(g));
    if digits.is_empty() && frac.is_none() {
        return None;
    }
    if let Some(f) = frac {
        digits.push('.');
        digits.push_str(f);
    }
    let x: f64 = digits.parse().ok()?;
    x.is_finite().then_some(sign * x)
}

fn number_vote(value: &str) -> Vote {
    // Plain numbers (most cells: `-12`, `0.12`, `1.234`) take a short way
    // to the answer `general_vote` would give (a test holds the two equal).
    let body = value.trim();
    let unsigned = body.strip_prefix(['-', '+']).unwrap_or(body);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac) {
        if !unsigned.contains('.') {
            return Vote::Nothing;
        }
        let could_be_thousands =
            frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
        return if could_be_thousands {
            Vote::Undecided
        } else {
            Vote::Decides(Decimal::Point)
        };
    }
    general_vote(value)
}

/// What a value says about the decimal mark: read both ways.
fn general_vote(value: &str) -> Vote {
    let (body, _, _) = strip_affixes(value);
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let point = number_with(value, Decimal::Point).is_some();
    let comma = number_with(value, Decimal::Comma).is_some();
    match (point, comma) {
        (false, false) => Vote::Nothing,
        (true, false) => Vote::Decides(Decimal::Point),
        (false, true) => Vote::Decides(Decimal::Comma),
        // Read either way: `1,234`, `1.234`, or no mark at all.
        (true, true) if commas + dots == 0 => Vote::Nothing,
        (true, true) => Vote::Undecided,
    }
}

impl NumberFormat {
    /// The format most of `values` (the first [`DETECT_VALUES`]) are written in.
    pub fn detect(values: &[&str], hints: FileHints) -> NumberFormat {
        let values = &values[..values.len().min(DETECT_VALUES)];
        let (mut comma, mut point) = (0usize, 0usize);
        for v in values {
            match number_vote(v) {
                Vote::Decides(Decimal::Comma) => comma += 1,
                Vote::Decides(Decimal::Point) => point += 1,
                _ => {}
            }
        }
        let decimal = if comma > point || (comma == point && hints.decimal_comma) {
            Decimal::Comma
        } else {
            Decimal::Point
        };
        let group = decimal.marks().1;
        let mut format = NumberFormat {
            decimal,
            grouped: false,
            currency: None,
            percent: false,
        };
        for v in values {
            // A plain number under a decimal point says nothing more.
            if decimal == Decimal::Point && v.parse::<f64>().is_ok() {
                continue;
            }
            let (body, currency, percent) = strip_affixes(v);
            if number_with(v, decimal).is_none() {
                continue;
            }
            format.grouped |= body.contains(group)
                || body.trim().contains(is_group_space) && body.chars().any(|c| c.is_ascii_digit());
            format.percent |= percent;
            if format.currency.is_none() {
                format.currency = currency.map(str::to_string);
            }
        }
        format
    }

    /// The number in a cell (`None` when it holds none in this format).
    pub fn parse(&self, value: &str) -> Option<f64> {
        // Most cells are plain numbers: read as the standard library reads
        // them (a `.` under a decimal comma is a thousands mark, never a decimal).
        if self.decimal == Decimal::Point || !value.contains('.') {
            if let Ok(x) = value.trim().parse::<f64>() {
                return x.is_finite().then_some(x);
            }
        }
        number_with(value, self.decimal)
    }

    /// The format in words.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match (self.decimal, self.grouped) {
            (Decimal::Point, false) => parts.push("number".into()),
            (Decimal::Point, true) => parts.push("number, thousands ','".into()),
            (Decimal::Comma, false) => parts.push("decimal comma".into()),
            (Decimal::Comma, true) => parts.push("decimal comma, thousands '.'".into()),
        }
        if let Some(c) = &self.currency {
            parts.push(format!("'{c}' removed"));
        }
        if self.percent {
            parts.push("'%' removed".into());
        }
        parts.join(", ")
    }
}

// ---------------------------------------------------------------- dates

/// Month names and their common abbreviations in English, German, French,
/// Spanish, Italian, Portuguese and Dutch, folded to lower-case ASCII.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro",
        "januari", "janner",
    ],
    &[
        "february",
        "feb",
        "februar",
        "fevrier",
        "fevr",
        "fev",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
    ],
    &[
        "march", "mar", "marz", "mars", "marzo", "marco", "maart", "mrt",
    ],
    &["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
    &["may", "mai", "mayo", "maggio", "mag", "maio", "mei"],
    &[
        "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho",
    ],
    &[
        "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho",
    ],
    &["august", "aug", "aout", "agosto", "ago", "augustus"],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "settembre",
        "set",
        "setembro",
    ],
    &[
        "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
        "out",
    ],
    &["november", "nov", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "decembre",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
    ],
];

fn month_number(word: &str) -> Option<u32> {
    let folded: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold)
        .collect();
    MONTHS
        .iter()
        .position(|names| names.contains(&folded.as_str()))
        .map(|m| m as u32 + 1)
}

/// A date's parts as written: numbers (with their digit count) and month names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Number(u32, usize),
    Month(u32),
}

/// A date as its parts, up to the time of day, with the separator after
/// the first number.
fn date_parts(value: &str) -> Option<([Part; 3], usize, Option<char>)> {
    // A time of day after the date is not part of it: `2008-07-16T00:00:00`, `16.07.2008 20:15`.
    let date = match value.find(':') {
        Some(colon) => value[..colon]
            .rfind([' ', 'T'])
            .map_or("", |cut| &value[..cut]),
        None => value,
    };
    let mut parts = [Part::Month(0); 3];
    let mut count = 0;
    macro_rules! push {
        ($part:expr) => {{
            *parts.get_mut(count)? = $part;
            count += 1;
        }};
    }
    let mut separator = None;
    let bytes = date.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = date[i..].chars().next()?;
        if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let run = &date[start..i];
            push!(Part::Number(run.parse().ok()?, run.len()));
            if count == 1 {
                separator = date[i..].chars().next();
            }
        } else if c.is_alphabetic() {
            let end = date[start..]
                .find(|d: char| !d.is_alphabetic())
                .map_or(date.len(), |e| start + e);
            let word = &date[start..end];
            i = end;
            match month_number(word) {
                Some(m) => push!(Part::Month(m)),
                // Ordinals and weekdays: `12th`, `Tue, 16 Jul 2008`, `16. Juli 2008`.
                None if word.len() <= 3 || count == 0 => {}
                None => return None,
            }
        } else if matches!(c, '.' | '/' | '-' | ',' | ' ' | '\u{a0}') {
            i += c.len_utf8();
        } else {
            return None;
        }
    }
    (count > 0).then_some((parts, count, separator))
}

/// A four-digit year in film history, or a two-digit one read as 1931–2030.
fn full_year(n: u32, digits: usize) -> Option<i32> {
    let year = match digits {
        4 => n as i32,
        2 if n <= 30 => 2000 + n as i32,
        2 => 1900 + n as i32,
        _ => return None,
    };
    (1870..=2100).contains(&year).then_some(year)
}

fn valid(day: u32, month: u32) -> bool {
    (1..=31).contains(&day) && (1..=12).contains(&month)
}

/// A date read: its year, and which orders its numbers allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ReadDate {
    year: i32,
    /// Day first allowed (`16.07.2008`), month first allowed (`07.16.2008`).
    orders: (bool, bool),
    numeric: bool,
    named: bool,
    year_only: bool,
    /// Written year first: `2008-07-16`.
    year_first: bool,
}

fn read_date(value: &str) -> Option<(ReadDate, Option<char>)> {
    let (parts, count, separator) = date_parts(value)?;
    let parts = &parts[..count];
    let read = |year, orders, numeric, named, year_only| ReadDate {
        year,
        orders,
        numeric,
        named,
        year_only,
        year_first: matches!(parts[0], Part::Number(_, 4)),
    };
    use Part::*;
    let date = match parts {
        [Number(y, 4)] => read(full_year(*y, 4)?, (true, true), false, false, true),
        [Number(y, 4), Number(m, _)] if (1..=12).contains(m) => {
            read(full_year(*y, 4)?, (true, true), true, false, false)
        }
        [Number(y, 4), Number(m, _), Number(d, _)] if valid(*d, *m) => {
            read(full_year(*y, 4)?, (true, true), true, false, false)
        }
        [Number(a, _), Number(b, _), Number(y, digits)] => {
            let orders = (valid(*a, *b), valid(*b, *a));
            if orders == (false, false) {
                return None;
            }
            read(full_year(*y, *digits)?, orders, true, false, false)
        }
        [Number(d, _), Month(_), Number(y, digits)]
        | [Month(_), Number(d, _), Number(y, digits)]
            if (1..=31).contains(d) =>
        {
            read(full_year(*y, *digits)?, (true, true), false, true, false)
        }
        [Month(_), Number(y, 4)] => read(full_year(*y, 4)?, (true, true), false, true, false),
        _ => return None,
    };
    Some((date, separator))
}

impl DateFormat {
    /// The format most of `values` (the first [`DETECT_VALUES`]) are written in.
    pub fn detect(values: &[&str], hints: FileHints) -> DateFormat {
        let values = &values[..values.len().min(DETECT_VALUES)];
        let mut format = DateFormat {
            order: None,
            separator: '-',
            assumed: false,
            month_names: false,
            years: false,
        };
        let (mut day_first, mut month_first, mut iso, mut numeric) = (0, 0, 0, 0);
        let mut separators: Vec<(char, usize)> = Vec::new();
        for (date, separator) in values.iter().filter_map(|v| read_date(v)) {
            format.month_names |= date.named;
            format.years |= date.year_only;
            if !date.numeric {
                continue;
            }
            numeric += 1;
            if let Some(s) = separator {
                match separators.iter_mut().find(|(c, _)| *c == s) {
                    Some((_, n)) => *n += 1,
                    None => separators.push((s, 1)),
                }
            }
            match date.orders {
                (true, false) => day_first += 1,
                (false, true) => month_first += 1,
                _ => {}
            }
            if date.year_first {
                iso += 1;
            }
        }
        if numeric == 0 {
            return format;
        }
        format.separator = separators
            .iter()
            .max_by_key(|(_, n)| *n)
            .map_or('-', |(c, _)| *c);
        format.order = Some(if iso * 2 > numeric {
            DateOrder::YearMonthDay
        } else if day_first > month_first {
            DateOrder::DayMonthYear
        } else if month_first > day_first {
            DateOrder::MonthDayYear
        } else {
            format.assumed = true;
            if hints.decimal_comma || format.separator != '/' {
                DateOrder::DayMonthYear
            } else {
                DateOrder::MonthDayYear
            }
        });
        format
    }

    /// The year of a cell.
    pub fn year(&self, value: &str) -> Option<i32> {
        let b = value.as_bytes();
        if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
            return full_year(value.parse().ok()?, 4);
        }
        // `2009-12-10`, the most common date of all, without splitting it.
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            let n = |r: std::ops::Range<usize>| value.get(r)?.parse::<u32>().ok();
            if let (Some(y), Some(m), Some(d)) = (n(0..4), n(5..7), n(8..10)) {
                return valid(d, m).then(|| full_year(y, 4)).flatten();
            }
        }
        read_date(value).map(|(d, _)| d.year)
    }

    /// The format in words: `day.month.year`, `month/day/year (assumed: no day over 12)`.
    pub fn describe(&self) -> String {
        let s = self.separator;
        let mut parts: Vec<String> = Vec::new();
        if self.years {
            parts.push("year".into());
        }
        if let Some(order) = self.order {
            let [a, b, c] = match order {
                DateOrder::YearMonthDay => ["year", "month", "day"],
                DateOrder::DayMonthYear => ["day", "month", "year"],
                DateOrder::MonthDayYear => ["month", "day", "year"],
            };
            let assumed = if self.assumed {
                " (assumed: no day over 12)"
            } else {
                ""
            };
            parts.push(format!("{a}{s}{b}{s}{c}{assumed}"));
        }
        if self.month_names {
            parts.push("dates with month names".into());
        }
        if parts.is_empty() {
            return "year".into();
        }
        parts.join(", ")
    }
}

// ---------------------------------------------------------------- durations

/// A unit word's worth in minutes: hours, minutes and seconds in the
/// supported languages.
fn unit_minutes(word: &str) -> Option<f64> {
    let folded: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold)
        .collect();
    let w = folded.trim_end_matches('.');
    Some(match w {
        "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "stunde" | "stunden" | "heure"
        | "heures" | "hora" | "horas" | "ora" | "ore" | "uur" | "u" => 60.0,
        "m" | "min" | "mins" | "minute" | "minutes" | "minuten" | "minuti" | "minuto"
        | "minutos" | "mn" => 1.0,
        "s" | "sec" | "secs" | "second" | "seconds" | "sek" | "seg" => 1.0 / 60.0,
        _ => return None,
    })
}

/// A running time in minutes, and how it was written: `142`, `142 min`,
/// `2h 22m`, `2 Std. 22 Min.`, `2:22`, `PT2H22M`.
pub fn parse_duration(value: &str) -> Option<(f64, DurationStyle)> {
    let v = value.trim();
    let minutes = |m: f64| (m.is_finite() && m >= 0.0).then_some(m);
    // Plain minutes, the common case, as the standard library reads them.
    if v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return v
            .parse::<f64>()
            .ok()
            .and_then(minutes)
            .map(|m| (m, DurationStyle::Minutes));
    }
    if let Some(iso) = v
        .strip_prefix("PT")
        .or_else(|| v.strip_prefix("pt"))
        .or_else(|| v.strip_prefix("P0DT"))
    {
        let mut total = 0.0;
        let mut number = String::new();
        let mut units = 0;
        for c in iso.chars() {
            match c.to_ascii_uppercase() {
                '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
                unit @ ('H' | 'M' | 'S') => {
                    let n: f64 = number.parse().ok()?;
                    number.clear();
                    units += 1;
                    total += n * match unit {
                        'H' => 60.0,
                        'M' => 1.0,
                        _ => 1.0 / 60.0,
                    };
                }
                _ => return None,
            }
        }
        return (number.is_empty() && units > 0)
            .then_some(())
            .and(minutes(total))
            .map(|m| (m, DurationStyle::Iso));
    }
    if v.contains(':') {
        let parts: Vec<&str> = v.split(':').collect();
        if parts.len() > 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let n: Vec<f64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let m = n[0] * 60.0 + n[1] + n.get(2).map_or(0.0, |s| s / 60.0);
        return (n[1] < 60.0)
            .then_some(())
            .and(minutes(m))
            .map(|m| (m, DurationStyle::Clock));
    }
    // Numbers, each with an optional unit: `142`, `142 min`, `2h 22m`, `2 h 22`.
    let mut total = 0.0;
    let mut pending: Option<f64> = None;
    let (mut hours, mut units) = (false, false);
    let mut rest = v;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(rest.len());
        if digits > 0 {
            if pending.is_some() {
                return None;
            }
            let number = rest[..digits].replace(',', ".");
            pending = Some(number.parse().ok()?);
            rest = &rest[digits..];
            continue;
        }
        let word_end = rest
            .find(|c: char| !(c.is_alphabetic() || c == '.'))
            .unwrap_or(rest.len());
        if word_end == 0 {
            return None;
        }
        let unit = unit_minutes(&rest[..word_end])?;
        total += pending.take()? * unit;
        hours |= unit == 60.0;
        units = true;
        rest = &rest[word_end..];
    }
    if let Some(n) = pending {
        // A bare number after hours is minutes (`2h 22`); alone it is minutes too.
        total += n;
    } else if !units {
        return None;
    }
    let style = match (units, hours) {
        (false, _) => DurationStyle::Minutes,
        (true, false) => DurationStyle::MinutesWithUnit,
        (true, true) => DurationStyle::HoursMinutes,
    };
    minutes(total).map(|m| (m, style))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number_format(values: &[&str]) -> NumberFormat {
        NumberFormat::detect(values, FileHints::default())
    }

    #[test]
    fn decimal_commas_are_told_from_thousands_separators() {
        let german = number_format(&["8,1", "7,25", "9", "1.234,5"]);
        assert_eq!(german.decimal, Decimal::Comma);
        assert_eq!(german.describe(), "decimal comma, thousands '.'");
        assert_eq!(german.parse("8,1"), Some(8.1));
        assert_eq!(german.parse("1.234,5"), Some(1234.5));
        assert_eq!(german.parse("2.000.000"), Some(2_000_000.0));
        assert_eq!(german.parse("9"), Some(9.0));
        // Under a decimal comma, `8.1` is no number: a dot groups thousands.
        assert_eq!(german.parse("8.1"), None);

        let english = number_format(&["28,341,469", "1,234", "8.1"]);
        assert_eq!(english.decimal, Decimal::Point);
        assert_eq!(english.describe(), "number, thousands ','");
        assert_eq!(english.parse("28,341,469"), Some(28_341_469.0));
        assert_eq!(english.parse("1,234"), Some(1234.0));
        assert_eq!(english.parse("8,1"), None);
        assert_eq!(english.parse("1,23,4"), None);
    }

    #[test]
    fn plain_numbers_vote_as_the_general_reading_does() {
        for v in [
            "12", "-12", "+5", "0.12", "-0.123", "0.123", "00.123", "1.234", "-1.234", "12.345",
            "123.456", "1234.567", "1.2345", "12.5", ".5", "-.5", "5.", "1.5e3", "1e3", "inf",
            "NaN", ".",
        ] {
            assert_eq!(number_vote(v), general_vote(v), "{v}");
        }
    }

    #[test]
    fn undecided_values_follow_the_file() {
        // `1.234` alone says nothing: a point, unless the file writes decimal commas.
        let alone = number_format(&["1.234", "2.500"]);
        assert_eq!(alone.parse("1.234"), Some(1.234));
        let in_german_file = NumberFormat::detect(
            &["1.234", "2.500"],
            FileHints::detect(&[vec!["8,1", "7,5"], vec!["1.234", "2.500"]]),
        );
        assert_eq!(in_german_file.decimal, Decimal::Comma);
        assert_eq!(in_german_file.parse("1.234"), Some(1234.0));
        // Dates and plain years do not vote.
        assert_eq!(
            FileHints::detect(&[vec!["16.07.2008", "1995"]]),
            FileHints::default()
        );
    }

    #[test]
    fn currency_percent_and_spaces_are_removed() {
        let dollars = number_format(&["$28,341,469", "$1,000"]);
        assert_eq!(dollars.parse("$28,341,469"), Some(28_341_469.0));
        assert_eq!(dollars.describe(), "number, thousands ',', '$' removed");
        let euros = number_format(&["28.341.469 €", "1.500,50 €"]);
        assert_eq!(euros.parse("28.341.469 €"), Some(28_341_469.0));
        assert_eq!(euros.parse("1.500,50 €"), Some(1500.5));
        assert_eq!(euros.parse("-3,5 €"), Some(-3.5));
        let french = number_format(&["1 234,5", "12 000"]);
        assert_eq!(french.decimal, Decimal::Comma);
        assert_eq!(french.parse("1\u{a0}234,5"), Some(1234.5));
        assert_eq!(number_format(&["87%"]).parse("87%"), Some(87.0));
        assert_eq!(number_format(&["1e308"]).parse("1e308"), Some(1e308));
        for nothing in ["", "$", "abc", "inf", "NaN", "1e999", "--5", "1,,2"] {
            assert_eq!(english().parse(nothing), None, "{nothing}");
        }
    }

    fn english() -> NumberFormat {
        number_format(&["1.5"])
    }

    fn date_format(values: &[&str]) -> DateFormat {
        DateFormat::detect(values, FileHints::default())
    }

    #[test]
    fn a_day_over_twelve_decides_the_order() {
        let german = date_format(&["16.07.2008", "01.02.2003"]);
        assert_eq!(german.order, Some(DateOrder::DayMonthYear));
        assert_eq!(german.describe(), "day.month.year");
        assert_eq!(german.year("16.07.2008"), Some(2008));
        let us = date_format(&["07/16/2008", "02/01/2003"]);
        assert_eq!(us.order, Some(DateOrder::MonthDayYear));
        assert_eq!(us.describe(), "month/day/year");
        let iso = date_format(&["1998-06-12", "2008-07-16T00:00:00"]);
        assert_eq!(iso.describe(), "year-month-day");
        assert_eq!(iso.year("2008-07-16T00:00:00"), Some(2008));
        assert_eq!(iso.year("2009-12-10"), Some(2009));
        assert_eq!(iso.year("2009-13-10"), None);
        assert_eq!(iso.year("+200-01-01"), None);
    }

    #[test]
    fn when_nothing_decides_the_order_is_assumed_and_said() {
        let slashes = date_format(&["01/02/2003", "03/04/2005"]);
        assert_eq!(slashes.order, Some(DateOrder::MonthDayYear));
        assert_eq!(
            slashes.describe(),
            "month/day/year (assumed: no day over 12)"
        );
        let in_european_file = DateFormat::detect(
            &["01/02/2003"],
            FileHints {
                decimal_comma: true,
            },
        );
        assert_eq!(in_european_file.order, Some(DateOrder::DayMonthYear));
        assert_eq!(
            date_format(&["01.02.2003"]).describe(),
            "day.month.year (assumed: no day over 12)"
        );
    }

    #[test]
    fn month_names_in_every_language_and_years_alone() {
        let f = date_format(&["Jun 12 1998", "12 June 1998", "June 12, 1998", "1995"]);
        assert!(f.month_names && f.years);
        assert_eq!(f.describe(), "year, dates with month names");
        for (value, year) in [
            ("Jun 12 1998", 1998),
            ("12 June 1998", 1998),
            ("16. Juli 2008", 2008),
            ("16 juillet 2008", 2008),
            ("3 août 1999", 1999),
            ("12 de junio de 1998", 1998),
            ("12 giugno 1998", 1998),
            ("12 de junho de 1998", 1998),
            ("12 maart 1998", 1998),
            ("Tue, 16 Jul 2008", 2008),
            ("1995", 1995),
            ("16.07.08", 2008),
            ("16.07.98", 1998),
        ] {
            assert_eq!(f.year(value), Some(year), "{value}");
        }
        for nothing in [
            "",
            "Heat",
            "13/13/2008",
            "32.01.2008",
            "12 Smarch 1998",
            "1,995",
            "99",
        ] {
            assert_eq!(f.year(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn durations_in_every_style_become_minutes() {
        for (value, minutes, style) in [
            ("142", 142.0, DurationStyle::Minutes),
            ("142.5", 142.5, DurationStyle::Minutes),
            ("142 min", 142.0, DurationStyle::MinutesWithUnit),
            ("142 Minuten", 142.0, DurationStyle::MinutesWithUnit),
            ("2h 22m", 142.0, DurationStyle::HoursMinutes),
            ("2h22", 142.0, DurationStyle::HoursMinutes),
            ("2 Std. 22 Min.", 142.0, DurationStyle::HoursMinutes),
            ("1 hr 30 mins", 90.0, DurationStyle::HoursMinutes),
            ("2 heures 22 minutes", 142.0, DurationStyle::HoursMinutes),
            ("2:22", 142.0, DurationStyle::Clock),
            ("2:22:30", 142.5, DurationStyle::Clock),
            ("PT142M", 142.0, DurationStyle::Iso),
            ("PT2H22M", 142.0, DurationStyle::Iso),
            ("PT2H22M30S", 142.5, DurationStyle::Iso),
        ] {
            assert_eq!(parse_duration(value), Some((minutes, style)), "{value}");
        }
        for nothing in [
            "",
            "2 Seasons",
            "long",
            "2:75",
            "PT",
            "PT2X",
            "-5",
            "h",
            "1:2:3:4",
            "2 2",
        ] {
            assert_eq!(parse_duration(nothing), None, "{nothing}");
        }
        let f = ColumnFormat::detect(
            ValueKind::Duration,
            &["2h 22m", "1h 57m", "96 min"],
            FileHints::default(),
        );
        assert_eq!(f.describe(), "minutes from '2h 22m' and '142 min'");
    }

    #[test]
    fn the_sample_says_how_many_values_a_format_cannot_read() {
        let f = ColumnFormat::detect(ValueKind::Number, &["8,1", "7,5"], FileHints::default());
        let u = f.understand(["8,1", "7,5", "n. a.", "8.1"].into_iter());
        assert_eq!((u.values, u.failed), (4, 2));
        assert_eq!(u.example.as_deref(), Some("n. a."));
        assert_eq!(u.format, "decimal comma");
    }
}
