//! Spreadsheets (`.xlsx`, `.ods`): one sheet, as the CSV text it becomes.
//!
//! The sheet is the one the user names, or else the first with a header
//! row: a row of at least two filled cells with a row after it (a cover
//! sheet or a title line above the table is passed over). Cells become
//! text the way the rest of the reader expects it: numbers as Rust writes
//! them (a decimal point, no grouping), dates as `2008-07-16`, times and
//! durations as `2:22:00`, errors such as `#N/A` as empty cells. The
//! format detection then reads them like any CSV.

use super::CatalogError;
use calamine::{Data, Ods, Range, Reader, Xlsx};
use std::io::Cursor;

/// A zip archive: how `.xlsx` and `.ods` files begin.
pub fn is_spreadsheet(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// The compound-file header of Excel's old binary `.xls` (not read).
pub fn is_old_excel(head: &[u8]) -> bool {
    head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// A workbook of either kind: read through [`sheet_to_csv`] (which refuses
/// the old `.xls` with a message), never as text.
pub fn is_workbook(head: &[u8]) -> bool {
    is_spreadsheet(head) || is_old_excel(head)
}

/// One sheet of a workbook as CSV, and the workbook's sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's table as CSV text.
    pub csv: Vec<u8>,
    /// The sheet read.
    pub name: String,
    /// Every sheet of the workbook, in order.
    pub names: Vec<String>,
}

enum Workbook {
    Xlsx(Box<Xlsx<Cursor<Vec<u8>>>>),
    Ods(Ods<Cursor<Vec<u8>>>),
}

impl Workbook {
    fn open(bytes: Vec<u8>) -> Result<Workbook, CatalogError> {
        let xlsx = match Xlsx::new(Cursor::new(bytes.clone())) {
            Ok(book) => return Ok(Workbook::Xlsx(Box::new(book))),
            Err(e) => e,
        };
        match Ods::new(Cursor::new(bytes)) {
            Ok(book) => Ok(Workbook::Ods(book)),
            Err(ods) => Err(CatalogError::Spreadsheet(format!(
                "it is a zip archive but not a readable .xlsx or .ods workbook (as .xlsx: {xlsx}; as .ods: {ods})"
            ))),
        }
    }

    fn names(&self) -> Vec<String> {
        match self {
            Workbook::Xlsx(b) => b.sheet_names(),
            Workbook::Ods(b) => b.sheet_names(),
        }
    }

    fn range(&mut self, name: &str) -> Result<Range<Data>, CatalogError> {
        let range = match self {
            Workbook::Xlsx(b) => b.worksheet_range(name).map_err(|e| e.to_string()),
            Workbook::Ods(b) => b.worksheet_range(name).map_err(|e| e.to_string()),
        };
        range.map_err(|e| CatalogError::Spreadsheet(format!("sheet '{name}' cannot be read: {e}")))
    }
}

/// Reads sheet `wanted` (or the first with a header row) of an `.xlsx` or
/// `.ods` workbook as CSV, refusing to write more than `limit` bytes.
pub fn sheet_to_csv(
    bytes: Vec<u8>,
    wanted: Option<&str>,
    limit: u64,
) -> Result<Sheet, CatalogError> {
    if is_old_excel(&bytes) {
        return Err(CatalogError::Spreadsheet(
            "it is an old Excel .xls file: save it as .xlsx or CSV and open that".into(),
        ));
    }
    let mut book = Workbook::open(bytes)?;
    let names = book.names();
    if let Some(name) = wanted.filter(|w| !names.iter().any(|n| n == w)) {
        return Err(CatalogError::Spreadsheet(format!(
            "it has no sheet '{name}'; its sheets are {}",
            quoted(&names)
        )));
    }
    let candidates: Vec<String> = match wanted {
        Some(name) => vec![name.to_string()],
        None => names.clone(),
    };
    for name in candidates {
        let range = book.range(&name)?;
        if let Some(csv) = table_csv(&range, limit)? {
            return Ok(Sheet { csv, name, names });
        }
    }
    Err(CatalogError::Spreadsheet(match wanted {
        Some(name) => format!("sheet '{name}' has no header row with data below it"),
        None => format!(
            "no sheet has a header row with data below it (sheets: {})",
            quoted(&names)
        ),
    }))
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sheet's table from its header row on, or `None` when it has none.
fn table_csv(range: &Range<Data>, limit: u64) -> Result<Option<Vec<u8>>, CatalogError> {
    let rows: Vec<&[Data]> = range.rows().collect();
    let filled = |row: &[Data]| row.iter().filter(|c| !is_blank(c)).count();
    let Some(header) = rows.iter().position(|r| filled(r) >= 2) else {
        return Ok(None);
    };
    if !rows[header + 1..].iter().any(|r| filled(r) > 0) {
        return Ok(None);
    }
    // Columns past the last one used anywhere from the header down are dropped.
    let width = rows[header..]
        .iter()
        .filter_map(|r| r.iter().rposition(|c| !is_blank(c)))
        .max()
        .map_or(0, |last| last + 1);
    let mut out = csv::WriterBuilder::new()
        .flexible(false)
        .from_writer(Vec::new());
    let mut record: Vec<String> = Vec::with_capacity(width);
    for row in &rows[header..] {
        if filled(row) == 0 {
            continue;
        }
        record.clear();
        record.extend((0..width).map(|c| row.get(c).map_or_else(String::new, cell_text)));
        out.write_record(&record)
            .map_err(|e| CatalogError::Spreadsheet(e.to_string()))?;
        if out.get_ref().len() as u64 > limit {
            return Err(CatalogError::TooBig(format!(
                "the sheet holds more than {} MB of text",
                limit >> 20
            )));
        }
    }
    out.into_inner()
        .map(Some)
        .map_err(|e| CatalogError::Spreadsheet(e.to_string()))
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty | Data::Error(_) => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as text, written the way the CSV reader expects it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers without a fraction (`1995`, not `1995.0`).
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => {
            let value = t.as_f64();
            if t.is_duration() || (0.0..1.0).contains(&value) {
                // A duration, or a time of day typed as a running time (`2:22`).
                let seconds = (value * 86_400.0).round() as i64;
                format!(
                    "{}:{:02}:{:02}",
                    seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60
                )
            } else {
                let (y, m, d, ..) = t.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            }
        }
    }
}
