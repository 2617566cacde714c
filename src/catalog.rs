//! Movie catalogs: column roles, their inference, and the typed movie records.
//!
//! A [`Table`] becomes a [`Catalog`] through a list of [`ColumnRole`]s, one
//! per column. [`infer_roles`] guesses them from header names and values;
//! the caller (the app's mapping table, the CLI) may override any of them.
//! TMDB 5000, MovieLens `movies.csv` and IMDb `title.basics.tsv` need no
//! mapping; their companion rating files join through [`Catalog::attach_ratings`].

use crate::table::{clean, RowReport, Table, TableError};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

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
    fn is_unique(self) -> bool {
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
}

/// A list of movies and what was learnt reading it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The movies, in file order.
    pub movies: Vec<Movie>,
    /// Which dataset the ids belong to.
    pub source: Source,
    /// Names of the `Number` columns.
    pub number_columns: Vec<String>,
    /// Names of the `Category` columns.
    pub category_columns: Vec<String>,
    /// Rows that were left out, with reasons.
    pub issues: RowReport,
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
    /// A companion ratings file has neither known schema.
    #[error("the ratings file needs columns movieId and rating (MovieLens) or tconst, averageRating and numVotes (IMDb); it has: {0}")]
    UnknownRatings(String),
}

/// Lower-case letters and digits only: `Vote Count` and `vote_count` become `votecount`.
fn normalise_header(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
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

fn is_flag(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "0" | "1" | "true" | "false" | "yes" | "no" | "y" | "n" | "t" | "f"
    )
}

fn flag_value(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "t" => Some(true),
        "0" | "false" | "no" | "n" | "f" => Some(false),
        _ => None,
    }
}

