//! Movie catalogs: column roles, their inference, and the typed movie records.
//!
//! A [`Table`] becomes a [`Catalog`] through a list of [`ColumnRole`]s, one
//! per column. [`infer_roles`] guesses them from header names and values;
//! the caller (the app's mapping table, the CLI) may override any of them.
//! TMDB 5000, MovieLens `movies.csv` and IMDb `title.basics.tsv` need no
//! mapping; their companion rating files join through [`Catalog::attach_ratings`].
//!
//! The rooms: `roles` (the header vocabulary and role inference), `values`
//! (cells as people write them), `source` (which dataset, hence links and
//! join keys), `builder` (rows to movies, one at a time), `reader` (a file
//! record by record, for big files), `ratings` (companion ratings files),
//! `stream` (gzip inflated as it is read, and the limit on what is kept)
//! `imdb` (IMDb's full dumps, filtered and joined as they stream) and
//! `json` (arrays of objects and JSON Lines, as the table they become),
//! `sheet` (a spreadsheet's sheet, as the CSV it becomes), `formats` (how a column writes its numbers, dates and running times)
//! and `vocabulary` (header names in seven languages).

mod builder;
pub mod formats;
pub mod imdb;
pub mod json;
mod ratings;
mod reader;
mod role;
mod roles;
pub mod sheet;
mod skipped;
mod source;
pub mod stream;
mod values;
mod vocabulary;

pub(crate) use builder::imdb_id;
use builder::CatalogBuilder;
pub use imdb::{ImdbFilter, ImdbRatings};
pub use role::ColumnRole;
pub use roles::{column_examples, infer_roles, SAMPLE_ROWS};
pub use skipped::{SkipKind, SkipReason, Skipped};
pub use source::Source;
pub use values::{parse_number, parse_year, split_genres};
pub use vocabulary::header_key;
pub(crate) use vocabulary::role_named;

use crate::table::{Table, TableError};
use serde::{Deserialize, Serialize};

/// One movie, typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movie {
    /// Identifier from the id column, or the 1-based row number when there is none.
    pub id: String,
    /// Title (never empty).
    pub title: String,
    /// Release year.
    pub year: Option<i32>,
    /// Genres, deduplicated, in file order.
    pub genres: Vec<String>,
    /// Language (or country) code.
    pub language: Option<String>,
    /// Running time in minutes.
    pub runtime: Option<f64>,
    /// Mean rating.
    pub rating: Option<f64>,
    /// Number of votes.
    pub votes: Option<f64>,
    /// Popularity score.
    pub popularity: Option<f64>,
    /// Values of the `Number` columns, in [`Catalog::number_columns`] order.
    pub numbers: Vec<Option<f64>>,
    /// Values of the `Category` columns, in [`Catalog::category_columns`] order.
    pub categories: Vec<Option<String>>,
    /// Taste factors, scaled to unit length when read, or empty when the title has none.
    #[serde(default)]
    pub taste: Vec<f32>,
    /// The factors were borrowed from similar titles: nobody interacted with this one.
    #[serde(default)]
    pub taste_borrowed: bool,
    /// The title's IMDb id (`tt0114709`), from an `imdb_id` column beside
    /// another id (the default catalog's, from MovieLens' links): what
    /// matches an IMDb or Trakt history to a TMDB catalog.
    #[serde(default)]
    pub imdb: Option<String>,
}

/// A list of movies and what was learnt reading it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The movies, in file order (private: `lines` must keep their count).
    movies: Vec<Movie>,
    /// Which dataset the ids belong to.
    pub source: Source,
    /// Names of the `Number` columns.
    pub number_columns: Vec<String>,
    /// Names of the `Category` columns.
    pub category_columns: Vec<String>,
    /// Rows that were left out, with reasons.
    pub issues: Skipped,
    /// Columns with cells their format could not read (kept as missing).
    #[serde(default)]
    pub unread: Vec<UnreadValues>,
    /// The line of the file each movie's row starts on, in movie order
    /// (rising): what lets an export give back the file's own columns.
    #[serde(default)]
    lines: Vec<u64>,
}

/// Cells of one column that its detected format could not read: the
/// title keeps its row, the value is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadValues {
    /// The column.
    pub column: String,
    /// Its format, in words (see [`formats::ColumnFormat::describe`]).
    pub format: String,
    /// How many cells were not read.
    pub count: usize,
    /// The first of them.
    pub example: String,
}

