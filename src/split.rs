//! A prepared catalog too large for one tab, served as per-cluster files.
//!
//! The Spark job (`spark/prepare.py`), for a catalog beyond what the app
//! reads as one file (over 1,000,000 titles or 200 MiB: `--split-above`,
//! `--split-above-mib`), writes, beside `catalog.csv` and `model.json`:
//!
//! ```text
//! split/titles.csv        every title, without its taste columns, with cluster and distance
//! split/clusters/C.csv    cluster C's titles with every column (taste included)
//! ```
//!
//! The tab holds the title list (search, cluster profiles, top-rated
//! titles) and one cluster at a time: a selection whose cluster is not the
//! one loaded needs that cluster's file, which the app fetches from its own
//! origin ([`cluster_file`]). The cluster's titles are encoded with the
//! model's pipeline, as [`ClusteredCatalog::with_model`] does for a whole
//! catalog, and keep the cluster their file says (no k-means runs, and
//! re-clustering is not offered: it needs every title's features in one
//! place).
//!
//! ```
//! use reelmeans::{cluster_file, SplitCatalog};
//! assert_eq!(cluster_file(7), "clusters/7.csv");
//! ```

use crate::catalog::{infer_roles, Catalog, CatalogError, ColumnRole};
use crate::clustered::ClusteredCatalog;
use crate::model::SavedModel;
use crate::progress::Stage;
use crate::recommend::top_rated;
use crate::session::{
    describe_cluster, Brief, Card, CatalogQueries, Hit, Overview, Pick, Selection, Session,
    TitleLookup,
};
use crate::table::Table;
use std::collections::HashSet;

/// Most bytes of a title list the app reads (the whole-catalog limit,
/// [`crate::catalog::stream::KeptLimit::DEFAULT`], is for catalogs with
/// their features; a title list has none).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
pub const TITLE_LIST_LIMIT: u64 = 1 << 30;

/// Bytes of the title list its column roles are inferred from.
const HEAD_BYTES: usize = 256 * 1024;

/// Whether `bytes` are an HTML page rather than a CSV file.
fn is_web_page(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 15)];
    let head = head.to_ascii_lowercase();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// The file of cluster `c`, relative to the title list's folder.
pub fn cluster_file(c: usize) -> String {
    format!("clusters/{c}.csv")
}

