//! Rows to movies, one at a time: the same code for a whole table and for
//! the record-by-record reader.

use super::formats::{detect_formats, ColumnFormat};
use super::role::ColumnRole;
use super::skipped::{SkipKind, SkipReason, Skipped};
use super::source::{detect_source, Source};
use super::values::{dedup, flag_value, split_genres, split_title_year};
use super::{Catalog, CatalogError, Movie, UnreadValues};
use crate::table::{clean, Row};
use std::collections::{HashMap, HashSet};

/// Anything that hands out cells by column index.
pub trait Cells {
    /// The raw text of column `col` (empty if there is no such column).
    fn cell(&self, col: usize) -> &str;
}

impl Cells for Vec<String> {
    fn cell(&self, col: usize) -> &str {
        self.get(col).map_or("", String::as_str)
    }
}

impl Cells for Vec<&str> {
    fn cell(&self, col: usize) -> &str {
        self.get(col).copied().unwrap_or("")
    }
}

impl Cells for csv::StringRecord {
    fn cell(&self, col: usize) -> &str {
        self.get(col).unwrap_or("")
    }
}

/// Turns rows into movies one at a time (see [`Catalog::from_table`] and
/// [`Catalog::parse_streaming`]).
pub struct CatalogBuilder {
    headers: Vec<String>,
    source: Source,
    title_col: usize,
    id_col: Option<usize>,
    year_col: Option<usize>,
    language_col: Option<usize>,
    runtime_col: Option<usize>,
    rating_col: Option<usize>,
    votes_col: Option<usize>,
    popularity_col: Option<usize>,
    number_cols: Vec<usize>,
    category_cols: Vec<usize>,
    genre_cols: Vec<usize>,
    flag_cols: Vec<usize>,
    taste_cols: Vec<usize>,
    type_col: Option<usize>,
    adult_col: Option<usize>,
    taste_borrowed_col: Option<usize>,
    imdb_col: Option<usize>,
    /// How each column writes its values (detected from the sample).
    formats: Vec<ColumnFormat>,
    /// Per column: cells its format could not read, and the first of them.
    unread: Vec<(usize, Option<String>)>,
    /// IMDb's `tvMovie` rows are kept as well as `movie`.
    tv_movies: bool,
    movies: Vec<Movie>,
    /// The line each kept movie's row starts on.
    lines: Vec<u64>,
    issues: Skipped,
    seen_ids: HashSet<String>,
    rows: usize,
}

impl CatalogBuilder {
    /// Checks the roles against the headers; `sample` (the first rows)
    /// shows how each column writes its values (see [`detect_formats`]).
    pub fn new(
        headers: &[String],
        roles: &[ColumnRole],
        sample: &[Row],
    ) -> Result<CatalogBuilder, CatalogError> {
        if roles.len() != headers.len() {
            return Err(CatalogError::RoleCount {
                given: roles.len(),
                expected: headers.len(),
            });
        }
        let mut first_with: HashMap<ColumnRole, usize> = HashMap::new();
        for (col, role) in roles.iter().enumerate() {
            if role.is_unique() {
                if let Some(&first) = first_with.get(role) {
                    return Err(CatalogError::DuplicateRole {
                        role: role.name(),
                        first: headers[first].clone(),
                        second: headers[col].clone(),
                    });
                }
                first_with.insert(*role, col);
            }
        }
        let Some(&title_col) = first_with.get(&ColumnRole::Title) else {
            return Err(CatalogError::NoTitle);
        };
        let col_of = |role| first_with.get(&role).copied();
        let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        Ok(CatalogBuilder {
            source: detect_source(headers, roles),
            title_col,
            id_col: col_of(ColumnRole::Id),
            year_col: col_of(ColumnRole::Year),
            language_col: col_of(ColumnRole::Language),
            runtime_col: col_of(ColumnRole::Runtime),
            rating_col: col_of(ColumnRole::Rating),
            votes_col: col_of(ColumnRole::Votes),
            popularity_col: col_of(ColumnRole::Popularity),
            number_cols: cols_with(roles, ColumnRole::Number),
            category_cols: cols_with(roles, ColumnRole::Category),
            genre_cols: cols_with(roles, ColumnRole::Genres),
            flag_cols: cols_with(roles, ColumnRole::GenreFlag),
            taste_cols: cols_with(roles, ColumnRole::Taste),
            // IMDb's basics file lists series, episodes and adult titles too.
            type_col: column("titleType"),
            adult_col: column("isAdult"),
            // Read by name beside the taste columns (see `crate::taste`).
            taste_borrowed_col: column("taste_borrowed"),
            // An IMDb id beside the catalog's own (read by name, as the role
            // inference gives a second id column no role).
            imdb_col: ["imdb_id", "imdbId", "imdb"]
                .iter()
                .find_map(|name| column(name))
                .filter(|&c| Some(c) != col_of(ColumnRole::Id)),
            formats: detect_formats(roles, sample),
            unread: vec![(0, None); headers.len()],
            headers: headers.to_vec(),
            tv_movies: false,
            movies: Vec::new(),
            lines: Vec::new(),
            issues: Skipped::default(),
            seen_ids: HashSet::new(),
            rows: 0,
        })
    }

    /// Keeps IMDb's TV movies (`titleType` `tvMovie`) as well as movies.
    pub fn keeping_tv_movies(mut self, keep: bool) -> Self {
        self.tv_movies = keep;
        self
    }

