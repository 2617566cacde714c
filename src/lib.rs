//! reelmeans: a movie recommender that clusters a catalog with k-means and
//! recommends titles from the selected movie's cluster, entirely client-side.
//!
//! The core is pure Rust and runs natively (tests, the `reelmeans` CLI,
//! benchmarks) and in the browser (the web workers and the Yew app). This
//! file is its face: what users of the crate need, re-exported from private
//! modules, from the bottom layer up:
//!
//! - text and tables: `text` (helpers), `table` (delimited text → rows, with
//!   per-row issue reports);
//! - catalogs: `catalog` (column roles and their inference, formats and
//!   languages, TMDB/MovieLens/IMDb, JSON and workbooks), `inspect` (what a
//!   file is before it is read: the one place files are sniffed), `upload`
//!   (a catalog file and its ratings file, read as the app and the CLI read
//!   them);
//! - learning: `features` (the declarative feature spec and its fitted
//!   pipeline), `kmeans` (k-means++, Lloyd, Hamerly, shards, elbow), `pca`,
//!   `taste` (taste factors from who interacted with what);
//! - the pipeline: `model` (the saved-model format), `clustered` (the whole
//!   pipeline in one value, reporting `progress` and `notes`), `error`;
//! - what users do with it: `recommend`, `search`, `export` and `npy`, `session` and
//!   `split` (a clustered catalog, whole or in per-cluster files, answering
//!   the page's queries), `interactions` and `evaluate` (user clustering and
//!   offline evaluation), `history` (a person's exports from Letterboxd,
//!   IMDb, Trakt or Netflix, matched to the catalog, and "For you").
//!
//! The browser layer lives in [`web`] and is compiled for `wasm32`, but for
//! `web::state`, the page's state as plain data, tested natively.
//!
//! ```
//! use reelmeans::{Catalog, ClusteredCatalog, FeatureSpec, KMeansParams, Recommender};
//! let csv = "title,year,genres,rating,votes\n\
//!            Alien,1979,Horror|Sci-Fi,8.5,900\nAliens,1986,Action|Sci-Fi,8.4,800\n\
//!            Heat,1995,Crime|Drama,8.3,700\nRonin,1998,Crime|Action,7.2,300\n";
//! let catalog = Catalog::parse(csv.as_bytes()).unwrap();
//! let data = ClusteredCatalog::build(catalog, &FeatureSpec::default(), &KMeansParams::new(2), &mut |_| {}).unwrap();
//! let recs = Recommender::new(&data).similar_to(0, 3, &Default::default());
//! assert!(recs.iter().all(|r| data.cluster_of(r.index) == data.cluster_of(0)));
//! ```

mod catalog;
mod clustered;
mod error;
mod evaluate;
mod export;
mod features;
mod history;
mod inspect;
mod interactions;
mod kmeans;
mod model;
mod notes;
mod npy;
mod pca;
mod progress;
mod recommend;
mod search;
mod session;
mod split;
mod table;
mod taste;
mod text;
mod upload;

pub mod web;

// Text and tables.
pub use table::{
    clean, decode_owned, detect_delimiter, head_sample, Reason, RowError, RowReport, Table,
    TableError,
};
pub use text::{counted, thousands};

// Catalogs: roles, formats, readers.
pub use catalog::formats::{
    parse_duration, read_columns, ColumnFormat, ColumnReadings, FileHints, ValueKind,
};
pub use catalog::stream::KeptLimit;
pub use catalog::{
    column_examples, header_key, infer_roles, split_genres, Catalog, CatalogError, ColumnRole,
    ImdbFilter, ImdbRatings, Movie, SkipKind, SkipReason, Skipped, Source, UnreadValues,
};
pub use inspect::{head_table, inspect, kind_of, sniff, FileKind, Inspection};
pub use upload::{read_sheet, InputFile, Loaded, Upload};

// Learning.
pub use features::{FeatureError, FeatureGroup, FeaturePipeline, FeatureSpec, Scaling};
pub use kmeans::{
    elbow, squared_distance, suggest_k, Algorithm, FitProgress, KMeansError, KMeansModel,
    KMeansParams,
};
pub use taste::{
    content_matrix, learn_for_catalog, Origin, Taste, TasteError, TasteParams, TasteSummary,
};

// The pipeline.
pub use clustered::{default_k, ClusteredCatalog};
pub use error::Error;
pub use model::{ModelError, SavedModel, MODEL_VERSION};
pub use notes::Note;
pub use progress::Stage;

// What users do with it.
pub use evaluate::{
    evaluate, evaluate_seeds, kept_csv, summary_table, EvalSettings, Scores, UserClusters,
    UserFeatures,
};
pub use export::{clustered_csv, clustered_file_csv, matrix_csv, neutralise_formula, prepared_csv};
pub use history::{
    for_you, letterboxd_csv, match_history, read_history, title_key, watchlist_first, Because,
    Entry, ExportFormat, Filters, History, HistoryError, MatchReport, Matched, Outcome, Profile,
    Shelf, Suggestion, Unmatched,
};
pub use interactions::{
    read_imdb_links, read_links, Interaction, Interactions, InteractionsError, Strength,
};
pub use npy::{matrix_npy, read_npy, NpyError};
pub use recommend::{Era, Ranking, Recommendation, Recommender, Why};
pub use search::{fold, search_key, MatchKind, SearchHit, TitleIndex};
pub use session::{CatalogQueries, Selection, Session};
pub use split::{cluster_file, SplitCatalog};
