//! What a file is before it is read, the one place files are sniffed: the
//! page's workers and the CLI both ask here.
//!
//! [`kind_of`] tells a catalog from a workbook, a saved model and a ratings
//! file by their first bytes (never by their names). [`inspect`] reads the
//! head of a catalog (inflated, when gzip) and says what its columns are,
//! the roles inferred for them, how their values read and how many rows the
//! file has: what the mapping step shows before anything is built.

use crate::catalog::formats::{read_columns, ColumnReadings};
use crate::catalog::imdb::{is_basics, is_ratings};
use crate::catalog::json::{is_json, json_to_csv};
use crate::catalog::sheet::is_workbook;
use crate::catalog::stream::{self, KeptLimit};
use crate::catalog::{column_examples, infer_roles, CatalogError, ColumnRole};
use crate::interactions::{find_column, USER_COLUMNS};
use crate::model::SavedModel;
use crate::table::{approximate_rows, head_sample, Table};
use crate::upload::InputFile;
use serde::{Deserialize, Serialize};

/// Bytes read to infer roles and show a preview: enough for hundreds of rows.
pub const PREVIEW_BYTES: usize = 1 << 20;

/// What a file holds, judged from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// A catalog of titles: CSV, TSV, JSON, or IMDb's `title.basics` dump.
    Catalog,
    /// An `.xlsx` or `.ods` workbook (or Excel's old `.xls`): a catalog in
    /// one of its sheets.
    Workbook,
    /// A model saved by reelmeans (its pipeline and centroids).
    SavedModel,
    /// Ratings to join to a catalog: IMDb's `title.ratings`, or one rating
    /// per user and title (MovieLens `ratings.csv`).
    Ratings,
}

/// What `head` (a file's first bytes, inflated when gzip) holds.
///
/// ```
/// use reelmeans::{kind_of, FileKind};
/// assert_eq!(kind_of(b"title,year\nHeat,1995\n"), FileKind::Catalog);
/// assert_eq!(kind_of(b"userId,movieId,rating,timestamp\n1,1,4.0,964982703\n"), FileKind::Ratings);
/// assert_eq!(kind_of(b"tconst\taverageRating\tnumVotes\n"), FileKind::Ratings);
/// assert_eq!(kind_of(b"{\"version\": 1, \"pipeline\": {"), FileKind::SavedModel);
/// assert_eq!(kind_of(b"PK\x03\x04"), FileKind::Workbook);
/// ```
pub fn kind_of(head: &[u8]) -> FileKind {
    if is_workbook(head) {
        FileKind::Workbook
    } else if SavedModel::is_saved_model(head) {
        FileKind::SavedModel
    } else if is_ratings(head) || is_per_user_ratings(head) {
        FileKind::Ratings
    } else {
        FileKind::Catalog
    }
}

/// Whether the first line names a user column (and so is one rating per
/// user and title, not a catalog).
fn is_per_user_ratings(head: &[u8]) -> bool {
    if is_json(head) {
        return false;
    }
    Table::parse(head_sample(head, 4096))
        .is_ok_and(|t| find_column(&t.headers, USER_COLUMNS).is_some())
}

/// What a file is, from its first bytes (inflated when gzip).
pub fn sniff(file: InputFile<'_>) -> Result<FileKind, CatalogError> {
    let (mut text, _) = stream::open(file.reader, file.size);
    Ok(kind_of(
        std::io::BufRead::fill_buf(&mut text).map_err(stream::read_error)?,
    ))
}

/// A catalog file's head, as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Column headers.
    pub headers: Vec<String>,
    /// The role inferred for each column.
    pub roles: Vec<ColumnRole>,
    /// A few non-empty example values per column.
    pub examples: Vec<Vec<String>>,
    /// Each column read as numbers, dates and running times, so the mapping
    /// step can say what it understood for any role.
    pub readings: Vec<ColumnReadings>,
    /// Data rows in the file (estimated past the head when `approximate`).
    pub rows: usize,
    /// `rows` is an estimate.
    pub approximate: bool,
    /// The file is IMDb's `title.basics` dump (its filter applies).
    pub imdb: bool,
}

