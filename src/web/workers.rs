//! The one owner of the page's workers, the jobs sent to them and the files
//! handed to them.
//!
//! The page runs up to four workers, one per kind of work, so that none
//! waits behind another and cancelling one loses nothing:
//! - the *session* worker built the catalog in use; it keeps the catalog and
//!   answers searches, movie panels and exports;
//! - a *builder*: a fresh worker per build; when its build succeeds it is
//!   promoted to session worker (and the old one is terminated, which frees
//!   its memory: a WebAssembly memory never shrinks); cancelling terminates
//!   it and the catalog in use stays;
//! - the *helper* reads uploads' column roles and runs the users view;
//! - an *elbow* worker fits the elbow curve of the catalog in use on rows the
//!   build sent, then ends;
//! - the *sheets* worker turns a workbook's sheet into CSV; it is started
//!   the first time a spreadsheet is opened (its reader is large).
//!
//! Components get it as a prop and use its verbs: [`Workers::build`],
//! [`Workers::cancel`], [`Workers::inspect`], [`Workers::read_sheet`], [`Workers::users`],
//! [`Workers::ask`]. Answers become [`Action`]s for the reducer in
//! `super::state`, which is plain data and knows files only by [`FileId`].

use super::bridge::{Bridge, SHEETS_SCRIPT, WORKER_SCRIPT};
use super::protocol::{ModelFile, Request, Response};
use super::state::{
    elbow_k_max, export_file_name, Action, AppState, FileId, JobId, Mapping, Pending, Settings,
    Source, SplitSite, Workbook, DEFAULT_CATALOG_IDENTITY, ELBOW_K_MIN,
};
use crate::catalog::ImdbFilter;
use crate::model::SavedModel;
use crate::progress::Stage;
use js_sys::Uint8Array;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;
use yew::prelude::*;

/// The default catalog, fetched relative to the page so any sub-path works.
const DEFAULT_CATALOG: &str = "catalog.csv";
/// Name shown for the default catalog.
const DEFAULT_NAME: &str = "TMDB 5000 (default catalog)";
/// The name a split site's catalog goes by (its title list is no TMDB 5000).
const SPLIT_NAME: &str = "this site's catalog";

/// What the owner holds between events.
#[derive(Default)]
struct Inner {
    /// The worker holding the catalog in use, its job and what it was built from.
    session: Option<(JobId, Bridge, Source)>,
    /// The build in flight.
    builder: Option<(JobId, Bridge, Source)>,
    helper: Option<Bridge>,
    elbow: Option<Bridge>,
    sheets: Option<Bridge>,
    /// The upload whose roles were asked for last (its mapping may still be open).
    inspected: Option<Source>,
    /// A saved model chosen together with a catalog: the upload it came
    /// with ([`upload_identity`]), the model, and the settings it was fitted
    /// with. The catalog's build takes it once.
    model_for: Option<(String, ModelFile, Settings)>,
    files: HashMap<FileId, Blob>,
    next_job: u32,
    next_file: u32,
}

impl Inner {
    fn job(&mut self) -> JobId {
        self.next_job += 1;
        JobId(self.next_job)
    }

    /// Forgets files no source in use, in flight or being mapped names.
    fn prune_files(&mut self) {
        let named: Vec<FileId> = [&self.session, &self.builder]
            .into_iter()
            .flatten()
            .map(|(_, _, source)| source)
            .chain(self.inspected.as_ref())
            .flat_map(|s| {
                let workbook = s.workbook.as_ref().map(|w| w.file);
                std::iter::once(s.file).chain(s.ratings).chain(workbook)
            })
            .collect();
        self.files.retain(|id, _| named.contains(id));
    }
}

/// The workers of one page; cheap to clone (a handle).
#[derive(Clone)]
pub struct Workers {
    dispatch: UseReducerDispatcher<AppState>,
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Workers {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// The page's workers, kept across renders.
#[hook]
pub fn use_workers(dispatch: UseReducerDispatcher<AppState>) -> Workers {
    let inner = use_mut_ref(Inner::default);
    Workers { dispatch, inner }
}

/// Drops a value after the current event handler returns (a bridge cannot be
/// dropped from inside its own callbacks).
fn drop_later<T: 'static>(value: T) {
    wasm_bindgen_futures::spawn_local(async move { drop(value) });
}

impl Workers {
    /// Sends an action to the state.
    pub fn dispatch(&self, action: Action) {
        self.dispatch.dispatch(action);
    }

