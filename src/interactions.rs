//! Interaction data: who watched, rated or progressed through what.
//!
//! Reads any CSV/TSV with a user column, an item column, a strength (a
//! rating, or a progress such as `0.87` or `87%`) and an optional timestamp;
//! MovieLens `ratings.csv` and the course schema (`studentId,courseId,progress`)
//! need no mapping. Items join a catalog by id, optionally through MovieLens
//! `links.csv` (movieId → tmdbId). Unknown items and malformed rows are
//! counted and reported, never fatal.

use crate::catalog::{parse_number, Catalog};
use crate::catalog::{SkipReason, Skipped};
use crate::table::{clean, normalise_header, Table, TableError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the strength column measures, which decides what counts as "engaged strongly".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Strength {
    /// A rating (MovieLens: 0.5–5); relevant at ≥ 4.0.
    Rating,
    /// A progress in 0..1 (percentages are divided by 100); relevant at ≥ 0.9.
    Progress,
}

impl Strength {
    /// The threshold of a relevant (strong) interaction.
    pub fn relevant_at(self) -> f32 {
        match self {
            Strength::Rating => 4.0,
            Strength::Progress => 0.9,
        }
    }
}

/// One interaction: indices into [`Interactions::users`] and the catalog's movies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// User index.
    pub user: u32,
    /// Catalog index of the item.
    pub item: u32,
    /// Rating or progress.
    pub strength: f32,
    /// Timestamp (any monotonic number); rows without one keep file order.
    pub time: i64,
}

/// Interactions joined to a catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interactions {
    /// User ids, in first-seen order.
    pub users: Vec<String>,
    /// The interactions, in file order.
    pub records: Vec<Interaction>,
    /// Rating or progress.
    pub strength: Strength,
    /// Rows left out (unknown items, unreadable strengths, ...).
    pub issues: Skipped,
}

/// Why an interactions file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InteractionsError {
    /// The bytes are not a usable table.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A required column is missing.
    #[error("the interactions file needs a {0} column (found: {1})")]
    MissingColumn(&'static str, String),
    /// Nothing joined the catalog.
    #[error("no usable interactions: {0}")]
    NoUsableRows(String),
}

/// Header names (as [`normalise_header`] writes them) of the user column.
pub const USER_COLUMNS: &[&str] = &[
    "userid",
    "user",
    "studentid",
    "student",
    "customerid",
    "learnerid",
    "viewerid",
];

/// Header names of the item column.
const ITEM_COLUMNS: &[&str] = &[
    "movieid", "itemid", "item", "courseid", "course", "tmdbid", "tconst", "id", "titleid",
];

/// Header names of the strength column (a rating or a progress).
const STRENGTH_COLUMNS: &[&str] = &[
    "rating",
    "progress",
    "score",
    "strength",
    "watch",
    "watched",
    "completion",
    "stars",
];

/// Header names of the time column.
const TIME_COLUMNS: &[&str] = &["timestamp", "time", "date", "datetime", "ts"];

/// The first of `names` that a header has (names in [`normalise_header`] form).
pub fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| normalise_header(h) == *n))
}

/// A movieId → tmdbId map from MovieLens `links.csv`.
pub fn read_links(bytes: &[u8]) -> Result<HashMap<String, String>, InteractionsError> {
    let table = Table::parse(bytes)?;
    let movie = find_column(&table.headers, &["movieid"])
        .ok_or_else(|| InteractionsError::MissingColumn("movieId", table.headers.join(", ")))?;
    let tmdb = find_column(&table.headers, &["tmdbid"])
        .ok_or_else(|| InteractionsError::MissingColumn("tmdbId", table.headers.join(", ")))?;
    Ok(table
        .rows
        .iter()
        .filter_map(|r| {
            Some((
                clean(&r.cells[movie])?.to_string(),
                clean(&r.cells[tmdb])?.to_string(),
            ))
        })
        .collect())
}

/// A tmdbId → IMDb id (`tt…`) map from MovieLens `links.csv`: what gives a
/// TMDB catalog the IMDb ids personal histories are matched by.
pub fn read_imdb_links(bytes: &[u8]) -> Result<HashMap<String, String>, InteractionsError> {
    let table = Table::parse(bytes)?;
    let column = |name: &'static str, key: &str| {
        find_column(&table.headers, &[key])
            .ok_or_else(|| InteractionsError::MissingColumn(name, table.headers.join(", ")))
    };
    let (imdb, tmdb) = (column("imdbId", "imdbid")?, column("tmdbId", "tmdbid")?);
    Ok(table
        .rows
        .iter()
        .filter_map(|r| {
            Some((
                clean(&r.cells[tmdb])?.to_string(),
                crate::catalog::imdb_id(clean(&r.cells[imdb])?)?,
            ))
        })
        .collect())
}