    /// Adds one row (or reports why it is left out).
    pub fn push(&mut self, line: u64, row: &impl Cells) {
        self.rows += 1;
        let cell = |col: usize| clean(row.cell(col));
        if let Some(kind) = self.type_col.and_then(cell) {
            if kind != "movie" && !(self.tv_movies && kind == "tvMovie") {
                self.issues.push_kind(line, SkipKind::NotAMovie, || {
                    SkipReason::NotAMovie(kind.to_string())
                });
                return;
            }
        }
        if self.adult_col.and_then(cell).and_then(flag_value) == Some(true) {
            self.issues.push(line, SkipReason::AdultTitle);
            return;
        }
        let Some(raw_title) = cell(self.title_col) else {
            self.issues.push(line, SkipReason::NoTitle);
            return;
        };
        let (mut title, title_year) = if self.source == Source::MovieLens {
            split_title_year(raw_title)
        } else {
            (raw_title.to_string(), None)
        };
        if title.is_empty() {
            title = raw_title.to_string();
        }
        let id = match self.id_col.and_then(cell) {
            Some(id) => id.to_string(),
            None => self.rows.to_string(),
        };
        if !self.seen_ids.insert(id.clone()) {
            self.issues.push(line, SkipReason::DuplicateId(id));
            return;
        }
        // A cell its column's format cannot read is counted, and missing.
        // (A year column's format is a date format: its number is the year.)
        let (formats, unread) = (&self.formats, &mut self.unread);
        let mut read = |col: Option<usize>| {
            let col = col?;
            let text = cell(col)?;
            let parsed = formats[col].number(text);
            if parsed.is_none() {
                let (count, example) = &mut unread[col];
                *count += 1;
                example.get_or_insert_with(|| text.to_string());
            }
            parsed
        };
        let (rating, votes, popularity, runtime) = (
            read(self.rating_col),
            read(self.votes_col),
            read(self.popularity_col),
            read(self.runtime_col),
        );
        let file_year = read(self.year_col).map(|y| y as i32);
        let numbers: Vec<Option<f64>> = self.number_cols.iter().map(|&c| read(Some(c))).collect();
        let non_negative = |v: Option<f64>| v.filter(|x| *x >= 0.0);
        let mut genres: Vec<String> = self
            .genre_cols
            .iter()
            .filter_map(|&c| cell(c))
            .flat_map(split_genres)
            .collect();
        for &c in &self.flag_cols {
            if cell(c).and_then(flag_value) == Some(true) {
                genres.push(self.headers[c].clone());
            }
        }
        // Factors come whole or not at all: a partial vector would place the
        // title by the factors it happens to have. They are directions
        // (see `crate::taste`): scaled to unit length here, so any numbers a
        // file holds stay on the scale the taste weight assumes.
        let taste: Option<Vec<f64>> = self
            .taste_cols
            .iter()
            .map(|&c| cell(c).and_then(|v| self.formats[c].number(v)))
            .collect();
        let taste: Vec<f32> = taste
            .and_then(|t| {
                // Divided by the largest magnitude first: no overflow or underflow.
                let largest = t.iter().fold(0.0f64, |m, x| m.max(x.abs()));
                let norm = largest * t.iter().map(|x| (x / largest).powi(2)).sum::<f64>().sqrt();
                (largest > 0.0 && norm.is_finite())
                    .then(|| t.iter().map(|x| (x / norm) as f32).collect())
            })
            .unwrap_or_default();
        let imdb = self.imdb_col.and_then(cell).and_then(imdb_id);
        self.lines.push(line);
        self.movies.push(Movie {
            imdb,
            taste_borrowed: !taste.is_empty()
                && self.taste_borrowed_col.and_then(cell).and_then(flag_value) == Some(true),
            taste,
            id,
            title,
            year: file_year.or(title_year),
            genres: dedup(genres.into_iter()),
            language: self.language_col.and_then(cell).map(str::to_string),
            // `142 min`, `2h 22m` and `PT142M` are all a runtime of 142.
            runtime: non_negative(runtime).filter(|r| *r > 0.0),
            rating,
            votes: non_negative(votes),
            popularity: non_negative(popularity),
            numbers,
            categories: self
                .category_cols
                .iter()
                .map(|&c| cell(c).map(str::to_string))
                .collect(),
        });
    }

    /// The catalog, with the rows the reader left out (`reader_issues`) counted first.
    pub fn finish(self, reader_issues: Skipped) -> Result<Catalog, CatalogError> {
        let mut issues = reader_issues;
        issues.merge(self.issues);
        if self.movies.is_empty() {
            let why = if issues.total == 0 {
                "the file has no data rows".to_string()
            } else {
                issues.summary()
            };
            return Err(CatalogError::NoUsableRows(why));
        }
        let unread = self
            .unread
            .into_iter()
            .zip(&self.formats)
            .enumerate()
            .filter_map(|(col, ((count, example), format))| {
                Some(UnreadValues {
                    column: self.headers[col].clone(),
                    format: format.describe(),
                    count,
                    example: example?,
                })
            })
            .collect();
        Ok(Catalog {
            unread,
            movies: self.movies,
            lines: self.lines,
            source: self.source,
            number_columns: self
                .number_cols
                .iter()
                .map(|&c| self.headers[c].clone())
                .collect(),
            category_columns: self
                .category_cols
                .iter()
                .map(|&c| self.headers[c].clone())
                .collect(),
            issues,
        })
    }
}

fn cols_with(roles: &[ColumnRole], role: ColumnRole) -> Vec<usize> {
    roles
        .iter()
        .enumerate()
        .filter(|(_, r)| **r == role)
        .map(|(c, _)| c)
        .collect()
}

/// An IMDb id as IMDb writes it: `tt` and at least seven digits (MovieLens'
/// links drop the `tt` and keep the leading zeros; some files drop both).
pub(crate) fn imdb_id(cell: &str) -> Option<String> {
    let digits = cell.strip_prefix("tt").unwrap_or(cell);
    (!digits.is_empty() && digits.len() <= 10 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("tt{:0>7}", digits))
}