    /// Keeps a file the user chose (a `File` is a `Blob`) for the workers to
    /// read by reference, and names it.
    pub fn keep(&self, file: Blob) -> FileId {
        let mut inner = self.inner.borrow_mut();
        inner.next_file += 1;
        let id = FileId(inner.next_file);
        inner.files.insert(id, file);
        id
    }

    /// Downloads the default catalog and builds it.
    pub fn load_default(&self) {
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.next_file += 1;
            FileId(inner.next_file)
        };
        let mut source = Source {
            name: DEFAULT_NAME.into(),
            file: id,
            ratings: None,
            roles: None,
            filter: ImdbFilter::default(),
            identity: DEFAULT_CATALOG_IDENTITY.into(),
            workbook: None,
            split: None,
        };
        self.dispatch(Action::Started(Pending {
            job: None,
            source: source.clone(),
            settings: Settings::default(),
            stage: Stage::Downloading,
        }));
        let workers = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let split = site_meta("reelmeans-split");
            let catalog = split.as_deref().unwrap_or(DEFAULT_CATALOG);
            match fetch_blob(catalog).await {
                Ok(blob) => {
                    workers.inner.borrow_mut().files.insert(id, blob);
                    match (default_model().await, split) {
                        (Some(Ok((name, saved, json))), split) => {
                            if let Some(titles) = split {
                                source.name = SPLIT_NAME.into();
                                source.split = Some(SplitSite {
                                    base: folder_of(&titles),
                                    model_name: name.clone(),
                                    model_json: json.clone(),
                                });
                            }
                            let model = Some(ModelFile { name, json });
                            workers.start(source, Settings::of_model(&saved), false, model)
                        }
                        (model, Some(titles)) => {
                            // A title list alone has no features to cluster.
                            let why = match model {
                                Some(Err(why)) => why,
                                _ => "the page names none (<meta name=\"reelmeans-model\">)".into(),
                            };
                            workers.dispatch(Action::Failed {
                                job: None,
                                message: format!("the site's catalog ({titles}) is split into per-cluster files, which need its model: {why}"),
                            });
                        }
                        (Some(Err(why)), None) => {
                            // The site still works: its catalog is clustered here.
                            workers.dispatch(Action::ShowError(format!(
                                "the site's model: {why}; its catalog is clustered here instead"
                            )));
                            workers.build(source, Settings::default());
                        }
                        (None, None) => workers.build(source, Settings::default()),
                    }
                }
                Err(message) => workers.dispatch(Action::Failed { job: None, message }),
            }
        });
    }

    /// Builds `source` with `settings` in a fresh worker, which becomes the
    /// session worker when the build succeeds.
    pub fn build(&self, source: Source, settings: Settings) {
        let pending = {
            let mut inner = self.inner.borrow_mut();
            let ours = matches!(&inner.model_for, Some((upload, ..)) if upload == upload_identity(&source));
            if ours {
                inner.model_for.take()
            } else {
                None
            }
        };
        match pending {
            Some((_, model, settings)) => self.start(source, settings, false, Some(model)),
            None => self.start(source, settings, false, None),
        }
    }

    /// Keeps a saved model chosen together with the catalog `source`: once
    /// its columns are confirmed, the catalog takes the model's clusters.
    pub fn expect_model(&self, source: &Source, name: String, saved: &SavedModel, json: String) {
        self.inner.borrow_mut().model_for = Some((
            upload_identity(source).to_string(),
            ModelFile { name, json },
            Settings::of_model(saved),
        ));
    }

    /// Forgets a model kept for an upload (a new upload replaces it).
    pub fn forget_model(&self) {
        self.inner.borrow_mut().model_for = None;
    }

    /// Clusters the catalog in use with a saved model (its feature
    /// pipeline and centroids; no k-means runs), in a fresh worker like any
    /// build. The settings become the model's, so a later re-cluster starts
    /// from them.
    pub fn apply_model(&self, name: String, saved: &SavedModel, json: String) {
        let source = self
            .inner
            .borrow()
            .session
            .as_ref()
            .map(|(_, _, source)| source.clone());
        let Some(source) = source else {
            return self.dispatch(Action::ShowError(format!(
                "{name} is a saved model: it clusters the catalog in use, and none is loaded yet"
            )));
        };
        let model = Some(ModelFile { name, json });
        self.start(source, Settings::of_model(saved), false, model)
    }

    /// Builds the catalog in use again after its worker crashed (the crash
    /// message stays on screen).
    pub fn restore(&self, source: Source, settings: Settings) {
        self.start(source, settings, true, None)
    }

    fn start(&self, source: Source, settings: Settings, restoring: bool, model: Option<ModelFile>) {
        let (job, files) = {
            let mut inner = self.inner.borrow_mut();
            let files: Option<Vec<Blob>> = std::iter::once(source.file)
                .chain(source.ratings)
                .map(|id| inner.files.get(&id).cloned())
                .collect();
            (inner.job(), files)
        };
        let Some(files) = files else {
            self.dispatch(Action::ShowError(format!(
                "{} is no longer open here; choose the file again",
                source.name
            )));
            return;
        };
        let request = Request::Build {
            job: job.0,
            roles: source.roles.clone(),
            filter: source.filter,
            spec: settings.spec.clone(),
            k: settings.k,
            seed: settings.seed,
            // A split catalog's clusters are its model's, at every build.
            model: model.or_else(|| {
                source.split.as_ref().map(|s| ModelFile {
                    name: s.model_name.clone(),
                    json: s.model_json.clone(),
                })
            }),
            split: source.split.as_ref().map(|s| s.base.clone()),
            shards: url_shards(),
        };
        let weak = Rc::downgrade(&self.inner);
        let on_response = {
            let (weak, dispatch) = (weak.clone(), self.dispatch.clone());
            move |response: Response, file: Option<Uint8Array>| {
                if let Response::Built { job: built, .. } = &response {
                    Workers::promote(&weak, &dispatch, JobId(*built), &response, file.as_ref());
                }
                deliver(&weak, &dispatch, response, file)
            }
        };
        let on_crash = {
            let dispatch = self.dispatch.clone();
            move |message| {
                let Some(inner) = weak.upgrade() else { return };
                let inner = inner.borrow();
                let holds = |slot: &Option<(JobId, Bridge, Source)>| {
                    slot.as_ref().is_some_and(|(j, _, _)| *j == job)
                };
                if holds(&inner.session) {
                    dispatch.dispatch(Action::SessionCrashed(message));
                } else if holds(&inner.builder) {
                    dispatch.dispatch(Action::Failed {
                        job: Some(job),
                        message,
                    });
                }
            }
        };
        let refs: Vec<&JsValue> = files.iter().map(|f| f.as_ref()).collect();
        let sent = Bridge::spawn(on_response, on_crash).and_then(|bridge| {
            bridge.send(&request, &refs)?;
            Ok(bridge)
        });
        match sent {
            Ok(bridge) => {
                // Replacing a running build terminates it.
                let replaced =
                    self.inner
                        .borrow_mut()
                        .builder
                        .replace((job, bridge, source.clone()));
                drop_later(replaced);
                let pending = Pending {
                    job: Some(job),
                    source,
                    settings,
                    stage: if restoring {
                        Stage::Restoring
                    } else {
                        Stage::Starting
                    },
                };
                self.dispatch(if restoring {
                    Action::Restoring(pending)
                } else {
                    Action::Started(pending)
                })
            }
            Err(message) => self.dispatch(Action::ShowError(message)),
        }
    }

    /// A build finished: its worker becomes the session worker (the old one
    /// is terminated) and the elbow curve of the new catalog starts.
    fn promote(
        weak: &Weak<RefCell<Inner>>,
        dispatch: &UseReducerDispatcher<AppState>,
        job: JobId,
        built: &Response,
        rows: Option<&Uint8Array>,
    ) {
        let Some(inner) = weak.upgrade() else { return };
        {
            let mut inner = inner.borrow_mut();
            if !inner.builder.as_ref().is_some_and(|(j, _, _)| *j == job) {
                return; // a cancelled or replaced build
            }
            let promoted = inner.builder.take();
            let old = std::mem::replace(&mut inner.session, promoted);
            drop_later(old);
            inner.prune_files();
        }
        if let (
            Response::Built {
                overview,
                elbow_rows,
                features,
                seed,
                ..
            },
            Some(rows),
        ) = (built, rows)
        {
            let request = Request::Elbow {
                job: job.0,
                rows: *elbow_rows,
                cols: *features,
                seed: *seed,
                k_min: ELBOW_K_MIN,
                k_max: elbow_k_max(overview.titles),
            };
            if let Err(message) = Workers::fit_elbow(weak, dispatch, &request, rows) {
                dispatch.dispatch(Action::ShowError(message));
            }
        }
    }

    /// Starts a worker that fits the elbow curve (replacing one still
    /// fitting the previous catalog's); it ends after the last point.
    fn fit_elbow(
        weak: &Weak<RefCell<Inner>>,
        dispatch: &UseReducerDispatcher<AppState>,
        request: &Request,
        rows: &Uint8Array,
    ) -> Result<(), String> {
        let Request::Elbow { k_max, .. } = *request else {
            return Ok(());
        };
        let on_response = {
            let (weak, dispatch) = (weak.clone(), dispatch.clone());
            move |response: Response, file| {
                let last = matches!(&response, Response::Elbow { point, .. } if point.k >= k_max)
                    || matches!(&response, Response::Failed { .. });
                if let (true, Some(inner)) = (last, weak.upgrade()) {
                    drop_later(inner.borrow_mut().elbow.take());
                }
                deliver(&weak, &dispatch, response, file)
            }
        };
        let crashed = dispatch.clone();
        let bridge = Bridge::spawn(on_response, move |message| {
            crashed.dispatch(Action::ShowError(format!("elbow curve: {message}")))
        })?;
        bridge.send(request, &[rows])?;
        if let Some(inner) = weak.upgrade() {
            drop_later(inner.borrow_mut().elbow.replace(bridge));
        }
        Ok(())
    }

    /// Terminates a running build; the catalog in use stays.
    pub fn cancel(&self) {
        drop_later(self.inner.borrow_mut().builder.take());
        self.dispatch(Action::Cancelled);
    }

    /// Terminates the session worker (after it crashed).
    pub fn end_session(&self) {
        drop_later(self.inner.borrow_mut().session.take().map(|(_, b, _)| b));
    }

    /// Sends a request to the helper worker, starting it if needed.
    fn help(&self, request: &Request, files: &[&JsValue]) -> Result<(), String> {
        self.send_lazily(|i| &mut i.helper, WORKER_SCRIPT, |m| m, request, files)
    }

    /// Sends a request to the worker in `slot`, starting it (from `script`)
    /// if it is not running. A crash is reported through `crashed` and the
    /// worker is replaced by the next request.
    fn send_lazily(
        &self,
        slot: fn(&mut Inner) -> &mut Option<Bridge>,
        script: &'static str,
        crashed: fn(String) -> String,
        request: &Request,
        files: &[&JsValue],
    ) -> Result<(), String> {
        if slot(&mut self.inner.borrow_mut()).is_none() {
            let weak = Rc::downgrade(&self.inner);
            let dispatch = self.dispatch.clone();
            let on_crash = {
                let (weak, dispatch) = (weak.clone(), self.dispatch.clone());
                move |message| {
                    if let Some(inner) = weak.upgrade() {
                        drop_later(slot(&mut inner.borrow_mut()).take());
                    }
                    dispatch.dispatch(Action::HelperCrashed(crashed(message)));
                }
            };
            let bridge = Bridge::spawn_script(
                script,
                move |response, file| deliver(&weak, &dispatch, response, file),
                on_crash,
            )?;
            *slot(&mut self.inner.borrow_mut()) = Some(bridge);
        }
        match slot(&mut self.inner.borrow_mut()) {
            Some(b) => b.send(request, files),
            None => Err("the background worker is not running".into()),
        }
    }

    /// Asks a worker to infer the roles of an uploaded catalog; the answer
    /// opens the mapping table for `source`.
    pub fn inspect(&self, source: Source) {
        let request = Request::Inspect {
            name: source.name.clone(),
        };
        let file = self.inner.borrow().files.get(&source.file).cloned();
        let Some(file) = file else {
            self.dispatch(Action::ShowError(format!(
                "{} is no longer open here; choose it again",
                source.name
            )));
            return;
        };
        {
            let mut inner = self.inner.borrow_mut();
            inner.inspected = Some(source);
            inner.prune_files();
        }
        if let Err(message) = self.help(&request, &[&file]) {
            self.dispatch(Action::ShowError(message));
        }
    }

    /// Asks the spreadsheet worker (started the first time) for a sheet of
    /// the workbook `source` names: `sheet`, or the first with a header
    /// row. The CSV it answers with is then inspected like any upload.
    pub fn read_sheet(&self, source: Source, sheet: Option<String>) {
        let workbook = source.workbook.as_ref().map_or(source.file, |w| w.file);
        let Some(file) = self.inner.borrow().files.get(&workbook).cloned() else {
            self.dispatch(Action::ShowError(format!(
                "{} is no longer open here; choose it again",
                source.name
            )));
            return;
        };
        let request = Request::Sheet {
            name: source.name.clone(),
            sheet,
        };
        {
            let mut inner = self.inner.borrow_mut();
            inner.inspected = Some(source);
            inner.prune_files();
        }
        let sent = self.send_lazily(
            |i| &mut i.sheets,
            SHEETS_SCRIPT,
            |m| format!("the spreadsheet reader stopped: {m}"),
            &request,
            &[&file],
        );
        if let Err(message) = sent {
            self.dispatch(Action::ShowError(message));
        }
    }

    /// Sends the two files of the users view (interactions and items, either order).
    pub fn users(&self, first: Blob, second: Blob) {
        let job = self.inner.borrow_mut().job();
        match self.help(&Request::Users { job: job.0 }, &[&first, &second]) {
            Ok(()) => self.dispatch(Action::UsersStarted(job)),
            Err(message) => self.dispatch(Action::ShowError(message)),
        }
    }

    /// Asks the session worker for an export: the model as JSON, or the
    /// catalog with its clusters as CSV. An uploaded catalog's file goes
    /// along, so the CSV keeps the file's own columns; the default catalog's
    /// CSV has the catalog's columns.
    pub fn export(&self, model: bool) {
        let inner = self.inner.borrow();
        let Some((_, bridge, source)) = &inner.session else {
            return;
        };
        let file = (!model && source.identity != DEFAULT_CATALOG_IDENTITY)
            .then(|| inner.files.get(&source.file))
            .flatten();
        let files: Vec<&JsValue> = file.iter().map(|f| f.as_ref()).collect();
        if let Err(message) = bridge.send(&Request::Export { model }, &files) {
            self.dispatch(Action::ShowError(message));
        }
    }

    /// Sends a query about the catalog in use. Queries are small and
    /// repeatable: one that cannot be sent (no catalog yet, or its worker is
    /// being restored) is dropped, and the next render asks again.
    pub fn ask(&self, request: &Request) {
        if let Some((_, b, _)) = &self.inner.borrow().session {
            let _ = b.send(request, &[]);
        }
    }
}

