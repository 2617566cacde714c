//! The Yew single-page app (wasm32 only).

#[cfg(target_arch = "wasm32")]
fn main() {
    reelmeans::web::start_app();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app runs in the browser: build it with `trunk build` (see README)");
}
