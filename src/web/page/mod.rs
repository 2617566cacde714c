//! The page's side: the app, its components, its handle on the workers
//! ([`workers::Workers`], whose verbs the components call) and the marks'
//! storage.

mod answers;
mod app;
mod components;
mod site;
pub mod storage;
mod workers;

/// Mounts the app on `<body>`.
pub fn start_app() {
    std::panic::set_hook(Box::new(|info| show_fatal(&info.to_string())));
    yew::Renderer::<app::App>::new().render();
}

/// A panic is a bug, but the user must still see what happened rather than a
/// frozen page: write the message into the page (as text) and the console.
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
