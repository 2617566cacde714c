//! The spreadsheet worker: turns one sheet of an `.xlsx` or `.ods`
//! workbook into CSV. Its reader is larger than all the rest of the worker,
//! so it is a wasm of its own, started by a catalog worker only when an
//! upload is a workbook ([`read_elsewhere`]): the first load of the page
//! never fetches it.

use super::{input, post, post_with, serve, Input};
use crate::catalog::stream::KeptLimit;
use crate::upload::read_sheet;
use crate::web::bridge::{Bridge, SHEETS_SCRIPT};
use crate::web::error::WebError;
use crate::web::messages::{decode, tag, Role, SheetRequest, SheetResponse, SheetsRole};
use js_sys::{Promise, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Registers the message handler; called from the spreadsheet worker binary's `main`.
pub fn start_sheets_worker() {
    serve(|bytes, parts| {
        if tag(bytes) != Some(SheetsRole::TAG) {
            return; // only sheets are read here
        }
        let response = match (decode::<SheetsRole, SheetRequest>(bytes), input(parts, 1)) {
            (Ok(request), Some(file)) => {
                match read_sheet(file.file(), request.sheet.as_deref(), KeptLimit::DEFAULT) {
                    Ok(read) => {
                        return post_with::<SheetsRole>(
                            &SheetResponse::Sheet {
                                sheet: read.name,
                                sheets: read.names,
                            },
                            Some(&read.csv),
                        )
                    }
                    Err(e) => SheetResponse::Failed(e.to_string()),
                }
            }
            (Ok(_), None) => SheetResponse::Failed("no workbook was sent".into()),
            (Err(e), _) => SheetResponse::Failed(e.to_string()),
        };
        post::<SheetsRole>(&response);
    });
}

/// A sheet as CSV, its name, and every sheet of its workbook.
#[derive(Clone)]
pub(super) struct ReadSheet {
    pub csv: Vec<u8>,
    pub sheet: String,
    pub sheets: Vec<String>,
}

/// Reads sheet `sheet` (the first with a header row when `None`) of
/// `workbook` in a spreadsheet worker started for it, which ends after.
pub(super) async fn read_elsewhere(
    workbook: &Input,
    sheet: Option<String>,
) -> Result<ReadSheet, WebError> {
    let answer: Rc<RefCell<Option<Result<ReadSheet, String>>>> = Rc::default();
    let done: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
    let finish = {
        let (answer, done) = (answer.clone(), done.clone());
        move |result: Result<ReadSheet, String>| {
            *answer.borrow_mut() = Some(result);
            if let Some(resolve) = done.borrow_mut().take() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    };
    let finish = Rc::new(finish);
    let crashed = finish.clone();
    let bridge = Bridge::<SheetsRole>::spawn(
        SHEETS_SCRIPT,
        move |response, file: Option<Uint8Array>| {
            finish(match (response, file) {
                (SheetResponse::Sheet { sheet, sheets }, Some(csv)) => Ok(ReadSheet {
                    csv: csv.to_vec(),
                    sheet,
                    sheets,
                }),
                (SheetResponse::Sheet { .. }, None) => {
                    Err("the sheet came without its rows".into())
                }
                (SheetResponse::Failed(message), _) => Err(message),
            })
        },
        move |message| crashed(Err(format!("the spreadsheet reader stopped: {message}"))),
    )?;
    bridge.send(&SheetRequest { sheet }, &[&workbook.to_js()])?;
    let wait = Promise::new(&mut |resolve, _| {
        if answer.borrow().is_some() {
            let _ = resolve.call0(&JsValue::NULL);
        } else {
            *done.borrow_mut() = Some(resolve);
        }
    });
    JsFuture::from(wait)
        .await
        .map_err(|e| WebError::Browser(format!("{e:?}")))?;
    drop(bridge);
    let result = answer.borrow_mut().take();
    result
        .unwrap_or_else(|| Err("the spreadsheet reader answered nothing".into()))
        .map_err(WebError::Refused)
}
