//! The workers' side: what runs off the main thread, one module per role.
//!
//! One worker script serves every role but the spreadsheet reader's: a
//! message's tag says which role it is for ([`super::messages`]).
//! - [`catalog`]: opens an upload, builds a catalog, then keeps it and
//!   answers the page's queries; it starts the [`shards`], [`elbow`] and
//!   [`sheets`] workers its work needs;
//! - [`helper`]: the users view;
//! - [`shards`]: a k-means shard, and the coordinator's side of them;
//! - [`elbow`]: the elbow curve of a built catalog;
//! - [`sheets`]: its own wasm, one sheet of a workbook as CSV.

mod build;
pub mod catalog;
mod elbow;
mod helper;
mod shards;
pub mod sheets;

use super::messages::{decode, encode, tag, CatalogRole, ElbowRole, HelperRole, Role, ShardRole};
use crate::catalog::stream;
use crate::progress::Stage;
use crate::upload::InputFile;
use crate::web::error::WebError;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Most bytes of text read whole (the users view's files, a catalog's own
/// file for its export): what a catalog keeps.
const WHOLE_FILE_LIMIT: u64 = crate::catalog::stream::KeptLimit::DEFAULT.bytes;

/// Least time between two progress messages.
const PROGRESS_INTERVAL_MS: f64 = 60.0;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts a response of role `R`.
pub(super) fn post<R: Role>(response: &R::Response) {
    post_with::<R>(response, None);
}

/// Posts a response with a file in slot 1 (transferred, not copied).
pub(super) fn post_with<R: Role>(response: &R::Response, file: Option<&[u8]>) {
    let bytes = encode::<R, _>(response)
        .or_else(|e| encode::<R, _>(&R::failure(e.to_string())))
        .unwrap_or_default();
    post_bytes(&bytes, file);
}

fn post_bytes(bytes: &[u8], file: Option<&[u8]>) {
    let array = Uint8Array::from(bytes);
    let (message, transfer) = (Array::of1(&array), Array::of1(&array.buffer()));
    if let Some(file) = file {
        let file = Uint8Array::from(file);
        message.push(&file);
        transfer.push(&file.buffer());
    }
    let _ = scope().post_message_with_transfer(&message, &transfer);
}

/// A file in a message slot: bytes a worker or the page made
/// (`Uint8Array`), or a `Blob` (a file the page passed by reference), read
/// here in slices as it is needed, never whole.
#[derive(Clone)]
pub(super) enum Input {
    Bytes(std::rc::Rc<Vec<u8>>),
    Blob(web_sys::Blob),
}

impl Input {
    fn size(&self) -> u64 {
        match self {
            Input::Bytes(b) => b.len() as u64,
            Input::Blob(b) => b.size() as u64,
        }
    }

    /// The file as a stream of bytes.
    pub(super) fn file(&self) -> InputFile<'static> {
        let size = self.size();
        match self {
            Input::Bytes(b) => InputFile::new(std::io::Cursor::new(SharedBytes(b.clone())), size),
            Input::Blob(blob) => InputFile::new(
                BlobReader {
                    blob: blob.clone(),
                    offset: 0.0,
                },
                size,
            ),
        }
    }

    /// The whole text (inflated, when gzip), up to `limit` bytes.
    pub(super) fn text(&self, limit: u64) -> Result<Vec<u8>, WebError> {
        let file = self.file();
        let (mut text, share) = stream::open(file.reader, file.size);
        Ok(stream::read_all(text.as_mut(), &share, limit, &mut |_| {})?)
    }

    /// The value to put in a message slot.
    pub(super) fn to_js(&self) -> JsValue {
        match self {
            Input::Bytes(b) => Uint8Array::from(b.as_slice()).into(),
            Input::Blob(blob) => blob.into(),
        }
    }
}

/// Bytes shared by the inputs that read them.
struct SharedBytes(std::rc::Rc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Reads a `Blob` in slices of [`stream::READ_CHUNK`] bytes with the
/// worker's synchronous `FileReaderSync`.
struct BlobReader {
    blob: web_sys::Blob,
    offset: f64,
}

impl std::io::Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let end = (self.offset + buf.len().min(stream::READ_CHUNK) as f64).min(self.blob.size());
        if end <= self.offset {
            return Ok(0);
        }
        let unreadable = |e: JsValue| {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| format!("{e:?}"));
            std::io::Error::other(format!(
                "was it changed or moved since it was chosen? {why}"
            ))
        };
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.offset, end)
            .map_err(unreadable)?;
        let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
        let buffer = reader.read_as_array_buffer(&slice).map_err(unreadable)?;
        let array = Uint8Array::new(&buffer);
        let n = array.length() as usize;
        array.copy_to(&mut buf[..n]);
        self.offset += n as f64;
        Ok(n)
    }
}

/// The file in a message slot, if any.
pub(super) fn input(parts: &Array, slot: u32) -> Option<Input> {
    let value = parts.get(slot);
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Some(Input::Bytes(std::rc::Rc::new(array.to_vec())));
    }
    value.dyn_into::<web_sys::Blob>().ok().map(Input::Blob)
}

/// The files in a message's slots after the request.
pub(super) fn inputs(parts: &Array) -> Vec<Input> {
    (1..parts.length())
        .filter_map(|i| input(parts, i))
        .collect()
}

/// Registers the message handler of the worker script; called from the
/// worker binary's `main`. Each message goes to the role its tag names.
pub fn start_worker() {
    serve(|bytes, parts| match tag(bytes) {
        Some(CatalogRole::TAG) => with_request::<CatalogRole>(bytes, parts, catalog::handle),
        Some(HelperRole::TAG) => with_request::<HelperRole>(bytes, parts, helper::handle),
        Some(ElbowRole::TAG) => with_request::<ElbowRole>(bytes, parts, elbow::handle),
        Some(ShardRole::TAG) => with_request::<ShardRole>(bytes, parts, shards::handle),
        _ => {} // no role of this worker's: no one to answer
    });
}

/// Decodes a request of role `R` and hands it to `handle`, or answers why
/// it cannot be read.
fn with_request<R: Role>(bytes: &[u8], parts: &Array, handle: fn(R::Request, &Array)) {
    match decode::<R, R::Request>(bytes) {
        Ok(request) => handle(request, parts),
        Err(e) => post::<R>(&R::failure(e.to_string())),
    }
}

/// Installs `handle` as this worker's message handler (a message's bytes,
/// and its parts: files after it, read with [`input`]) and tells whoever
/// started the worker that it is ready (an empty message).
fn serve(handle: impl Fn(&[u8], &Array) + 'static) {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let parts: Array = event.data().unchecked_into();
        if let Some(Input::Bytes(bytes)) = input(&parts, 0) {
            handle(&bytes, &parts);
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // lives as long as the worker
    post_bytes(&[], None);
}

/// A progress reporter that posts at most every [`PROGRESS_INTERVAL_MS`],
/// except that a new step is always posted (a step that follows a dropped
/// report may run long, and the screen would name the one before).
fn throttled(mut post: impl FnMut(Stage)) -> impl FnMut(Stage) {
    let mut last = 0.0;
    let mut last_stage: Option<Stage> = None;
    move |stage| {
        let now = js_sys::Date::now();
        let new_step = last_stage.is_none_or(|l| !l.same_step(&stage));
        if now - last >= PROGRESS_INTERVAL_MS || new_step {
            last = now;
            last_stage = Some(stage);
            post(stage);
        }
    }
}
