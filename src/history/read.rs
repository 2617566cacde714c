//! The exports' layouts: which service wrote a file is told by its columns
//! (and a ZIP by its files), never asked of the user.
//!
//! - Letterboxd: a ZIP (`ratings.csv`, `watched.csv`, `watchlist.csv`,
//!   `diary.csv`, `likes/films.csv`; its other files are ignored) or one of
//!   those CSVs, known by the `Letterboxd URI` column. Ratings 0.5–5.
//! - IMDb: ratings, watchlist and list exports in both layouts, known by the
//!   `Const` column. Ratings 1–10. Series and episodes are left out.
//! - Trakt: JSON arrays of items with a `movie` (or a `show`/`episode`,
//!   left out); which list by the file's name. Ratings 1–10.
//! - Netflix: `Title,Date` (series written `Show: Season 1: Episode`) and
//!   the viewing activity (`Profile Name,Start Time,…`; rows with a
//!   supplemental video type are trailers).
//! - Anything else with a title column the catalog vocabularies know, and
//!   optionally a year, a rating (its scale read from its largest value)
//!   and a date.

use super::{Entry, ExportFormat, History, Shelf};
use crate::catalog::{header_key, parse_number, parse_year, role_named, ColumnRole};
use crate::table::{clean, Table, TableError};
use crate::text::{counted, thousands};
use std::io::Read;

/// The most bytes an export may unpack to (a ZIP's files together): a
/// Letterboxd export of 20,000 diary entries is about 3 MB.
pub const MAX_UNPACKED: u64 = 64 << 20;
/// The most rows an export may hold.
pub const MAX_ENTRIES: usize = 500_000;

/// Why a file is not a history the app can read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryError {
    /// Not a table, ZIP or JSON at all.
    #[error("{name} is not a history export: {reason}")]
    Unreadable {
        /// The file.
        name: String,
        /// Why.
        reason: String,
    },
    /// A table without a column of titles.
    #[error("{name} has no column of titles (its columns: {columns}); a history needs one, as Letterboxd's Name, IMDb's Title or Netflix's Title")]
    NoTitle {
        /// The file.
        name: String,
        /// Its columns.
        columns: String,
    },
    /// A ZIP with none of Letterboxd's files.
    #[error("{name} holds none of the files of a Letterboxd export (ratings.csv, watched.csv, watchlist.csv, diary.csv, likes/films.csv)")]
    NotLetterboxd {
        /// The file.
        name: String,
    },
    /// More than the export may unpack to.
    #[error("{name} unpacks to more than {limit}; reelmeans reads exports up to that")]
    TooLarge {
        /// The file.
        name: String,
        /// The limit, in words.
        limit: String,
    },
    /// More rows than [`MAX_ENTRIES`].
    #[error("{name} has more than {limit} rows; reelmeans reads histories up to that")]
    TooManyRows {
        /// The file.
        name: String,
        /// The limit, in words.
        limit: String,
    },
    /// Rows, but none of them a film.
    #[error("{name} has no rows")]
    Empty {
        /// The file.
        name: String,
    },
}

/// Reads an export as downloaded: a Letterboxd ZIP, a CSV of any of the
/// services, or a Trakt JSON file. `name` is the file's name (which list a
/// Letterboxd or Trakt file is, when its columns do not say).
pub fn read_history(name: &str, bytes: &[u8]) -> Result<History, HistoryError> {
    let unreadable = |reason: String| HistoryError::Unreadable {
        name: name.to_string(),
        reason,
    };
    if bytes.len() as u64 > MAX_UNPACKED {
        return Err(too_large(name));
    }
    let history = if bytes.starts_with(b"PK\x03\x04") {
        read_zip(name, bytes)?
    } else {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
        match start.map(|i| bytes[i]) {
            Some(b'[' | b'{') => read_trakt(name, bytes)?,
            Some(_) => read_csv(name, bytes)?,
            None => return Err(unreadable("the file is empty".into())),
        }
    };
    if history.entries.is_empty() {
        return Err(HistoryError::Empty { name: name.into() });
    }
    if history.entries.len() > MAX_ENTRIES {
        return Err(HistoryError::TooManyRows {
            name: name.into(),
            limit: thousands(MAX_ENTRIES),
        });
    }
    Ok(history)
}

fn too_large(name: &str) -> HistoryError {
    HistoryError::TooLarge {
        name: name.into(),
        limit: format!("{} MB", MAX_UNPACKED >> 20),
    }
}

/// Letterboxd's files, in the order they are read (ratings first: a title
/// rated and also in `watched.csv` keeps its rating).
const LETTERBOXD_FILES: [&str; 5] = [
    "ratings.csv",
    "diary.csv",
    "likes/films.csv",
    "watched.csv",
    "watchlist.csv",
];

