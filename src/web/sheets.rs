//! The spreadsheet worker: turns one sheet of an `.xlsx` or `.ods`
//! workbook into CSV for the mapping step. Its reader is larger than all
//! the rest of the build worker, so it is a worker of its own, started only
//! when a workbook is opened: the first load of the page never fetches it.

use super::protocol::{decode, Request, Response};
use super::worker::{input, post, post_with, scope, Input};
use crate::catalog::stream::KeptLimit;
use crate::upload::read_sheet;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

/// Registers the message handler; called from the spreadsheet worker binary's `main`.
pub fn start_sheets_worker() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let parts: Array = event.data().unchecked_into();
        let request = match input(&parts, 0) {
            Some(Input::Bytes(bytes)) => decode::<Request>(&bytes),
            _ => Err("a message without a request".to_string()),
        };
        match (request, input(&parts, 1)) {
            (Ok(Request::Sheet { name, sheet }), Some(file)) => {
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
            (Ok(_), _) => post(&Response::Failed {
                job: None,
                message: "the spreadsheet worker only reads sheets".into(),
            }),
            (Err(message), _) => post(&Response::Failed { job: None, message }),
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // lives as long as the worker
    post(&Response::Ready);
}
