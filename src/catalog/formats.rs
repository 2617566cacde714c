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

mod dates;
mod durations;
mod numbers;

use super::role::ColumnRole;
use crate::table::{clean, Row};
use crate::text::fold;
pub use durations::parse_duration;
use numbers::*;
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

#[cfg(test)]
mod tests;
