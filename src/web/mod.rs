//! The browser layer (wasm32 only): a thin Yew app and a web worker that
//! move data between the user and the core.

mod app;
mod bridge;
mod components;
pub mod protocol;
mod state;
pub mod storage;
pub mod worker;

/// Mounts the app on `<body>`.
pub fn start_app() {
    yew::Renderer::<app::App>::new().render();
}
