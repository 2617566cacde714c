//! The app's state as a plain reducer: no I/O here (the worker, storage and
//! the URL are touched by the components that dispatch these actions).

use crate::catalog::ColumnRole;
use crate::evaluate::UserReport;
use crate::features::FeatureSpec;
use crate::kmeans::{suggest_k, ElbowPoint};
use crate::session::{Card, Hit, Overview, Selection};
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::Blob;
use yew::Reducible;

/// The catalog in use: its overview on the page, the rest in the session worker.
#[derive(Debug)]
pub struct Loaded {
    /// The build job that made it (the session worker's answers carry it).
    pub job: u32,
    /// Counts, cluster profiles and the sampled scatter.
    pub overview: Overview,
    /// Where it came from ("TMDB 5000 (default)" or a file name).
    pub name: String,
    /// Notes from reading (rows left out, ratings joined).
    pub notes: Vec<String>,
}

/// Identity, not contents: props holding an `Rc<Loaded>` are compared on
/// every render.
impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The elbow curve of the catalog in use, filled one k at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Elbow {
    /// The catalog's build job.
    pub job: u32,
    /// Points so far, k = 2, 3, ...
    pub points: Vec<ElbowPoint>,
    /// The last k of the curve.
    pub k_max: usize,
}

/// Smallest k of the elbow curve.
pub const ELBOW_K_MIN: usize = 2;
/// Largest k of the elbow curve (fewer for tiny catalogs).
pub const ELBOW_K_MAX: usize = 30;

/// The last k of the elbow curve of a catalog of `titles`.
pub fn elbow_k_max(titles: usize) -> usize {
    ELBOW_K_MAX.min(titles)
}

impl Elbow {
    /// The k to compute next, if the curve is not complete.
    pub fn next_k(&self) -> Option<usize> {
        let k = ELBOW_K_MIN + self.points.len();
        (k <= self.k_max).then_some(k)
    }

    /// The k the curve suggests, once it is complete.
    pub fn suggested(&self) -> Option<usize> {
        self.next_k()
            .is_none()
            .then(|| suggest_k(&self.points))
            .flatten()
    }
}

/// The files and roles a catalog is built from, kept so settings can
/// re-cluster it. Files are `Blob`s (an uploaded `File` is one): the page
/// never copies their bytes; each worker reads them off the main thread.
/// They compare by identity (the same upload), never byte by byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Display name.
    pub name: String,
    /// The catalog file.
    pub file: Blob,
    /// A companion ratings file.
    pub ratings: Option<Blob>,
    /// Roles confirmed by the user (inferred when `None`).
    pub roles: Option<Vec<ColumnRole>>,
}

/// An upload waiting for the user to confirm its column roles.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The files.
    pub source: Source,
    /// Column headers.
    pub headers: Vec<String>,
    /// Current roles (inferred, then edited).
    pub roles: Vec<ColumnRole>,
    /// First rows, for the preview column.
    pub preview: Vec<Vec<String>>,
    /// Number of data rows.
    pub rows: usize,
}

/// Clustering settings the user can tune.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Number of clusters (`None`: from the catalog size).
    pub k: Option<usize>,
    /// Feature spec (scaling, weights).
    pub spec: FeatureSpec,
    /// k-means seed.
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            k: None,
            spec: FeatureSpec::default(),
            seed: 42,
        }
    }
}

