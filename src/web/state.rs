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
    /// The workbook `file` was read from, as CSV, when the upload is a spreadsheet.
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

/// A spreadsheet upload: the workbook and the sheet its catalog comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// The workbook file as chosen.
    pub file: FileId,
    /// The workbook's own identity (each sheet's adds its name).
    pub identity: String,
    /// The sheet read.
    pub sheet: String,
    /// Every sheet, in order (the mapping step offers them).
    pub sheets: Vec<String>,
}

/// A file name a workbook has (`.xlsx`, `.xlsm`, `.ods`, or the old `.xls`,
/// which gets its own message): the page reads it through the spreadsheet worker.
pub fn is_workbook_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".xlsx", ".xlsm", ".ods", ".xls"]
        .iter()
        .any(|ext| lower.ends_with(ext))
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
    pub stage: Stage,
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

pub use crate::text::thousands;

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

/// A count with its noun, singular for one: "1 cluster", "4,803 titles".
pub fn counted(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", thousands(n))
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
        notes: Vec<String>,
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
                Some(p) if p.job == Some(job) => p.stage = stage,
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
mod tests {
    use super::*;
    use crate::session::Session;
    use crate::{Catalog, ClusteredCatalog, KMeansParams};

    /// A small real catalog, held by a session as the worker holds it.
    fn session() -> Session {
        let mut csv = String::from("id,title,year,genres\n");
        for i in 0..12 {
            csv += &format!(
                "m{i},Title {i},{},{}\n",
                1990 + i,
                ["Drama", "Comedy"][i % 2]
            );
        }
        let catalog = Catalog::parse(csv.as_bytes()).unwrap();
        let data = ClusteredCatalog::build(
            catalog,
            &FeatureSpec::default(),
            &KMeansParams::new(2),
            &mut |_| {},
        )
        .unwrap();
        Session::new(data)
    }

    fn source(file: u32) -> Source {
        Source {
            name: format!("file {file}"),
            file: FileId(file),
            ratings: None,
            roles: None,
            filter: ImdbFilter::default(),
            identity: format!("file {file}:100:0"),
            workbook: None,
            split: None,
        }
    }

    fn pending(job: u32, file: u32) -> Pending {
        Pending {
            job: Some(JobId(job)),
            source: source(file),
            settings: Settings::default(),
            stage: Stage::Starting,
        }
    }

    fn built(job: u32) -> Action {
        Action::Built {
            job: JobId(job),
            overview: Box::new(session().overview()),
            notes: vec!["a note".into()],
        }
    }

    fn apply(state: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
        actions.into_iter().fold(state, AppState::apply)
    }

    /// The default catalog built as job 1 from file 1.
    fn ready() -> Rc<AppState> {
        apply(Rc::default(), [Action::Started(pending(1, 1)), built(1)])
    }

    fn card(selection: Option<Selection>) -> Box<Card> {
        Box::new(session().card(selection.as_ref(), &[], &[]))
    }

    #[test]
    fn a_build_shows_progress_and_becomes_the_catalog_in_use() {
        let s = apply(Rc::default(), [Action::Started(pending(1, 1))]);
        assert_eq!(s.pending.as_ref().unwrap().stage, Stage::Starting);
        let s = apply(
            s,
            [Action::Progress {
                job: JobId(1),
                stage: Stage::Parsing(0.5),
            }],
        );
        assert_eq!(s.pending.as_ref().unwrap().stage, Stage::Parsing(0.5));
        let s = apply(s, [built(1)]);
        assert!(s.pending.is_none());
        let loaded = s.loaded.as_ref().unwrap();
        assert_eq!((loaded.job, loaded.overview.titles), (JobId(1), 12));
        assert_eq!(loaded.notes, ["a note"]);
        assert_eq!(s.source, Some(source(1)));
        let elbow = s.elbow.as_ref().unwrap();
        assert_eq!(
            (elbow.job, elbow.k_max, elbow.next_k()),
            (JobId(1), 12, Some(2))
        );
    }

    #[test]
    fn answers_to_another_job_change_nothing() {
        let s = apply(ready(), [Action::Started(pending(2, 2))]);
        for stale in [
            Action::Progress {
                job: JobId(1),
                stage: Stage::Projecting,
            },
            built(3),
            Action::Failed {
                job: Some(JobId(9)),
                message: "a cancelled build".into(),
            },
            Action::Card {
                job: JobId(2),
                selection: None,
                card: card(None),
            },
            Action::Hits {
                job: JobId(7),
                query: "t".into(),
                hits: Vec::new(),
            },
            Action::ElbowPoint {
                job: JobId(2),
                point: ElbowPoint {
                    k: 2,
                    inertia: 1.0,
                    silhouette: None,
                },
            },
            Action::UsersReady(JobId(5), Box::new(report())),
        ] {
            let after = s.clone().apply(stale);
            assert!(Rc::ptr_eq(&after, &s), "a stale answer made a new state");
        }
    }

    #[test]
    fn cancelling_keeps_the_catalog_in_use() {
        let before = ready();
        let s = apply(
            before.clone(),
            [Action::Started(pending(2, 1)), Action::Cancelled],
        );
        assert!(s.pending.is_none());
        assert_eq!(s.cancels, before.cancels + 1, "the tuning panel is told");
        assert!(Rc::ptr_eq(
            s.loaded.as_ref().unwrap(),
            before.loaded.as_ref().unwrap()
        ));
        // The cancelled build's late failure is ignored.
        let late = s.clone().apply(Action::Failed {
            job: Some(JobId(2)),
            message: "terminated".into(),
        });
        assert!(Rc::ptr_eq(&late, &s));
    }

    #[test]
    fn a_failed_build_says_the_previous_catalog_stays() {
        let s = apply(
            ready(),
            [
                Action::Started(pending(2, 2)),
                Action::Failed {
                    job: Some(JobId(2)),
                    message: "line 3: a quoted field is never closed".into(),
                },
            ],
        );
        assert!(s.pending.is_none());
        assert_eq!(
            s.error.as_deref(),
            Some("line 3: a quoted field is never closed. The previous catalog is still in use.")
        );
        assert_eq!(s.loaded.as_ref().unwrap().job, JobId(1));
    }

    #[test]
    fn a_failure_outside_a_job_ends_reading_and_the_default_download() {
        let downloading = Pending {
            job: None,
            ..pending(0, 1)
        };
        let s = apply(
            Rc::default(),
            [
                Action::Started(downloading),
                Action::Reading(Some("reading x.csv".into())),
                Action::Failed {
                    job: None,
                    message: "cannot download catalog.csv: HTTP 404".into(),
                },
            ],
        );
        assert!(s.pending.is_none() && s.reading.is_none());
        assert_eq!(
            s.error.as_deref(),
            Some("cannot download catalog.csv: HTTP 404.")
        );
        // With a build in flight, a failure outside it leaves the build alone.
        let s = apply(
            ready(),
            [
                Action::Started(pending(2, 2)),
                Action::Failed {
                    job: None,
                    message: "elbow curve: no rows".into(),
                },
            ],
        );
        assert_eq!(s.pending.as_ref().unwrap().job, Some(JobId(2)));
    }

    #[test]
    fn re_clustering_keeps_the_selection_and_a_new_catalog_honours_a_deep_link() {
        let s = apply(ready(), [Action::Select(Some(3))]);
        let panel = card(s.selected.clone());
        let id = panel.selected.as_ref().unwrap().movie.id.clone();
        let s = apply(
            s.clone(),
            [
                Action::Card {
                    job: JobId(1),
                    selection: s.selected.clone(),
                    card: panel,
                },
                Action::Started(pending(2, 1)),
                built(2),
            ],
        );
        assert_eq!(
            s.selected,
            Some(Selection::Id(id)),
            "same files: same movie"
        );
        // A link read before any catalog is ready waits for one.
        let s = apply(Rc::default(), [Action::SelectId(Some("m5".into()))]);
        assert_eq!(
            (s.selected.clone(), s.wanted_id.as_deref()),
            (None, Some("m5"))
        );
        let s = apply(s, [Action::Started(pending(1, 1)), built(1)]);
        assert_eq!(s.selected, Some(Selection::Id("m5".into())));
        assert!(s.wanted_id.is_none());
    }

    #[test]
    fn a_crashed_session_is_restored_a_few_times_then_the_user_is_told_to_reload() {
        let mut s = ready();
        for crash in 1..=MAX_WORKER_RESTARTS {
            s = apply(
                s,
                [Action::SessionCrashed(
                    "the background worker crashed".into(),
                )],
            );
            assert_eq!(s.session_crashes, crash, "a restore is asked for");
            assert!(s
                .error
                .as_deref()
                .unwrap()
                .ends_with("a new worker is restoring it."));
            s = apply(
                s,
                [Action::Restoring(pending(crash + 1, 1)), built(crash + 1)],
            );
            assert!(s.pending.is_none() && s.loaded.is_some());
        }
        let s = apply(
            s,
            [Action::SessionCrashed(
                "the background worker crashed".into(),
            )],
        );
        assert_eq!(s.session_crashes, MAX_WORKER_RESTARTS, "no more restores");
        assert!(s.error.as_deref().unwrap().ends_with("reload the page."));
    }

    #[test]
    fn a_crashed_helper_ends_reading_and_the_users_job() {
        let s = apply(
            ready(),
            [
                Action::Reading(Some("reading".into())),
                Action::UsersStarted(JobId(4)),
                Action::HelperCrashed("the background worker crashed".into()),
            ],
        );
        assert!(s.reading.is_none() && s.users_job.is_none());
        assert!(s
            .error
            .as_deref()
            .unwrap()
            .contains("A new worker will take the next file"));
    }

    #[test]
    fn answers_for_the_catalog_in_use_are_shown() {
        let s = apply(ready(), [Action::Select(Some(2))]);
        assert!(s.card_pending(), "selected, no answer yet");
        let s = apply(
            s.clone(),
            [
                Action::Card {
                    job: JobId(1),
                    selection: s.selected.clone(),
                    card: card(s.selected.clone()),
                },
                Action::Hits {
                    job: JobId(1),
                    query: "title 1".into(),
                    hits: session().search("title 1", 8),
                },
            ],
        );
        assert_eq!(
            s.card
                .as_ref()
                .unwrap()
                .selected
                .as_ref()
                .unwrap()
                .movie
                .title,
            "Title 2"
        );
        assert_eq!(s.hits.as_ref().unwrap().0, "title 1");
        assert!(!s.hits.as_ref().unwrap().1.is_empty());
        assert!(!s.card_pending());
        // A panel for a selection since replaced is an earlier question's answer.
        let s = apply(s, [Action::Select(Some(4))]);
        assert!(s.card_pending());
        let stale = s.clone().apply(Action::Card {
            job: JobId(1),
            selection: Some(Selection::Index(2)),
            card: card(Some(Selection::Index(2))),
        });
        assert!(Rc::ptr_eq(&stale, &s));
        // Selecting past the end selects nothing.
        assert_eq!(apply(s, [Action::Select(Some(99))]).selected, None);
    }

    #[test]
    fn the_elbow_curve_fills_in_order_and_suggests_k_when_complete() {
        let point = |k: usize, inertia: f64| Action::ElbowPoint {
            job: JobId(1),
            point: ElbowPoint {
                k,
                inertia,
                silhouette: Some(0.5),
            },
        };
        let s = apply(ready(), [point(2, 100.0)]);
        // Out of order: ignored.
        let skipped = s.clone().apply(point(4, 10.0));
        assert!(Rc::ptr_eq(&skipped, &s));
        let mut s = s;
        for k in 3..=12 {
            s = s.apply(point(k, 100.0 / k as f64));
        }
        let elbow = s.elbow.as_ref().unwrap();
        assert_eq!((elbow.points.len(), elbow.next_k()), (11, None));
        assert!(elbow.suggested().is_some());
    }

    #[test]
    fn exports_are_named_after_their_catalog() {
        assert_eq!(
            export_file_name("movies.csv + ratings", "clusters.csv"),
            "movies-clusters.csv"
        );
        assert_eq!(
            export_file_name("title.basics.tsv.gz + ratings", "model.json"),
            "title.basics-model.json"
        );
        assert_eq!(
            export_file_name("TMDB 5000 (default catalog)", "clusters.csv"),
            "TMDB-5000-clusters.csv"
        );
        assert_eq!(
            export_file_name("Meine Filme/2024?.CSV", "clusters.csv"),
            "Meine-Filme-2024-clusters.csv"
        );
        assert_eq!(
            export_file_name(".csv", "clusters.csv"),
            "reelmeans-clusters.csv"
        );
    }

    #[test]
    fn an_upload_is_read_mapped_and_closed() {
        let mapping = Mapping {
            source: source(3),
            headers: vec!["Film".into(), "Kind".into()],
            roles: vec![ColumnRole::Title, ColumnRole::Ignore],
            examples: vec![vec!["Heat".into()], vec!["Crime".into()]],
            rows: 1,
            approximate: false,
            imdb: true,
            readings: Vec::new(),
        };
        let s = apply(
            ready(),
            [
                Action::ShowError("old".into()),
                Action::Reading(Some("reading x.csv".into())),
                Action::Inspected(mapping),
            ],
        );
        assert!(s.reading.is_none() && s.error.is_none());
        let s = apply(
            s,
            [
                Action::SetRole(1, ColumnRole::Genres),
                Action::SetRole(7, ColumnRole::Year),
                Action::SetImdbFilter(ImdbFilter {
                    min_votes: 25_000,
                    tv_movies: true,
                }),
            ],
        );
        assert_eq!(s.mapping.as_ref().unwrap().source.filter.min_votes, 25_000);
        assert_eq!(
            s.mapping.as_ref().unwrap().roles,
            [ColumnRole::Title, ColumnRole::Genres]
        );
        // Starting its build closes the table; so does closing it.
        let built = apply(s.clone(), [Action::Started(pending(2, 3))]);
        assert!(built.mapping.is_none());
        assert!(apply(s, [Action::CloseMapping]).mapping.is_none());
    }

    fn report() -> UserReport {
        UserReport {
            users: vec!["u1".into()],
            labels: vec![0],
            profiles: vec![Vec::new()],
            recommendations: vec![Vec::new()],
            history: vec![Vec::new()],
            strength: crate::interactions::Strength::Rating,
            scores: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn the_users_view_arrives_for_its_own_job() {
        let s = apply(
            ready(),
            [
                Action::ShowError("x".into()),
                Action::UsersStarted(JobId(5)),
            ],
        );
        assert_eq!((s.users_job, s.error.as_deref()), (Some(JobId(5)), None));
        let s = apply(s, [Action::UsersReady(JobId(5), Box::new(report()))]);
        assert!(s.users_job.is_none());
        assert_eq!(s.users.as_ref().unwrap().users, ["u1"]);
        // A failed users job ends it with a message; the catalog stays.
        let s = apply(
            s,
            [
                Action::UsersStarted(JobId(6)),
                Action::Failed {
                    job: Some(JobId(6)),
                    message: "choose two files".into(),
                },
            ],
        );
        assert!(s.users_job.is_none());
        assert!(s
            .error
            .as_deref()
            .unwrap()
            .starts_with("choose two files. "));
        assert!(s.loaded.is_some());
    }

    #[test]
    fn every_error_is_a_sentence() {
        for (message, shown) in [
            ("the file is empty", "the file is empty."),
            ("it keeps crashing!", "it keeps crashing!"),
            ("already a sentence. ", "already a sentence."),
        ] {
            let s = apply(Rc::default(), [Action::ShowError(message.into())]);
            assert_eq!(s.error.as_deref(), Some(shown));
        }
        let s = apply(
            ready(),
            [Action::SessionCrashed("the worker crashed".into())],
        );
        assert!(s
            .error
            .as_deref()
            .unwrap()
            .starts_with("the worker crashed. The previous"));
        let s = apply(
            ready(),
            [Action::HelperCrashed("the worker crashed.".into())],
        );
        assert_eq!(
            s.error.as_deref(),
            Some("the worker crashed. A new worker will take the next file.")
        );
    }

    #[test]
    fn marks_toggle_and_clear_and_errors_show_and_dismiss() {
        let s = apply(
            Rc::default(),
            [
                Action::ToggleWatched("m1".into()),
                Action::ToggleLiked("m2".into()),
                Action::ToggleLiked("m3".into()),
                Action::ToggleLiked("m3".into()),
            ],
        );
        assert_eq!(s.watched, BTreeSet::from(["m1".to_string()]));
        assert_eq!(s.liked, BTreeSet::from(["m2".to_string()]));
        let s = apply(s, [Action::ClearMarks]);
        assert!(s.watched.is_empty() && s.liked.is_empty());
        let s = apply(
            s,
            [
                Action::Reading(Some("r".into())),
                Action::ShowError("bad file.".into()),
            ],
        );
        assert_eq!(
            (s.error.as_deref(), s.reading.as_deref()),
            (Some("bad file."), None)
        );
        assert!(apply(s, [Action::DismissError]).error.is_none());
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(counted(1, "cluster"), "1 cluster");
        assert_eq!(counted(0, "title"), "0 titles");
        assert_eq!(counted(4803, "title"), "4,803 titles");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let s = ready();
        let line = ready_line(s.loaded.as_ref().unwrap());
        assert!(
            line.starts_with("ready — ") && line.contains(" from file 1 in "),
            "{line}"
        );
    }

    #[test]
    fn a_link_to_a_movie_the_catalog_lacks_says_so() {
        let s = apply(ready(), [Action::SelectId(Some("no-such-id".into()))]);
        let job = s.loaded.as_ref().unwrap().job;
        let answer = |selection: Option<Selection>| Action::Card {
            job,
            card: card(selection.clone()),
            selection,
        };
        let s = apply(s, [answer(Some(Selection::Id("no-such-id".into())))]);
        let error = s.error.as_deref().unwrap_or_default();
        assert!(
            error.contains("id no-such-id") && error.contains("does not have"),
            "{error}"
        );
        assert!(s.selected.is_none() && s.card.as_ref().unwrap().selected.is_none());
        // A known id is no error.
        let id = session()
            .card(Some(&Selection::Index(0)), &[], &[])
            .selected
            .unwrap()
            .movie
            .id;
        let s = apply(ready(), [Action::SelectId(Some(id.clone()))]);
        let s = apply(s, [answer(Some(Selection::Id(id)))]);
        assert!(s.error.is_none() && s.selected.is_some());
    }

    /// Liking row 597 of an uploaded file must not show up as a like of the
    /// default catalog's id 597 (Titanic), and each catalog gets its own
    /// marks back.
    #[test]
    fn marks_stay_with_the_catalog_they_were_made_in() {
        let marks = |ids: &[&str]| ids.iter().map(|i| i.to_string()).collect::<BTreeSet<_>>();
        let s = apply(
            ready(),
            [Action::MarksLoaded {
                catalog: source(1).identity,
                watched: marks(&[]),
                liked: marks(&["19995"]),
            }],
        );
        assert_eq!(s.marks_of, Some(source(1).identity));
        // Re-clustering the same catalog keeps its marks.
        let s = apply(s, [Action::Started(pending(2, 1)), built(2)]);
        assert_eq!(s.liked, marks(&["19995"]));
        // Another catalog starts with none, then gets its own.
        let s = apply(s, [Action::Started(pending(3, 2)), built(3)]);
        assert!(s.liked.is_empty() && s.watched.is_empty() && s.marks_of.is_none());
        let s = apply(s, [Action::ToggleLiked("597".into())]);
        assert_eq!(s.liked, marks(&["597"]));
        let s = apply(
            s,
            [Action::MarksLoaded {
                catalog: source(2).identity,
                watched: marks(&["12"]),
                liked: marks(&["597"]),
            }],
        );
        assert_eq!(
            (s.marks_of.clone(), s.watched.clone()),
            (Some(source(2).identity), marks(&["12"]))
        );
        // Back to the first catalog: not the upload's "597".
        let s = apply(s, [Action::Started(pending(4, 1)), built(4)]);
        assert!(s.liked.is_empty() && s.marks_of.is_none());
        // Marks read for a catalog no longer in use are dropped.
        let stale = apply(
            s.clone(),
            [Action::MarksLoaded {
                catalog: source(2).identity,
                watched: marks(&[]),
                liked: marks(&["597"]),
            }],
        );
        assert!(Rc::ptr_eq(&stale, &s));
    }
}
