//! Dates as people write them: day, month and year in any common order,
//! month names in seven languages.

use super::*;

/// Month names and their common abbreviations in English, German, French,
/// Spanish, Italian, Portuguese and Dutch, folded to lower-case ASCII.
pub(super) const MONTHS: [&[&str]; 12] = [
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

pub(super) fn month_number(word: &str) -> Option<u32> {
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
pub(super) enum Part {
    Number(u32, usize),
    Month(u32),
}

/// A date as its parts, up to the time of day, with the separator after
/// the first number.
pub(super) fn date_parts(value: &str) -> Option<([Part; 3], usize, Option<char>)> {
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
pub(super) fn full_year(n: u32, digits: usize) -> Option<i32> {
    let year = match digits {
        4 => n as i32,
        2 if n <= 30 => 2000 + n as i32,
        2 => 1900 + n as i32,
        _ => return None,
    };
    (1870..=2100).contains(&year).then_some(year)
}

pub(super) fn valid(day: u32, month: u32) -> bool {
    (1..=31).contains(&day) && (1..=12).contains(&month)
}

/// A date read: its year, and which orders its numbers allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ReadDate {
    year: i32,
    /// Day first allowed (`16.07.2008`), month first allowed (`07.16.2008`).
    orders: (bool, bool),
    numeric: bool,
    named: bool,
    year_only: bool,
    /// Written year first: `2008-07-16`.
    year_first: bool,
}

pub(super) fn read_date(value: &str) -> Option<(ReadDate, Option<char>)> {
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
