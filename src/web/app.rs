//! The root component: owns the state, the worker bridge, the URL and storage.

use super::bridge::Bridge;
use super::components::{
    Explorer, ExportPanel, MappingTable, MovieView, SearchBox, StatusBar, TuningPanel, UploadPanel,
    UsersPanel,
};
use super::protocol::{Request, Response};
use super::state::{
    elbow_k_max, Action, AppState, Mapping, Pending, Settings, Source, ELBOW_K_MIN,
};
use super::storage;
use js_sys::Uint8Array;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;
use yew::prelude::*;

/// The default catalog, fetched relative to the page so any sub-path works.
const DEFAULT_CATALOG: &str = "catalog.csv";
/// Name shown for the default catalog.
const DEFAULT_NAME: &str = "TMDB 5000 (default catalog)";

/// A worker and the build job it ran or runs.
type Building = Option<(u32, Bridge)>;

/// Shared handles the callbacks need.
///
/// The page runs up to four workers, one per kind of work, so that none
/// waits behind another and cancelling one loses nothing:
/// - `session`: the worker that built the catalog in use; it keeps the
///   catalog and answers searches, movie panels and exports;
/// - `builder`: a fresh worker per build; when its build succeeds it becomes
///   the session (and the old session is terminated, freeing its memory);
///   cancelling terminates it and the catalog in use stays;
/// - `helper`: reads uploads' column roles and runs the users view;
/// - `elbow`: fits the elbow curve of the catalog in use on rows the build
///   sent, then ends.
#[derive(Clone)]
pub struct Ctx {
    /// The state dispatcher.
    pub dispatch: UseReducerDispatcher<AppState>,
    session: Rc<RefCell<Building>>,
    builder: Rc<RefCell<Building>>,
    helper: Rc<RefCell<Option<Bridge>>>,
    elbow: Rc<RefCell<Option<Bridge>>>,
    next_job: Rc<RefCell<u32>>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
    }
}

/// Drops a value after the current event handler returns (a bridge cannot be
/// dropped from inside its own callbacks).
fn drop_later<T: 'static>(value: T) {
    wasm_bindgen_futures::spawn_local(async move { drop(value) });
}

impl Ctx {
    /// Forwards a worker's response to the state (an export is downloaded).
    fn deliver(
        dispatch: &UseReducerDispatcher<AppState>,
        response: Response,
        file: Option<Uint8Array>,
    ) {
        match response {
            Response::Exported { name, mime } => {
                if let Some(bytes) = file {
                    if let Err(message) = download(&name, &mime, &bytes) {
                        dispatch.dispatch(Action::ShowError(message));
                    }
                }
            }
            response => dispatch.dispatch(action_of(response)),
        }
    }

    /// A new job id.
    fn next_job(&self) -> u32 {
        let mut n = self.next_job.borrow_mut();
        *n += 1;
        *n
    }

    /// Sends a build of `source` with `settings` to a fresh worker, which
    /// becomes the session worker when the build succeeds.
    pub fn build(&self, source: Source, settings: Settings) {
        self.start(source, settings, false)
    }

    /// Builds the catalog in use again after its worker crashed (the crash
    /// message stays on screen).
    pub fn restore(&self, source: Source, settings: Settings) {
        self.start(source, settings, true)
    }

    fn start(&self, source: Source, settings: Settings, restoring: bool) {
        let job = self.next_job();
        let request = Request::Build {
            job,
            roles: source.roles.clone(),
            spec: settings.spec.clone(),
            k: settings.k,
            seed: settings.seed,
        };
        let mut files: Vec<&JsValue> = vec![&source.file];
        if let Some(r) = &source.ratings {
            files.push(r);
        }
        let on_response = {
            let dispatch = self.dispatch.clone();
            let (builder, session) = (Rc::downgrade(&self.builder), Rc::downgrade(&self.session));
            let elbow = Rc::downgrade(&self.elbow);
            move |response: Response, file: Option<Uint8Array>| {
                let mut promoted = false;
                if let (Response::Built { job: built, .. }, Some(builder), Some(session)) =
                    (&response, builder.upgrade(), session.upgrade())
                {
                    let mut building = builder.borrow_mut();
                    if building.as_ref().is_some_and(|(j, _)| j == built) {
                        drop_later(session.borrow_mut().take());
                        *session.borrow_mut() = building.take();
                        promoted = true;
                    }
                }
                if let (
                    Response::Built {
                        job,
                        overview,
                        elbow_rows,
                        features,
                        seed,
                        ..
                    },
                    Some(slot),
                    Some(rows),
                    true,
                ) = (&response, elbow.upgrade(), &file, promoted)
                {
                    let request = Request::Elbow {
                        job: *job,
                        rows: *elbow_rows,
                        cols: *features,
                        seed: *seed,
                        k_min: ELBOW_K_MIN,
                        k_max: elbow_k_max(overview.titles),
                    };
                    if let Err(message) = Ctx::fit_elbow(&dispatch, &slot, &request, rows) {
                        dispatch.dispatch(Action::ShowError(message));
                    }
                }
                Ctx::deliver(&dispatch, response, file)
            }
        };
        let on_crash = {
            let dispatch = self.dispatch.clone();
            let (builder, session) = (Rc::downgrade(&self.builder), Rc::downgrade(&self.session));
            let holds = move |slot: &std::rc::Weak<RefCell<Building>>| {
                slot.upgrade()
                    .is_some_and(|s| s.borrow().as_ref().is_some_and(|(j, _)| *j == job))
            };
            move |message| {
                if holds(&session) {
                    dispatch.dispatch(Action::SessionCrashed(message));
                } else if holds(&builder) {
                    dispatch.dispatch(Action::Failed { job, message });
                }
            }
        };
        let sent = Bridge::spawn(on_response, on_crash).and_then(|bridge| {
            bridge.send(&request, &files)?;
            Ok(bridge)
        });
        match sent {
            Ok(bridge) => {
                // Replacing a running build terminates it.
                drop_later(self.builder.borrow_mut().replace((job, bridge)));
                let pending = Pending {
                    job,
                    source,
                    settings,
                    stage: if restoring { "restoring" } else { "starting" }.into(),
                    fraction: None,
                };
                self.dispatch.dispatch(if restoring {
                    Action::Restoring(pending)
                } else {
                    Action::Started(pending)
                })
            }
            Err(message) => self.dispatch.dispatch(Action::ShowError(message)),
        }
    }