/// A Letterboxd ZIP: its history files, each read within what is left of
/// [`MAX_UNPACKED`] (a file's declared size is not trusted).
fn read_zip(name: &str, bytes: &[u8]) -> Result<History, HistoryError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        HistoryError::Unreadable {
            name: name.into(),
            reason: format!("its ZIP cannot be read ({e})"),
        }
    })?;
    let mut history = History {
        format: ExportFormat::Letterboxd,
        entries: Vec::new(),
    };
    let mut budget = MAX_UNPACKED;
    let mut found = false;
    for wanted in LETTERBOXD_FILES {
        // Only the export's top level: `deleted/` and `orphaned/` hold
        // films the person removed.
        let Some(index) = (0..archive.len()).find(|&i| {
            archive
                .name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| n.trim_start_matches("./") == wanted))
        }) else {
            continue;
        };
        found = true;
        let file = archive
            .by_index(index)
            .map_err(|e| HistoryError::Unreadable {
                name: name.into(),
                reason: format!("{wanted} cannot be unpacked ({e})"),
            })?;
        let mut text = Vec::new();
        file.take(budget + 1)
            .read_to_end(&mut text)
            .map_err(|e| HistoryError::Unreadable {
                name: name.into(),
                reason: format!("{wanted} cannot be unpacked ({e})"),
            })?;
        if text.len() as u64 > budget {
            return Err(too_large(name));
        }
        budget -= text.len() as u64;
        match read_csv(wanted, &text) {
            Ok(part) => history.entries.extend(part.entries),
            // A file with a header and no rows (no likes yet) is no error.
            Err(HistoryError::Empty { .. }) => {}
            Err(e) => return Err(e),
        }
        if history.entries.len() > MAX_ENTRIES {
            break;
        }
    }
    if !found {
        return Err(HistoryError::NotLetterboxd { name: name.into() });
    }
    Ok(history)
}

/// The columns of a table, by their keys (letters and digits, lower case).
struct Columns {
    keys: Vec<String>,
}

impl Columns {
    fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.keys.iter().position(|k| k == n))
    }
}

