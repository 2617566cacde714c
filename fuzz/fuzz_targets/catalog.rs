//! The CSV/TSV reader with role inference, and the upload path (gzip sniffed,
//! IMDb's dumps filtered as they stream, a ratings file joined), on
//! arbitrary bytes: it may refuse the input, but never panic, and what it
//! accepts is consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reelmeans::catalog::{infer_roles, Catalog};
use reelmeans::table::Table;
use reelmeans::upload::{InputFile, Upload};

fn file(bytes: &[u8]) -> InputFile<'_> {
    InputFile::new(bytes, bytes.len() as u64)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = Table::parse(data) {
        assert!(table.rows.iter().all(|r| r.cells.len() == table.headers.len()));
        let roles = infer_roles(&table.headers, &table.rows);
        assert_eq!(roles.len(), table.headers.len());
        if let Ok(catalog) = Catalog::from_table(&table, &roles) {
            assert!(!catalog.movies.is_empty());
            assert!(catalog.movies.iter().all(|m| !m.title.is_empty()));
        }
    }
    let _ = Catalog::parse(data);
    let accepted = |upload: Upload<'_>| {
        if let Ok(loaded) = upload.read(&mut |_| {}) {
            assert!(!loaded.catalog.movies.is_empty());
            assert!(loaded.catalog.movies.iter().all(|m| !m.title.is_empty()));
        }
    };
    accepted(Upload::new(file(data)));
    // Split in two: a catalog and its ratings file.
    let (catalog, ratings) = data.split_at(data.len() / 2);
    accepted(Upload { ratings: Some(file(ratings)), ..Upload::new(file(catalog)) });
});
