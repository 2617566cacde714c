//! A handle on a worker of one [`Role`]: spawn, send, and terminate (which
//! is how a long build is cancelled: a busy worker cannot read messages).
//! The page holds bridges to its workers, and a catalog worker to the
//! shard, elbow and spreadsheet workers it starts.

use super::messages::{decode, encode, Role};
use crate::web::error::WebError;
use js_sys::{Array, Uint8Array};
use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker script Trunk emits beside `index.html`; relative, so the site
/// works under any sub-path. Every role but the spreadsheet reader runs it.
pub const WORKER_SCRIPT: &str = "./worker_loader.js";
/// The spreadsheet worker's script (its reader is a wasm of its own).
pub const SHEETS_SCRIPT: &str = "./sheets_loader.js";

/// Messages waiting for the worker to announce it is ready.
type Queue = Rc<RefCell<Option<Vec<(Array, Array)>>>>;

/// Where a worker's responses go (replaceable: see [`Bridge::listen`]).
type OnResponse<R> = Rc<RefCell<Box<dyn Fn(<R as Role>::Response, Option<Uint8Array>)>>>;
/// Where a worker's crash goes.
type OnCrash = Rc<RefCell<Box<dyn Fn(String)>>>;

/// A running worker of role `R` and its message handlers.
pub struct Bridge<R: Role> {
    worker: Worker,
    /// `Some` until the worker says it is ready; then everything queued is sent.
    queue: Queue,
    on_response: OnResponse<R>,
    on_crash: OnCrash,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
    role: PhantomData<R>,
}

impl<R: Role> Bridge<R> {
    /// Starts a worker from `script`. Every response goes to `on_response`,
    /// with the file in slot 1 when there is one; an uncaught error inside
    /// the worker (a wasm trap looks like one) goes to `on_crash`.
    pub fn spawn(
        script: &str,
        on_response: impl Fn(R::Response, Option<Uint8Array>) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<Bridge<R>, WebError> {
        let worker = Worker::new(script)
            .map_err(|e| WebError::Browser(format!("cannot start the worker: {e:?}")))?;
        let queue: Queue = Rc::new(RefCell::new(Some(Vec::new())));
        let flush = (queue.clone(), worker.clone());
        let on_response: OnResponse<R> = Rc::new(RefCell::new(Box::new(on_response)));
        let on_crash: OnCrash = Rc::new(RefCell::new(Box::new(on_crash)));
        let (deliver, crashed) = (on_response.clone(), on_crash.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let parts: Array = event.data().unchecked_into();
            let first = parts.get(0);
            let bytes = if first.is_instance_of::<Uint8Array>() {
                first.unchecked_into::<Uint8Array>().to_vec()
            } else {
                Vec::new()
            };
            if bytes.is_empty() {
                // Ready: send what waited.
                let (queue, worker) = &flush;
                for (message, transfer) in queue.borrow_mut().take().unwrap_or_default() {
                    if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
                        (deliver.borrow())(
                            R::failure(format!("cannot reach the worker: {e:?}")),
                            None,
                        );
                    }
                }
                return;
            }
            let file = Some(parts.get(1)).filter(|f| f.is_instance_of::<Uint8Array>());
            let file = file.map(|f| f.unchecked_into::<Uint8Array>());
            let response = decode::<R, R::Response>(&bytes)
                .unwrap_or_else(|e| R::failure(format!("unreadable worker message: {e}")));
            (deliver.borrow())(response, file);
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            (crashed.borrow())(format!(
                "the background worker crashed: {}",
                event.message()
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Bridge {
            worker,
            queue,
            on_response,
            on_crash,
            _on_message: on_message,
            _on_error: on_error,
            role: PhantomData,
        })
    }

    /// Sends the worker's responses and its crash to new handlers (a worker
    /// that opened an upload goes on to build it, answering the build's).
    /// Not to be called from inside one of this bridge's own handlers.
    pub fn listen(
        &self,
        on_response: impl Fn(R::Response, Option<Uint8Array>) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) {
        *self.on_response.borrow_mut() = Box::new(on_response);
        *self.on_crash.borrow_mut() = Box::new(on_crash);
    }

    /// Sends a request with files: `Blob`s (a `File` is one), which cross
    /// by reference and are read in the worker, or typed arrays, whose
    /// buffers are transferred (not copied).
    pub fn send(&self, request: &R::Request, files: &[&JsValue]) -> Result<(), WebError> {
        let encoded = Uint8Array::from(encode::<R, _>(request)?.as_slice());
        let message = Array::of1(&encoded);
        let transfer = Array::of1(&encoded.buffer());
        for &file in files {
            if let Some(array) = file.dyn_ref::<Uint8Array>() {
                transfer.push(&array.buffer());
            } else if let Some(array) = file.dyn_ref::<js_sys::Float32Array>() {
                transfer.push(&array.buffer());
            }
            message.push(file);
        }
        if let Some(waiting) = self.queue.borrow_mut().as_mut() {
            waiting.push((message, transfer));
            return Ok(());
        }
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| WebError::Browser(format!("cannot reach the worker: {e:?}")))
    }
}

impl<R: Role> Drop for Bridge<R> {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