/// A build in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Job id.
    pub job: u32,
    /// What is being built.
    pub source: Source,
    /// Settings it is built with.
    pub settings: Settings,
    /// Latest stage description.
    pub stage: String,
    /// Share done, when known.
    pub fraction: Option<f32>,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// The catalog in use.
    pub loaded: Option<Rc<Loaded>>,
    /// What `loaded` was built from.
    pub source: Option<Source>,
    /// Settings `loaded` was built with.
    pub settings: Settings,
    /// A build in flight.
    pub pending: Option<Pending>,
    /// An upload awaiting role confirmation.
    pub mapping: Option<Mapping>,
    /// What is happening to an upload before its mapping table shows.
    pub reading: Option<String>,
    /// The elbow curve of `loaded`.
    pub elbow: Option<Elbow>,
    /// The last error, shown until dismissed or replaced.
    pub error: Option<String>,
    /// The selected movie.
    pub selected: Option<Selection>,
    /// The movie panel for `selected` and the marks.
    pub card: Option<Rc<Card>>,
    /// The latest search results and the query they answer.
    pub hits: Option<Rc<(String, Vec<Hit>)>>,
    /// A movie id from the URL, selected once its catalog is ready.
    pub wanted_id: Option<String>,
    /// Watched ids.
    pub watched: BTreeSet<String>,
    /// Liked ids.
    pub liked: BTreeSet<String>,
    /// Crashes of the session worker that are being repaired (bumped to
    /// rebuild the catalog in a new worker, at most [`MAX_WORKER_RESTARTS`]).
    pub session_crashes: u32,
    /// The users view (course mode / MovieLens pair), once computed.
    pub users: Option<Rc<UserReport>>,
    /// A users job in flight.
    pub users_job: Option<u32>,
    /// How many times the session worker crashed.
    pub crashes: u32,
}

/// Crashed workers replaced before the app gives up and asks for a reload.
pub const MAX_WORKER_RESTARTS: u32 = 3;

