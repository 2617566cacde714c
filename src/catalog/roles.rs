//! Column roles: what each column of a file means, from the header names
//! of the known datasets and from the values when a name says nothing.

use super::formats::{column_values, parse_duration, DateFormat, FileHints, NumberFormat};
use super::role::ColumnRole;
use super::values::{is_flag, parse_number};
use super::vocabulary::role_named;
use crate::table::{clean, normalise_header, Row};
use std::collections::HashSet;

/// Rows used to infer roles, also when a big file is read record by record.
pub const SAMPLE_ROWS: usize = 500;

/// The role a header name alone implies, if any (see [`super::vocabulary`]).
fn role_from_header(header: &str) -> Option<ColumnRole> {
    let h = normalise_header(header);
    if h.strip_prefix("taste")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(ColumnRole::Taste);
    }
    role_named(header).map(|(role, _)| role)
}

/// Guesses each column's role from its header and a sample of its values.
///
/// Header names decide first (`vote_count` is votes, `release_date` a year);
/// unknown columns are judged by their values: 0/1 columns are genre flags,
/// list-like cells are genres, numbers are numbers, free text is ignored.
/// A role only one column may have goes to the first column that earns it.
///
/// Only the first [`SAMPLE_ROWS`] rows of `sample` are looked at, the
/// sample the record-by-record reader collects, so both paths infer alike.
///
/// ```
/// use reelmeans::{infer_roles, ColumnRole};
/// use reelmeans::Table;
/// let t = Table::parse(b"Film;Jahr;Comedy;Drama\nHeat;1995;0;1\nUp;2009;1;0\n").unwrap();
/// assert_eq!(
///     infer_roles(&t.headers, &t.rows),
///     [ColumnRole::Title, ColumnRole::Year, ColumnRole::GenreFlag, ColumnRole::GenreFlag]
/// );
/// ```
pub fn infer_roles(headers: &[String], sample: &[Row]) -> Vec<ColumnRole> {
    let sample = &sample[..sample.len().min(SAMPLE_ROWS)];
    let columns: Vec<Vec<&str>> = (0..headers.len())
        .map(|c| column_values(sample, c))
        .collect();
    let hints = FileHints::detect(&columns);
    let mut roles: Vec<ColumnRole> = headers
        .iter()
        .enumerate()
        .map(|(col, header)| {
            let values = &columns[col];
            // In the column's own format (`8,1`, `$28,341,469`); `inf` and
            // `NaN` count as numeric here: they become missing values later.
            // Asked only where a role depends on it.
            let mostly_numeric = || {
                let format = NumberFormat::detect(values, hints);
                let numeric = values
                    .iter()
                    .filter(|v| {
                        format.parse(v).is_some()
                            || v.trim_end_matches('%').trim().parse::<f64>().is_ok()
                    })
                    .count();
                !values.is_empty() && numeric * 10 >= values.len() * 9
            };
            let by_words = || {
                // A flag column named after a genre ("genre_action") is a flag.
                let flags = !values.is_empty() && values.iter().all(|v| is_flag(v));
                role_from_header_words(header).filter(|_| !flags)
            };
            match role_from_header(header).or_else(by_words) {
                // A "rating" like PG-13 or TV-MA is a certificate, not a score.
                Some(role @ (ColumnRole::Rating | ColumnRole::Votes | ColumnRole::Runtime))
                    if !values.is_empty() && !mostly_numeric() =>
                {
                    if role == ColumnRole::Runtime
                        && values.iter().any(|v| parse_duration(v).is_some())
                    {
                        ColumnRole::Runtime
                    } else {
                        ColumnRole::Category
                    }
                }
                Some(role) => role,
                None => infer_from_values(header, values, mostly_numeric(), hints),
            }
        })
        .collect();
    let mut seen = HashSet::new();
    for role in roles.iter_mut() {
        if role.is_unique() && !seen.insert(*role) {
            *role = match *role {
                ColumnRole::Year
                | ColumnRole::Rating
                | ColumnRole::Votes
                | ColumnRole::Runtime
                | ColumnRole::Popularity => ColumnRole::Number,
                _ => ColumnRole::Ignore,
            };
        }
    }
    // Genre flags beside a genre list say the same thing twice (reasons
    // would read "Shares Action, isaction"): the list is kept.
    if roles.contains(&ColumnRole::Genres) {
        for role in roles.iter_mut().filter(|r| **r == ColumnRole::GenreFlag) {
            *role = ColumnRole::Ignore;
        }
    }
    // A second list column (TMDB's production_countries) is not genres.
    let mut genre_lists = 0;
    for (col, role) in roles.iter_mut().enumerate() {
        if *role == ColumnRole::Genres {
            genre_lists += 1;
            if genre_lists > 1 && role_from_header(&headers[col]).is_none() {
                *role = ColumnRole::Ignore;
            }
        }
    }
    if !roles.contains(&ColumnRole::Title) {
        // Fall back to the first text column whose values are mostly distinct.
        if let Some(col) = (0..headers.len()).find(|&c| {
            roles[c] == ColumnRole::Ignore && {
                let values: Vec<&str> = sample.iter().filter_map(|r| clean(&r.cells[c])).collect();
                let distinct: HashSet<&&str> = values.iter().collect();
                !values.is_empty()
                    && values.iter().all(|v| parse_number(v).is_none())
                    && distinct.len() * 10 >= values.len() * 8
            }
        }) {
            roles[col] = ColumnRole::Title;
        }
    }
    roles
}