fn read_csv(name: &str, bytes: &[u8]) -> Result<History, HistoryError> {
    let table = match Table::parse(bytes) {
        Ok(table) => table,
        Err(TableError::HeaderOnly) => return Err(HistoryError::Empty { name: name.into() }),
        Err(e) => {
            return Err(HistoryError::Unreadable {
                name: name.into(),
                reason: e.to_string(),
            })
        }
    };
    let columns = Columns {
        keys: table.headers.iter().map(|h| header_key(h)).collect(),
    };
    let file = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_lowercase();
    let cell = |row: &crate::table::Row, col: Option<usize>| -> Option<String> {
        col.and_then(|c| clean(&row.cells[c])).map(str::to_string)
    };
    let no_title = || HistoryError::NoTitle {
        name: name.into(),
        columns: table.headers.join(", "),
    };
    let mut entries = Vec::with_capacity(table.rows.len());
    let format;
    if columns.find(&["letterboxduri"]).is_some() {
        format = ExportFormat::Letterboxd;
        let title = columns.find(&["name"]).ok_or_else(no_title)?;
        let year = columns.find(&["year"]);
        let rating = columns.find(&["rating"]);
        let watched = columns.find(&["watcheddate"]);
        let date = columns.find(&["date"]);
        let listed = if file.contains("watchlist") {
            Some(Shelf::Watchlist)
        } else if file.contains("likes") || file == "films.csv" {
            Some(Shelf::Liked)
        } else {
            None
        };
        for row in &table.rows {
            let Some(t) = cell(row, Some(title)) else {
                continue;
            };
            let stars = cell(row, rating).and_then(|r| parse_number(&r));
            entries.push(Entry {
                title: t,
                year: cell(row, year).and_then(|y| parse_year(&y)),
                imdb: None,
                tmdb: None,
                rating: stars.map(|s| (s / 5.0).clamp(0.0, 1.0) as f32),
                day: cell(row, watched)
                    .or_else(|| cell(row, date))
                    .and_then(|d| day(&d)),
                shelf: listed.unwrap_or(if stars.is_some() {
                    Shelf::Rated
                } else {
                    Shelf::Watched
                }),
                film: true,
            });
        }
    } else if let Some(id) = columns.find(&["const"]) {
        format = ExportFormat::Imdb;
        let title = columns.find(&["title"]).ok_or_else(no_title)?;
        let year = columns.find(&["year"]);
        let release = columns.find(&["releasedate"]);
        let rating = columns.find(&["yourrating"]);
        let date = columns.find(&["daterated"]);
        let created = columns.find(&["created"]);
        let kind = columns.find(&["titletype"]);
        let watchlist = file.contains("watchlist");
        for row in &table.rows {
            let Some(t) = cell(row, Some(title)) else {
                continue;
            };
            let score = cell(row, rating).and_then(|r| parse_number(&r));
            let film = cell(row, kind).is_none_or(|k| imdb_film(&k));
            entries.push(Entry {
                title: t,
                year: cell(row, year)
                    .or_else(|| cell(row, release))
                    .and_then(|y| parse_year(&y)),
                imdb: cell(row, Some(id)).and_then(|i| crate::catalog::imdb_id(&i)),
                tmdb: None,
                rating: score.map(|s| (s / 10.0).clamp(0.0, 1.0) as f32),
                day: cell(row, date)
                    .or_else(|| cell(row, created))
                    .and_then(|d| day(&d)),
                // A list that is not the watchlist says "I watched these"
                // as much as anything it says.
                shelf: match (score, watchlist) {
                    (Some(_), _) => Shelf::Rated,
                    (None, true) => Shelf::Watchlist,
                    (None, false) => Shelf::Watched,
                },
                film,
            });
        }
    } else if let (Some(title), Some(start)) = (
        columns.find(&["title"]),
        columns
            .find(&["starttime"])
            .filter(|_| columns.find(&["profilename"]).is_some()),
    ) {
        format = ExportFormat::Netflix;
        let supplemental = columns.find(&["supplementalvideotype"]);
        for row in &table.rows {
            let Some(t) = cell(row, Some(title)) else {
                continue;
            };
            // Trailers, hooks and recaps carry a supplemental type.
            let trailer = cell(row, supplemental).is_some();
            entries.push(netflix_entry(t, cell(row, Some(start)), trailer));
        }
    } else if columns.keys == ["title", "date"] {
        format = ExportFormat::Netflix;
        for row in &table.rows {
            if let Some(t) = cell(row, Some(0)) {
                entries.push(netflix_entry(t, cell(row, Some(1)), false));
            }
        }
    } else {
        format = ExportFormat::Plain;
        let role = |wanted: ColumnRole| {
            table
                .headers
                .iter()
                .position(|h| role_named(h).is_some_and(|(r, _)| r == wanted))
        };
        let title = role(ColumnRole::Title).ok_or_else(no_title)?;
        let year = role(ColumnRole::Year);
        let rating = role(ColumnRole::Rating).or_else(|| {
            columns.find(&[
                "yourrating",
                "myrating",
                "score",
                "stars",
                "note",
                "bewertung",
            ])
        });
        let date = columns.find(&[
            "date",
            "watcheddate",
            "watched",
            "daterated",
            "ratedat",
            "watchedat",
            "datum",
            "fecha",
            "data",
            "created",
        ]);
        let imdb = columns.find(&["imdbid", "imdb", "const", "tconst"]);
        let tmdb = columns.find(&["tmdbid", "tmdb"]);
        let scores: Vec<Option<f64>> = table
            .rows
            .iter()
            .map(|r| {
                // A decimal comma ("8,5") where the file uses one.
                cell(r, rating)
                    .and_then(|v| parse_number(&v).or_else(|| parse_number(&v.replace(',', "."))))
            })
            .collect();
        let top = scale(scores.iter().flatten().copied());
        let watchlist = file.contains("watchlist");
        for (row, score) in table.rows.iter().zip(scores) {
            let Some(t) = cell(row, Some(title)) else {
                continue;
            };
            entries.push(Entry {
                title: t,
                year: cell(row, year).and_then(|y| parse_year(&y)),
                imdb: cell(row, imdb).and_then(|i| crate::catalog::imdb_id(&i)),
                tmdb: cell(row, tmdb).filter(|t| t.bytes().all(|b| b.is_ascii_digit())),
                rating: score.map(|s| (s / top).clamp(0.0, 1.0) as f32),
                day: cell(row, date).and_then(|d| day(&d)),
                shelf: match (score, watchlist) {
                    (Some(_), _) => Shelf::Rated,
                    (None, true) => Shelf::Watchlist,
                    (None, false) => Shelf::Watched,
                },
                film: true,
            });
        }
    }
    Ok(History { format, entries })
}

/// The top of a rating column's scale, from its largest value: 5 stars,
/// 10 points or 100 percent.
fn scale(values: impl Iterator<Item = f64>) -> f64 {
    let largest = values.fold(0.0f64, f64::max);
    if largest <= 5.0 {
        5.0
    } else if largest <= 10.0 {
        10.0
    } else {
        100.0
    }
}

/// IMDb's title types that are films (both the export's words and the
/// dumps' codes): `Movie`, `TV Movie`, `Short`, `Video`; not series,
/// episodes, specials or games.
fn imdb_film(kind: &str) -> bool {
    let kind = header_key(kind);
    !(kind.contains("series")
        || kind.contains("episode")
        || kind.contains("game")
        || kind.contains("special")
        || kind.contains("podcast"))
}