/// Why a table cannot become a catalog.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    /// The bytes are not a usable table.
    #[error(transparent)]
    Table(#[from] TableError),
    /// No column holds titles.
    #[error(
        "no title column: name one column \"title\" or choose the title column in the mapping"
    )]
    NoTitle,
    /// Two columns were given a role only one column may have.
    #[error("columns '{first}' and '{second}' are both marked as {role}; only one column can be the {role}")]
    DuplicateRole {
        /// The role name.
        role: &'static str,
        /// The first column with that role.
        first: String,
        /// The second column with that role.
        second: String,
    },
    /// The role list does not match the table's columns.
    #[error("{given} column roles were given for a file with {expected} columns")]
    RoleCount {
        /// Roles given.
        given: usize,
        /// Columns in the file.
        expected: usize,
    },
    /// Every row was left out.
    #[error("no usable rows: {0}")]
    NoUsableRows(String),
    /// A file could not be read to its end (a gzip file cut short or damaged).
    #[error("{0}")]
    Unreadable(String),
    /// The file is JSON but not a list of movies.
    #[error("the file looks like JSON but is not a list of movies: {0}")]
    Json(String),
    /// The file is a spreadsheet that cannot be read.
    #[error("the spreadsheet cannot be read: {0}")]
    Spreadsheet(String),
    /// More would be kept than a catalog may hold.
    #[error("the catalog would be too big: {0}")]
    TooBig(String),
    /// A companion ratings file has neither known schema.
    #[error("the ratings file needs columns movieId and rating (MovieLens) or tconst, averageRating and numVotes (IMDb); it has: {0}")]
    UnknownRatings(String),
}

impl Catalog {
    /// The movies, in file order.
    pub fn movies(&self) -> &[Movie] {
        &self.movies
    }

    /// The movies, to change in place (never to add or remove one: each
    /// keeps the line it was read from).
    pub fn movies_mut(&mut self) -> &mut [Movie] {
        &mut self.movies
    }

    /// The line of the file each movie's row starts on, in movie order.
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }

    /// Reads a catalog file with inferred roles (record by record, see [`Catalog::parse_streaming`]).
    pub fn parse(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        Catalog::parse_streaming(bytes.to_vec(), None, &mut |_| {}).map(|(catalog, _)| catalog)
    }

    /// Builds a catalog from a table and one role per column.
    pub fn from_table(table: &Table, roles: &[ColumnRole]) -> Result<Catalog, CatalogError> {
        let mut builder = CatalogBuilder::new(&table.headers, roles, &table.rows)?;
        for row in &table.rows {
            builder.push(row.line, &row.cells);
        }
        builder.finish(table.issues.clone().into_report())
    }

    /// Taste factors per title (0 when no title has any).
    pub fn taste_dims(&self) -> usize {
        self.movies.iter().map(|m| m.taste.len()).max().unwrap_or(0)
    }

    /// Number of movies.
    pub fn len(&self) -> usize {
        self.movies.len()
    }

    /// True when there are no movies (never true for a catalog built by this module).
    pub fn is_empty(&self) -> bool {
        self.movies.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_unique_roles_are_rejected_with_both_names() {
        let t = Table::parse(b"a,b\nx,y\n").unwrap();
        let err = Catalog::from_table(&t, &[ColumnRole::Title, ColumnRole::Title]).unwrap_err();
        assert!(err.to_string().contains("'a' and 'b'"), "{err}");
    }

    #[test]
    fn missing_title_column_is_an_error() {
        let t = Table::parse(b"year,rating\n1999,7\n").unwrap();
        assert_eq!(
            Catalog::from_table(&t, &infer_roles(&t.headers, &t.rows)),
            Err(CatalogError::NoTitle)
        );
    }

    #[test]
    fn rows_without_titles_and_repeated_ids_are_reported() {
        let c = Catalog::parse(b"id,title\n1,Alien\n2,\n1,Heat\n3,Up\n").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.issues.total, 2);
        assert_eq!(c.issues.count(SkipKind::NoTitle), 1);
        assert_eq!(c.issues.count(SkipKind::DuplicateId), 1);
        assert_eq!(c.issues.examples[0].line, 3);
    }

    #[test]
    fn negative_counts_and_non_finite_numbers_are_missing() {
        let c = Catalog::parse(b"title,votes,rating\nA,-5,inf\nB,10,NaN\nC,3,1e308\n").unwrap();
        assert_eq!(c.movies[0].votes, None);
        assert_eq!(c.movies[0].rating, None);
        assert_eq!(c.movies[1].rating, None);
        assert_eq!(c.movies[2].rating, Some(1e308));
    }
}