/// A header's words: split at anything but letters and digits, and where
/// lower case turns to upper ("isAction" → is, action).
fn header_words(header: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    let mut previous_lower = false;
    for c in header.chars() {
        if !c.is_alphanumeric() {
            words.push(String::new());
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(String::new());
        }
        previous_lower = c.is_lowercase();
        words
            .last_mut()
            .into_iter()
            .for_each(|w| w.extend(c.to_lowercase()));
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The role a header's words imply when the name as a whole is not a known
/// one: "Major Genre", "Running Time min", "IMDB Rating", "Rating Count",
/// "US Release Date", "Original Title Text".
fn role_from_header_words(header: &str) -> Option<ColumnRole> {
    use ColumnRole::*;
    let words = header_words(header);
    let has = |w: &str| words.iter().any(|x| x == w);
    let role = if has("genre") || has("genres") {
        Genres
    } else if has("runtime")
        || (has("running") && has("time"))
        || has("duration")
        || has("minutes")
        || has("mins")
    {
        Runtime
    } else if has("votes") || ((has("vote") || has("rating") || has("ratings")) && has("count")) {
        Votes
    } else if has("rating") || has("score") {
        Rating
    } else if has("year") || has("date") || has("released") {
        Year
    } else if has("title") && !has("original") {
        Title
    } else if has("language") {
        Language
    } else {
        return None;
    };
    Some(role)
}

/// Whole numbers counting up by one from 0 or 1: a row number (pandas'
/// unnamed index, a spreadsheet's "#"), which says nothing about a movie.
fn is_row_number(values: &[&str]) -> bool {
    let numbers: Vec<i64> = values.iter().map_while(|v| v.trim().parse().ok()).collect();
    numbers.len() == values.len()
        && numbers.len() >= 2
        && numbers[0] <= 1
        && numbers.windows(2).all(|w| w[1] == w[0] + 1)
}

/// Up to `per_column` example values for each of `columns` columns: the
/// first distinct non-empty ones in the sample, so a sparse column shows
/// what it holds, not blanks.
///
/// ```
/// use reelmeans::column_examples;
/// use reelmeans::Table;
/// let t = Table::parse(b"title,budget\nA,\nB,\nC,5\nD,5\nE,7\n").unwrap();
/// assert_eq!(column_examples(2, &t.rows, 2), [vec!["A", "B"], vec!["5", "7"]]);
/// ```
pub fn column_examples(columns: usize, sample: &[Row], per_column: usize) -> Vec<Vec<String>> {
    let sample = &sample[..sample.len().min(SAMPLE_ROWS)];
    (0..columns)
        .map(|col| {
            let mut found: Vec<String> = Vec::new();
            for value in sample
                .iter()
                .filter_map(|r| r.cells.get(col).and_then(|c| clean(c)))
            {
                if found.len() == per_column {
                    break;
                }
                if !found.iter().any(|f| f == value) {
                    found.push(value.to_string());
                }
            }
            found
        })
        .collect()
}

fn infer_from_values(
    header: &str,
    values: &[&str],
    mostly_numeric: bool,
    hints: FileHints,
) -> ColumnRole {
    if values.is_empty() {
        return ColumnRole::Ignore;
    }
    if values.iter().all(|v| is_flag(v)) && !header.trim().is_empty() {
        return ColumnRole::GenreFlag;
    }
    if is_row_number(values) {
        return ColumnRole::Id;
    }
    // Whole numbers all within film history are years, and dates are
    // dates, whatever the column is called.
    let dates = DateFormat::detect(values, hints);
    if values
        .iter()
        .all(|v| dates.year(v).is_some() && (v.len() == 4 || parse_number(v).is_none()))
    {
        return ColumnRole::Year;
    }
    if mostly_numeric {
        return ColumnRole::Number;
    }
    let listy = values
        .iter()
        .filter(|v| v.starts_with('[') || v.contains('|'))
        .count();
    if listy * 2 >= values.len() {
        return ColumnRole::Genres;
    }
    ColumnRole::Ignore
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::table::Table;

    fn roles_of(path: &str) -> (Table, Vec<ColumnRole>) {
        let bytes = std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let table = Table::parse(&bytes).unwrap();
        let roles = infer_roles(&table.headers, &table.rows);
        (table, roles)
    }

    #[test]
    fn header_words_name_the_role_when_the_whole_name_is_unknown() {
        use ColumnRole::*;
        let (t, roles) = roles_of("tests/fixtures/shapes/major_genre.csv");
        assert_eq!(
            roles,
            [Title, Genres, Runtime, Rating, Votes, Year, Number, Number, Ignore]
        );
        let c = Catalog::from_table(&t, &roles).unwrap();
        assert!(
            c.movies().iter().all(|m| !m.genres.is_empty()),
            "a genre per row"
        );
        assert_eq!(c.movies()[0].genres, ["Drama"]);
        assert_eq!(c.movies()[6].genres, ["Black Comedy"]);
        assert_eq!(c.movies()[0].runtime, Some(142.0));
        let words = header_words("isAction Running_Time-min");
        assert_eq!(words, ["is", "action", "running", "time", "min"]);
    }

    #[test]
    fn genre_flags_beside_a_genre_list_are_left_out() {
        let (t, roles) = roles_of("tests/fixtures/shapes/genres_and_flags.csv");
        assert_eq!(
            roles,
            [
                ColumnRole::Title,
                ColumnRole::Genres,
                ColumnRole::Ignore,
                ColumnRole::Ignore,
                ColumnRole::Ignore,
                ColumnRole::Year
            ]
        );
        let c = Catalog::from_table(&t, &roles).unwrap();
        assert!(c
            .movies()
            .iter()
            .flat_map(|m| &m.genres)
            .all(|g| !g.starts_with("is")));
        // Flags alone are still genres.
        let t = Table::parse(
            b"title,isAction,isComedy
Heat,1,0
Up,0,1
",
        )
        .unwrap();
        let roles = infer_roles(&t.headers, &t.rows);
        assert_eq!(roles[1..], [ColumnRole::GenreFlag, ColumnRole::GenreFlag]);
    }

    #[test]
    fn an_unnamed_column_of_row_numbers_is_an_id_not_a_feature() {
        let (t, roles) = roles_of("tests/fixtures/shapes/row_numbers.csv");
        assert_eq!(roles[0], ColumnRole::Id);
        assert!(!roles.contains(&ColumnRole::Number));
        let c = Catalog::from_table(&t, &roles).unwrap();
        assert_eq!(c.movies()[2].id, "2");
        // Years counting up are still years; numbers that skip are numbers.
        assert!(!is_row_number(&["1994", "1995", "1996"]));
        assert!(!is_row_number(&["1", "2", "4"]));
        assert!(is_row_number(&["0", "1", "2"]));
    }

    #[test]
    fn certificates_named_rating_are_categories_not_scores() {
        let t =
            Table::parse(b"title,rating,duration\nA,TV-MA,90 min\nB,PG-13,2 Seasons\n").unwrap();
        assert_eq!(
            infer_roles(&t.headers, &t.rows),
            [ColumnRole::Title, ColumnRole::Category, ColumnRole::Runtime]
        );
        let c = Catalog::from_table(&t, &infer_roles(&t.headers, &t.rows)).unwrap();
        assert_eq!(c.movies()[0].runtime, Some(90.0));
    }
}
