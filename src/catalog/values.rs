//! Cell values as people write them: numbers, years and dates, genre lists,
//! flags, MovieLens titles with their year.

pub(super) fn is_flag(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "0" | "1" | "true" | "false" | "yes" | "no" | "y" | "n" | "t" | "f"
    )
}

pub(super) fn flag_value(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "t" => Some(true),
        "0" | "false" | "no" | "n" | "f" => Some(false),
        _ => None,
    }
}

/// Parses a number as people write them: `7.5`, `1,234` is not accepted (ambiguous), `87%` is 87.
///
/// Non-finite values (`inf`, `NaN`, overflow) are not numbers here.
pub fn parse_number(value: &str) -> Option<f64> {
    let v = value.trim().trim_end_matches('%').trim();
    let parsed: f64 = v.parse().ok()?;
    parsed.is_finite().then_some(parsed)
}

/// The year in a cell: `1995`, `2009-12-10`, `12/10/2009`, `December 10, 2009`.
pub fn parse_year(value: &str) -> Option<i32> {
    value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(|run| run.parse::<i32>().ok())
        .find(|y| (1870..=2100).contains(y))
}

/// Splits a genres cell: TMDB JSON `[{"id": 28, "name": "Action"}]`, `["A","B"]`, `[A, B]`, `A|B`, `A, B`.
///
/// ```
/// use reelmeans::split_genres;
/// assert_eq!(split_genres(r#"[{"id": 28, "name": "Action"}, {"id": 12, "name": "Adventure"}]"#), ["Action", "Adventure"]);
/// assert_eq!(split_genres("Crime|Drama"), ["Crime", "Drama"]);
/// assert_eq!(split_genres("[Crime, Drama]"), ["Crime", "Drama"]);
/// assert_eq!(split_genres(r#"[{"id": 27, "name": "Horror"}, {"id": 53, "na"#), ["Horror"]);
/// assert!(split_genres("(no genres listed)").is_empty());
/// ```
pub fn split_genres(cell: &str) -> Vec<String> {
    let cell = cell.trim();
    if cell.starts_with('[') {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(cell)
        {
            return dedup(items.iter().filter_map(|item| match item {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(map) => {
                    map.get("name").and_then(|n| n.as_str()).map(str::to_string)
                }
                _ => None,
            }));
        }
    }
    // A truncated TMDB list (`[{"id": 27, "name": "Horror"}` without its `]`) still names its genres.
    if cell.starts_with('[') && cell.contains("\"name\"") {
        return dedup(cell.split("\"name\"").skip(1).filter_map(|rest| {
            let value = rest
                .trim_start()
                .strip_prefix(':')?
                .trim_start()
                .strip_prefix('"')?;
            value.split('"').next().map(str::to_string)
        }));
    }
    let inner = cell.trim_start_matches('[').trim_end_matches(']');
    let separator = ['|', ',', ';', '/']
        .into_iter()
        .find(|&s| inner.contains(s))
        .unwrap_or('|');
    dedup(inner.split(separator).map(|g| {
        g.trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .to_string()
    }))
}

pub(super) fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let lower = item.to_lowercase();
        if item.is_empty() || lower == "(no genres listed)" || lower == "\\n" {
            continue;
        }
        if !out.iter().any(|g| g.eq_ignore_ascii_case(&item)) {
            out.push(item);
        }
    }
    out
}

/// A MovieLens title ends in the year: `Toy Story (1995)`.
pub(super) fn split_title_year(title: &str) -> (String, Option<i32>) {
    let t = title.trim();
    if let Some(open) = t.rfind('(') {
        let inner = t[open + 1..].trim_end_matches(')').trim();
        if t.ends_with(')') && inner.len() == 4 {
            if let Ok(year) = inner.parse::<i32>() {
                if (1870..=2100).contains(&year) {
                    return (t[..open].trim().to_string(), Some(year));
                }
            }
        }
    }
    (t.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_come_from_dates_in_many_formats() {
        assert_eq!(parse_year("12/10/2009"), Some(2009));
        assert_eq!(parse_year("2009-12-10"), Some(2009));
        assert_eq!(parse_year("December 10, 2009"), Some(2009));
        assert_eq!(parse_year("1995"), Some(1995));
        assert_eq!(parse_year("12345"), None);
        assert_eq!(parse_year("0999"), None);
    }

    #[test]
    fn movielens_titles_lose_their_year_suffix() {
        assert_eq!(
            split_title_year("Toy Story (1995)"),
            ("Toy Story".into(), Some(1995))
        );
        assert_eq!(split_title_year("Babylon 5"), ("Babylon 5".into(), None));
        assert_eq!(
            split_title_year("Big Bang Theory (2007- )"),
            ("Big Bang Theory (2007- )".into(), None)
        );
    }
}
