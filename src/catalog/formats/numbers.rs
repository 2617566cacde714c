//! Numbers as people write them: decimal commas, thousands separators,
//! currency and percent signs.

use super::*;

/// What one value says about the decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vote {
    /// Not a number, or a number with no mark at all.
    Nothing,
    /// `1,234` or `1.234`: a number either way, the mark undecided.
    Undecided,
    /// The value is a number only with this mark, or says so outright.
    Decides(Decimal),
}

/// Currency symbols and codes removed from either end of a number.
pub(super) const CURRENCIES: [&str; 16] = [
    "US$", "R$", "CA$", "A$", "$", "€", "£", "¥", "₹", "₩", "₽", "CHF", "USD", "EUR", "GBP", "kr",
];

/// Spaces people put between groups of thousands (`1 234`, `1'234`).
pub(super) fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'')
}

/// The value without its currency and percent sign, and what was removed.
pub(super) fn strip_affixes(value: &str) -> (&str, Option<&'static str>, bool) {
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
pub(super) fn number_with(value: &str, decimal: Decimal) -> Option<f64> {
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

pub(super) fn number_vote(value: &str) -> Vote {
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
pub(super) fn general_vote(value: &str) -> Vote {
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