/// A Netflix row: series episodes are written `Show: Season 1: Episode`,
/// `Show: Limited Series: Episode`, `Show: Chapter 3`, …
fn netflix_entry(title: String, date: Option<String>, trailer: bool) -> Entry {
    let film = !trailer && !netflix_series(&title);
    Entry {
        year: None,
        imdb: None,
        tmdb: None,
        rating: None,
        day: date.and_then(|d| day(&d)),
        shelf: Shelf::Watched,
        film,
        title,
    }
}

/// Whether a Netflix title names an episode: three or more parts, or a
/// later part that is a season, series, volume, chapter, episode or book.
fn netflix_series(title: &str) -> bool {
    let parts: Vec<&str> = title.split(": ").collect();
    if parts.len() >= 3 {
        return true;
    }
    parts.iter().skip(1).any(|part| {
        let first = part.split_whitespace().next().unwrap_or("").to_lowercase();
        matches!(
            first.as_str(),
            "season"
                | "series"
                | "volume"
                | "chapter"
                | "episode"
                | "book"
                | "limited"
                | "collection"
                | "staffel"
                | "temporada"
                | "saison"
                | "stagione"
                | "seizoen"
                | "miniseries"
        )
    })
}

/// A date as the services write it, in days since 1970-01-01:
/// `2023-01-15`, `2023-01-15T20:00:00.000Z`, `2023-01-15 20:00:00`,
/// Netflix's `12/31/23` (or `31/12/2023` where the day comes first, told by
/// a first number over 12) and `31.12.2023`.
pub(super) fn day(text: &str) -> Option<i32> {
    let text = text.trim();
    let numbers: Vec<i32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c] = numbers[..] else {
        return None;
    };
    let (y, m, d) = if a > 31 {
        (a, b, c)
    } else {
        let year = if c < 100 {
            2000 + c - if c > 69 { 100 } else { 0 }
        } else {
            c
        };
        if text.contains('.') || a > 12 {
            (year, b, a)
        } else {
            (year, a, b)
        }
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1870..=2200).contains(&y))
        .then(|| days_from_civil(y, m, d))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Trakt's JSON: an array of items, each with a `movie` (a `show`, `season`
/// or `episode` is counted and left out); the list by the file's name.
fn read_trakt(name: &str, bytes: &[u8]) -> Result<History, HistoryError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| HistoryError::Unreadable {
            name: name.into(),
            reason: format!("its JSON cannot be read ({e})"),
        })?;
    let file = name.to_lowercase();
    let listed = if file.contains("watchlist") {
        Shelf::Watchlist
    } else if file.contains("rating") {
        Shelf::Rated
    } else {
        Shelf::Watched
    };
    let items = value.as_array().ok_or_else(|| HistoryError::Unreadable {
        name: name.into(),
        reason: "it is JSON but not a list of Trakt items (an array of objects with a movie)"
            .into(),
    })?;
    let text = |v: &serde_json::Value| -> Option<String> {
        match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let movie = item.get("movie");
        let other = ["show", "episode", "season"]
            .iter()
            .find_map(|k| item.get(*k));
        let Some(film) = movie.or(other) else {
            continue;
        };
        let Some(title) = film.get("title").and_then(text) else {
            continue;
        };
        let ids = film.get("ids");
        let id = |key: &str| ids.and_then(|i| i.get(key)).and_then(text);
        let rating = item.get("rating").and_then(serde_json::Value::as_f64);
        let date = [
            "rated_at",
            "watched_at",
            "last_watched_at",
            "listed_at",
            "collected_at",
        ]
        .iter()
        .find_map(|k| item.get(*k).and_then(text));
        entries.push(Entry {
            title,
            year: film
                .get("year")
                .and_then(serde_json::Value::as_i64)
                .and_then(|y| i32::try_from(y).ok()),
            imdb: id("imdb").and_then(|i| crate::catalog::imdb_id(&i)),
            tmdb: id("tmdb"),
            rating: rating.map(|r| (r / 10.0).clamp(0.0, 1.0) as f32),
            day: date.and_then(|d| day(&d)),
            shelf: if rating.is_some() {
                Shelf::Rated
            } else {
                listed
            },
            film: movie.is_some(),
        });
    }
    if entries.is_empty() && !items.is_empty() {
        return Err(HistoryError::Unreadable {
            name: name.into(),
            reason: format!(
                "none of its {} has a movie or show with a title, as Trakt's export writes them",
                counted(items.len(), "item")
            ),
        });
    }
    Ok(History {
        format: ExportFormat::Trakt,
        entries,
    })
}
