//! Column roles: what each column of a file means, from the header names
//! of the known datasets and from the values when a name says nothing.

use super::values::{is_flag, leading_number, parse_number, parse_year};
use crate::table::{clean, normalise_header, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Rows used to infer roles, also when a big file is read record by record.
pub const SAMPLE_ROWS: usize = 500;

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

/// The role a header name alone implies, if any.
fn role_from_header(header: &str) -> Option<ColumnRole> {
    use ColumnRole::*;
    let h = normalise_header(header);
    if h.strip_prefix("taste")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(Taste);
    }
    let role = match h.as_str() {
        "id" | "movieid" | "tconst" | "tmdbid" | "imdbid" | "filmid" | "itemid" | "titleid"
        | "showid" | "courseid" => Id,
        "title" | "primarytitle" | "movietitle" | "name" | "film" | "movie" | "filmtitle"
        | "seriestitle" | "movie_title" => Title,
        "year" | "startyear" | "releaseyear" | "releasedate" | "released" | "date"
        | "titleyear" | "dateadded" => Year,
        "genres" | "genre" | "listedin" | "categories" | "category" | "genrelist" => Genres,
        "language" | "originallanguage" | "lang" | "languages" | "originallang" => Language,
        "runtime" | "runtimeminutes" | "duration" | "length" | "minutes" | "runningtime"
        | "runtimemins" => Runtime,
        "rating" | "voteaverage" | "averagerating" | "imdbrating" | "score" | "meanrating"
        | "avgrating" | "imdbscore" | "userrating" | "stars" => Rating,
        "votes" | "votecount" | "numvotes" | "ratingcount" | "nratings" | "numratings"
        | "numvotedusers" | "imdbvotes" | "noofvotes" => Votes,
        "popularity" | "popularityscore" => Popularity,
        "budget" | "revenue" | "gross" | "boxoffice" | "metascore" => Number,
        "country" | "productioncountry" | "certificate" | "contentrating" | "type" => Category,
        "originaltitle"
        | "overview"
        | "tagline"
        | "homepage"
        | "status"
        | "description"
        | "endyear"
        | "isadult"
        | "adult"
        | "titletype"
        | "director"
        | "cast"
        | "keywords"
        | "spokenlanguages"
        | "productioncountries"
        | "productioncompanies"
        | "plot"
        | "poster"
        | "posterpath"
        | "url"
        | "tasteborrowed"
        | "link" => Ignore,
        _ => return None,
    };
    Some(role)
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
/// use reelmeans::catalog::{infer_roles, ColumnRole};
/// use reelmeans::table::Table;
/// let t = Table::parse(b"Film;Jahr;Comedy;Drama\nHeat;1995;0;1\nUp;2009;1;0\n").unwrap();
/// assert_eq!(
///     infer_roles(&t.headers, &t.rows),
///     [ColumnRole::Title, ColumnRole::Year, ColumnRole::GenreFlag, ColumnRole::GenreFlag]
/// );
/// ```
pub fn infer_roles(headers: &[String], sample: &[Row]) -> Vec<ColumnRole> {
    let sample = &sample[..sample.len().min(SAMPLE_ROWS)];
    let mut roles: Vec<ColumnRole> = headers
        .iter()
        .enumerate()
        .map(|(col, header)| {
            let values: Vec<&str> = sample.iter().filter_map(|r| clean(&r.cells[col])).collect();
            // `inf` and `NaN` count as numeric here: they become missing values later.
            let numeric = values
                .iter()
                .filter(|v| v.trim_end_matches('%').trim().parse::<f64>().is_ok())
                .count();
            let mostly_numeric = !values.is_empty() && numeric * 10 >= values.len() * 9;
            match role_from_header(header) {
                // A "rating" like PG-13 or TV-MA is a certificate, not a score.
                Some(role @ (ColumnRole::Rating | ColumnRole::Votes | ColumnRole::Runtime))
                    if !values.is_empty() && !mostly_numeric =>
                {
                    if role == ColumnRole::Runtime
                        && values.iter().any(|v| leading_number(v).is_some())
                    {
                        ColumnRole::Runtime
                    } else {
                        ColumnRole::Category
                    }
                }
                Some(role) => role,
                None => infer_from_values(header, &values, mostly_numeric),
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

fn infer_from_values(header: &str, values: &[&str], mostly_numeric: bool) -> ColumnRole {
    if values.is_empty() {
        return ColumnRole::Ignore;
    }
    if values.iter().all(|v| is_flag(v)) && !header.trim().is_empty() {
        return ColumnRole::GenreFlag;
    }
    // Whole numbers all within film history are years, whatever the column is called.
    if values
        .iter()
        .all(|v| v.len() == 4 && parse_year(v).is_some())
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

    #[test]
    fn certificates_named_rating_are_categories_not_scores() {
        let t =
            Table::parse(b"title,rating,duration\nA,TV-MA,90 min\nB,PG-13,2 Seasons\n").unwrap();
        assert_eq!(
            infer_roles(&t.headers, &t.rows),
            [ColumnRole::Title, ColumnRole::Category, ColumnRole::Runtime]
        );
        let c = Catalog::from_table(&t, &infer_roles(&t.headers, &t.rows)).unwrap();
        assert_eq!(c.movies[0].runtime, Some(90.0));
    }
}
