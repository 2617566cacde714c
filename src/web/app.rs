//! The root component: owns the state, the worker bridge, the URL and storage.

use super::bridge::Bridge;
use super::components::{
    Explorer, ExportPanel, MappingTable, MovieView, SearchBox, StatusBar, TuningPanel, UploadPanel,
    UsersPanel,
};
use super::protocol::{Request, Response};
use super::state::{Action, AppState, Mapping, Pending, Settings, Source};
use super::storage;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// The default catalog, fetched relative to the page so any sub-path works.
const DEFAULT_CATALOG: &str = "catalog.csv";
/// Name shown for the default catalog.
const DEFAULT_NAME: &str = "TMDB 5000 (default catalog)";

/// Shared handles the callbacks need.
#[derive(Clone)]
pub struct Ctx {
    /// The state dispatcher.
    pub dispatch: UseReducerDispatcher<AppState>,
    bridge: Rc<RefCell<Option<Bridge>>>,
    next_job: Rc<RefCell<u32>>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.bridge, &other.bridge)
    }
}

impl Ctx {
    fn spawn(&self) {
        let dispatch = self.dispatch.clone();
        match Bridge::spawn(move |response| dispatch.dispatch(action_of(response))) {
            Ok(bridge) => *self.bridge.borrow_mut() = Some(bridge),
            Err(message) => self.dispatch.dispatch(Action::ShowError(message)),
        }
    }

    /// A new job id.
    fn next_job(&self) -> u32 {
        let mut n = self.next_job.borrow_mut();
        *n += 1;
        *n
    }

    /// Sends a request (and files) to the worker, if one is running.
    fn send(&self, request: &Request, files: &[&[u8]]) -> Result<(), String> {
        match &*self.bridge.borrow() {
            Some(b) => b.send(request, files),
            None => Err("the background worker is not running".into()),
        }
    }

    /// Sends a build of `source` with `settings` to the worker.
    pub fn build(&self, source: Source, settings: Settings) {
        let job = self.next_job();
        let request = Request::Build {
            job,
            roles: source.roles.clone(),
            spec: settings.spec.clone(),
            k: settings.k,
            seed: settings.seed,
        };
        let mut files: Vec<&[u8]> = vec![source.file.as_slice()];
        if let Some(r) = &source.ratings {
            files.push(r.as_slice());
        }
        match self.send(&request, &files) {
            Ok(()) => self.dispatch.dispatch(Action::Started(Pending {
                job,
                source,
                settings,
                stage: "starting".into(),
                fraction: None,
            })),
            Err(message) => self.dispatch.dispatch(Action::ShowError(message)),
        }
    }

    /// Asks the worker to infer the roles of an uploaded catalog.
    pub fn inspect(&self, source: Source) {
        let request = Request::Inspect {
            name: source.name.clone(),
        };
        PENDING_INSPECT.with(|p| *p.borrow_mut() = Some(source.clone()));
        if let Err(message) = self.send(&request, &[source.file.as_slice()]) {
            self.dispatch.dispatch(Action::ShowError(message));
        }
    }

    /// Sends the two files of the users view (interactions and items, either order).
    pub fn users(&self, first: Vec<u8>, second: Vec<u8>) {
        let job = self.next_job();
        match self.send(&Request::Users { job }, &[&first, &second]) {
            Ok(()) => self.dispatch.dispatch(Action::UsersStarted(job)),
            Err(message) => self.dispatch.dispatch(Action::ShowError(message)),
        }
    }

    /// Asks for the elbow curve of the current catalog (a background extra:
    /// if it cannot be sent, the chart simply stays pending).
    pub fn elbow(&self, k_max: usize) {
        let _ = self.send(
            &Request::Elbow {
                job: 0,
                k_min: 2,
                k_max,
            },
            &[],
        );
    }

    /// Terminates a running build and starts a fresh worker.
    pub fn cancel(&self) {
        self.bridge.borrow_mut().take(); // Drop terminates the worker.
        self.spawn();
        self.dispatch.dispatch(Action::Cancelled);
    }
}

thread_local! {
    /// The upload whose roles are being inferred (its bytes stay on this side).
    static PENDING_INSPECT: RefCell<Option<Source>> = const { RefCell::new(None) };
}