    /// Starts a worker that fits the elbow curve (replacing one still
    /// fitting the previous catalog's); it ends after the last point.
    fn fit_elbow(
        dispatch: &UseReducerDispatcher<AppState>,
        slot: &Rc<RefCell<Option<Bridge>>>,
        request: &Request,
        rows: &Uint8Array,
    ) -> Result<(), String> {
        let Request::Elbow { k_max, .. } = *request else {
            return Ok(());
        };
        let on_response = {
            let dispatch = dispatch.clone();
            let slot = Rc::downgrade(slot);
            move |response: Response, file| {
                let last = matches!(&response, Response::Elbow { point, .. } if point.k >= k_max)
                    || matches!(&response, Response::Failed { .. });
                if let (true, Some(slot)) = (last, slot.upgrade()) {
                    drop_later(slot.borrow_mut().take());
                }
                Ctx::deliver(&dispatch, response, file)
            }
        };
        let crashed = dispatch.clone();
        let bridge = Bridge::spawn(on_response, move |message| {
            crashed.dispatch(Action::ShowError(format!("elbow curve: {message}")))
        })?;
        bridge.send(request, &[rows])?;
        drop_later(slot.borrow_mut().replace(bridge));
        Ok(())
    }

    /// Terminates a running build; the catalog in use stays.
    pub fn cancel(&self) {
        drop_later(self.builder.borrow_mut().take());
        self.dispatch.dispatch(Action::Cancelled);
    }

    /// Terminates the session worker (after it crashed).
    pub fn end_session(&self) {
        drop_later(self.session.borrow_mut().take());
    }

    /// Sends a request to the helper worker, starting it if needed.
    fn help(&self, request: &Request, files: &[&JsValue]) -> Result<(), String> {
        if self.helper.borrow().is_none() {
            let dispatch = self.dispatch.clone();
            let crashed = self.dispatch.clone();
            let helper = Rc::downgrade(&self.helper);
            let bridge = Bridge::spawn(
                move |response, file| Ctx::deliver(&dispatch, response, file),
                move |message| {
                    // A crashed helper is replaced by the next request.
                    if let Some(helper) = helper.upgrade() {
                        drop_later(helper.borrow_mut().take());
                    }
                    crashed.dispatch(Action::HelperCrashed(message));
                },
            )?;
            *self.helper.borrow_mut() = Some(bridge);
        }
        match &*self.helper.borrow() {
            Some(b) => b.send(request, files),
            None => Err("the background worker is not running".into()),
        }
    }

    /// Asks a worker to infer the roles of an uploaded catalog.
    pub fn inspect(&self, source: Source) {
        let request = Request::Inspect {
            name: source.name.clone(),
        };
        PENDING_INSPECT.with(|p| *p.borrow_mut() = Some(source.clone()));
        if let Err(message) = self.help(&request, &[&source.file]) {
            self.dispatch.dispatch(Action::ShowError(message));
        }
    }

    /// Sends the two files of the users view (interactions and items, either order).
    pub fn users(&self, first: Blob, second: Blob) {
        let job = self.next_job();
        match self.help(&Request::Users { job }, &[&first, &second]) {
            Ok(()) => self.dispatch.dispatch(Action::UsersStarted(job)),
            Err(message) => self.dispatch.dispatch(Action::ShowError(message)),
        }
    }

