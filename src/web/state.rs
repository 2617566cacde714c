//! The app's state as a plain reducer: no I/O here (the worker, storage and
//! the URL are touched by the components that dispatch these actions).

use crate::catalog::ColumnRole;
use crate::clustered::ClusteredCatalog;
use crate::evaluate::UserReport;
use crate::features::FeatureSpec;
use crate::kmeans::ElbowPoint;
use crate::search::TitleIndex;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use yew::Reducible;

/// A clustered catalog ready for queries.
#[derive(Debug)]
pub struct Loaded {
    /// Catalog, features, model, projection.
    pub data: ClusteredCatalog,
    /// Folded titles for search.
    pub index: TitleIndex,
    /// Catalog index of each id.
    pub by_id: HashMap<String, usize>,
    /// Movies of each cluster (computed once, not per render).
    pub members: Vec<Vec<u32>>,
    /// Where it came from ("TMDB 5000 (default)" or a file name).
    pub name: String,
    /// Notes from reading (rows left out, ratings joined).
    pub notes: Vec<String>,
}

/// Identity, not contents: props holding an `Rc<Loaded>` are compared on
/// every render, and comparing a million movies each time froze the page.
impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Loaded {
    /// Indexes a freshly built catalog.
    pub fn new(data: ClusteredCatalog, name: String, notes: Vec<String>) -> Loaded {
        let index = TitleIndex::new(&data.catalog.movies);
        let by_id = data
            .catalog
            .movies
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let members = crate::recommend::cluster_members(&data);
        Loaded {
            data,
            index,
            by_id,
            members,
            name,
            notes,
        }
    }
}

/// The files and roles a catalog is built from, kept so settings can re-cluster it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Display name.
    pub name: String,
    /// The catalog file.
    pub file: Rc<Vec<u8>>,
    /// A companion ratings file.
    pub ratings: Option<Rc<Vec<u8>>>,
    /// Roles confirmed by the user (inferred when `None`).
    pub roles: Option<Vec<ColumnRole>>,
}

/// Files compare by identity (the same upload), never byte by byte.
impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &Option<Rc<Vec<u8>>>, b: &Option<Rc<Vec<u8>>>| match (a, b) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.name == other.name
            && Rc::ptr_eq(&self.file, &other.file)
            && same(&self.ratings, &other.ratings)
            && self.roles == other.roles
    }
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
    /// The elbow curve of `loaded`.
    pub elbow: Option<(Vec<ElbowPoint>, Option<usize>)>,
    /// The last error, shown until dismissed or replaced.
    pub error: Option<String>,
    /// Selected movie (catalog index).
    pub selected: Option<usize>,
    /// A movie id from the URL, selected once its catalog is ready.
    pub wanted_id: Option<String>,
    /// Watched ids.
    pub watched: BTreeSet<String>,
    /// Liked ids.
    pub liked: BTreeSet<String>,
    /// Bumped when the worker crashed and must be replaced.
    pub worker_generation: u32,
    /// The users view (course mode / MovieLens pair), once computed.
    pub users: Option<Rc<UserReport>>,
    /// A users job in flight.
    pub users_job: Option<u32>,
    /// How many times the worker crashed.
    pub crashes: u32,
}

/// Crashed workers replaced before the app gives up and asks for a reload.
pub const MAX_WORKER_RESTARTS: u32 = 3;

