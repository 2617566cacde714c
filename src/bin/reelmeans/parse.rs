//! `reelmeans parse`: a catalog as the reader sees it.

use crate::args::{one_input, Flags};
use crate::error::{at, CliError};
use crate::inputs::{read, read_catalog};
use reelmeans::{infer_roles, Catalog, Table};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

/// `parse`: read a catalog and report it, or print its records as read.
#[derive(Default)]
pub(crate) struct Parse {
    path: Option<PathBuf>,
    whole_table: bool,
    json: bool,
}

impl Flags for Parse {
    fn flag(&mut self, name: &str, _: &mut lexopt::Parser) -> Result<bool, CliError> {
        match name {
            "whole-table" => self.whole_table = true,
            "json" => self.json = true,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn positional(&mut self, value: OsString) -> Result<(), CliError> {
        one_input(&mut self.path, value)
    }
}

impl Parse {
    pub(crate) fn run(self) -> Result<(), CliError> {
        let path = self.path.as_ref().ok_or("a CATALOG file is required")?;
        if self.json {
            return print_records(path);
        }
        let start = Instant::now();
        let bytes = read_catalog(path)?;
        let catalog = if self.whole_table {
            let table = Table::parse(&bytes)?;
            Catalog::from_table(&table, &infer_roles(&table.headers, &table.rows))?
        } else {
            Catalog::parse_streaming(bytes, None, &mut |_| {})?.0
        };
        println!(
            "{} titles, {} rows left out{}, read in {:.2} s",
            catalog.len(),
            catalog.issues.total,
            if catalog.issues.total > 0 {
                format!(" ({})", catalog.issues.summary())
            } else {
                String::new()
            },
            start.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

/// The records of a file as the reader sees them, before any cleaning:
/// the text decoded (UTF-8 or Latin-1), the delimiter detected, every
/// record (the header first) with its fields untrimmed. For checking the
/// reader against other CSV test suites.
pub(crate) fn print_records(path: &PathBuf) -> Result<(), CliError> {
    let (text, encoding) = reelmeans::decode_owned(read(path)?).map_err(at(path))?;
    let delimiter = reelmeans::detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CliError::Malformed {
            path: path.clone(),
            why: e.to_string(),
        })?;
        records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    println!(
        "{}",
        serde_json::json!({
            "encoding": format!("{encoding:?}"),
            "delimiter": (delimiter as char).to_string(),
            "records": records,
        })
    );
    Ok(())
}
