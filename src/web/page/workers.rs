//! The page's handle on its workers: the one owner of the workers, the jobs
//! sent to them and the files the user gave. Components call its verbs
//! ([`Workers::open`], [`Workers::build`], [`Workers::search`],
//! [`Workers::card`], [`Workers::export`], …) and never build messages.
//!
//! The page runs, so that none waits behind another and cancelling one
//! loses nothing:
//! - the *session*: the catalog worker that built the catalog in use; it
//!   keeps the catalog and answers searches, movie panels and exports;
//! - a *builder*: a fresh catalog worker per upload or build. An upload's
//!   files go to it once: it opens them (a workbook's sheet included) and,
//!   when the user confirms the columns, builds from what it holds. When
//!   its build succeeds it becomes the session worker (and the old one is
//!   terminated, which frees its memory: a WebAssembly memory never
//!   shrinks); cancelling terminates it and the catalog in use stays;
//! - the *helper* runs the users view.
//!
//! A catalog worker starts the spreadsheet, shard and elbow workers its
//! work needs. Answers become [`Action`]s for the reducer in
//! `crate::web::state`, which is plain data and knows files only by [`FileId`].

use super::answers::deliver;
use super::site::{default_model, fetch_blob, folder_of, site_meta, url_shards};
use crate::catalog::ImdbFilter;
use crate::session::Selection;
use crate::web::bridge::{Bridge, WORKER_SCRIPT};
use crate::web::messages::{
    Build, CatalogRequest, CatalogResponse, CatalogRole, HelperRequest, HelperResponse, HelperRole,
    ModelChoice, Opened,
};
use crate::web::state::{
    Action, AppState, FileId, JobId, Mapping, Pending, Phase, Settings, Source, SplitSite,
    Workbook, DEFAULT_CATALOG_IDENTITY,
};
use js_sys::Uint8Array;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;
use web_sys::{Blob, File};
use yew::prelude::*;

/// The default catalog, fetched relative to the page so any sub-path works.
const DEFAULT_CATALOG: &str = "catalog.csv";
/// Name shown for the default catalog.
const DEFAULT_NAME: &str = "TMDB 5000 (default catalog)";
/// The name a split site's catalog goes by (its title list is no TMDB 5000).
const SPLIT_NAME: &str = "this site's catalog";

/// A catalog worker, its job, and what it builds or holds.
struct CatalogWorker {
    job: JobId,
    bridge: Bridge<CatalogRole>,
    source: Source,
}

/// An upload opened in a catalog worker, waiting for the user's choices.
struct OpenUpload {
    bridge: Bridge<CatalogRole>,
    /// What the page knows of it so far.
    source: Source,
    /// The files as chosen, in the order they were sent.
    files: Vec<FileId>,
    /// A saved model in the upload: its file and the settings it was fitted with.
    model: Option<(FileId, Settings)>,
}

/// What the owner holds between events.
#[derive(Default)]
struct Inner {
    /// The worker holding the catalog in use.
    session: Option<CatalogWorker>,
    /// The build in flight.
    builder: Option<CatalogWorker>,
    /// The upload being opened or mapped.
    opened: Option<OpenUpload>,
    helper: Option<Bridge<HelperRole>>,
    files: HashMap<FileId, Blob>,
    next_job: u32,
    next_file: u32,
}

impl Inner {
    fn job(&mut self) -> JobId {
        self.next_job += 1;
        JobId(self.next_job)
    }

    fn keep(&mut self, file: Blob) -> FileId {
        self.next_file += 1;
        let id = FileId(self.next_file);
        self.files.insert(id, file);
        id
    }

    /// Forgets files no source in use, in flight or being opened names.
    fn prune_files(&mut self) {
        let mut named: Vec<FileId> = [&self.session, &self.builder]
            .into_iter()
            .flatten()
            .flat_map(|w| source_files(&w.source))
            .collect();
        if let Some(open) = &self.opened {
            named.extend(open.files.iter().copied());
        }
        self.files.retain(|id, _| named.contains(id));
    }
}

