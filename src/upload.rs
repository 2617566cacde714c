//! A catalog file and its companion ratings file, read the one way the app's
//! worker and the CLI both read them.
//!
//! Either file may be gzip (inflated as it is read, known by its first
//! bytes); the catalog may be JSON (an array of objects or JSON Lines).
//! IMDb's `title.basics` dump is filtered line by line and joined with
//! `title.ratings` as it streams, so it may be any size; any other catalog
//! keeps its whole text until it is parsed. Both are bounded by a
//! [`KeptLimit`] on what is kept, never by the size of the file.

use crate::catalog::imdb::{is_basics, is_ratings};
use crate::catalog::json::{is_json, json_to_csv};
use crate::catalog::sheet::{is_workbook, sheet_to_csv, Sheet};
use crate::catalog::stream::{self, KeptLimit};
use crate::catalog::SkipKind;
use crate::catalog::{Catalog, CatalogError, ColumnRole, ImdbFilter, ImdbRatings};
use crate::notes::Note;
use crate::progress::Stage;

use std::io::{BufRead, Read};

/// A file to read and its size in bytes (for the share read).
pub struct InputFile<'a> {
    /// The bytes, as they come.
    pub reader: Box<dyn Read + 'a>,
    /// Its size in bytes.
    pub size: u64,
}

impl<'a> InputFile<'a> {
    /// A file from any reader of `size` bytes.
    pub fn new(reader: impl Read + 'a, size: u64) -> Self {
        InputFile {
            reader: Box::new(reader),
            size,
        }
    }
}

/// A catalog upload: the file, an optional ratings file, and how to read them.
pub struct Upload<'a> {
    /// The catalog.
    pub file: InputFile<'a>,
    /// MovieLens `ratings.csv`, IMDb `title.ratings.tsv`, or any per-user
    /// ratings file for taste factors.
    pub ratings: Option<InputFile<'a>>,
    /// Roles confirmed by the user (inferred when `None`).
    pub roles: Option<Vec<ColumnRole>>,
    /// Which IMDb rows become titles (ignored for other catalogs).
    pub filter: ImdbFilter,
    /// The most the catalog may keep.
    pub limit: KeptLimit,
}

/// What reading an upload gave.
#[derive(Debug)]
pub struct Loaded {
    /// The catalog, ratings joined and taste learnt where the files allow.
    pub catalog: Catalog,
    /// Notes for the user: what was joined, filtered and learnt.
    pub notes: Vec<Note>,
}

impl<'a> Upload<'a> {
    /// A catalog file alone, with the default filter and limit.
    pub fn new(file: InputFile<'a>) -> Self {
        Upload {
            file,
            ratings: None,
            roles: None,
            filter: ImdbFilter::default(),
            limit: KeptLimit::DEFAULT,
        }
    }

    /// Reads the upload, reporting progress. A ratings file is read first.
    pub fn read(self, progress: &mut dyn FnMut(Stage)) -> Result<Loaded, CatalogError> {
        let (mut text, share) = stream::open(self.file.reader, self.file.size);
        let head = text.fill_buf().map_err(stream::read_error)?;
        if is_basics(head) {
            return read_imdb(
                text.as_mut(),
                &share,
                self.ratings,
                self.roles,
                &self.filter,
                self.limit,
                progress,
            );
        }
        let ratings = match self.ratings {
            Some(ratings) => {
                let (mut text, share) = stream::open(ratings.reader, ratings.size);
                Some(stream::read_all(
                    text.as_mut(),
                    &share,
                    self.limit.bytes,
                    &mut |s| progress(Stage::ReadingRatings(s)),
                )?)
            }
            None => None,
        };
        let mut bytes = stream::read_all(text.as_mut(), &share, self.limit.bytes, &mut |s| {
            progress(Stage::Reading(s))
        })?;
        let mut notes = Vec::new();
        if is_workbook(&bytes) {
            // Read through `read_sheet` first: the sheet reader is large and
            // the app loads it only when a workbook is opened.
            return Err(CatalogError::Spreadsheet(
                "a workbook must be read as one of its sheets first".into(),
            ));
        }
        if is_json(&bytes) {
            bytes = json_to_csv(&bytes)?;
        }
        let (mut catalog, _) = Catalog::parse_streaming(bytes, self.roles, progress)?;
        if catalog.len() > self.limit.titles {
            return Err(too_many_titles(catalog.len(), self.limit));
        }
        notes.extend(catalog.unread.iter().cloned().map(Note::Unread));
        if let Some(bytes) = ratings {
            let joined = catalog.attach_ratings(&bytes)?;
            notes.push(Note::RatingsJoined {
                joined,
                titles: catalog.len(),
            });
            // Ratings per user (MovieLens ratings.csv) also say who loves what.
            match crate::taste::learn_from_ratings_file(&mut catalog, &bytes, progress) {
                Some(Ok(summary)) => notes.push(Note::Taste(summary)),
                Some(Err(e)) => notes.push(Note::NoTaste(e.to_string())),
                None => {}
            }
        }
        Ok(Loaded { catalog, notes })
    }
}