/// Why a split catalog or one of its cluster files cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SplitError {
    /// The title list lacks a column the split needs.
    #[error("the title list has no {0} column: it is not a split catalog's titles.csv")]
    MissingColumn(&'static str),
    /// A title's cluster is not a number below the model's k.
    #[error("\"{title}\" is in cluster \"{cluster}\", which the model (k = {k}) does not have")]
    BadCluster {
        /// The title.
        title: String,
        /// Its cluster cell.
        cluster: String,
        /// The model's clusters.
        k: usize,
    },
    /// A cluster file does not hold the cluster's titles.
    #[error("{file} holds {found} of the {expected} titles of cluster {cluster}; the site's files do not match (was one replaced?)")]
    ClusterMismatch {
        /// The file.
        file: String,
        /// The cluster.
        cluster: usize,
        /// Titles of the cluster found in it.
        found: usize,
        /// Titles the list puts in the cluster.
        expected: usize,
    },
    /// A cluster file the site does not have: the site answered with a web
    /// page (CloudFront answers a missing path with `index.html`).
    #[error("the site has no {0}: it answered with a web page (what CloudFront sends for a missing file)")]
    Missing(String),
    /// A cluster too small to encode on its own.
    #[error("cluster {0} has a single title: nothing to recommend beside it")]
    Single(usize),
    /// The title list or a cluster file cannot be read as a catalog.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A cluster cannot be encoded with the model.
    #[error(transparent)]
    Encode(#[from] crate::error::Error),
}

/// Every title, the model, and the cluster loaded last.
#[derive(Debug)]
pub struct SplitCatalog {
    titles: Catalog,
    cluster: Vec<u32>,
    distance: Vec<f32>,
    lookup: TitleLookup,
    model: SavedModel,
    loaded: Option<Loaded>,
}

/// One cluster's titles as a session, and where each sits in the title list.
#[derive(Debug)]
struct Loaded {
    cluster: usize,
    session: Session,
    row: Vec<usize>,
}

impl SplitCatalog {
    /// Reads the title list (`split/titles.csv`) for `model`.
    pub fn open(
        titles: Vec<u8>,
        model: SavedModel,
        progress: &mut dyn FnMut(Stage),
    ) -> Result<SplitCatalog, SplitError> {
        // The roles of a catalog, with cluster and distance read as numbers.
        let head = &titles[..titles.len().min(HEAD_BYTES)];
        let head = &head[..head
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(head.len(), |i| i + 1)];
        let sample = Table::parse(head).map_err(CatalogError::from)?;
        let mut roles = infer_roles(&sample.headers, &sample.rows);
        for name in ["cluster", "distance"] {
            let at = sample
                .headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or(SplitError::MissingColumn(name))?;
            roles[at] = ColumnRole::Number;
        }
        let (catalog, _) = Catalog::parse_streaming(titles, Some(roles), progress)?;
        let column = |name: &str| {
            catalog
                .number_columns
                .iter()
                .position(|c| c.trim().eq_ignore_ascii_case(name))
        };
        let (Some(at_cluster), Some(at_distance)) = (column("cluster"), column("distance")) else {
            return Err(SplitError::MissingColumn("cluster"));
        };
        let k = model.centroids.len();
        let mut cluster = Vec::with_capacity(catalog.len());
        let mut distance = Vec::with_capacity(catalog.len());
        for m in catalog.movies() {
            match m.numbers[at_cluster] {
                Some(c) if c >= 0.0 && c.fract() == 0.0 && (c as usize) < k => {
                    cluster.push(c as u32)
                }
                c => {
                    return Err(SplitError::BadCluster {
                        title: m.title.clone(),
                        cluster: c.map_or(String::new(), |c| c.to_string()),
                        k,
                    })
                }
            }
            distance.push(m.numbers[at_distance].map_or(f32::INFINITY, |d| d as f32));
        }
        let lookup = TitleLookup::new(catalog.movies(), progress);
        Ok(SplitCatalog {
            titles: catalog,
            cluster,
            distance,
            lookup,
            model,
            loaded: None,
        })
    }

    /// Number of titles.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// True when there are no titles.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// The model every cluster is encoded with.
    pub fn model(&self) -> &SavedModel {
        &self.model
    }

    /// The cluster loaded last, if any.
    pub fn loaded(&self) -> Option<usize> {
        self.loaded.as_ref().map(|l| l.cluster)
    }

    fn row_of(&self, id: &str) -> Option<usize> {
        self.lookup.position(self.titles.movies(), id)
    }

    /// The title list's row of a selection, if it names a title.
    pub fn resolve(&self, selection: &Selection) -> Option<usize> {
        self.lookup.resolve(self.titles.movies(), selection)
    }

    /// The cluster whose file a card for `selection` needs, when it is not
    /// the one loaded.
    pub fn needs(&self, selection: Option<&Selection>) -> Option<usize> {
        let cluster = self.cluster[self.resolve(selection?)?] as usize;
        (self.loaded() != Some(cluster)).then_some(cluster)
    }

    /// Loads cluster `c` from its file's bytes (see [`cluster_file`]),
    /// replacing the cluster loaded before. On failure the one before stays.
    pub fn load(&mut self, c: usize, bytes: Vec<u8>) -> Result<(), SplitError> {
        if is_web_page(&bytes) {
            return Err(SplitError::Missing(cluster_file(c)));
        }
        let (catalog, _) = Catalog::parse_streaming(bytes, None, &mut |_| {})?;
        let expected = self.cluster.iter().filter(|&&x| x as usize == c).count();
        let row: Vec<Option<usize>> = catalog
            .movies()
            .iter()
            .map(|m| {
                self.row_of(&m.id)
                    .filter(|&r| self.cluster[r] as usize == c)
            })
            .collect();
        let found = row.iter().flatten().count();
        if found != expected || found != catalog.len() {
            return Err(SplitError::ClusterMismatch {
                file: cluster_file(c),
                cluster: c,
                found,
                expected,
            });
        }
        if catalog.len() < 2 {
            return Err(SplitError::Single(c));
        }
        let data = ClusteredCatalog::with_model_in(catalog, &self.model, Some(c), 42, &mut |_| {})?;
        self.loaded = Some(Loaded {
            cluster: c,
            session: Session::new(data),
            row: row.into_iter().flatten().collect(),
        });
        Ok(())
    }

    fn brief(&self, row: usize) -> Brief {
        let m = &self.titles.movies()[row];
        Brief {
            index: row,
            id: m.id.clone(),
            title: m.title.clone(),
            year: m.year,
            cluster: self.cluster[row] as usize,
        }
    }

    /// Up to `limit` titles matching `query`, best first, from every cluster.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.lookup.search(query, limit, |row| self.brief(row))
    }

    /// The movie panel, from the loaded cluster (load the one
    /// [`SplitCatalog::needs`] names first): the selection and its cluster's
    /// nearest titles; recommendations for the liked titles of that
    /// cluster; the top-rated titles of the whole list when nothing is
    /// selected or liked there. Indices are rows of the title list.
    pub fn card(
        &self,
        selection: Option<&Selection>,
        watched: &[String],
        liked: &[String],
    ) -> Card {
        let here = selection
            .and_then(|s| self.resolve(s))
            .filter(|&r| self.loaded() == Some(self.cluster[r] as usize))
            .map(|r| Selection::Id(self.titles.movies()[r].id.clone()));
        let mut card = match &self.loaded {
            Some(loaded) => {
                let mut card = loaded.session.card(here.as_ref(), watched, liked);
                let global = |p: &mut Pick| p.movie.index = loaded.row[p.movie.index];
                if let Some(d) = &mut card.selected {
                    d.movie.index = loaded.row[d.movie.index];
                    d.similar.iter_mut().for_each(global);
                }
                card.for_liked.iter_mut().for_each(global);
                card.popular.clear();
                card
            }
            None => Card::default(),
        };
        if card.selected.is_none() && card.liked.is_empty() {
            card.popular = self.top_rated(8, watched);
        }
        card
    }

    /// The best titles of the whole list by the model's weighted rating.
    fn top_rated(&self, n: usize, watched: &[String]) -> Vec<Pick> {
        let watched: HashSet<&str> = watched.iter().map(String::as_str).collect();
        let movies = self.titles.movies();
        top_rated(movies, &self.model.pipeline, n, |i| {
            watched.contains(movies[i].id.as_str())
        })
        .into_iter()
        .map(|r| Pick {
            movie: self.brief(r.index),
            reason: r.reason,
        })
        .collect()
    }

    /// Sizes and profiles of every cluster, from the title list (no scatter:
    /// it needs every title's features).
    pub fn overview(&self) -> Overview {
        let k = self.model.centroids.len();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
        for (row, &c) in self.cluster.iter().enumerate() {
            members[c as usize].push(row as u32);
        }
        let profiles = members
            .iter()
            .map(|rows| describe_cluster(self.titles.movies(), rows, &self.distance))
            .collect();
        Overview {
            titles: self.len(),
            k,
            profiles,
            scatter: Vec::new(),
            step: 1,
            explained: 0.0,
            split: true,
        }
    }
}

impl CatalogQueries for SplitCatalog {
    fn resolve(&self, selection: &Selection) -> Option<usize> {
        SplitCatalog::resolve(self, selection)
    }
    fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        SplitCatalog::search(self, query, limit)
    }
    fn card(&self, selection: Option<&Selection>, watched: &[String], liked: &[String]) -> Card {
        SplitCatalog::card(self, selection, watched, liked)
    }
    fn overview(&self) -> Overview {
        SplitCatalog::overview(self)
    }
}
