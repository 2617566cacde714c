//! The record-by-record reader: a big file becomes movies without ever
//! existing as a table of text cells.

use super::builder::CatalogBuilder;
use super::role::ColumnRole;
use super::roles::{infer_roles, SAMPLE_ROWS};
use super::{Catalog, CatalogError};
use crate::progress::Stage;
use crate::table::{scan, Record, Row, TableError};

impl Catalog {
    /// Reads a catalog record by record, for big files: the rows never exist
    /// as a table of text cells, only as movies. Roles are inferred from the
    /// first [`SAMPLE_ROWS`] rows unless given. `progress` receives
    /// [`Stage::Parsing`] with the share of the file read, every few thousand rows.
    ///
    /// Returns the catalog and the roles used. Same results as
    /// [`Catalog::from_table`] on [`Table::parse`](crate::table::Table::parse).
    pub fn parse_streaming(
        bytes: Vec<u8>,
        roles: Option<Vec<ColumnRole>>,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<(Catalog, Vec<ColumnRole>), CatalogError> {
        let (text, _) = crate::table::decode_owned(bytes)?;
        if text.trim().is_empty() {
            return Err(TableError::Empty.into());
        }
        let delimiter = crate::table::detect_delimiter(&text);
        let total = text.len().max(1) as f64;
        let mut headers: Vec<String> = Vec::new();
        let mut sample: Vec<Row> = Vec::new();
        let mut builder: Option<CatalogBuilder> = None;
        let mut chosen_roles = roles;
        let mut rows_seen = 0u64;
        // Roles come from the first SAMPLE_ROWS rows; until then rows wait as text.
        let start_builder =
            |headers: &[String], sample: &mut Vec<Row>, chosen: &mut Option<Vec<ColumnRole>>| {
                let roles = chosen.get_or_insert_with(|| infer_roles(headers, sample));
                let mut b = CatalogBuilder::new(headers, roles, sample)?;
                for row in sample.drain(..) {
                    b.push(row.line, &row.cells);
                }
                Ok::<CatalogBuilder, CatalogError>(b)
            };
        let issues = scan(&text, delimiter, |record| {
            let (line, cells) = match record {
                Record::Header(h) => {
                    headers = h;
                    return Ok(());
                }
                Record::Row(line, cells) => (line, cells),
            };
            rows_seen += 1;
            match &mut builder {
                Some(b) => b.push(line, cells),
                None => {
                    sample.push(Row {
                        line,
                        cells: cells.iter().map(str::to_string).collect(),
                    });
                    if sample.len() >= SAMPLE_ROWS {
                        builder = Some(start_builder(&headers, &mut sample, &mut chosen_roles)?);
                    }
                }
            }
            if rows_seen.is_multiple_of(8192) {
                if let Some(p) = cells.position() {
                    progress(Stage::Parsing((p.byte() as f64 / total) as f32));
                }
            }
            Ok::<(), CatalogError>(())
        })?;
        if builder.is_none() {
            if sample.is_empty() && issues.total == 0 {
                return Err(TableError::HeaderOnly.into());
            }
            builder = Some(start_builder(&headers, &mut sample, &mut chosen_roles)?);
        }
        progress(Stage::Parsing(1.0));
        let catalog = builder.map_or(Err(CatalogError::NoTitle), |b| {
            b.finish(issues.into_report())
        })?;
        Ok((catalog, chosen_roles.unwrap_or_default()))
    }
}
