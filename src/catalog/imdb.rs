//! IMDb's dataset dumps exactly as published: `title.basics.tsv(.gz)`,
//! filtered while it is read, joined with `title.ratings.tsv(.gz)`.
//!
//! The basics dump lists every title (about 11 million rows, 1 GB of text):
//! episodes, shorts, series, games and adult titles among the movies. Only
//! the rows that become catalog entries are kept; the rest are counted by
//! reason. IMDb's files are tab-separated with no quoting (a title may hold
//! a lone `"`), one record per line, `\N` for missing, so they are read
//! line by line rather than through the CSV reader.

use super::builder::CatalogBuilder;
use super::role::ColumnRole;
use super::roles::{infer_roles, SAMPLE_ROWS};
use super::skipped::{SkipKind, SkipReason, Skipped};
use super::stream::{read_error, KeptLimit};
use super::{Catalog, CatalogError};
use crate::table::{Row, RowError, TableError};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;

/// The minimum votes a title needs by default. IMDb rates about 330,000
/// movies; most have a handful of votes from people who worked on them.
/// At 1,000 votes a title is known beyond its makers, and the catalog is
/// tens of thousands of movies: large enough to explore, small enough to
/// cluster in seconds.
pub const DEFAULT_MIN_VOTES: u32 = 1_000;

/// Which rows of `title.basics` become catalog entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImdbFilter {
    /// Fewest votes (`numVotes` in `title.ratings`) a title needs. Applied
    /// only when the ratings file is given; with 0, unrated titles are kept.
    pub min_votes: u32,
    /// Keep TV movies (`titleType` `tvMovie`) as well as movies.
    pub tv_movies: bool,
}

impl Default for ImdbFilter {
    fn default() -> Self {
        ImdbFilter {
            min_votes: DEFAULT_MIN_VOTES,
            tv_movies: false,
        }
    }
}

/// Whether a file's first line is IMDb's `title.basics` header.
pub fn is_basics(head: &[u8]) -> bool {
    head.starts_with(b"tconst\ttitleType\tprimaryTitle\t")
}

/// Whether a file's first line is IMDb's `title.ratings` header.
pub fn is_ratings(head: &[u8]) -> bool {
    head.starts_with(b"tconst\taverageRating\tnumVotes")
}

/// `tt0499549` → 499549.
fn tconst_number(id: &str) -> Option<u32> {
    id.strip_prefix("tt")?.parse().ok()
}

/// One line of a stream, without its line break, as text (a line that is
/// not UTF-8 is read with replacement characters). `None` at the end.
fn next_line<'b>(
    text: &mut dyn BufRead,
    buffer: &'b mut Vec<u8>,
) -> Result<Option<Cow<'b, str>>, CatalogError> {
    buffer.clear();
    if text.read_until(b'\n', buffer).map_err(read_error)? == 0 {
        return Ok(None);
    }
    while matches!(buffer.last(), Some(b'\n' | b'\r')) {
        buffer.pop();
    }
    Ok(Some(String::from_utf8_lossy(buffer)))
}

/// `title.ratings`: the mean rating and the votes of each rated title.
#[derive(Debug, Clone, Default)]
pub struct ImdbRatings {
    by_title: HashMap<u32, (f32, u32)>,
    /// Rows that could not be read.
    pub issues: Skipped,
}

impl ImdbRatings {
    /// Reads `title.ratings` (header `tconst averageRating numVotes`).
    /// `progress` is called every few thousand rows.
    pub fn read(text: &mut dyn BufRead, progress: &mut dyn FnMut()) -> Result<Self, CatalogError> {
        let mut buffer = Vec::new();
        let header = next_line(text, &mut buffer)?.ok_or(TableError::Empty)?;
        if !is_ratings(header.as_bytes()) {
            return Err(CatalogError::UnknownRatings(header.replace('\t', ", ")));
        }
        let mut ratings = ImdbRatings::default();
        let mut line = 1u64;
        while let Some(row) = next_line(text, &mut buffer)? {
            line += 1;
            if row.is_empty() {
                continue;
            }
            let mut cells = row.split('\t');
            let parsed = (|| {
                let id = tconst_number(cells.next()?)?;
                let rating: f32 = cells.next()?.parse().ok()?;
                let votes: u32 = cells.next()?.parse().ok()?;
                (cells.next().is_none() && rating.is_finite()).then_some((id, rating, votes))
            })();
            match parsed {
                Some((id, rating, votes)) => {
                    ratings.by_title.insert(id, (rating, votes));
                }
                None => ratings.issues.push_kind(line, SkipKind::Unreadable, || {
                    SkipReason::Row(RowError::Unreadable(format!(
                        "'{}' is not tconst, rating, votes",
                        row.replace('\t', " ")
                    )))
                }),
            }
            if line.is_multiple_of(1 << 16) {
                progress();
            }
        }
        Ok(ratings)
    }

