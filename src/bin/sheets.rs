//! The spreadsheet worker: one sheet of a workbook as CSV (wasm32 only;
//! started only when a workbook is opened).

#[cfg(target_arch = "wasm32")]
fn main() {
    reelmeans::web::start_sheets_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "the spreadsheet worker runs in the browser: build it with `trunk build` (see README)"
    );
}