/// Guesses each column's role from its header and a sample of its values.
///
/// Header names decide first (`vote_count` is votes, `release_date` a year);
/// unknown columns are judged by their values: 0/1 columns are genre flags,
/// list-like cells are genres, numbers are numbers, free text is ignored.
/// A role only one column may have goes to the first column that earns it.
///
/// ```
/// use reelmeans::catalog::{infer_roles, ColumnRole};
/// use reelmeans::table::Table;
/// let t = Table::parse(b"Film;Jahr;Comedy;Drama\nHeat;1995;0;1\nUp;2009;1;0\n").unwrap();
/// assert_eq!(
///     infer_roles(&t),
///     [ColumnRole::Title, ColumnRole::Year, ColumnRole::GenreFlag, ColumnRole::GenreFlag]
/// );
/// ```
pub fn infer_roles(table: &Table) -> Vec<ColumnRole> {
    // The same sample the record-by-record reader collects, so both paths infer alike.
    let sample: Vec<&crate::table::Row> = table.rows.iter().take(SAMPLE_ROWS).collect();
    let mut roles: Vec<ColumnRole> = table
        .headers
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
            if genre_lists > 1 && role_from_header(&table.headers[col]).is_none() {
                *role = ColumnRole::Ignore;
            }
        }
    }
    if !roles.contains(&ColumnRole::Title) {
        // Fall back to the first text column whose values are mostly distinct.
        if let Some(col) = (0..table.headers.len()).find(|&c| {
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

/// Parses a number as people write them: `7.5`, `1,234` is not accepted (ambiguous), `87%` is 87.
///
/// Non-finite values (`inf`, `NaN`, overflow) are not numbers here.
pub fn parse_number(value: &str) -> Option<f64> {
    let v = value.trim().trim_end_matches('%').trim();
    let parsed: f64 = v.parse().ok()?;
    parsed.is_finite().then_some(parsed)
}

/// The number a cell starts with: `142 min` is 142, `2 Seasons` is 2.
fn leading_number(value: &str) -> Option<f64> {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    parse_number(&value[..end])
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
/// use reelmeans::catalog::split_genres;
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

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
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
fn split_title_year(title: &str) -> (String, Option<i32>) {
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

fn detect_source(headers: &[String], roles: &[ColumnRole]) -> Source {
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

impl Catalog {
    /// Reads a catalog file with inferred roles (record by record, see [`Catalog::parse_streaming`]).
    pub fn parse(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        Catalog::parse_streaming(bytes.to_vec(), None, &mut |_| {}).map(|(catalog, _)| catalog)
    }

    /// Builds a catalog from a table and one role per column.
    pub fn from_table(table: &Table, roles: &[ColumnRole]) -> Result<Catalog, CatalogError> {
        let mut builder = CatalogBuilder::new(&table.headers, roles)?;
        for row in &table.rows {
            builder.push(row.line, &row.cells);
        }
        builder.finish(table.issues.clone())
    }

    /// Reads a catalog record by record, for big files: the rows never exist
    /// as a table of text cells, only as movies. Roles are inferred from the
    /// first [`SAMPLE_ROWS`] rows unless given. `progress` receives the share
    /// of the file read (0..1) every few thousand rows.
    ///
    /// Returns the catalog and the roles used. Same results as
    /// [`Catalog::from_table`] on [`Table::parse`].
    pub fn parse_streaming(
        bytes: Vec<u8>,
        roles: Option<Vec<ColumnRole>>,
        progress: &mut dyn FnMut(f32),
    ) -> Result<(Catalog, Vec<ColumnRole>), CatalogError> {
        let (text, _) = crate::table::decode_owned(bytes)?;
        if text.trim().is_empty() {
            return Err(TableError::Empty.into());
        }
        let delimiter = crate::table::detect_delimiter(&text);
        let total = text.len().max(1) as f64;
        let mut headers: Vec<String> = Vec::new();
        let mut sample: Vec<crate::table::Row> = Vec::new();
        let mut builder: Option<CatalogBuilder> = None;
        let mut failure: Option<CatalogError> = None;
        let mut chosen_roles = roles.clone();
        let mut rows_seen = 0u64;
        let start_builder = |headers: &[String],
                             sample: &mut Vec<crate::table::Row>,
                             chosen: &mut Option<Vec<ColumnRole>>| {
            let roles = chosen.get_or_insert_with(|| {
                infer_roles(&Table {
                    headers: headers.to_vec(),
                    rows: sample.clone(),
                    delimiter,
                    encoding: crate::table::Encoding::Utf8,
                    issues: RowReport::default(),
                })
            });
            let mut b = CatalogBuilder::new(headers, roles)?;
            for row in sample.drain(..) {
                b.push(row.line, &row.cells);
            }
            Ok::<CatalogBuilder, CatalogError>(b)
        };
        let issues = crate::table::scan(&text, delimiter, |record| match record {
            crate::table::Record::Header(h) => headers = h,
            crate::table::Record::Row(line, cells) => {
                if failure.is_some() {
                    return;
                }
                rows_seen += 1;
                match &mut builder {
                    Some(b) => b.push(line, cells),
                    None => {
                        sample.push(crate::table::Row {
                            line,
                            cells: cells.iter().map(str::to_string).collect(),
                        });
                        if sample.len() >= SAMPLE_ROWS {
                            match start_builder(&headers, &mut sample, &mut chosen_roles) {
                                Ok(b) => builder = Some(b),
                                Err(e) => failure = Some(e),
                            }
                        }
                    }
                }
                if rows_seen.is_multiple_of(8192) {
                    if let Some(p) = cells.position() {
                        progress((p.byte() as f64 / total) as f32);
                    }
                }
            }
        })?;
        if let Some(e) = failure {
            return Err(e);
        }
        if builder.is_none() {
            if sample.is_empty() && issues.total == 0 {
                return Err(TableError::HeaderOnly.into());
            }
            builder = Some(start_builder(&headers, &mut sample, &mut chosen_roles)?);
        }
        progress(1.0);
        let catalog = builder.map_or(Err(CatalogError::NoTitle), |b| b.finish(issues))?;
        Ok((catalog, chosen_roles.unwrap_or_default()))
    }

    /// Joins a ratings file: MovieLens `ratings.csv` (mean and count per movie)
    /// or IMDb `title.ratings.tsv` (averageRating, numVotes per tconst).
    ///
    /// Returns how many movies received a rating.
    pub fn attach_ratings(&mut self, bytes: &[u8]) -> Result<usize, CatalogError> {
        let table = Table::parse(bytes)?;
        let col = |name: &str| table.column(name);
        let per_id: HashMap<&str, (f64, f64)> = if let (Some(id), Some(avg), Some(n)) =
            (col("tconst"), col("averageRating"), col("numVotes"))
        {
            table
                .rows
                .iter()
                .filter_map(|r| {
                    let rating = clean(&r.cells[avg]).and_then(parse_number)?;
                    let votes = clean(&r.cells[n]).and_then(parse_number)?;
                    Some((r.cells[id].trim(), (rating, votes)))
                })
                .collect()
        } else if let (Some(id), Some(rating)) = (col("movieId"), col("rating")) {
            let mut sums: HashMap<&str, (f64, f64)> = HashMap::new();
            for r in &table.rows {
                if let Some(value) = clean(&r.cells[rating]).and_then(parse_number) {
                    let entry = sums.entry(r.cells[id].trim()).or_insert((0.0, 0.0));
                    entry.0 += value;
                    entry.1 += 1.0;
                }
            }
            sums.into_iter()
                .map(|(id, (sum, n))| (id, (sum / n, n)))
                .collect()
        } else {
            return Err(CatalogError::UnknownRatings(table.headers.join(", ")));
        };
        let mut joined = 0;
        for movie in &mut self.movies {
            if let Some(&(rating, votes)) = per_id.get(movie.id.as_str()) {
                movie.rating = Some(rating);
                movie.votes = Some(votes);
                joined += 1;
            }
        }
        Ok(joined)
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

/// Rows used to infer roles when a big file is read record by record.
pub const SAMPLE_ROWS: usize = 500;

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
    numeric_cols: [(ColumnRole, Option<usize>); 5],
    number_cols: Vec<usize>,
    category_cols: Vec<usize>,
    genre_cols: Vec<usize>,
    flag_cols: Vec<usize>,
    taste_cols: Vec<usize>,
    type_col: Option<usize>,
    adult_col: Option<usize>,
    taste_borrowed_col: Option<usize>,
    movies: Vec<Movie>,
    issues: RowReport,
    seen_ids: HashSet<String>,
    rows: usize,
}

impl CatalogBuilder {
    /// Checks the roles against the headers.
    pub fn new(headers: &[String], roles: &[ColumnRole]) -> Result<CatalogBuilder, CatalogError> {
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
            numeric_cols: [
                ColumnRole::Runtime,
                ColumnRole::Rating,
                ColumnRole::Votes,
                ColumnRole::Popularity,
                ColumnRole::Number,
            ]
            .map(|r| {
                (
                    r,
                    if r == ColumnRole::Number {
                        None
                    } else {
                        col_of(r)
                    },
                )
            }),
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
            headers: headers.to_vec(),
            movies: Vec::new(),
            issues: RowReport::default(),
            seen_ids: HashSet::new(),
            rows: 0,
        })
    }

    /// Adds one row (or reports why it is left out).
    pub fn push(&mut self, line: u64, row: &impl Cells) {
        self.rows += 1;
        let cell = |col: usize| clean(row.cell(col));
        if let Some(kind) = self.type_col.and_then(cell) {
            if kind != "movie" {
                self.issues.push(
                    line,
                    "not a movie",
                    format!("line {line}: title type is {kind}"),
                );
                return;
            }
        }
        if self.adult_col.and_then(cell).and_then(flag_value) == Some(true) {
            self.issues.push(
                line,
                "adult title",
                format!("line {line}: adult title left out"),
            );
            return;
        }
        let Some(raw_title) = cell(self.title_col) else {
            self.issues
                .push(line, "no title", format!("line {line}: the title is empty"));
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
            self.issues.push(
                line,
                "duplicate id",
                format!("line {line}: id {id} appeared before; the first one is kept"),
            );
            return;
        }
        let number = |role: ColumnRole| {
            let col = self
                .numeric_cols
                .iter()
                .find(|(r, _)| *r == role)
                .and_then(|(_, c)| *c);
            col.and_then(cell).and_then(|v| {
                if role == ColumnRole::Runtime {
                    leading_number(v)
                } else {
                    parse_number(v)
                }
            })
        };
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
            .map(|&c| cell(c).and_then(parse_number))
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
        self.movies.push(Movie {
            taste_borrowed: !taste.is_empty()
                && self.taste_borrowed_col.and_then(cell).and_then(flag_value) == Some(true),
            taste,
            id,
            title,
            year: self
                .year_col
                .and_then(cell)
                .and_then(parse_year)
                .or(title_year),
            genres: dedup(genres.into_iter()),
            language: self.language_col.and_then(cell).map(str::to_string),
            runtime: non_negative(number(ColumnRole::Runtime)).filter(|r| *r > 0.0),
            rating: number(ColumnRole::Rating),
            votes: non_negative(number(ColumnRole::Votes)),
            popularity: non_negative(number(ColumnRole::Popularity)),
            numbers: self
                .number_cols
                .iter()
                .map(|&c| cell(c).and_then(parse_number))
                .collect(),
            categories: self
                .category_cols
                .iter()
                .map(|&c| cell(c).map(str::to_string))
                .collect(),
        });
    }

    /// The catalog, with the rows the reader left out (`reader_issues`) counted first.
    pub fn finish(self, reader_issues: RowReport) -> Result<Catalog, CatalogError> {
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
        Ok(Catalog {
            movies: self.movies,
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

    #[test]
    fn certificates_named_rating_are_categories_not_scores() {
        let t =
            Table::parse(b"title,rating,duration\nA,TV-MA,90 min\nB,PG-13,2 Seasons\n").unwrap();
        assert_eq!(
            infer_roles(&t),
            [ColumnRole::Title, ColumnRole::Category, ColumnRole::Runtime]
        );
        let c = Catalog::from_table(&t, &infer_roles(&t)).unwrap();
        assert_eq!(c.movies[0].runtime, Some(90.0));
    }

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
            Catalog::from_table(&t, &infer_roles(&t)),
            Err(CatalogError::NoTitle)
        );
    }

    #[test]
    fn rows_without_titles_and_repeated_ids_are_reported() {
        let c = Catalog::parse(b"id,title\n1,Alien\n2,\n1,Heat\n3,Up\n").unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.issues.total, 2);
        assert_eq!(c.issues.by_kind["no title"], 1);
        assert_eq!(c.issues.by_kind["duplicate id"], 1);
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