/// The upload a source came from: a workbook's sheets share their workbook's.
fn upload_identity(source: &Source) -> &str {
    source
        .workbook
        .as_ref()
        .map_or(&source.identity, |w| &w.identity)
}

/// Turns a worker's answer into an action (an export is downloaded; the
/// roles of an upload open its mapping table).
fn deliver(
    weak: &Weak<RefCell<Inner>>,
    dispatch: &UseReducerDispatcher<AppState>,
    response: Response,
    file: Option<Uint8Array>,
) {
    let action = match response {
        // Shard replies go to a building worker, never to the page.
        Response::Ready | Response::Shard(_) => return,
        Response::Exported { name, mime } => {
            // Named after the catalog it came from: "movies-clusters.csv".
            let catalog = weak.upgrade().and_then(|i| {
                i.borrow()
                    .session
                    .as_ref()
                    .map(|(_, _, source)| source.name.clone())
            });
            let what = name.strip_prefix("reelmeans-").unwrap_or(&name);
            let name = catalog.map_or(name.clone(), |c| export_file_name(&c, what));
            if let Some(bytes) = file {
                if let Err(message) = download(&name, &mime, &bytes) {
                    dispatch.dispatch(Action::ShowError(message));
                }
            }
            return;
        }
        Response::Progress { job, stage } => Action::Progress {
            job: JobId(job),
            stage,
        },
        Response::Built {
            job,
            overview,
            notes,
            ..
        } => Action::Built {
            job: JobId(job),
            overview,
            notes,
        },
        Response::Failed { job, message } => Action::Failed {
            job: job.map(JobId),
            message,
        },
        Response::Users { job, report } => Action::UsersReady(JobId(job), report),
        Response::Elbow { job, point } => Action::ElbowPoint {
            job: JobId(job),
            point,
        },
        Response::Hits { job, query, hits } => Action::Hits {
            job: JobId(job),
            query,
            hits,
        },
        Response::Card {
            job,
            selection,
            card,
        } => Action::Card {
            job: JobId(job),
            selection,
            card,
        },
        Response::Sheet {
            name: _,
            sheet,
            sheets,
        } => {
            let (Some(inner), Some(bytes)) = (weak.upgrade(), file) else {
                return;
            };
            let Some(workbook) = inner.borrow().inspected.clone() else {
                return dispatch.dispatch(Action::ShowError(
                    "the upload was replaced before it was read".into(),
                ));
            };
            let workers = Workers {
                dispatch: dispatch.clone(),
                inner,
            };
            match csv_blob(&bytes) {
                Ok(csv) => {
                    // The sheet is a catalog of its own: its marks stay with it.
                    let (file, identity) = match &workbook.workbook {
                        Some(w) => (w.file, w.identity.clone()),
                        None => (workbook.file, workbook.identity.clone()),
                    };
                    let source = Source {
                        file: workers.keep(csv),
                        identity: format!("{identity}#{sheet}"),
                        workbook: Some(Workbook {
                            file,
                            identity,
                            sheet,
                            sheets,
                        }),
                        ..workbook
                    };
                    workers.inspect(source);
                }
                Err(message) => workers.dispatch(Action::ShowError(message)),
            }
            return;
        }
        Response::Inspected {
            name: _,
            headers,
            roles,
            examples,
            rows,
            approximate,
            imdb,
            readings,
        } => match weak.upgrade().and_then(|i| i.borrow().inspected.clone()) {
            Some(source) => Action::Inspected(Mapping {
                source,
                headers,
                roles,
                examples,
                rows,
                approximate,
                imdb,
                readings,
            }),
            None => Action::ShowError("the upload was replaced before it was read".into()),
        },
    };
    dispatch.dispatch(action);
}