fn action_of(response: Response) -> Action {
    match response {
        Response::Ready => Action::WorkerReady,
        Response::Progress {
            job,
            stage,
            fraction,
        } => Action::Progress {
            job,
            stage,
            fraction,
        },
        Response::Built { job, data, notes } => Action::Built { job, data, notes },
        Response::Failed { job, message } => Action::Failed { job, message },
        Response::Users { job, report } => Action::UsersReady(job, report),
        Response::Elbow {
            points, suggested, ..
        } => Action::Elbow(points, suggested),
        Response::Inspected {
            name: _,
            headers,
            roles,
            preview,
            rows,
        } => match PENDING_INSPECT.with(|p| p.borrow_mut().take()) {
            Some(source) => Action::Inspected(Mapping {
                source,
                headers,
                roles,
                preview,
                rows,
            }),
            None => Action::ShowError("the upload was replaced before it was read".into()),
        },
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

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("cannot download {url}: {e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "bad fetch response")?;
    if !response.ok() {
        return Err(format!("cannot download {url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("cannot read {url}: {e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState {
        watched: storage::load_watched(),
        liked: storage::load_liked(),
        wanted_id: url_movie_id(),
        ..AppState::default()
    });
    let bridge = use_mut_ref(|| None::<Bridge>);
    let next_job = use_mut_ref(|| 0u32);
    let ctx = Ctx {
        dispatch: state.dispatcher(),
        bridge,
        next_job,
    };

    // Start (and after a crash, restart) the worker; on first start load the default catalog.
    {
        let ctx = ctx.clone();
        let first = state.worker_generation == 0;
        use_effect_with(state.worker_generation, move |_| {
            ctx.spawn();
            if first {
                let ctx = ctx.clone();
                ctx.dispatch.dispatch(Action::Started(Pending {
                    job: 0,
                    source: Source {
                        name: DEFAULT_NAME.into(),
                        file: Rc::default(),
                        ratings: None,
                        roles: None,
                    },
                    settings: Settings::default(),
                    stage: "downloading the catalog".into(),
                    fraction: None,
                }));
                wasm_bindgen_futures::spawn_local(async move {
                    match fetch_bytes(DEFAULT_CATALOG).await {
                        Ok(bytes) => ctx.build(
                            Source {
                                name: DEFAULT_NAME.into(),
                                file: Rc::new(bytes),
                                ratings: None,
                                roles: None,
                            },
                            Settings::default(),
                        ),
                        Err(message) => ctx.dispatch.dispatch(Action::Failed { job: 0, message }),
                    }
                });
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
    // Persist marks whenever they change.
    {
        let dispatch = state.dispatcher();
        use_effect_with(
            (state.watched.clone(), state.liked.clone()),
            move |(watched, liked)| {
                if let Err(message) = storage::save_marks(watched, liked) {
                    dispatch.dispatch(Action::ShowError(message));
                }
                || ()
            },
        );
    }
    // A newly clustered catalog gets its elbow curve computed in the background.
    {
        let ctx = ctx.clone();
        let loaded = state.loaded.clone();
        use_effect_with(loaded.as_ref().map(Rc::as_ptr), move |_| {
            if let Some(l) = loaded {
                ctx.elbow(30.min(l.data.catalog.len()));
            }
            || ()
        });
    }

    let on_select = {
        let dispatch = state.dispatcher();
        let loaded = state.loaded.clone();
        Callback::from(move |index: usize| {
            let id = loaded
                .as_ref()
                .and_then(|l| l.data.catalog.movies.get(index))
                .map(|m| m.id.clone());
            push_movie_url(id.as_deref());
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

    html! {
        <ContextProvider<Ctx> context={ctx.clone()}>
        <header class="top">
            <h1><span class="logo" aria-hidden="true">{"◉"}</span>{" reelmeans"}</h1>
            <p class="tagline">{"Movie recommendations by k-means clustering, computed entirely in your browser."}</p>
        </header>
        <StatusBar loaded={state.loaded.clone()} pending={state.pending.clone()} />
        if let Some(message) = &state.error {
            <div class="error" role="alert">
                <span data-testid="error">{message}</span>
                <button class="link" onclick={dismiss} aria-label="Dismiss error">{"✕"}</button>
            </div>
        }
        if let Some(mapping) = &state.mapping {
            <MappingTable mapping={mapping.clone()} settings={state.settings.clone()} />
        }
        <main class="layout">
            <section class="primary">
                if let Some(loaded) = &state.loaded {
                    <SearchBox loaded={loaded.clone()} on_select={on_select.clone()} />
                    <MovieView loaded={loaded.clone()} selected={state.selected} watched={state.watched.clone()}
                        liked={state.liked.clone()} on_select={on_select.clone()} />
                    <Explorer loaded={loaded.clone()} elbow={state.elbow.clone()} selected={state.selected}
                        on_select={on_select.clone()} />
                } else {
                    <p class="placeholder">{"Loading the catalog…"}</p>
                }
                <UsersPanel report={state.users.clone()} busy={state.users_job.is_some()} />
            </section>
            <aside class="side">
                <UploadPanel busy={state.pending.is_some()} />
                if let (Some(loaded), Some(source)) = (&state.loaded, &state.source) {
                    <TuningPanel settings={state.settings.clone()} source={source.clone()}
                        titles={loaded.data.catalog.len()} busy={state.pending.is_some()}
                        suggested={state.elbow.as_ref().and_then(|e| e.1)} />
                    <ExportPanel loaded={loaded.clone()} />
                }
            </aside>
        </main>
        <footer>
            <p>{"This product uses the TMDB API but is not endorsed or certified by TMDB. Movie data: The Movie Database (TMDB), via the TMDB 5000 dataset."}</p>
            <p>{"Everything runs locally: after this page loads it makes no network requests, and files you open never leave your browser."}</p>
        </footer>
        </ContextProvider<Ctx>>
    }
}