    /// The rating and votes of a title, by its tconst.
    pub fn get(&self, tconst: &str) -> Option<(f32, u32)> {
        tconst_number(tconst).and_then(|id| self.by_title.get(&id).copied())
    }

    /// Titles rated.
    pub fn len(&self) -> usize {
        self.by_title.len()
    }

    /// Whether no title is rated.
    pub fn is_empty(&self) -> bool {
        self.by_title.is_empty()
    }
}

/// Columns of `title.basics` the filter reads, by name.
struct BasicsColumns {
    id: usize,
    kind: usize,
    adult: usize,
    width: usize,
}

impl BasicsColumns {
    fn find(headers: &[String]) -> Result<Self, CatalogError> {
        let col = |name: &str| {
            headers.iter().position(|h| h == name).ok_or_else(|| {
                TableError::BadHeader(format!("an IMDb title.basics file needs a {name} column"))
            })
        };
        Ok(BasicsColumns {
            id: col("tconst")?,
            kind: col("titleType")?,
            adult: col("isAdult")?,
            width: headers.len(),
        })
    }
}

impl Catalog {
    /// Reads IMDb's `title.basics` line by line, keeping only the rows that
    /// pass `filter` and joining each kept row with its rating and votes
    /// (as two more columns, `averageRating` and `numVotes`, so the usual
    /// roles apply). Roles are inferred from the first [`SAMPLE_ROWS`] kept
    /// rows unless given (for the joined columns). `progress(rows read,
    /// titles kept)` is called every few thousand rows.
    ///
    /// Fails, as soon as it is known, when more than `limit` would be kept.
    pub fn read_imdb(
        text: &mut dyn BufRead,
        ratings: Option<&ImdbRatings>,
        filter: &ImdbFilter,
        roles: Option<Vec<ColumnRole>>,
        limit: KeptLimit,
        progress: &mut dyn FnMut(u64, usize),
    ) -> Result<(Catalog, Vec<ColumnRole>), CatalogError> {
        let mut buffer = Vec::new();
        let header = next_line(text, &mut buffer)?.ok_or(TableError::Empty)?;
        if !is_basics(header.as_bytes()) {
            return Err(TableError::BadHeader(
                "not an IMDb title.basics file (it starts tconst, titleType, primaryTitle)".into(),
            )
            .into());
        }
        let mut headers: Vec<String> = header.split('\t').map(str::to_string).collect();
        let columns = BasicsColumns::find(&headers)?;
        let joined = ratings.is_some();
        let mut chosen_roles = roles;
        if joined {
            headers.extend(["averageRating".to_string(), "numVotes".to_string()]);
            // Roles chosen for the file's own columns; the joined two are known.
            if let Some(roles) = chosen_roles.as_mut().filter(|r| r.len() == columns.width) {
                roles.extend([ColumnRole::Rating, ColumnRole::Votes]);
            }
        }
        let mut issues = Skipped::default();
        let mut sample: Vec<Row> = Vec::new();
        let mut builder: Option<CatalogBuilder> = None;
        let (mut line, mut kept_bytes) = (1u64, 0u64);
        let mut kept = 0usize;
        let types: &[&[u8]] = if filter.tv_movies {
            &[b"movie", b"tvMovie"]
        } else {
            &[b"movie"]
        };
        // Where each cell of a line starts and ends, reused line after line.
        let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(columns.width);
        loop {
            // Bytes first: most rows are dropped by their type, adult flag or
            // votes, and never become text.
            buffer.clear();
            if text.read_until(b'\n', &mut buffer).map_err(read_error)? == 0 {
                break;
            }
            while matches!(buffer.last(), Some(b'\n' | b'\r')) {
                buffer.pop();
            }
            line += 1;
            if line.is_multiple_of(1 << 15) {
                progress(line - 1, kept);
            }
            if buffer.is_empty() {
                continue;
            }
            bounds.clear();
            let mut from = 0;
            for tab in memchr::memchr_iter(b'\t', &buffer) {
                bounds.push((from, tab));
                from = tab + 1;
            }
            bounds.push((from, buffer.len()));
            if bounds.len() != columns.width {
                let found = bounds.len();
                issues.push_kind(line, SkipKind::WrongFieldCount, || {
                    SkipReason::Row(RowError::WrongFieldCount {
                        found,
                        expected: columns.width,
                    })
                });
                continue;
            }
            let cell = |col: usize| &buffer[bounds[col].0..bounds[col].1];
            let kind = cell(columns.kind);
            if !types.contains(&kind) {
                issues.push_kind(line, SkipKind::NotAMovie, || {
                    SkipReason::NotAMovie(String::from_utf8_lossy(kind).into_owned())
                });
                continue;
            }
            if cell(columns.adult) == b"1" {
                issues.push_kind(line, SkipKind::AdultTitle, || SkipReason::AdultTitle);
                continue;
            }
            let rated = ratings.map(|r| {
                std::str::from_utf8(cell(columns.id))
                    .ok()
                    .and_then(|id| r.get(id))
            });
            let (rating, votes) = match rated {
                None => (String::new(), String::new()),
                Some(None) if filter.min_votes > 0 => {
                    issues.push_kind(line, SkipKind::Unrated, || SkipReason::Unrated);
                    continue;
                }
                Some(None) => (String::new(), String::new()),
                Some(Some((_, votes))) if votes < filter.min_votes => {
                    let min = filter.min_votes;
                    issues.push_kind(line, SkipKind::TooFewVotes, || SkipReason::TooFewVotes {
                        votes,
                        min,
                    });
                    continue;
                }
                Some(Some((rating, votes))) => (rating.to_string(), votes.to_string()),
            };
            // A kept row becomes text (a line that is not UTF-8 is read with
            // replacement characters; a tab never is one, so the cells stay).
            let row = String::from_utf8_lossy(&buffer);
            let mut cells: Vec<&str> = row.split('\t').collect();
            kept += 1;
            kept_bytes += row.len() as u64;
            if kept > limit.titles || kept_bytes > limit.bytes {
                return Err(CatalogError::TooBig(format!(
                    "more than {} pass the filter by line {}; raise the minimum votes",
                    limit.describe(),
                    crate::text::thousands(line as usize)
                )));
            }
            if joined {
                cells.extend([rating.as_str(), votes.as_str()]);
            }
            match &mut builder {
                Some(b) => b.push(line, &cells),
                None => {
                    sample.push(Row {
                        line,
                        cells: cells.iter().map(|c| c.to_string()).collect(),
                    });
                    if sample.len() >= SAMPLE_ROWS {
                        builder = Some(start(&headers, &mut sample, &mut chosen_roles, filter)?);
                    }
                }
            }
        }
        progress(line - 1, kept);
        let builder = match builder {
            Some(b) => b,
            None => start(&headers, &mut sample, &mut chosen_roles, filter)?,
        };
        let catalog = builder.finish(issues).map_err(|e| match e {
            CatalogError::NoUsableRows(why) if why.contains(&SkipKind::TooFewVotes.to_string()) => {
                CatalogError::NoUsableRows(format!("{why}; lower the minimum votes"))
            }
            e => e,
        })?;
        Ok((catalog, chosen_roles.unwrap_or_default()))
    }
}

