//! Watched and liked titles in `localStorage`, surviving reloads.
//!
//! Corrupt or unavailable storage never breaks the app: a value that does
//! not parse is treated as empty, and a failed write is reported, not fatal.
//! That is why this is not `gloo::storage`: its `LocalStorage` reaches the
//! storage with `expect_throw`, so a browser that refuses it (storage
//! disabled, a sandboxed frame) would throw inside the app.

use std::collections::BTreeSet;

const WATCHED: &str = "reelmeans.watched";
const LIKED: &str = "reelmeans.liked";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load(key: &str) -> BTreeSet<String> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn save(key: &str, ids: &BTreeSet<String>) -> Result<(), String> {
    let json = serde_json::to_string(ids).map_err(|e| e.to_string())?;
    storage()
        .ok_or("browser storage is unavailable; marks last until the page is closed")?
        .set_item(key, &json)
        .map_err(|_| "browser storage is full; marks last until the page is closed".to_string())
}

/// Ids of watched titles.
pub fn load_watched() -> BTreeSet<String> {
    load(WATCHED)
}

/// Ids of liked titles.
pub fn load_liked() -> BTreeSet<String> {
    load(LIKED)
}

/// Saves both sets.
pub fn save_marks(watched: &BTreeSet<String>, liked: &BTreeSet<String>) -> Result<(), String> {
    save(WATCHED, watched)?;
    save(LIKED, liked)
}
