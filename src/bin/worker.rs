//! The web worker that parses, scales and clusters off the main thread (wasm32 only).

#[cfg(target_arch = "wasm32")]
fn main() {
    reelmeans::web::start_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser: build it with `trunk build` (see README)");
}
