//! The app's state as a plain reducer: no I/O here (the workers, storage
//! and the URL are touched by the components that dispatch these actions).
//! Plain data that compiles natively, so every action is unit-tested
//! without a browser; files are named by [`FileId`] here and held, with the
//! workers, by `super::workers::Workers`.

use crate::catalog::formats::ColumnReadings;
use crate::catalog::{ColumnRole, ImdbFilter};
use crate::evaluate::UserReport;
use crate::features::FeatureSpec;
use crate::kmeans::{suggest_k, ElbowPoint};
use crate::notes::Note;
use crate::progress::Stage;
use crate::session::{Card, Hit, Overview, Selection};
use std::collections::BTreeSet;
use std::rc::Rc;

/// A job sent to a worker: a build, an elbow curve or a users view. Its
/// answers carry it, so answers to an earlier job are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobId(pub u32);

/// A file the user chose (or the default catalog), held by the workers'
/// owner; state names it, compares it by identity and never holds its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId(pub u32);

/// The catalog in use: its overview on the page, the rest in the session worker.
#[derive(Debug)]
pub struct Loaded {
    /// The build job that made it (the session worker's answers carry it).
    pub job: JobId,
    /// Counts, cluster profiles and the sampled scatter.
    pub overview: Overview,
    /// Where it came from ("TMDB 5000 (default)" or a file name).
    pub name: String,
    /// Notes from reading (rows left out, ratings joined).
    pub notes: Vec<Note>,
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
    pub job: JobId,
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
/// re-cluster it. Files are named by id: the page never copies their bytes
/// (each worker reads them off the main thread), and two sources are the
/// same when they name the same uploads.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Display name.
    pub name: String,
    /// The catalog file.
    pub file: FileId,
    /// A companion ratings file.
    pub ratings: Option<FileId>,
    /// Roles confirmed by the user (inferred when `None`).
    pub roles: Option<Vec<ColumnRole>>,
    /// Which rows of IMDb's title.basics become titles (other files ignore it).
    pub filter: ImdbFilter,
    /// Which catalog this is, for the marks made in it: [`DEFAULT_CATALOG_IDENTITY`],
    /// or an uploaded file's name, size and modification time (the same
    /// file chosen again is the same catalog, with the same marks).
    pub identity: String,
    /// The sheet the catalog is, when `file` is a workbook.
    pub workbook: Option<Workbook>,
    /// The site's catalog split into per-cluster files: `file` is its title list.
    pub split: Option<SplitSite>,
}

/// Where a split catalog's cluster files are, and the model they were
/// clustered with (sent with every build of it: its clusters are the model's).
#[derive(Debug, Clone, PartialEq)]
pub struct SplitSite {
    /// Absolute URL of the folder holding `titles.csv` and `clusters/`.
    pub base: String,
    /// The model's file name.
    pub model_name: String,
    /// The model's JSON.
    pub model_json: String,
}

/// A spreadsheet upload: the sheet its catalog comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// The workbook's own identity (each sheet's adds its name).
    pub identity: String,
    /// The sheet read.
    pub sheet: String,
    /// Every sheet, in order (the mapping step offers them).
    pub sheets: Vec<String>,
}

/// The identity of the default catalog; its marks keep the storage keys they
/// had before marks were kept per catalog.
pub const DEFAULT_CATALOG_IDENTITY: &str = "default";

/// An upload waiting for the user to confirm its column roles.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    /// The files.
    pub source: Source,
    /// Column headers.
    pub headers: Vec<String>,
    /// Current roles (inferred, then edited).
    pub roles: Vec<ColumnRole>,
    /// A few non-empty example values per column.
    pub examples: Vec<Vec<String>>,
    /// Number of data rows (estimated past the preview's head when `approximate`).
    pub rows: usize,
    /// `rows` is an estimate.
    pub approximate: bool,
    /// The file is IMDb's title.basics dump: its filter is shown.
    pub imdb: bool,
    /// Each column read as numbers, dates and running times (the table
    /// shows the reading of the role chosen).
    pub readings: Vec<ColumnReadings>,
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

impl Settings {
    /// The settings a saved model was fitted with (its k and feature spec),
    /// so that a re-cluster after it starts from them.
    pub fn of_model(saved: &crate::model::SavedModel) -> Settings {
        Settings {
            k: Some(saved.centroids.len()),
            spec: saved.pipeline.spec().clone(),
            ..Settings::default()
        }
    }
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

/// Where a build in flight is: the page's own steps before its worker
/// reports, then the worker's [`Stage`]s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// The page is fetching the default catalog.
    Downloading,
    /// A build was sent to a fresh worker, which has not reported yet.
    Starting,
    /// The catalog in use is being built again after its worker crashed.
    Restoring,
    /// The worker's report.
    Working(Stage),
}

