//! A person's own history: the exports of Letterboxd, IMDb, Trakt and
//! Netflix (or any CSV with titles) read as they are downloaded, matched to
//! the catalog in use, and turned into a profile that ranks the whole
//! catalog ("For you") and the person's watchlist.
//!
//! The rooms, bottom up: `read` (the exports' layouts, a ZIP as a whole,
//! dates as each service writes them: bytes in, [`Entry`]s out), `matching`
//! (entries to catalog titles: by IMDb or TMDB id where both sides have
//! one, else by title and year, forgiving how titles are written; a row
//! that could be two titles is reported, never guessed), `profile` (how
//! much each matched title says about the person's taste) and `for_you`
//! (the ranked lists, their reasons, the filters, and the list as a CSV
//! Letterboxd's importer reads).
//!
//! Nothing here reaches a network: the app runs it in its catalog worker,
//! the CLI on files.

mod for_you;
mod matching;
mod profile;
mod read;

#[cfg(test)]
mod tests;

pub use for_you::{for_you, letterboxd_csv, watchlist_first, Because, Filters, Suggestion};
pub use matching::{match_history, title_key, MatchReport, Matched, Outcome, Unmatched};
pub use profile::Profile;
pub use read::{read_history, HistoryError};

use serde::{Deserialize, Serialize};

/// Which list of the person's a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shelf {
    /// Rated (a rating on the row).
    Rated,
    /// Watched, without a rating (a diary entry, a viewing, a play).
    Watched,
    /// Liked (Letterboxd's hearts).
    Liked,
    /// Wants to watch: not taste, a list to rank.
    Watchlist,
}

/// One row of an export, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The title as the export writes it.
    pub title: String,
    /// Release year, when the export has one.
    pub year: Option<i32>,
    /// IMDb id (`tt…`), when the export has one.
    pub imdb: Option<String>,
    /// TMDB id, when the export has one.
    pub tmdb: Option<String>,
    /// The rating as a share of the service's top rating (Letterboxd's
    /// 3.5 of 5 is 0.7, IMDb's 7 of 10 is 0.7).
    pub rating: Option<f32>,
    /// When it was rated, watched or listed, in days since 1970-01-01.
    pub day: Option<i32>,
    /// Which list it comes from.
    pub shelf: Shelf,
    /// A film; `false` for series, episodes, trailers and games, which are
    /// counted and left out.
    pub film: bool,
}

/// Whose export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// Letterboxd's ZIP, or a CSV from it.
    Letterboxd,
    /// IMDb's ratings, watchlist or list export.
    Imdb,
    /// Trakt's JSON export.
    Trakt,
    /// Netflix's viewing history or viewing activity.
    Netflix,
    /// Any CSV with a title column.
    Plain,
}

impl ExportFormat {
    /// The service's name, for the match report.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Letterboxd => "Letterboxd",
            ExportFormat::Imdb => "IMDb",
            ExportFormat::Trakt => "Trakt",
            ExportFormat::Netflix => "Netflix",
            ExportFormat::Plain => "CSV",
        }
    }
}

/// An export, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Whose export.
    pub format: ExportFormat,
    /// The rows, in file order (a ZIP's files in the order above).
    pub entries: Vec<Entry>,
}

impl History {
    /// Rows of other exports added after these (a second file of the same
    /// person: Trakt's ratings and watchlist, IMDb's ratings and watchlist).
    pub fn merge(&mut self, other: History) {
        if self.entries.is_empty() {
            self.format = other.format;
        }
        self.entries.extend(other.entries);
    }
}
