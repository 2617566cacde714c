//! The browser layer: a thin Yew app and a web worker that move data
//! between the user and the core. Only [`state`] (the page's state and its
//! reducer, plain data) compiles natively, so it is tested without a
//! browser; the rest is wasm32 only.

pub mod state;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
pub mod protocol;
#[cfg(target_arch = "wasm32")]
mod shards;
#[cfg(target_arch = "wasm32")]
pub mod sheets;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod worker;
#[cfg(target_arch = "wasm32")]
mod workers;

/// Mounts the app on `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn start_app() {
    std::panic::set_hook(Box::new(|info| show_fatal(&info.to_string())));
    yew::Renderer::<app::App>::new().render();
}

/// A panic is a bug, but the user must still see what happened rather than a
/// frozen page: write the message into the page (as text) and the console.
#[cfg(target_arch = "wasm32")]
fn show_fatal(message: &str) {
    gloo::console::error!(message.to_string());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if let Ok(div) = document.create_element("div") {
        div.set_class_name("error fatal");
        let _ = div.set_attribute("role", "alert");
        let _ = div.set_attribute("data-testid", "error");
        div.set_text_content(Some(&format!(
            "Something went wrong inside reelmeans ({message}). Please reload the page; your watched and liked titles are saved."
        )));
        let _ = body.prepend_with_node_1(&div);
    }
}
