//! Running times as people write them: `142`, `142 min`, `2h 22m`,
//! `2 Std. 22 Min.`, `2:22`, `PT2H22M`.

use super::*;

/// A unit word's worth in minutes: hours, minutes and seconds in the
/// supported languages.
pub(super) fn unit_minutes(word: &str) -> Option<f64> {
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