impl Phase {
    /// Words for the status line.
    pub fn describe(&self) -> String {
        match self {
            Phase::Downloading => "downloading the catalog".into(),
            Phase::Starting => "starting".into(),
            Phase::Restoring => "restoring".into(),
            Phase::Working(stage) => stage.describe(),
        }
    }

    /// How far the build is, for the progress bar (`None`: unknown).
    pub fn fraction(&self) -> Option<f32> {
        match self {
            Phase::Working(stage) => stage.fraction(),
            _ => None,
        }
    }
}

/// A build in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The build job; `None` while the default catalog is still downloading.
    pub job: Option<JobId>,
    /// What is being built.
    pub source: Source,
    /// Settings it is built with.
    pub settings: Settings,
    /// Where the build is.
    pub stage: Phase,
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
    /// The selection `card` answers (while it differs from `selected`, the
    /// answer for `selected` is on its way).
    pub card_for: Option<Selection>,
    /// The latest search results and the query they answer.
    pub hits: Option<Rc<(String, Vec<Hit>)>>,
    /// A movie id from the URL, selected once its catalog is ready.
    pub wanted_id: Option<String>,
    /// Watched ids, in the catalog `marks_of`.
    pub watched: BTreeSet<String>,
    /// Liked ids, in the catalog `marks_of`.
    pub liked: BTreeSet<String>,
    /// The catalog whose marks `watched` and `liked` are (its
    /// [`Source::identity`]); `None` while a new catalog's are being read,
    /// so marks never attach to another catalog's movies.
    pub marks_of: Option<String>,
    /// Crashes of the session worker that are being repaired (bumped to
    /// rebuild the catalog in a new worker, at most [`MAX_WORKER_RESTARTS`]).
    pub session_crashes: u32,
    /// The users view (course mode / MovieLens pair), once computed.
    pub users: Option<Rc<UserReport>>,
    /// A users job in flight.
    pub users_job: Option<JobId>,
    /// How many times the session worker crashed.
    pub crashes: u32,
    /// How many builds the user cancelled (the tuning panel then shows the
    /// settings in use again, not the cancelled ones).
    pub cancels: u32,
}

pub use crate::text::{counted, thousands};

/// The name an export is saved under: the catalog's file name without its
/// extensions, then what was exported (`what`: "clusters.csv",
/// "model.json"). "movies.csv + ratings" → "movies-clusters.csv"; the
/// default catalog → "TMDB-5000-clusters.csv".
pub fn export_file_name(catalog: &str, what: &str) -> String {
    let name = catalog.split(" + ").next().unwrap_or(catalog);
    let mut stem = name.split(" (").next().unwrap_or(name).trim();
    while let Some((rest, ext)) = stem.rsplit_once('.') {
        if !["gz", "csv", "tsv", "txt", "json", "jsonl"]
            .contains(&ext.to_ascii_lowercase().as_str())
        {
            break;
        }
        stem = rest;
    }
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches(['-', '.']);
    if stem.is_empty() {
        format!("reelmeans-{what}")
    } else {
        format!("{stem}-{what}")
    }
}

/// Why `k` clusters cannot be made of a catalog of `titles` titles, in a
/// sentence, or `None` when they can.
pub fn k_refusal(k: usize, titles: usize) -> Option<String> {
    if k == 0 {
        Some("k is the number of clusters: it must be at least 1".into())
    } else if k > titles {
        Some(format!(
            "k = {} is more than the {} titles of this catalog: choose k ≤ {}",
            thousands(k),
            thousands(titles),
            thousands(titles)
        ))
    } else {
        None
    }
}

/// The status line of a catalog in use.
pub fn ready_line(loaded: &Loaded) -> String {
    format!(
        "ready — {} from {} in {}",
        counted(loaded.overview.titles, "title"),
        loaded.name,
        counted(loaded.overview.k, "cluster")
    )
}

