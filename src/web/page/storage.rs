//! Watched and liked titles in `localStorage`, per catalog, surviving reloads.
//!
//! Marks are stored under the identity of the catalog they were made in
//! (see `state::Source::identity`), so an id from one catalog never marks
//! another catalog's movie; the default catalog's marks keep the keys they
//! had before, so marks made then keep working.
//!
//! Corrupt or unavailable storage never breaks the app: a value that does
//! not parse is treated as empty, and a failed write is reported, not fatal.
//! That is why this is not `gloo::storage`: its `LocalStorage` reaches the
//! storage with `expect_throw`, so a browser that refuses it (storage
//! disabled, a sandboxed frame) would throw inside the app.

use crate::web::error::WebError;
use crate::web::state::DEFAULT_CATALOG_IDENTITY;
use std::collections::BTreeSet;

/// The storage keys of a catalog's watched and liked ids.
fn keys(catalog: &str) -> (String, String) {
    if catalog == DEFAULT_CATALOG_IDENTITY {
        ("reelmeans.watched".into(), "reelmeans.liked".into())
    } else {
        (
            format!("reelmeans.watched:{catalog}"),
            format!("reelmeans.liked:{catalog}"),
        )
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load(key: &str) -> BTreeSet<String> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn save(key: &str, ids: &BTreeSet<String>) -> Result<(), WebError> {
    let json = serde_json::to_string(ids).map_err(|e| WebError::Browser(e.to_string()))?;
    let unavailable = "browser storage is unavailable; marks last until the page is closed";
    storage()
        .ok_or_else(|| WebError::Browser(unavailable.into()))?
        .set_item(key, &json)
        .map_err(|_| {
            WebError::Browser("browser storage is full; marks last until the page is closed".into())
        })
}

/// The watched and liked ids of a catalog.
pub fn load_marks(catalog: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (watched, liked) = keys(catalog);
    (load(&watched), load(&liked))
}

/// Saves a catalog's marks.
pub fn save_marks(
    catalog: &str,
    watched: &BTreeSet<String>,
    liked: &BTreeSet<String>,
) -> Result<(), WebError> {
    let (watched_key, liked_key) = keys(catalog);
    save(&watched_key, watched)?;
    save(&liked_key, liked)
}