/// The builder, once the first kept rows have shown the roles.
fn start(
    headers: &[String],
    sample: &mut Vec<Row>,
    chosen: &mut Option<Vec<ColumnRole>>,
    filter: &ImdbFilter,
) -> Result<CatalogBuilder, CatalogError> {
    let roles = chosen.get_or_insert_with(|| infer_roles(headers, sample));
    let mut builder =
        CatalogBuilder::new(headers, roles, sample)?.keeping_tv_movies(filter.tv_movies);
    for row in sample.drain(..) {
        builder.push(row.line, &row.cells);
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Source;

    const BASICS: &str = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n\
        tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\tDocumentary,Short\n\
        tt0078748\tmovie\tAlien\tAlien\t0\t1979\t\\N\t117\tHorror,Sci-Fi\n\
        tt0113277\tmovie\tHeat\tHeat\t0\t1995\t\\N\t170\tAction,Crime,Drama\n\
        tt0000003\tmovie\tAdult film\tAdult film\t1\t2001\t\\N\t80\tAdult\n\
        tt0000004\ttvMovie\tA \"quoted\tA \"quoted\t0\t1999\t\\N\t90\tDrama\n\
        tt0000005\tmovie\tObscure\tObscure\t0\t2010\t\\N\t\\N\t\\N\n\
        tt0000006\tmovie\tNever rated\tNever rated\t0\t2011\t\\N\t95\tComedy\n\
        tt0000007\ttvEpisode\tPilot\tPilot\t0\t2011\t\\N\t45\tDrama\n\
        tt0000008\tmovie\tToo\tfew\tcells\n";

    const RATINGS: &str = "tconst\taverageRating\tnumVotes\n\
        tt0000001\t5.7\t2100\n\
        tt0078748\t8.5\t980000\n\
        tt0113277\t8.3\t720000\n\
        tt0000003\t6.0\t5000\n\
        tt0000004\t7.1\t1500\n\
        tt0000005\t6.2\t12\n\
        not a row\n";

    fn read(filter: ImdbFilter, with_ratings: bool) -> Result<Catalog, CatalogError> {
        let ratings = ImdbRatings::read(&mut RATINGS.as_bytes(), &mut || {}).unwrap();
        let ratings = with_ratings.then_some(&ratings);
        let limit = KeptLimit::DEFAULT;
        Catalog::read_imdb(
            &mut BASICS.as_bytes(),
            ratings,
            &filter,
            None,
            limit,
            &mut |_, _| {},
        )
        .map(|(c, _)| c)
    }

    fn c_headers() -> Vec<String> {
        BASICS
            .lines()
            .next()
            .unwrap()
            .split('\t')
            .map(str::to_string)
            .collect()
    }

    fn titles(c: &Catalog) -> Vec<&str> {
        c.movies().iter().map(|m| m.title.as_str()).collect()
    }

    #[test]
    fn movies_with_enough_votes_are_kept_and_joined() {
        let c = read(ImdbFilter::default(), true).unwrap();
        assert_eq!(titles(&c), ["Alien", "Heat"]);
        assert_eq!(c.source, Source::Imdb);
        assert_eq!(c.movies()[0].rating, Some(8.5));
        assert_eq!(c.movies()[0].votes, Some(980000.0));
        assert_eq!(c.movies()[0].genres, ["Horror", "Sci-Fi"]);
        assert_eq!(c.movies()[0].runtime, Some(117.0));
        let count = |kind| c.issues.count(kind);
        assert_eq!(count(SkipKind::NotAMovie), 3, "short, tvMovie, tvEpisode");
        assert_eq!(count(SkipKind::AdultTitle), 1);
        assert_eq!(count(SkipKind::TooFewVotes), 1);
        assert_eq!(count(SkipKind::Unrated), 1);
        assert_eq!(count(SkipKind::WrongFieldCount), 1);
        assert_eq!(c.issues.total, 7);
    }

    #[test]
    fn tv_movies_and_the_vote_minimum_are_options() {
        let all = ImdbFilter {
            min_votes: 0,
            tv_movies: true,
        };
        let c = read(all, true).unwrap();
        // Roles confirmed for the file's nine columns (as the app's mapping sends them).
        let ratings = ImdbRatings::read(&mut RATINGS.as_bytes(), &mut || {}).unwrap();
        let nine = infer_roles(&c_headers(), &[]);
        let (with_roles, _) = Catalog::read_imdb(
            &mut BASICS.as_bytes(),
            Some(&ratings),
            &all,
            Some(nine),
            KeptLimit::DEFAULT,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(with_roles, c);
        assert_eq!(
            titles(&c),
            ["Alien", "Heat", "A \"quoted", "Obscure", "Never rated"],
            "a lone quote is part of the title; unrated titles are kept at 0"
        );
        assert_eq!(c.movies()[4].rating, None);
        // Without the ratings file there are no votes to filter by.
        let c = read(ImdbFilter::default(), false).unwrap();
        assert_eq!(titles(&c), ["Alien", "Heat", "Obscure", "Never rated"]);
        assert_eq!(c.movies()[0].rating, None);
    }

    #[test]
    fn ratings_rows_that_cannot_be_read_are_counted() {
        let r = ImdbRatings::read(&mut RATINGS.as_bytes(), &mut || {}).unwrap();
        assert_eq!(r.len(), 6);
        assert_eq!(r.issues.count(SkipKind::Unreadable), 1);
        assert_eq!(r.get("tt0078748"), Some((8.5, 980000)));
        assert_eq!(r.get("nm0000001"), None);
        let wrong = ImdbRatings::read(&mut "movieId,rating\n1,4\n".as_bytes(), &mut || {});
        assert!(matches!(wrong, Err(CatalogError::UnknownRatings(_))));
    }

    #[test]
    fn the_kept_limit_counts_titles_and_bytes_that_pass_the_filter() {
        let all = ImdbFilter {
            min_votes: 0,
            tv_movies: true,
        };
        let read_with = |limit| {
            Catalog::read_imdb(
                &mut BASICS.as_bytes(),
                None,
                &all,
                None,
                limit,
                &mut |_, _| {},
            )
        };
        let titles = KeptLimit {
            titles: 4,
            ..KeptLimit::DEFAULT
        };
        let e = read_with(titles).unwrap_err().to_string();
        assert!(e.contains("more than 4 titles"), "{e}");
        assert!(read_with(KeptLimit {
            titles: 5,
            ..KeptLimit::DEFAULT
        })
        .is_ok());
        let bytes = KeptLimit {
            titles: 10,
            bytes: 100,
        };
        assert!(read_with(bytes)
            .unwrap_err()
            .to_string()
            .contains("raise the minimum votes"));
    }

    #[test]
    fn a_filter_that_keeps_nothing_says_why() {
        let none = ImdbFilter {
            min_votes: 10_000_000,
            tv_movies: false,
        };
        let e = read(none, true).unwrap_err().to_string();
        assert!(e.contains("fewer votes than the minimum"), "{e}");
    }
}
