//! The browser layer: a thin Yew page and the web workers that move data
//! between the user and the core, split by side:
//! - [`page`]: the main thread (the app, its components, its handle on the
//!   workers and its storage);
//! - [`worker`]: off the main thread, one module per worker role;
//! - `messages` and `bridge`: what crosses between them, typed by role.
//!
//! Only [`state`] (the page's state and its reducer, plain data) compiles
//! natively, so it is tested without a browser; the rest is wasm32 only.

pub mod state;

#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod error;
#[cfg(target_arch = "wasm32")]
mod messages;
#[cfg(target_arch = "wasm32")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub use page::start_app;
#[cfg(target_arch = "wasm32")]
pub use worker::sheets::start_sheets_worker;
#[cfg(target_arch = "wasm32")]
pub use worker::start_worker;
