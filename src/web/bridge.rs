//! The page's handle on the worker: spawn, send, and terminate (which is how
//! a long clustering run is cancelled: a busy worker cannot read messages).

use super::protocol::{decode, encode, Request, Response};
use js_sys::{Array, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker scripts Trunk emits beside `index.html`; relative, so the site works under any sub-path.
pub const WORKER_SCRIPT: &str = "./worker_loader.js";
/// The spreadsheet worker's script (see [`super::sheets`]).
pub const SHEETS_SCRIPT: &str = "./sheets_loader.js";

/// Messages waiting for the worker to announce it is ready.
type Queue = Rc<RefCell<Option<Vec<(Array, Array)>>>>;

/// A running worker and its message handlers.
pub struct Bridge {
    worker: Worker,
    /// `Some` until the worker says `Ready`; then everything queued is sent.
    queue: Queue,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Bridge {
    /// Starts a worker. Every response goes to `on_response`, with the file
    /// in slot 1 when there is one; an uncaught error inside the worker (a
    /// wasm trap looks like one) goes to `on_crash`.
    pub fn spawn(
        on_response: impl Fn(Response, Option<Uint8Array>) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<Bridge, String> {
        Bridge::spawn_script(WORKER_SCRIPT, on_response, on_crash)
    }

    /// Starts the worker of `script` (see [`Bridge::spawn`]).
    pub fn spawn_script(
        script: &str,
        on_response: impl Fn(Response, Option<Uint8Array>) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<Bridge, String> {
        let worker = Worker::new(script).map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let deliver = Rc::new(on_response);
        let queue: Queue = Rc::new(RefCell::new(Some(Vec::new())));
        let flush = (queue.clone(), worker.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let parts: Array = event.data().unchecked_into();
            let first = parts.get(0);
            let bytes = if first.is_instance_of::<Uint8Array>() {
                first.unchecked_into::<Uint8Array>().to_vec()
            } else {
                Vec::new()
            };
            let file = Some(parts.get(1)).filter(|f| f.is_instance_of::<Uint8Array>());
            let file = file.map(|f| f.unchecked_into::<Uint8Array>());
            match decode::<Response>(&bytes) {
                Ok(Response::Ready) => {
                    let (queue, worker) = &flush;
                    for (message, transfer) in queue.borrow_mut().take().unwrap_or_default() {
                        if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
                            deliver(
                                Response::Failed {
                                    job: None,
                                    message: format!("cannot reach the worker: {e:?}"),
                                },
                                None,
                            );
                        }
                    }
                }
                Ok(response) => deliver(response, file),
                Err(e) => deliver(
                    Response::Failed {
                        job: None,
                        message: format!("unreadable worker message: {e}"),
                    },
                    None,
                ),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            on_crash(format!(
                "the background worker crashed: {}",
                event.message()
            ));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Bridge {
            worker,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request with up to two files: `Blob`s (a `File` is one),
    /// which cross by reference and are read in the worker, or
    /// `Uint8Array`s, whose buffers are transferred (not copied).
    pub fn send(&self, request: &Request, files: &[&JsValue]) -> Result<(), String> {
        let encoded = Uint8Array::from(encode(request)?.as_slice());
        let message = Array::of1(&encoded);
        let transfer = Array::of1(&encoded.buffer());
        for &file in files {
            if let Some(array) = file.dyn_ref::<Uint8Array>() {
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
            .map_err(|e| format!("cannot reach the worker: {e:?}"))
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