/// Reads one sheet of an `.xlsx` or `.ods` workbook (gzipped or not) as
/// the CSV an [`Upload`] then reads: sheet `wanted`, or the first with a
/// header row. Kept apart from [`Upload::read`] so that only what opens
/// workbooks carries the sheet reader (the app's spreadsheet worker, the CLI).
pub fn read_sheet(
    file: InputFile<'_>,
    wanted: Option<&str>,
    limit: KeptLimit,
) -> Result<Sheet, CatalogError> {
    let (mut text, share) = stream::open(file.reader, file.size);
    let bytes = stream::read_all(text.as_mut(), &share, limit.bytes, &mut |_| {})?;
    if !(is_workbook(&bytes)) {
        return Err(CatalogError::Spreadsheet(
            "it is not an .xlsx or .ods workbook".into(),
        ));
    }
    sheet_to_csv(bytes, wanted, limit.bytes)
}

fn too_many_titles(n: usize, limit: KeptLimit) -> CatalogError {
    CatalogError::TooBig(format!(
        "{} titles, more than the {} a catalog keeps",
        crate::text::thousands(n),
        crate::text::thousands(limit.titles)
    ))
}

/// IMDb's basics dump, filtered as it streams, joined with its ratings.
fn read_imdb(
    text: &mut dyn BufRead,
    share: &stream::ReadShare,
    ratings: Option<InputFile<'_>>,
    roles: Option<Vec<ColumnRole>>,
    filter: &ImdbFilter,
    limit: KeptLimit,
    progress: &mut dyn FnMut(Stage),
) -> Result<Loaded, CatalogError> {
    let mut notes = Vec::new();
    let ratings = match ratings {
        None => {
            if filter.min_votes > 0 {
                notes.push(Note::NoImdbRatings {
                    min_votes: filter.min_votes,
                });
            }
            None
        }
        Some(file) => {
            let (mut text, share) = stream::open(file.reader, file.size);
            let head = text.fill_buf().map_err(stream::read_error)?;
            if !is_ratings(head) {
                let header =
                    String::from_utf8_lossy(head.split(|&b| b == b'\n').next().unwrap_or_default());
                return Err(CatalogError::UnknownRatings(format!(
                    "{} (IMDb's title.basics joins its own title.ratings file)",
                    header.trim_end().replace('\t', ", ")
                )));
            }
            let ratings = ImdbRatings::read(text.as_mut(), &mut || {
                progress(Stage::ReadingRatings(share.share()))
            })?;
            progress(Stage::ReadingRatings(1.0));
            Some(ratings)
        }
    };
    let (catalog, _) = Catalog::read_imdb(
        text,
        ratings.as_ref(),
        filter,
        roles,
        limit,
        &mut |rows, kept| {
            progress(Stage::Filtering {
                bytes: share.bytes(),
                total: share.total(),
                rows,
                kept: kept as u32,
            })
        },
    )?;
    notes.push(Note::ImdbKept {
        kept: catalog.len(),
        read: catalog.len() + catalog.issues.total,
        tv_movies: filter.tv_movies,
        min_votes: (ratings.is_some() && filter.min_votes > 0).then_some(filter.min_votes),
    });
    if let Some(r) = &ratings {
        let unreadable = r.issues.count(SkipKind::Unreadable);
        if unreadable > 0 {
            notes.push(Note::UnreadableImdbRatings(unreadable));
        }
    }
    Ok(Loaded { catalog, notes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::stream::gzip;

    fn file(bytes: &[u8]) -> InputFile<'_> {
        InputFile::new(bytes, bytes.len() as u64)
    }

    fn repo(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn the_imdb_sample_reads_the_same_gzipped_or_plain() {
        let (basics, ratings) = (
            repo("data/imdb-sample/title.basics.tsv"),
            repo("data/imdb-sample/title.ratings.tsv"),
        );
        let (basics_gz, ratings_gz) = (gzip(&basics), gzip(&ratings));
        let some_votes = ImdbFilter {
            min_votes: 50,
            tv_movies: false,
        };
        let read = |b: &[u8], r: &[u8]| {
            let mut stages = Vec::new();
            let loaded = Upload {
                ratings: Some(file(r)),
                filter: some_votes,
                ..Upload::new(file(b))
            }
            .read(&mut |s| stages.push(s))
            .unwrap();
            (loaded, stages)
        };
        let (plain, _) = read(&basics, &ratings);
        let (zipped, stages) = read(&basics_gz, &ratings_gz);
        assert_eq!(plain.catalog, zipped.catalog);
        assert!(stages.iter().any(|s| matches!(s, Stage::ReadingRatings(_))));
        assert!(stages
            .iter()
            .any(|s| matches!(s, Stage::Filtering { kept, .. } if *kept > 0)));
        // The sample's votes: every kept title has at least 50, and some had fewer.
        let c = &plain.catalog;
        assert!(c.len() > 50, "{}", c.len());
        assert!(c
            .movies()
            .iter()
            .all(|m| m.votes.unwrap() >= 50.0 && m.rating.is_some()));
        assert!(c.issues.count(SkipKind::TooFewVotes) > 0);
        assert!(
            plain
                .notes
                .iter()
                .any(|n| n.to_string().starts_with("IMDb: kept")),
            "{:?}",
            plain.notes
        );
    }

    #[test]
    fn a_cut_gzip_catalog_is_an_error_not_a_smaller_catalog() {
        let basics = gzip(&repo("data/imdb-sample/title.basics.tsv"));
        let cut = &basics[..basics.len() * 2 / 3];
        let e = Upload::new(file(cut))
            .read(&mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("ends too early"), "{e}");
        let csv = gzip(&repo("data/tmdb5000/tmdb_5000_movies.csv"));
        let e = Upload::new(file(&csv[..csv.len() / 2]))
            .read(&mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("ends too early"), "{e}");
    }

    #[test]
    fn a_gzipped_csv_reads_as_its_text_and_ratings_still_teach_taste() {
        let movies = repo("data/movielens/movies.csv");
        let ratings = repo("data/movielens/ratings.csv");
        let (movies_gz, ratings_gz) = (gzip(&movies), gzip(&ratings));
        let loaded = Upload {
            ratings: Some(file(&ratings_gz)),
            ..Upload::new(file(&movies_gz))
        }
        .read(&mut |_| {})
        .unwrap();
        let plain = Catalog::parse(&movies).unwrap();
        assert_eq!(loaded.catalog.len(), plain.len());
        assert!(
            loaded.catalog.taste_dims() > 0,
            "taste learnt from the gzipped ratings"
        );
        assert!(
            loaded.notes[0]
                .to_string()
                .starts_with("ratings joined for"),
            "{:?}",
            loaded.notes
        );
    }

    #[test]
    fn a_gzipped_json_catalog_reads_as_its_csv() {
        let json = br#"[{"title": "Heat", "year": 1995, "genres": ["Crime", "Drama"]},
                        {"title": "Alien", "year": 1979, "genres": ["Horror"]}]"#;
        let csv = b"title,year,genres\nHeat,1995,Crime|Drama\nAlien,1979,Horror\n";
        let read = |bytes: &[u8]| Upload::new(file(bytes)).read(&mut |_| {}).unwrap().catalog;
        assert_eq!(read(&gzip(json)), read(csv));
        let e = Upload::new(file(b"[1, 2]"))
            .read(&mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("the file looks like JSON but is not a list of movies"),
            "{e}"
        );
    }

    #[test]
    fn imdb_basics_refuses_another_ratings_file_and_limits_plain_titles() {
        let basics = repo("data/imdb-sample/title.basics.tsv");
        let e = Upload {
            ratings: Some(file(b"movieId,rating\n1,4\n")),
            ..Upload::new(file(&basics))
        }
        .read(&mut |_| {})
        .unwrap_err()
        .to_string();
        assert!(e.contains("title.ratings"), "{e}");
        let csv = repo("data/tmdb5000/tmdb_5000_movies.csv");
        let e = Upload {
            limit: KeptLimit {
                titles: 1000,
                ..KeptLimit::DEFAULT
            },
            ..Upload::new(file(&csv))
        }
        .read(&mut |_| {})
        .unwrap_err()
        .to_string();
        assert!(e.contains("more than the 1,000 a catalog keeps"), "{e}");
    }
}
