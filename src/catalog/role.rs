//! [`ColumnRole`]: what a column means to the recommender. Its own module,
//! so that format detection, the header vocabularies and role inference can
//! all name it without importing one another.

use serde::{Deserialize, Serialize};

/// What a column means to the recommender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnRole {
    /// Not used.
    Ignore,
    /// A stable identifier (TMDB id, IMDb `tconst`, MovieLens `movieId`).
    Id,
    /// The title shown to users.
    Title,
    /// A year, or a release date from which the year is taken.
    Year,
    /// Several genres in one cell: `A|B`, `A, B`, `[A, B]` or TMDB's JSON list.
    Genres,
    /// A 0/1 or true/false column named after one genre.
    GenreFlag,
    /// One language (or country) code or name per title.
    Language,
    /// Running time in minutes (`90 min` is read as 90).
    Runtime,
    /// Mean rating.
    Rating,
    /// Number of votes or ratings.
    Votes,
    /// A popularity score.
    Popularity,
    /// Any other number (budget, revenue, ...).
    Number,
    /// Any other single category (country, certificate, ...).
    Category,
    /// One taste factor (`taste_1`, `taste_2`, ...): coordinates learnt from
    /// who interacted with the title (see [`crate::taste`]).
    Taste,
}

impl ColumnRole {
    /// Every role, in the order the mapping table offers them.
    pub const ALL: [ColumnRole; 14] = [
        ColumnRole::Ignore,
        ColumnRole::Id,
        ColumnRole::Title,
        ColumnRole::Year,
        ColumnRole::Genres,
        ColumnRole::GenreFlag,
        ColumnRole::Language,
        ColumnRole::Runtime,
        ColumnRole::Rating,
        ColumnRole::Votes,
        ColumnRole::Popularity,
        ColumnRole::Number,
        ColumnRole::Category,
        ColumnRole::Taste,
    ];

    /// A short lowercase name, as used in the CLI and the mapping table.
    pub fn name(self) -> &'static str {
        match self {
            ColumnRole::Ignore => "ignore",
            ColumnRole::Id => "id",
            ColumnRole::Title => "title",
            ColumnRole::Year => "year",
            ColumnRole::Genres => "genres",
            ColumnRole::GenreFlag => "genre-flag",
            ColumnRole::Language => "language",
            ColumnRole::Runtime => "runtime",
            ColumnRole::Rating => "rating",
            ColumnRole::Votes => "votes",
            ColumnRole::Popularity => "popularity",
            ColumnRole::Number => "number",
            ColumnRole::Category => "category",
            ColumnRole::Taste => "taste",
        }
    }

    /// What the role does with a column, in words for the mapping table.
    pub fn explain(self) -> &'static str {
        match self {
            ColumnRole::Ignore => "not used",
            ColumnRole::Id => "identifies a title (kept in links and exports, not compared)",
            ColumnRole::Title => "the name shown and searched",
            ColumnRole::Year => {
                "a year, or a date whose year is used: titles from the same era are closer"
            }
            ColumnRole::Genres => {
                "one or more genres per title: shared genres bring titles together"
            }
            ColumnRole::GenreFlag => "a 0/1 column named after one genre",
            ColumnRole::Language => "one language per title: the most common ones are compared",
            ColumnRole::Runtime => "running time in minutes",
            ColumnRole::Rating => "an average score: weighted by its votes, then compared",
            ColumnRole::Votes => "how many people rated it: how well known it is",
            ColumnRole::Popularity => "a popularity score",
            ColumnRole::Number => "any other quantity (budget, revenue, ...), scaled and compared",
            ColumnRole::Category => {
                "any other single label (country, certificate, ...): the most common are compared"
            }
            ColumnRole::Taste => "a taste factor learnt from who watched what",
        }
    }

    /// The role with this [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<ColumnRole> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Roles that at most one column may have.
    pub(super) fn is_unique(self) -> bool {
        !matches!(
            self,
            ColumnRole::Ignore
                | ColumnRole::Genres
                | ColumnRole::GenreFlag
                | ColumnRole::Number
                | ColumnRole::Category
                | ColumnRole::Taste
        )
    }
}