/// Reads the head of a catalog file (inflated, when gzip) and inspects it.
/// JSON, which cannot be cut at a line break, is read whole (within the
/// kept limit) and inspected as the table it becomes. A plain file's rows
/// are counted to its end, a slice at a time; a gzip file's are estimated
/// from the share of it the head took (inflating 1 GB to count would take
/// seconds).
pub fn inspect(file: InputFile<'_>) -> Result<Inspection, CatalogError> {
    let (mut text, share) = stream::open(file.reader, file.size);
    let (head, json) = head_csv(text.as_mut(), &share, PREVIEW_BYTES)?;
    let table = Table::parse(head_sample(&head, PREVIEW_BYTES))?;
    let (rows, approximate) = if head.len() < PREVIEW_BYTES {
        (table.rows.len(), false)
    } else if json {
        (approximate_rows(&head), false)
    } else if share.is_gzip() {
        let estimate = approximate_rows(&head) as f64 / share.share().max(1e-9) as f64;
        (estimate as usize, true)
    } else {
        (stream::count_rows(&head, text.as_mut())?, false)
    };
    Ok(Inspection {
        roles: infer_roles(&table.headers, &table.rows),
        readings: read_columns(table.headers.len(), &table.rows),
        examples: column_examples(table.headers.len(), &table.rows, 3),
        rows,
        approximate,
        imdb: is_basics(&head),
        headers: table.headers,
    })
}

/// The head of a catalog file as a table, enough to find its columns and
/// infer their roles (the CLI's `--role`): as [`inspect`] reads it, without
/// counting the rows.
pub fn head_table(file: InputFile<'_>, limit: usize) -> Result<Table, CatalogError> {
    let (mut text, share) = stream::open(file.reader, file.size);
    let (head, _) = head_csv(text.as_mut(), &share, limit)?;
    Ok(Table::parse(head_sample(&head, limit))?)
}

/// A catalog's head as CSV text, and whether it was JSON: the first `limit`
/// bytes of its text, or, for JSON (which cannot be cut at a line break),
/// the whole text within the kept limit, turned into the table it becomes.
/// A workbook is refused: it is read as one of its sheets.
fn head_csv(
    text: &mut dyn std::io::BufRead,
    share: &stream::ReadShare,
    limit: usize,
) -> Result<(Vec<u8>, bool), CatalogError> {
    let mut head = stream::read_head(text, limit)?;
    if is_workbook(&head) {
        return Err(CatalogError::Spreadsheet(
            "a workbook is inspected as one of its sheets".into(),
        ));
    }
    let json = is_json(&head);
    if json {
        if head.len() >= limit {
            let rest = stream::read_all(text, share, KeptLimit::DEFAULT.bytes, &mut |_| {})?;
            head.extend(rest);
        }
        head = json_to_csv(&head)?;
    }
    Ok((head, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> InputFile<'_> {
        InputFile::new(bytes, bytes.len() as u64)
    }

    #[test]
    fn a_catalog_is_inspected_with_its_roles_readings_and_rows() {
        let csv = b"Titel;Jahr;Laufzeit\nHeat;1995;2 Std. 50 Min.\nUp;2009;1 Std. 36 Min.\n";
        let seen = inspect(file(csv)).unwrap();
        assert_eq!(seen.headers, ["Titel", "Jahr", "Laufzeit"]);
        assert_eq!(
            seen.roles,
            [ColumnRole::Title, ColumnRole::Year, ColumnRole::Runtime]
        );
        assert_eq!((seen.rows, seen.approximate, seen.imdb), (2, false, false));
        let runtime = seen.readings[2].for_role(ColumnRole::Runtime).unwrap();
        assert_eq!(runtime.failed, 0);
    }

    #[test]
    fn json_is_inspected_as_the_table_it_becomes() {
        let json = br#"[{"title": "Heat", "year": 1995}, {"title": "Up", "year": 2009}]"#;
        let seen = inspect(file(json)).unwrap();
        assert_eq!(seen.headers, ["title", "year"]);
        assert_eq!(seen.rows, 2);
    }

    #[test]
    fn a_workbook_and_a_cut_gzip_file_are_refused_with_their_reasons() {
        let err = inspect(file(b"PK\x03\x04rest")).unwrap_err().to_string();
        assert!(err.contains("workbook"), "{err}");
        let cut = [0x1f, 0x8b, 0x08, 0x00, 0x00];
        let err = inspect(file(&cut)).unwrap_err().to_string();
        assert!(err.contains("gzip"), "{err}");
    }

    #[test]
    fn a_ratings_file_is_told_from_a_catalog_by_its_header() {
        let ratings = std::fs::read("data/movielens/ratings.csv").unwrap();
        assert_eq!(sniff(file(&ratings)).unwrap(), FileKind::Ratings);
        let movies = std::fs::read("data/movielens/movies.csv").unwrap();
        assert_eq!(sniff(file(&movies)).unwrap(), FileKind::Catalog);
        let catalog = std::fs::read("static/catalog.csv").unwrap();
        assert_eq!(sniff(file(&catalog)).unwrap(), FileKind::Catalog);
    }
}