/// Everything that changes the state.
pub enum Action {
    /// A build was sent to the worker.
    Started(Pending),
    /// The catalog in use is being built again after its worker crashed.
    Restoring(Pending),
    /// Progress of job `job`.
    Progress {
        job: u32,
        stage: String,
        fraction: Option<f32>,
    },
    /// Job `job` finished; its worker now holds the catalog.
    Built {
        job: u32,
        overview: Box<Overview>,
        notes: Vec<String>,
    },
    /// Job `job` failed (or its worker crashed).
    Failed { job: u32, message: String },
    /// The worker holding the catalog crashed.
    SessionCrashed(String),
    /// The worker reading uploads or clustering users crashed.
    HelperCrashed(String),
    /// The movie panel for `selection` in catalog `job`.
    Card {
        job: u32,
        selection: Option<Selection>,
        card: Box<Card>,
    },
    /// Search results for `query` in catalog `job`.
    Hits {
        job: u32,
        query: String,
        hits: Vec<Hit>,
    },
    /// A point of the elbow curve of catalog `job`.
    ElbowPoint { job: u32, point: ElbowPoint },
    /// The build in flight was cancelled (its worker terminated).
    Cancelled,
    /// The worker started (the bridge handles this; nothing changes).
    WorkerReady,
    /// An upload is being read (`None`: done or abandoned).
    Reading(Option<String>),
    /// An upload's roles were inferred.
    Inspected(Mapping),
    /// The user changed one column's role.
    SetRole(usize, ColumnRole),
    /// The user closed the mapping table.
    CloseMapping,
    /// A users job was sent.
    UsersStarted(u32),
    /// The users view arrived.
    UsersReady(u32, Box<UserReport>),
    /// Select a movie by index (or clear).
    Select(Option<usize>),
    /// Select by id (from the URL); remembered until the catalog has it.
    SelectId(Option<String>),
    /// Toggle watched for a movie id.
    ToggleWatched(String),
    /// Toggle liked for a movie id.
    ToggleLiked(String),
    /// Forget all watched and liked marks.
    ClearMarks,
    /// Show an error without touching anything else.
    ShowError(String),
    /// Hide the error.
    DismissError,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Started(pending) => {
                s.pending = Some(pending);
                s.mapping = None;
                s.error = None;
            }
            Action::Restoring(pending) => s.pending = Some(pending),
            Action::Progress {
                job,
                stage,
                fraction,
            } => match &mut s.pending {
                Some(p) if p.job == job => {
                    p.stage = stage;
                    p.fraction = fraction;
                }
                _ => return self,
            },
            Action::Built {
                job,
                overview,
                notes,
            } => {
                let Some(pending) = s.pending.take().filter(|p| p.job == job) else {
                    return self;
                };
                let same_catalog = s.source.as_ref() == Some(&pending.source);
                let previous_id = s
                    .card
                    .as_ref()
                    .and_then(|c| c.selected.as_ref())
                    .map(|d| d.movie.id.clone());
                // Keep the selection across re-clustering; honour a deep link on a new catalog.
                let wanted = if same_catalog {
                    previous_id
                } else {
                    s.card = None;
                    s.wanted_id.take()
                };
                s.selected = wanted.map(Selection::Id);
                s.hits = None;
                s.elbow = Some(Elbow {
                    job,
                    points: Vec::new(),
                    k_max: elbow_k_max(overview.titles),
                });
                s.loaded = Some(Rc::new(Loaded {
                    job,
                    overview: *overview,
                    name: pending.source.name.clone(),
                    notes,
                }));
                s.source = Some(pending.source);
                s.settings = pending.settings;
            }
            Action::Failed { job, message } => {
                if job == 0 {
                    s.reading = None;
                }
                if s.users_job == Some(job) {
                    s.users_job = None;
                } else if s.pending.as_ref().is_some_and(|p| p.job == job) {
                    s.pending = None;
                } else if job != 0 {
                    return self; // a cancelled job
                }
                let keeps = if s.loaded.is_some() {
                    " The previous catalog is still in use."
                } else {
                    ""
                };
                s.error = Some(format!("{message}{keeps}"));
            }
            Action::SessionCrashed(message) => {
                // Rebuild the catalog in a new worker, but not forever: a
                // worker that crashes again and again would spin.
                s.crashes += 1;
                let next = if s.crashes <= MAX_WORKER_RESTARTS {
                    s.session_crashes += 1;
                    "The previous catalog is still in use; a new worker is restoring it."
                } else {
                    "It keeps crashing: reload the page."
                };
                s.error = Some(format!("{message}. {next}"));
            }
            Action::HelperCrashed(message) => {
                s.users_job = None;
                s.reading = None;
                s.error = Some(format!("{message}. A new worker will take the next file."));
            }
            Action::Card {
                job,
                selection,
                card,
            } => {
                if s.loaded.as_ref().is_none_or(|l| l.job != job) || selection != s.selected {
                    return self; // an answer to an earlier question
                }
                s.card = Some(Rc::new(*card));
            }
            Action::Hits { job, query, hits } => {
                if s.loaded.as_ref().is_none_or(|l| l.job != job) {
                    return self;
                }
                s.hits = Some(Rc::new((query, hits)));
            }
            Action::ElbowPoint { job, point } => match &mut s.elbow {
                Some(e) if e.job == job && e.next_k() == Some(point.k) => e.points.push(point),
                _ => return self,
            },
            Action::Cancelled => s.pending = None,
            Action::WorkerReady => return self,
            Action::Reading(what) => s.reading = what,
            Action::Inspected(mapping) => {
                s.mapping = Some(mapping);
                s.reading = None;
                s.error = None;
            }
            Action::SetRole(col, role) => {
                if let Some(m) = &mut s.mapping {
                    if let Some(r) = m.roles.get_mut(col) {
                        *r = role;
                    }
                }
            }
            Action::CloseMapping => s.mapping = None,
            Action::UsersStarted(job) => {
                s.users_job = Some(job);
                s.error = None;
            }
            Action::UsersReady(job, report) => {
                if s.users_job != Some(job) {
                    return self;
                }
                s.users_job = None;
                s.users = Some(Rc::new(*report));
            }
            Action::Select(index) => {
                s.selected = index
                    .filter(|&i| s.loaded.as_ref().is_some_and(|l| i < l.overview.titles))
                    .map(Selection::Index);
            }
            Action::SelectId(id) => {
                if s.loaded.is_some() {
                    s.selected = id.map(Selection::Id);
                } else {
                    s.wanted_id = id;
                }
            }
            Action::ToggleWatched(id) => {
                if !s.watched.remove(&id) {
                    s.watched.insert(id);
                }
            }
            Action::ToggleLiked(id) => {
                if !s.liked.remove(&id) {
                    s.liked.insert(id);
                }
            }
            Action::ClearMarks => {
                s.watched.clear();
                s.liked.clear();
            }
            Action::ShowError(message) => {
                s.reading = None;
                s.error = Some(message);
            }
            Action::DismissError => s.error = None,
        }
        Rc::new(s)
    }
}