/// Everything that changes the state.
pub enum Action {
    /// A build was sent to the worker.
    Started(Pending),
    /// Progress of job `job`.
    Progress {
        job: u32,
        stage: String,
        fraction: Option<f32>,
    },
    /// Job `job` finished.
    Built {
        job: u32,
        data: Box<ClusteredCatalog>,
        notes: Vec<String>,
    },
    /// Job `job` failed (`u32::MAX`: the worker crashed).
    Failed { job: u32, message: String },
    /// The build in flight was cancelled (its worker terminated).
    Cancelled,
    /// The worker started (the bridge handles this; nothing changes).
    WorkerReady,
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
    /// The elbow curve arrived.
    Elbow(Vec<ElbowPoint>, Option<usize>),
    /// Select a movie by index (or clear).
    Select(Option<usize>),
    /// Select by id (from the URL); remembered until the catalog has it.
    SelectId(Option<String>),
    /// Toggle watched for a movie index.
    ToggleWatched(usize),
    /// Toggle liked for a movie index.
    ToggleLiked(usize),
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
            Action::Built { job, data, notes } => {
                let Some(pending) = s.pending.take().filter(|p| p.job == job) else {
                    return self;
                };
                let same_catalog = s
                    .source
                    .as_ref()
                    .is_some_and(|src| Rc::ptr_eq(&src.file, &pending.source.file));
                let previous_id = s
                    .selected
                    .zip(s.loaded.as_ref())
                    .map(|(i, l)| l.data.catalog.movies[i].id.clone());
                let loaded = Loaded::new(*data, pending.source.name.clone(), notes);
                // Keep the selection across re-clustering; honour a deep link on a new catalog.
                let wanted = if same_catalog {
                    previous_id
                } else {
                    s.wanted_id.take()
                };
                s.selected = wanted.and_then(|id| loaded.by_id.get(&id).copied());
                s.loaded = Some(Rc::new(loaded));
                s.source = Some(pending.source);
                s.settings = pending.settings;
                s.elbow = None;
            }
            Action::Failed { job, message } => {
                let matches_pending = s.pending.as_ref().is_some_and(|p| p.job == job);
                if s.users_job == Some(job) {
                    s.users_job = None;
                } else if job == u32::MAX {
                    // Replace the crashed worker, but not forever: a worker that
                    // crashes again and again would spin.
                    s.crashes += 1;
                    if s.crashes <= MAX_WORKER_RESTARTS {
                        s.worker_generation += 1;
                    }
                    s.pending = None;
                    s.users_job = None;
                } else if matches_pending {
                    s.pending = None;
                } else if job != 0 {
                    return self; // a cancelled job
                }
                let keeps = if s.loaded.is_some() {
                    " The previous catalog is still in use."
                } else {
                    ""
                };
                let restart = match job {
                    u32::MAX if s.crashes > MAX_WORKER_RESTARTS => {
                        " It keeps crashing: reload the page."
                    }
                    u32::MAX => " A new worker has been started.",
                    _ => "",
                };
                s.error = Some(format!("{message}{keeps}{restart}"));
            }
            Action::Cancelled => s.pending = None,
            Action::WorkerReady => return self,
            Action::Inspected(mapping) => {
                s.mapping = Some(mapping);
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
            Action::Elbow(points, suggested) => s.elbow = Some((points, suggested)),
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
                s.selected =
                    index.filter(|&i| s.loaded.as_ref().is_some_and(|l| i < l.data.catalog.len()));
            }
            Action::SelectId(id) => match (&id, &s.loaded) {
                (Some(id), Some(l)) if l.by_id.contains_key(id) => {
                    s.selected = l.by_id.get(id).copied();
                }
                (None, _) => s.selected = None,
                _ => s.wanted_id = id,
            },
            Action::ToggleWatched(i) | Action::ToggleLiked(i) => {
                let watched = matches!(action, Action::ToggleWatched(_));
                let Some(id) = s
                    .loaded
                    .as_ref()
                    .and_then(|l| l.data.catalog.movies.get(i))
                    .map(|m| m.id.clone())
                else {
                    return self;
                };
                let set = if watched {
                    &mut s.watched
                } else {
                    &mut s.liked
                };
                if !set.remove(&id) {
                    set.insert(id);
                }
            }
            Action::ClearMarks => {
                s.watched.clear();
                s.liked.clear();
            }
            Action::ShowError(message) => s.error = Some(message),
            Action::DismissError => s.error = None,
        }
        Rc::new(s)
    }
}