/// A sheet's CSV as a file the other workers read by reference.
fn csv_blob(bytes: &Uint8Array) -> Result<Blob, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv");
    Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(bytes), &options)
        .map_err(|e| format!("cannot keep the sheet: {e:?}"))
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

/// The model a prepared site names for its default catalog
/// (`<meta name="reelmeans-model" content="model.json">`, written by
/// `deploy/stage.sh`): its URL, the model and its JSON, or why it cannot be
/// used. `None` when the page names no model.
async fn default_model() -> Option<Result<(String, SavedModel, String), String>> {
    let url = site_meta("reelmeans-model")?;
    let read = async {
        let blob = fetch_blob(&url).await?;
        let text = blob_text(&blob).await.map_err(|e| format!("{url} {e}"))?;
        let saved = SavedModel::from_json(&text).map_err(|e| format!("{url}: {e}"))?;
        Ok((url.clone(), saved, text))
    };
    Some(read.await)
}

/// The content of `<meta name="NAME">`, if the page has it.
fn site_meta(name: &str) -> Option<String> {
    gloo::utils::document()
        .query_selector(&format!("meta[name={name}]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
}

/// The absolute URL of the folder holding `path` (relative to the page).
fn folder_of(path: &str) -> String {
    let base = gloo::utils::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default();
    web_sys::Url::new_with_base(path, &base)
        .and_then(|file| web_sys::Url::new_with_base(".", &file.href()))
        .map(|folder| folder.href())
        .unwrap_or_default()
}

/// A file's text (its bytes as UTF-8, invalid ones replaced).
pub(super) async fn blob_text(blob: &Blob) -> Result<String, String> {
    let text = JsFuture::from(blob.text())
        .await
        .map_err(|e| format!("cannot be read: {e:?}"))?;
    text.as_string()
        .ok_or_else(|| "cannot be read as text".into())
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

/// The page's `?shards=N` (1 to 64): k-means' rows in exactly N shards, on
/// N − 1 shard workers beside the building worker, whatever the catalog's
/// size. For tests and benchmarks; the clusters are the same for any N.
fn url_shards() -> Option<u32> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let shards: u32 = params.get("shards")?.parse().ok()?;
    Some(shards.clamp(1, 64))
}
