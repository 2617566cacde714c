//! The CSV/TSV reader with role inference, the upload path (gzip sniffed,
//! IMDb's dumps filtered as they stream, a ratings file joined), the
//! spreadsheet reader and the value formats (numbers, dates, durations), on
//! arbitrary bytes: they may refuse the input, but never panic, and what
//! they accept is consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reelmeans::{parse_duration, read_columns, ColumnFormat, FileHints, ValueKind};
use reelmeans::KeptLimit;
use reelmeans::{infer_roles, Catalog};
use reelmeans::Table;
use reelmeans::{read_sheet, InputFile, Upload};

fn file(bytes: &[u8]) -> InputFile<'_> {
    InputFile::new(bytes, bytes.len() as u64)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = Table::parse(data) {
        assert!(table.rows.iter().all(|r| r.cells.len() == table.headers.len()));
        let roles = infer_roles(&table.headers, &table.rows);
        assert_eq!(roles.len(), table.headers.len());
        if let Ok(catalog) = Catalog::from_table(&table, &roles) {
            assert!(!catalog.movies().is_empty());
            assert!(catalog.movies().iter().all(|m| !m.title.is_empty()));
        }
    }
    let _ = Catalog::parse(data);
    // A workbook's sheet (the seeds include an .xlsx and an .ods), small limits.
    let limit = KeptLimit { titles: 10_000, bytes: 1 << 20 };
    if let Ok(sheet) = read_sheet(file(data), None, limit) {
        assert!(sheet.names.contains(&sheet.name));
        let _ = Catalog::parse(&sheet.csv);
    }
    // Each line as a cell of a number, date and duration column.
    let text = String::from_utf8_lossy(data);
    let cells: Vec<&str> = text.lines().take(64).collect();
    let hints = FileHints::detect(std::slice::from_ref(&cells));
    for kind in [ValueKind::Number, ValueKind::Date, ValueKind::Duration] {
        let format = ColumnFormat::detect(kind, &cells, hints);
        let understood = format.understand(cells.iter().copied());
        assert!(understood.failed <= understood.values);
        for cell in &cells {
            assert!(format.number(cell).is_none_or(f64::is_finite));
        }
    }
    for cell in &cells {
        assert!(parse_duration(cell).is_none_or(|(m, _)| m.is_finite() && m >= 0.0));
    }
    if let Ok(table) = Table::parse(data) {
        assert_eq!(read_columns(table.headers.len(), &table.rows).len(), table.headers.len());
    }
    let accepted = |upload: Upload<'_>| {
        if let Ok(loaded) = upload.read(&mut |_| {}) {
            assert!(!loaded.catalog.movies().is_empty());
            assert!(loaded.catalog.movies().iter().all(|m| !m.title.is_empty()));
        }
    };
    accepted(Upload::new(file(data)));
    // Split in two: a catalog and its ratings file.
    let (catalog, ratings) = data.split_at(data.len() / 2);
    accepted(Upload { ratings: Some(file(ratings)), ..Upload::new(file(catalog)) });
});
