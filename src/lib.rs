//! reelmeans: a movie recommender that clusters a catalog with k-means and
//! recommends titles from the selected movie's cluster, entirely client-side.
//!
//! The core is pure Rust and runs natively (tests, the `reelmeans` CLI,
//! benchmarks) and in the browser (the web worker and the Yew app):
//!
//! - [`table`]: delimited text → rows, with per-row issue reports;
//! - [`catalog`]: column roles and their inference, TMDB/MovieLens/IMDb
//!   (IMDb's full dumps filtered as they stream, gzip inflated on the way);
//! - [`upload`]: a catalog file and its companion ratings file, read as
//!   the app and the CLI read them;
//! - [`features`]: the declarative feature spec and its fitted pipeline;
//! - [`kmeans`]: k-means++ / Lloyd / Hamerly, elbow and silhouette;
//! - [`pca`]: principal components for the scatter plot;
//! - [`clustered`]: the whole pipeline in one value, reporting [`progress`];
//! - [`recommend`], [`search`], [`export`]: what users do with it;
//! - [`session`]: a clustered catalog answering the app's queries where it
//!   was built (the web worker), in small ready-to-render values;
//! - [`taste`]: taste factors learnt from who interacted with each title;
//! - `standin` (native only): a full-size, seeded stand-in for IMDb's dumps;
//! - [`interactions`], [`evaluate`]: user clustering (the course
//!   recommender) and offline evaluation on held-out behaviour.
//!
//! The browser layer lives in `web` and is compiled for `wasm32`, but for
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

pub mod catalog;
pub mod clustered;
pub mod evaluate;
pub mod export;
pub mod features;
pub mod interactions;
pub mod kmeans;
pub mod pca;
pub mod progress;
pub mod recommend;
pub mod search;
pub mod session;
pub mod split;
#[cfg(not(target_arch = "wasm32"))]
pub mod standin;
pub mod table;
pub mod taste;
pub mod upload;

pub mod web;

pub use catalog::{Catalog, CatalogError, ColumnRole, Movie, Source};
pub use clustered::ClusteredCatalog;
pub use export::SavedModel;
pub use features::{FeatureGroup, FeaturePipeline, FeatureSpec, Scaling};
pub use kmeans::{Algorithm, KMeansError, KMeansModel, KMeansParams};
pub use progress::Stage;
pub use recommend::{Recommendation, Recommender};
pub use search::TitleIndex;

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A hash map for counting a catalog's own short strings (genres,
/// languages) by the million: FNV-1a instead of std's DoS-resistant
/// SipHash, which took most of the time of those counts.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The FNV-1a hasher behind [`FastMap`].
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Any error of the core, with a message a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The catalog file.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The feature settings or data.
    #[error(transparent)]
    Features(#[from] features::FeatureError),
    /// The clustering parameters.
    #[error(transparent)]
    KMeans(#[from] KMeansError),
    /// A saved model.
    #[error(transparent)]
    Model(#[from] export::ModelError),
    /// Learning taste factors.
    #[error(transparent)]
    Taste(#[from] taste::TasteError),
    /// A catalog split into per-cluster files.
    #[error(transparent)]
    Split(#[from] split::SplitError),
}
