//! The root component: owns the state, and puts the workers, the URL and
//! storage to work for it (see [`super::workers`] for the workers).

use super::components::{
    Explorer, ExportPanel, MappingTable, MovieView, SearchBox, StatusBar, TuningPanel, UploadPanel,
    UsersPanel,
};
use super::storage;
use super::workers::use_workers;
use crate::web::state::{Action, AppState, DEFAULT_CATALOG_IDENTITY};
use std::rc::Rc;
use yew::prelude::*;

/// The reducer is plain data (`AppState::apply`, tested natively); this is
/// how Yew calls it.
impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.apply(action)
    }
}

fn url_movie_id() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("movie").filter(|id| !id.is_empty())
}

/// Puts the selected movie in the URL so links and the back button work.
pub fn push_movie_url(id: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let query = match id {
        Some(id) => format!("?movie={}", js_sys::encode_uri_component(id)),
        None => window.location().pathname().unwrap_or_default(),
    };
    let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
}

/// The app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        // The page always starts on the default catalog.
        let (watched, liked) = storage::load_marks(DEFAULT_CATALOG_IDENTITY);
        AppState {
            watched,
            liked,
            marks_of: Some(DEFAULT_CATALOG_IDENTITY.into()),
            wanted_id: url_movie_id(),
            ..AppState::default()
        }
    });
    let workers = use_workers(state.dispatcher());

    // Load the default catalog once.
    {
        let workers = workers.clone();
        use_effect_with((), move |_| {
            workers.load_default();
            || ()
        });
    }
    // A crashed session worker took the catalog with it: build it again from
    // the files the page kept (the page goes on showing what it had).
    {
        let workers = workers.clone();
        let restore = state
            .source
            .clone()
            .filter(|_| state.pending.is_none())
            .map(|source| (source, state.settings.clone()));
        use_effect_with(state.session_crashes, move |crashes| {
            if *crashes > 0 {
                workers.end_session();
                if let Some((source, settings)) = restore {
                    workers.restore(source, settings);
                }
            }
            || ()
        });
    }
    // Back and forward buttons.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "popstate", move |_| {
                    dispatch.dispatch(Action::SelectId(url_movie_id()));
                });
            move || drop(listener)
        });
    }
    // Persist marks whenever they change, under the catalog they belong to.
    {
        let dispatch = state.dispatcher();
        use_effect_with(
            (
                state.marks_of.clone(),
                state.watched.clone(),
                state.liked.clone(),
            ),
            move |(catalog, watched, liked)| {
                if let Some(catalog) = catalog {
                    if let Err(message) = storage::save_marks(catalog, watched, liked) {
                        dispatch.dispatch(Action::ShowError(message.to_string()));
                    }
                }
                || ()
            },
        );
    }
    // A catalog now in use whose marks are not loaded: read its own.
    {
        let dispatch = state.dispatcher();
        let missing = state
            .source
            .as_ref()
            .map(|source| source.identity.clone())
            .filter(|identity| state.marks_of.as_ref() != Some(identity));
        use_effect_with(missing, move |missing| {
            if let Some(catalog) = missing {
                let (watched, liked) = storage::load_marks(catalog);
                dispatch.dispatch(Action::MarksLoaded {
                    catalog: catalog.clone(),
                    watched,
                    liked,
                });
            }
            || ()
        });
    }
    // The elbow curve of a catalog is fitted once the catalog is on screen
    // (its worker starting earlier would delay it).
    {
        let workers = workers.clone();
        let job = state.loaded.as_ref().map(|l| l.job);
        use_effect_with(job, move |job| {
            if job.is_some() {
                workers.elbow();
            }
            || ()
        });
    }
    // The movie panel follows the catalog, the selection and the marks.
    {
        let workers = workers.clone();
        let job = state.loaded.as_ref().map(|l| l.job);
        use_effect_with(
            (
                job,
                state.selected.clone(),
                state.watched.clone(),
                state.liked.clone(),
            ),
            move |(job, selection, watched, liked)| {
                if job.is_some() {
                    workers.card(
                        selection.clone(),
                        watched.iter().cloned().collect(),
                        liked.iter().cloned().collect(),
                    );
                }
                || ()
            },
        );
    }
    // The selected movie goes into the URL, so links and the back button work.
    {
        let id = state
            .card
            .as_ref()
            .and_then(|c| c.selected.as_ref())
            .map(|d| d.movie.id.clone());
        use_effect_with(id, move |id| {
            if id.is_some() && *id != url_movie_id() {
                push_movie_url(id.as_deref());
            }
            || ()
        });
    }
    let on_select = {
        let dispatch = state.dispatcher();
        Callback::from(move |index: usize| {
            dispatch.dispatch(Action::Select(Some(index)));
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        })
    };
    let dismiss = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::DismissError))
    };
    let focus = state
        .card
        .as_ref()
        .and_then(|c| c.selected.as_ref())
        .map(|d| d.movie.cluster);

    html! {
        <>
        <header class="top">
            <h1><span class="logo" aria-hidden="true">{"◉"}</span>{" reelmeans"}</h1>
            <p class="tagline">{"Movie recommendations by k-means clustering, computed entirely in your browser."}</p>
            // Every panel one Tab (or tap) from the top: on a phone the side
            // panels sit below the explorer, thousands of pixels down.
            <nav class="jump" aria-label="Go to">
                <a href="#search">{"Find a movie"}</a>
                <a href="#explorer">{"Clusters"}</a>
                <a href="#users">{"Users"}</a>
                <a href="#upload">{"Your own catalog"}</a>
                <a href="#tuning">{"Tuning"}</a>
            </nav>
        </header>
        <StatusBar workers={workers.clone()} loaded={state.loaded.clone()} pending={state.pending.clone()} reading={state.reading.clone()} />
        if let Some(message) = &state.error {
            <div class="error" role="alert">
                <span data-testid="error">{message}</span>
                <button class="link" onclick={dismiss} aria-label="Dismiss error">{"✕"}</button>
            </div>
        }
        if let Some(mapping) = &state.mapping {
            <MappingTable workers={workers.clone()} mapping={mapping.clone()} settings={state.settings.clone()} />
        }
        <main class="layout">
            <section class="primary">
                if let Some(loaded) = &state.loaded {
                    <SearchBox workers={workers.clone()} hits={state.hits.clone()} catalog={loaded.job} on_select={on_select.clone()} />
                    <MovieView workers={workers.clone()} card={state.card.clone()} watched={state.watched.clone()}
                        liked={state.liked.clone()} clusters={loaded.overview.k} on_select={on_select.clone()}
                        fetching={loaded.overview.split && state.card_pending()} />
                    <Explorer loaded={loaded.clone()} elbow={state.elbow.clone()} {focus}
                        on_select={on_select.clone()} />
                } else {
                    <p class="placeholder">{"Loading the catalog…"}</p>
                }
                <UsersPanel workers={workers.clone()} report={state.users.clone()} busy={state.users_job.is_some()} />
            </section>
            <aside class="side">
                <UploadPanel workers={workers.clone()} busy={state.pending.is_some()} />
                if let (Some(loaded), Some(source)) = (&state.loaded, &state.source) {
                    <TuningPanel workers={workers.clone()} settings={state.settings.clone()} source={source.clone()}
                        titles={loaded.overview.titles} busy={state.pending.is_some()}
                        suggested={state.elbow.as_ref().and_then(|e| e.suggested())} cancels={state.cancels} />
                    <ExportPanel workers={workers.clone()} />
                }
            </aside>
        </main>
        <footer>
            <p>{"This product uses the TMDB API but is not endorsed or certified by TMDB. Movie data: The Movie Database (TMDB), via the TMDB 5000 dataset."}</p>
            <p>{"Everything runs locally: after this page loads it makes no network requests, and files you open never leave your browser."}</p>
        </footer>
        </>
    }
}