impl Interactions {
    /// Reads interactions and joins them to `catalog` by item id (through `links` when given).
    pub fn parse(
        bytes: &[u8],
        catalog: &Catalog,
        links: Option<&HashMap<String, String>>,
    ) -> Result<Interactions, InteractionsError> {
        let table = Table::parse(bytes)?;
        let h = &table.headers;
        let missing = |what| InteractionsError::MissingColumn(what, h.join(", "));
        let user_col = find_column(h, USER_COLUMNS).ok_or_else(|| missing("user"))?;
        let item_col = find_column(h, ITEM_COLUMNS).ok_or_else(|| missing("item"))?;
        let strength_col =
            find_column(h, STRENGTH_COLUMNS).ok_or_else(|| missing("rating or progress"))?;
        let time_col = find_column(h, TIME_COLUMNS);
        let by_progress_name = ["progress", "completion", "watch", "watched"]
            .iter()
            .any(|n| h[strength_col].to_lowercase().contains(n));
        let percent = table
            .rows
            .iter()
            .take(1000)
            .any(|r| r.cells[strength_col].trim().ends_with('%'));
        let strength = if by_progress_name || percent {
            Strength::Progress
        } else {
            Strength::Rating
        };
        let catalog_index: HashMap<&str, u32> = catalog
            .movies()
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i as u32))
            .collect();

        let mut users: Vec<String> = Vec::new();
        let mut user_index: HashMap<String, u32> = HashMap::new();
        let mut records = Vec::with_capacity(table.rows.len());
        let mut issues: Skipped = table.issues.clone().into_report();
        for (order, row) in table.rows.iter().enumerate() {
            let cell = |c: usize| clean(&row.cells[c]);
            let (Some(user), Some(item)) = (cell(user_col), cell(item_col)) else {
                issues.push(row.line, SkipReason::MissingUserOrItem);
                continue;
            };
            let Some(raw) = cell(strength_col) else {
                issues.push(row.line, SkipReason::MissingStrength);
                continue;
            };
            let Some(mut value) = parse_number(raw) else {
                issues.push(row.line, SkipReason::UnreadableStrength(raw.to_string()));
                continue;
            };
            if strength == Strength::Progress && (raw.ends_with('%') || value > 1.0) {
                value /= 100.0;
            }
            let key = links.and_then(|l| l.get(item)).map_or(item, String::as_str);
            let Some(&item) = catalog_index.get(key) else {
                issues.push(row.line, SkipReason::UnknownItem(item.to_string()));
                continue;
            };
            let next = users.len() as u32;
            let user = *user_index.entry(user.to_string()).or_insert_with(|| {
                users.push(user.to_string());
                next
            });
            let time = time_col
                .and_then(cell)
                .and_then(|t| {
                    t.parse::<f64>()
                        .ok()
                        .map(|x| x as i64)
                        .or_else(|| crate::catalog::parse_year(t).map(i64::from))
                })
                .unwrap_or(order as i64);
            records.push(Interaction {
                user,
                item,
                strength: value as f32,
                time,
            });
        }
        if records.is_empty() {
            return Err(InteractionsError::NoUsableRows(if issues.total == 0 {
                "the file has no rows".into()
            } else {
                issues.summary()
            }));
        }
        Ok(Interactions {
            users,
            records,
            strength,
            issues,
        })
    }

    /// Whether an interaction is a strong one (rating ≥ 4, progress ≥ 0.9).
    pub fn is_relevant(&self, record: &Interaction) -> bool {
        record.strength >= self.strength.relevant_at()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::SkipKind;

    fn courses() -> Catalog {
        Catalog::parse(b"courseId,title,categories\nC1,Rust,Programming|Systems\nC2,SQL,Data\nC3,Stats,Data|Maths\n").unwrap()
    }

    #[test]
    fn the_course_schema_reads_percentages_as_progress() {
        let i = Interactions::parse(
            b"studentId,courseId,progress\ns1,C1,87%\ns1,C2,0.95\ns2,C3,100\n",
            &courses(),
            None,
        )
        .unwrap();
        assert_eq!(i.strength, Strength::Progress);
        let values: Vec<f32> = i.records.iter().map(|r| r.strength).collect();
        assert_eq!(values, [0.87, 0.95, 1.0]);
        assert_eq!(i.users, ["s1", "s2"]);
        assert!(!i.is_relevant(&i.records[0]) && i.is_relevant(&i.records[1]));
    }

    #[test]
    fn unknown_items_and_bad_rows_are_counted_not_fatal() {
        let i = Interactions::parse(
            b"userId,movieId,rating\n1,C1,4\n1,C9,5\n2,C2,abc\n2,,3\n",
            &courses(),
            None,
        )
        .unwrap();
        assert_eq!(i.records.len(), 1);
        assert_eq!(i.issues.count(SkipKind::UnknownItem), 1);
        assert_eq!(i.issues.count(SkipKind::UnreadableStrength), 1);
        assert_eq!(i.issues.count(SkipKind::MissingUserOrItem), 1);
    }

    #[test]
    fn a_file_without_a_user_column_is_a_clear_error() {
        let err = Interactions::parse(b"movieId,rating\nC1,4\n", &courses(), None).unwrap_err();
        assert!(err.to_string().contains("needs a user column"), "{err}");
    }
}
