//! Which public dataset a catalog came from.

use super::role::ColumnRole;
use crate::table::normalise_header;
use serde::{Deserialize, Serialize};

/// Which public dataset a catalog came from; decides the link out and the join key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// TMDB (ids are TMDB movie ids).
    Tmdb,
    /// MovieLens `movies.csv` (ids are MovieLens movie ids).
    MovieLens,
    /// IMDb `title.basics.tsv` (ids are `tt...` tconst values).
    Imdb,
    /// Anything else.
    Other,
}

impl Source {
    /// A page about the movie with this id, when the source has one.
    pub fn link(self, id: &str) -> Option<String> {
        match self {
            Source::Tmdb => Some(format!("https://www.themoviedb.org/movie/{id}")),
            Source::Imdb => Some(format!("https://www.imdb.com/title/{id}/")),
            Source::MovieLens => Some(format!("https://movielens.org/movies/{id}")),
            Source::Other
                if id.starts_with("tt") && id[2..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(format!("https://www.imdb.com/title/{id}/"))
            }
            Source::Other => None,
        }
    }
}

pub(super) fn detect_source(headers: &[String], roles: &[ColumnRole]) -> Source {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    let id_header = roles
        .iter()
        .position(|r| *r == ColumnRole::Id)
        .map(|c| normalise_header(&headers[c]));
    match id_header.as_deref() {
        Some("tconst") => Source::Imdb,
        Some("movieid") if has("genres") && headers.len() <= 4 => Source::MovieLens,
        Some("movieid" | "tmdbid" | "id") if has("vote_count") || has("vote_average") => {
            Source::Tmdb
        }
        Some("tmdbid") => Source::Tmdb,
        _ => Source::Other,
    }
}
