//! The spreadsheet worker: turns one sheet of an `.xlsx` or `.ods`
//! workbook into CSV for the mapping step. Its reader is larger than all
//! the rest of the build worker, so it is a worker of its own, started only
//! when a workbook is opened: the first load of the page never fetches it.

use super::protocol::{Request, Response};
use super::worker::{input, post, post_with, serve};
use crate::catalog::stream::KeptLimit;
use crate::upload::read_sheet;

/// Registers the message handler; called from the spreadsheet worker binary's `main`.
pub fn start_sheets_worker() {
    serve(|request, parts| match (request, input(parts, 1)) {
        (Request::Sheet { name, sheet }, Some(file)) => {
            match read_sheet(file.into_file(), sheet.as_deref(), KeptLimit::DEFAULT) {
                Ok(read) => post_with(
                    &Response::Sheet {
                        name,
                        sheet: read.name,
                        sheets: read.names,
                    },
                    Some(&read.csv),
                ),
                Err(e) => post(&Response::Failed {
                    job: None,
                    message: format!("{name}: {e}"),
                }),
            }
        }
        _ => post(&Response::Failed {
            job: None,
            message: "the spreadsheet worker only reads sheets".into(),
        }),
    });
}