/// A message as a sentence: it ends with a full stop (or `!` / `?`), so what
/// follows it on the error line reads as a new sentence.
fn sentence(message: String) -> String {
    let trimmed = message.trim_end();
    if trimmed.ends_with(['.', '!', '?']) {
        trimmed.to_string()
    } else {
        format!("{trimmed}.")
    }
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
    Progress { job: JobId, stage: Stage },
    /// Job `job` finished; its worker now holds the catalog.
    Built {
        job: JobId,
        overview: Box<Overview>,
        notes: Vec<Note>,
    },
    /// Job `job` failed (or its worker crashed); `None`: something outside
    /// a job failed (reading an upload, downloading the default catalog,
    /// the elbow curve).
    Failed { job: Option<JobId>, message: String },
    /// The worker holding the catalog crashed.
    SessionCrashed(String),
    /// The worker reading uploads or clustering users crashed.
    HelperCrashed(String),
    /// The movie panel for `selection` in catalog `job`.
    Card {
        job: JobId,
        selection: Option<Selection>,
        card: Box<Card>,
    },
    /// Search results for `query` in catalog `job`.
    Hits {
        job: JobId,
        query: String,
        hits: Vec<Hit>,
    },
    /// A point of the elbow curve of catalog `job`.
    ElbowPoint { job: JobId, point: ElbowPoint },
    /// The build in flight was cancelled (its worker terminated).
    Cancelled,
    /// An upload is being read (`None`: done or abandoned).
    Reading(Option<String>),
    /// An upload's roles were inferred.
    Inspected(Mapping),
    /// The user changed one column's role.
    SetRole(usize, ColumnRole),
    /// The user changed the IMDb filter of the upload being mapped.
    SetImdbFilter(ImdbFilter),
    /// The user closed the mapping table.
    CloseMapping,
    /// A users job was sent.
    UsersStarted(JobId),
    /// The users view arrived.
    UsersReady(JobId, Box<UserReport>),
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
    /// The marks stored for a catalog, read after it became the one in use.
    MarksLoaded {
        /// Its identity.
        catalog: String,
        /// Watched ids.
        watched: BTreeSet<String>,
        /// Liked ids.
        liked: BTreeSet<String>,
    },
    /// Show an error without touching anything else.
    ShowError(String),
    /// Hide the error.
    DismissError,
}

impl AppState {
    /// A title is selected and its panel has not come yet (the panel shown
    /// is an earlier selection's).
    pub fn card_pending(&self) -> bool {
        self.selected.is_some() && self.selected != self.card_for
    }

    /// The state after `action`; `self` itself when nothing changes (an
    /// answer to an earlier job, a stale question).
    pub fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Started(pending) => {
                s.pending = Some(pending);
                s.mapping = None;
                s.error = None;
            }
            Action::Restoring(pending) => s.pending = Some(pending),
            Action::Progress { job, stage } => match &mut s.pending {
                Some(p) if p.job == Some(job) => p.stage = Phase::Working(stage),
                _ => return self,
            },
            Action::Built {
                job,
                overview,
                notes,
            } => {
                let Some(pending) = s.pending.take().filter(|p| p.job == Some(job)) else {
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
                // Marks belong to the catalog they were made in: another
                // catalog starts with none until its own are read.
                if s.marks_of.as_ref() != Some(&pending.source.identity) {
                    s.marks_of = None;
                    s.watched.clear();
                    s.liked.clear();
                }
                // A split catalog has no features here to fit a curve on.
                s.elbow = (!overview.split).then(|| Elbow {
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
                match job {
                    Some(job) if s.users_job == Some(job) => s.users_job = None,
                    Some(job) if s.pending.as_ref().is_some_and(|p| p.job == Some(job)) => {
                        s.pending = None
                    }
                    Some(_) => return self, // a cancelled job
                    None => {
                        s.reading = None;
                        // The default catalog's download is the one build without a job.
                        if s.pending.as_ref().is_some_and(|p| p.job.is_none()) {
                            s.pending = None;
                        }
                    }
                }
                let keeps = if s.loaded.is_some() {
                    " The previous catalog is still in use."
                } else {
                    ""
                };
                s.error = Some(format!("{}{keeps}", sentence(message)));
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
                s.error = Some(format!("{} {next}", sentence(message)));
            }
            Action::HelperCrashed(message) => {
                s.users_job = None;
                s.reading = None;
                s.error = Some(format!(
                    "{} A new worker will take the next file.",
                    sentence(message)
                ));
            }
            Action::Card {
                job,
                selection,
                card,
            } => {
                if s.loaded.as_ref().is_none_or(|l| l.job != job) || selection != s.selected {
                    return self; // an answer to an earlier question
                }
                // A link (or a reload) naming a movie this catalog lacks says so.
                if let (Some(Selection::Id(id)), None) = (&selection, &card.selected) {
                    let name = s
                        .loaded
                        .as_ref()
                        .map(|l| l.name.clone())
                        .unwrap_or_default();
                    s.error = Some(format!(
                        "The link names a movie (id {id}) that {name} does not have; showing the top-rated titles instead."
                    ));
                    s.selected = None;
                }
                s.card = Some(Rc::new(*card));
                s.card_for = s.selected.clone();
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
            Action::Cancelled => {
                s.pending = None;
                s.cancels += 1;
            }
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
            Action::SetImdbFilter(filter) => {
                if let Some(m) = &mut s.mapping {
                    m.source.filter = filter;
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
            Action::MarksLoaded {
                catalog,
                watched,
                liked,
            } => {
                if s.source
                    .as_ref()
                    .is_none_or(|source| source.identity != catalog)
                {
                    return self; // read for a catalog no longer in use
                }
                s.marks_of = Some(catalog);
                s.watched = watched;
                s.liked = liked;
            }
            Action::ShowError(message) => {
                s.reading = None;
                s.error = Some(sentence(message));
            }
            Action::DismissError => s.error = None,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests;