    /// Sends a query about the catalog in use. Queries are small and
    /// repeatable: one that cannot be sent (no catalog yet, or its worker is
    /// being restored) is dropped, and the next render asks again.
    pub fn ask(&self, request: &Request) {
        if let Some((_, b)) = &*self.session.borrow() {
            let _ = b.send(request, &[]);
        }
    }
}

thread_local! {
    /// The upload whose roles are being inferred (its bytes stay on this side).
    static PENDING_INSPECT: RefCell<Option<Source>> = const { RefCell::new(None) };
}

fn action_of(response: Response) -> Action {
    match response {
        Response::Ready | Response::Exported { .. } => Action::WorkerReady,
        Response::Progress {
            job,
            stage,
            fraction,
        } => Action::Progress {
            job,
            stage,
            fraction,
        },
        Response::Built {
            job,
            overview,
            notes,
            ..
        } => Action::Built {
            job,
            overview,
            notes,
        },
        Response::Failed { job, message } => Action::Failed { job, message },
        Response::Users { job, report } => Action::UsersReady(job, report),
        Response::Elbow { job, point } => Action::ElbowPoint { job, point },
        Response::Hits { job, query, hits } => Action::Hits { job, query, hits },
        Response::Card {
            job,
            selection,
            card,
        } => Action::Card {
            job,
            selection,
            card,
        },
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

/// Saves bytes a worker made as a file.
fn download(name: &str, mime: &str, bytes: &Uint8Array) -> Result<(), String> {
    let fail = |e| format!("cannot save {name}: {e:?}");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(bytes), &options)
            .map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(fail)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(fail)
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

async fn fetch_blob(url: &str) -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("cannot download {url}: {e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "bad fetch response")?;
    if !response.ok() {
        return Err(format!("cannot download {url}: HTTP {}", response.status()));
    }
    let blob = JsFuture::from(response.blob().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("cannot read {url}: {e:?}"))?;
    blob.dyn_into().map_err(|_| format!("cannot read {url}"))
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
    let ctx = Ctx {
        dispatch: state.dispatcher(),
        session: use_mut_ref(|| None),
        builder: use_mut_ref(|| None),
        helper: use_mut_ref(|| None::<Bridge>),
        elbow: use_mut_ref(|| None::<Bridge>),
        next_job: use_mut_ref(|| 0u32),
    };

    // Load the default catalog once.
    {
        let ctx = ctx.clone();
        use_effect_with((), move |_| {
            ctx.dispatch.dispatch(Action::Started(Pending {
                job: 0,
                source: Source {
                    name: DEFAULT_NAME.into(),
                    file: Blob::new().unwrap_or_else(|_| JsValue::NULL.unchecked_into()),
                    ratings: None,
                    roles: None,
                },
                settings: Settings::default(),
                stage: "downloading the catalog".into(),
                fraction: None,
            }));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_blob(DEFAULT_CATALOG).await {
                    Ok(file) => ctx.build(
                        Source {
                            name: DEFAULT_NAME.into(),
                            file,
                            ratings: None,
                            roles: None,
                        },
                        Settings::default(),
                    ),
                    Err(message) => ctx.dispatch.dispatch(Action::Failed { job: 0, message }),
                }
            });
            || ()
        });
    }
    // A crashed session worker took the catalog with it: build it again from
    // the files the page kept (the page goes on showing what it had).
    {
        let ctx = ctx.clone();
        let restore = state
            .source
            .clone()
            .filter(|_| state.pending.is_none())
            .map(|source| (source, state.settings.clone()));
        use_effect_with(state.session_crashes, move |crashes| {
            if *crashes > 0 {
                ctx.end_session();
                if let Some((source, settings)) = restore {
                    ctx.restore(source, settings);
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
    // The movie panel follows the catalog, the selection and the marks.
    {
        let ctx = ctx.clone();
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
                    ctx.ask(&Request::Card {
                        selection: selection.clone(),
                        watched: watched.iter().cloned().collect(),
                        liked: liked.iter().cloned().collect(),
                    });
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
        <ContextProvider<Ctx> context={ctx.clone()}>
        <header class="top">
            <h1><span class="logo" aria-hidden="true">{"◉"}</span>{" reelmeans"}</h1>
            <p class="tagline">{"Movie recommendations by k-means clustering, computed entirely in your browser."}</p>
        </header>
        <StatusBar loaded={state.loaded.clone()} pending={state.pending.clone()} reading={state.reading.clone()} />
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
                    <SearchBox hits={state.hits.clone()} on_select={on_select.clone()} />
                    <MovieView card={state.card.clone()} watched={state.watched.clone()}
                        liked={state.liked.clone()} clusters={loaded.overview.k} on_select={on_select.clone()} />
                    <Explorer loaded={loaded.clone()} elbow={state.elbow.clone()} {focus}
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
                        titles={loaded.overview.titles} busy={state.pending.is_some()}
                        suggested={state.elbow.as_ref().and_then(|e| e.suggested())} />
                    <ExportPanel />
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