/// The files a source is built from.
fn source_files(source: &Source) -> impl Iterator<Item = FileId> {
    std::iter::once(source.file).chain(source.ratings)
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

    /// Downloads the default catalog and builds it.
    pub fn load_default(&self) {
        self.dispatch(Action::Started(Pending {
            job: None,
            source: default_source(FileId(0)),
            settings: Settings::default(),
            stage: Phase::Downloading,
        }));
        let workers = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let split = site_meta("reelmeans-split");
            let catalog = split.as_deref().unwrap_or(DEFAULT_CATALOG);
            let blob = match fetch_blob(catalog).await {
                Ok(blob) => blob,
                Err(e) => {
                    return workers.dispatch(Action::Failed {
                        job: None,
                        message: e.to_string(),
                    })
                }
            };
            let mut source = default_source(workers.inner.borrow_mut().keep(blob));
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
                    let model = ModelChoice::Site { name, json };
                    workers.start(source, Settings::of_model(&saved), false, Some(model), None)
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
        });
    }

    /// Opens the files a user chose or dropped in a fresh catalog worker:
    /// it finds the catalog, its ratings and a saved model among them, and
    /// the catalog's columns open the mapping step. The files go to that
    /// worker once; the build after the mapping uses what it holds.
    pub fn open(&self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        let Some(first) = files.first() else { return };
        self.dispatch(Action::Reading(Some(format!(
            "reading {} and finding its columns",
            first.name()
        ))));
        let names: Vec<String> = files.iter().map(File::name).collect();
        let (ids, blobs): (Vec<FileId>, Vec<Blob>) = {
            let mut inner = self.inner.borrow_mut();
            files
                .iter()
                .map(|f| {
                    let blob: Blob = f.clone().into();
                    (inner.keep(blob.clone()), blob)
                })
                .unzip()
        };
        // The same file chosen again is the same catalog, with the same marks.
        let identities: Vec<String> = files
            .iter()
            .map(|f| format!("{}:{}:{}", f.name(), f.size(), f.last_modified()))
            .collect();
        let weak = Rc::downgrade(&self.inner);
        let dispatch = self.dispatch.clone();
        let on_response = move |response, _file| match response {
            CatalogResponse::Opened(opened) => {
                Workers::opened(&weak, &dispatch, &names, &identities, *opened)
            }
            CatalogResponse::Failed { message, .. } => {
                if let Some(inner) = weak.upgrade() {
                    drop_later(inner.borrow_mut().opened.take());
                }
                dispatch.dispatch(Action::ShowError(message.to_string()));
            }
            _ => {}
        };
        let crashed = self.dispatch.clone();
        let on_crash = move |message: String| {
            crashed.dispatch(Action::ShowError(format!(
                "the files could not be opened: {message}"
            )))
        };
        let refs: Vec<&JsValue> = blobs.iter().map(|b| b.as_ref()).collect();
        let request = CatalogRequest::Open {
            names: files.iter().map(File::name).collect(),
        };
        let sent =
            Bridge::<CatalogRole>::spawn(WORKER_SCRIPT, on_response, on_crash).and_then(|bridge| {
                bridge.send(&request, &refs)?;
                Ok(bridge)
            });
        match sent {
            Ok(bridge) => {
                let source = Source {
                    name: files[0].name(),
                    file: ids[0],
                    ratings: None,
                    roles: None,
                    filter: ImdbFilter::default(),
                    identity: String::new(),
                    workbook: None,
                    split: None,
                };
                let replaced = self.inner.borrow_mut().opened.replace(OpenUpload {
                    bridge,
                    source,
                    files: ids,
                    model: None,
                });
                drop_later(replaced);
            }
            Err(e) => self.dispatch(Action::ShowError(e.to_string())),
        }
    }

    /// An upload is open: a model alone clusters the catalog in use; a
    /// catalog opens the mapping step.
    fn opened(
        weak: &Weak<RefCell<Inner>>,
        dispatch: &UseReducerDispatcher<AppState>,
        names: &[String],
        identities: &[String],
        opened: Opened,
    ) {
        let Some(inner) = weak.upgrade() else { return };
        let workers = Workers {
            dispatch: dispatch.clone(),
            inner,
        };
        let mut inner = workers.inner.borrow_mut();
        let Some(open) = inner.opened.as_mut() else {
            return;
        };
        let name = |slot: usize| names.get(slot).cloned().unwrap_or_default();
        let model = opened.model.as_ref().map(|m| {
            (
                open.files[m.slot],
                Settings {
                    k: Some(m.k),
                    spec: m.spec.clone(),
                    ..Settings::default()
                },
                name(m.slot),
            )
        });
        open.model = model
            .as_ref()
            .map(|(file, settings, _)| (*file, settings.clone()));
        let (Some(catalog), Some(inspection)) = (opened.catalog, opened.inspection) else {
            // A saved model on its own: the catalog in use takes its clusters.
            drop(inner);
            workers.dispatch(Action::Reading(None));
            if let Some((file, settings, name)) = model {
                workers.apply_model(file, name, settings);
            }
            return;
        };
        let identity = identities.get(catalog).cloned().unwrap_or_default();
        let mut source = Source {
            name: match opened.ratings {
                Some(_) => format!("{} + ratings", name(catalog)),
                None => name(catalog),
            },
            file: open.files[catalog],
            ratings: opened.ratings.map(|r| open.files[r]),
            identity: identity.clone(),
            ..open.source.clone()
        };
        if let Some((sheet, sheets)) = opened.sheets {
            // The sheet is a catalog of its own: its marks stay with it.
            source.identity = format!("{identity}#{sheet}");
            source.workbook = Some(Workbook {
                identity,
                sheet,
                sheets,
            });
        }
        open.source = source.clone();
        drop(inner);
        workers.dispatch(Action::Inspected(Mapping {
            source,
            headers: inspection.headers,
            roles: inspection.roles,
            examples: inspection.examples,
            rows: inspection.rows,
            approximate: inspection.approximate,
            imdb: inspection.imdb,
            readings: inspection.readings,
        }));
    }

    /// Reads another sheet of the workbook being mapped.
    pub fn read_sheet(&self, sheet: String) {
        let inner = self.inner.borrow();
        let Some(open) = &inner.opened else {
            return self.dispatch(Action::ShowError(
                "the workbook is no longer open here; choose it again".into(),
            ));
        };
        if let Err(message) = open.bridge.send(&CatalogRequest::Sheet { sheet }, &[]) {
            self.dispatch(Action::ShowError(message.to_string()));
        }
    }

    /// Closes the mapping step: the opened upload is let go.
    pub fn close_mapping(&self) {
        let mut inner = self.inner.borrow_mut();
        drop_later(inner.opened.take());
        inner.prune_files();
        drop(inner);
        self.dispatch(Action::CloseMapping);
    }

    /// Builds `source` with `settings`: the opened upload in the worker that
    /// holds it (with its saved model, when it has one), or anything else in
    /// a fresh worker. The worker becomes the session worker when the build
    /// succeeds.
    pub fn build(&self, source: Source, settings: Settings) {
        let open = {
            let mut inner = self.inner.borrow_mut();
            match &inner.opened {
                Some(open) if open.source.file == source.file => inner.opened.take(),
                _ => None,
            }
        };
        match open {
            Some(open) => {
                let (settings, model) = match open.model {
                    Some((_, model_settings)) => (model_settings, Some(ModelChoice::Opened)),
                    None => (settings, None),
                };
                self.run_build(open.bridge, source, settings, false, model, &[]);
            }
            None => self.start(source, settings, false, None, None),
        }
    }

    /// Clusters the catalog in use with the saved model `file` (its feature
    /// pipeline and centroids; no k-means runs), in a fresh worker like any
    /// build. The settings become the model's, so a later re-cluster starts
    /// from them.
    fn apply_model(&self, file: FileId, name: String, settings: Settings) {
        drop_later(self.inner.borrow_mut().opened.take());
        let source = self
            .inner
            .borrow()
            .session
            .as_ref()
            .map(|w| w.source.clone());
        let Some(source) = source else {
            return self.dispatch(Action::ShowError(format!(
                "{name} is a saved model: it clusters the catalog in use, and none is loaded yet"
            )));
        };
        self.start(
            source,
            settings,
            false,
            Some(ModelChoice::Sent { name }),
            Some(file),
        )
    }

    /// Builds the catalog in use again after its worker crashed (the crash
    /// message stays on screen).
    pub fn restore(&self, source: Source, settings: Settings) {
        self.start(source, settings, true, None, None)
    }

    /// Builds `source` in a fresh worker, sending it the files (and a saved
    /// model's file after them).
    fn start(
        &self,
        source: Source,
        settings: Settings,
        restoring: bool,
        model: Option<ModelChoice>,
        model_file: Option<FileId>,
    ) {
        let files: Option<Vec<Blob>> = {
            let inner = self.inner.borrow();
            source_files(&source)
                .chain(model_file)
                .map(|id| inner.files.get(&id).cloned())
                .collect()
        };
        let Some(files) = files else {
            return self.dispatch(Action::ShowError(format!(
                "{} is no longer open here; choose the file again",
                source.name
            )));
        };
        match Bridge::<CatalogRole>::spawn(WORKER_SCRIPT, |_, _| {}, |_| {}) {
            Ok(bridge) => {
                let refs: Vec<&JsValue> = files.iter().map(|f| f.as_ref()).collect();
                self.run_build(bridge, source, settings, restoring, model, &refs)
            }
            Err(e) => self.dispatch(Action::ShowError(e.to_string())),
        }
    }

    /// Sends a build to `bridge`'s worker and makes it the builder.
    fn run_build(
        &self,
        bridge: Bridge<CatalogRole>,
        source: Source,
        settings: Settings,
        restoring: bool,
        model: Option<ModelChoice>,
        files: &[&JsValue],
    ) {
        let job = self.inner.borrow_mut().job();
        // A split catalog's clusters are its model's, at every build.
        let model = model.or_else(|| {
            source.split.as_ref().map(|s| ModelChoice::Site {
                name: s.model_name.clone(),
                json: s.model_json.clone(),
            })
        });
        let request = CatalogRequest::Build(Box::new(Build {
            job: job.0,
            sheet: source.workbook.as_ref().map(|w| w.sheet.clone()),
            roles: source.roles.clone(),
            filter: source.filter,
            spec: settings.spec.clone(),
            k: settings.k,
            seed: settings.seed,
            model,
            split: source.split.as_ref().map(|s| s.base.clone()),
            shards: url_shards(),
        }));
        let bridge = self.listen(bridge, job);
        if let Err(message) = bridge.send(&request, files) {
            return self.dispatch(Action::ShowError(message.to_string()));
        }
        // Replacing a running build terminates it.
        let replaced = self.inner.borrow_mut().builder.replace(CatalogWorker {
            job,
            bridge,
            source: source.clone(),
        });
        drop_later(replaced);
        let pending = Pending {
            job: Some(job),
            source,
            settings,
            stage: if restoring {
                Phase::Restoring
            } else {
                Phase::Starting
            },
        };
        self.dispatch(if restoring {
            Action::Restoring(pending)
        } else {
            Action::Started(pending)
        })
    }

    /// A catalog worker for build `job`: its answers become actions, and a
    /// crash is the session's or the build's.
    fn listen(&self, bridge: Bridge<CatalogRole>, job: JobId) -> Bridge<CatalogRole> {
        let weak = Rc::downgrade(&self.inner);
        let on_response = {
            let (weak, dispatch) = (weak.clone(), self.dispatch.clone());
            move |response: CatalogResponse, file: Option<Uint8Array>| {
                if let CatalogResponse::Built { job: built, .. } = &response {
                    Workers::promote(&weak, JobId(*built));
                }
                let name = || {
                    let inner = weak.upgrade()?;
                    let inner = inner.borrow();
                    inner.session.as_ref().map(|w| w.source.name.clone())
                };
                deliver(name, &dispatch, response, file)
            }
        };
        let on_crash = {
            let dispatch = self.dispatch.clone();
            move |message| {
                let Some(inner) = weak.upgrade() else { return };
                let inner = inner.borrow();
                let holds =
                    |slot: &Option<CatalogWorker>| slot.as_ref().is_some_and(|w| w.job == job);
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
        bridge.listen(on_response, on_crash);
        bridge
    }

    /// A build finished: its worker becomes the session worker (the old one
    /// is terminated).
    fn promote(weak: &Weak<RefCell<Inner>>, job: JobId) {
        let Some(inner) = weak.upgrade() else { return };
        let mut inner = inner.borrow_mut();
        if !inner.builder.as_ref().is_some_and(|w| w.job == job) {
            return; // a cancelled or replaced build
        }
        let promoted = inner.builder.take();
        let old = std::mem::replace(&mut inner.session, promoted);
        drop_later(old);
        inner.prune_files();
    }

    /// Terminates a running build; the catalog in use stays.
    pub fn cancel(&self) {
        drop_later(self.inner.borrow_mut().builder.take());
        self.dispatch(Action::Cancelled);
    }

    /// Terminates the session worker (after it crashed).
    pub fn end_session(&self) {
        drop_later(self.inner.borrow_mut().session.take());
    }

    /// Sends the two files of the users view (interactions and items, either
    /// order) to the helper worker, starting it if needed.
    pub fn users(&self, first: Blob, second: Blob) {
        let job = self.inner.borrow_mut().job();
        if self.inner.borrow().helper.is_none() {
            let (weak, dispatch) = (Rc::downgrade(&self.inner), self.dispatch.clone());
            let crashed = self.dispatch.clone();
            let on_crash = move |message| {
                if let Some(inner) = weak.upgrade() {
                    drop_later(inner.borrow_mut().helper.take());
                }
                crashed.dispatch(Action::HelperCrashed(message));
            };
            let on_response = move |response, _| {
                dispatch.dispatch(match response {
                    HelperResponse::Users { job, report } => Action::UsersReady(JobId(job), report),
                    HelperResponse::Failed { job, message } => Action::Failed {
                        job: job.map(JobId),
                        message,
                    },
                })
            };
            match Bridge::<HelperRole>::spawn(WORKER_SCRIPT, on_response, on_crash) {
                Ok(bridge) => self.inner.borrow_mut().helper = Some(bridge),
                Err(e) => return self.dispatch(Action::ShowError(e.to_string())),
            }
        }
        let inner = self.inner.borrow();
        let sent = match &inner.helper {
            Some(helper) => helper.send(&HelperRequest::Users { job: job.0 }, &[&first, &second]),
            None => Err("the background worker is not running".into()),
        };
        drop(inner);
        match sent {
            Ok(()) => self.dispatch(Action::UsersStarted(job)),
            Err(e) => self.dispatch(Action::ShowError(e.to_string())),
        }
    }

    /// Asks the session worker for an export: the model as JSON, or the
    /// catalog with its clusters as CSV. An uploaded catalog's file goes
    /// along, so the CSV keeps the file's own columns; the default catalog's
    /// CSV has the catalog's columns.
    pub fn export(&self, model: bool) {
        let inner = self.inner.borrow();
        let Some(session) = &inner.session else {
            return;
        };
        let source = &session.source;
        let file =
            (!model && source.identity != DEFAULT_CATALOG_IDENTITY && source.workbook.is_none())
                .then(|| inner.files.get(&source.file))
                .flatten();
        let files: Vec<&JsValue> = file.iter().map(|f| f.as_ref()).collect();
        if let Err(message) = session
            .bridge
            .send(&CatalogRequest::Export { model }, &files)
        {
            self.dispatch(Action::ShowError(message.to_string()));
        }
    }

    /// Asks for the elbow curve of the catalog in use (once it is on screen).
    pub fn elbow(&self) {
        self.ask(&CatalogRequest::Elbow);
    }

    /// Asks for the titles matching `query`.
    pub fn search(&self, query: String) {
        self.ask(&CatalogRequest::Search { query });
    }

    /// Asks for the movie panel of `selection` with the user's marks.
    pub fn card(&self, selection: Option<Selection>, watched: Vec<String>, liked: Vec<String>) {
        self.ask(&CatalogRequest::Card {
            selection,
            watched,
            liked,
        });
    }

    /// Sends a query about the catalog in use. Queries are small and
    /// repeatable: one that cannot be sent (no catalog yet, or its worker is
    /// being restored) is dropped, and the next render asks again.
    fn ask(&self, request: &CatalogRequest) {
        if let Some(session) = &self.inner.borrow().session {
            let _ = session.bridge.send(request, &[]);
        }
    }
}

/// The default catalog, read from `file`.
fn default_source(file: FileId) -> Source {
    Source {
        name: DEFAULT_NAME.into(),
        file,
        ratings: None,
        roles: None,
        filter: ImdbFilter::default(),
        identity: DEFAULT_CATALOG_IDENTITY.into(),
        workbook: None,
        split: None,
    }
}
