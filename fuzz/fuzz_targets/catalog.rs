//! The CSV/TSV reader with role inference, on arbitrary bytes: it may refuse
//! the input, but never panic, and what it accepts is consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reelmeans::catalog::{infer_roles, Catalog};
use reelmeans::table::Table;

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
});
