//! A clustered catalog held where it was built, answering the page's
//! questions with small, ready-to-render values.
//!
//! The app keeps the catalog in its web worker: at a million titles the
//! catalog, its feature matrix and its search index take hundreds of
//! megabytes, and copying them to the page (and decoding them on the page's
//! thread) froze the tab for seconds. The page holds an [`Overview`] (counts,
//! cluster profiles, a sampled scatter) and asks for the rest: a [`Card`] for
//! the selected movie, [`Hit`]s for a search, the bytes of an export. Each
//! answer is a few kilobytes, whatever the catalog's size.
//!
//! ```
//! use reelmeans::{Selection, Session};
//! use reelmeans::{Catalog, ClusteredCatalog, FeatureSpec, KMeansParams};
//! let csv = "id,title,year,genres,rating,votes\n1,Alien,1979,Horror|Sci-Fi,8.5,900\n\
//!            2,Aliens,1986,Action|Sci-Fi,8.4,800\n3,Heat,1995,Crime|Drama,8.3,700\n\
//!            4,Ronin,1998,Crime|Action,7.2,300\n";
//! let data = ClusteredCatalog::build(Catalog::parse(csv.as_bytes()).unwrap(),
//!     &FeatureSpec::default(), &KMeansParams::new(2), &mut |_| {}).unwrap();
//! let session = Session::new(data);
//! assert_eq!(session.search("alien", 5).len(), 2);
//! let card = session.card(Some(&Selection::Id("1".into())), &[], &[]);
//! assert_eq!(card.selected.unwrap().movie.title, "Alien");
//! ```

use crate::catalog::{CatalogError, Movie};
use crate::clustered::ClusteredCatalog;
use crate::export::{clustered_csv, clustered_file_csv};
use crate::progress::Stage;
use crate::recommend::{cluster_members, Recommendation, Recommender, Why};
use crate::search::{sorted_by_text, MatchKind, TitleIndex};
use crate::text::FastMap;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Most points in the scatter; larger catalogs are sampled evenly (every n-th title).
pub const SCATTER_POINTS: usize = 6_000;
/// Rows the elbow curve is fitted on; larger catalogs are sampled evenly.
/// Inertia per title and silhouette on an even sample of 20,000 rows trace
/// the same curve as on all rows, at a fraction of the time.
pub const ELBOW_ROWS: usize = 20_000;
/// Rows the silhouette of each elbow point is measured on.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
pub const SILHOUETTE_ROWS: usize = 600;
/// Titles nearest its centre that describe a cluster.
const SAMPLES_PER_CLUSTER: usize = 3;

/// A movie as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    /// Catalog index.
    pub index: usize,
    /// Identifier (for marks and links).
    pub id: String,
    /// Title.
    pub title: String,
    /// Release year.
    pub year: Option<i32>,
    /// Cluster.
    pub cluster: usize,
}

/// A recommended movie and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    /// The movie.
    pub movie: Brief,
    /// One line saying why.
    pub reason: Why,
}

/// The selected movie with its facts and its cluster's nearest titles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Details {
    /// The movie.
    pub movie: Brief,
    /// Genres.
    pub genres: Vec<String>,
    /// Running time in minutes.
    pub runtime: Option<f64>,
    /// Mean rating.
    pub rating: Option<f64>,
    /// Number of votes.
    pub votes: Option<f64>,
    /// Language code.
    pub language: Option<String>,
    /// A page about the movie, when the catalog's ids have one.
    pub link: Option<String>,
    /// The nearest titles in its cluster, nearest first.
    pub similar: Vec<Pick>,
}

/// Everything the movie panel shows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Card {
    /// The selected movie, if the selection names one in this catalog.
    pub selected: Option<Details>,
    /// Titles of the liked movies found in this catalog (all of them).
    pub liked: Vec<String>,
    /// Recommendations for the liked movies together.
    pub for_liked: Vec<Pick>,
    /// Top rated titles, for a visitor with no selection and no likes.
    pub popular: Vec<Pick>,
}

/// Which movie is selected: by index (a click) or by id (a link, a reload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selection {
    /// Catalog index.
    Index(usize),
    /// Movie id.
    Id(String),
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The movie.
    pub movie: Brief,
    /// How it matched.
    pub kind: MatchKind,
}

/// One cluster described for the profiles table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterProfile {
    /// Number of titles.
    pub size: usize,
    /// The most common genres and the share of titles that have each.
    pub top_genres: Vec<(String, f64)>,
    /// Median release year.
    pub median_year: Option<f64>,
    /// Median rating.
    pub median_rating: Option<f64>,
    /// Titles nearest the centroid, nearest first.
    pub closest: Vec<String>,
}

/// One point of the sampled scatter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScatterPoint {
    /// Catalog index (clicking selects it).
    pub index: usize,
    /// Cluster.
    pub cluster: usize,
    /// First principal component.
    pub x: f32,
    /// Second principal component.
    pub y: f32,
    /// "Title (year)".
    pub label: String,
}

/// What the page needs to draw a catalog, whatever its size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Number of titles.
    pub titles: usize,
    /// Number of clusters.
    pub k: usize,
    /// One profile per cluster.
    pub profiles: Vec<ClusterProfile>,
    /// Every `step`-th title, projected on two principal components.
    pub scatter: Vec<ScatterPoint>,
    /// The sampling step of `scatter` (1: every title).
    pub step: usize,
    /// Share of the variance the two components explain.
    pub explained: f64,
    /// The catalog is split into per-cluster files ([`crate::split`]): no
    /// title's features are at hand, so there is no scatter and no elbow curve.
    pub split: bool,
}

/// A list of titles' search index and lookup by id: what a whole
/// catalog's [`Session`] and a split catalog's title list
/// ([`crate::split::SplitCatalog`]) both answer queries with.
#[derive(Debug)]
pub(crate) struct TitleLookup {
    index: TitleIndex,
    /// Indices ordered by id (then index), for lookups by id.
    by_id: Vec<u32>,
}

impl TitleLookup {
    /// Indexes `movies`, reporting each step as it starts.
    pub(crate) fn new(movies: &[Movie], progress: &mut dyn FnMut(Stage)) -> TitleLookup {
        let index = TitleIndex::with_progress(movies, progress);
        progress(Stage::IndexingIds);
        let by_id = sorted_by_text(movies.len(), |i| movies[i].id.as_str());
        TitleLookup { index, by_id }
    }

    /// Index of the title of `movies` with this id (ids are unique in a catalog).
    pub(crate) fn position(&self, movies: &[Movie], id: &str) -> Option<usize> {
        let at = self
            .by_id
            .partition_point(|&i| movies[i as usize].id.as_str() < id);
        let i = *self.by_id.get(at)? as usize;
        (movies[i].id == id).then_some(i)
    }

    /// Index of a selection, if it names one of `movies`.
    pub(crate) fn resolve(&self, movies: &[Movie], selection: &Selection) -> Option<usize> {
        match selection {
            Selection::Index(i) => (*i < movies.len()).then_some(*i),
            Selection::Id(id) => self.position(movies, id),
        }
    }

    /// Up to `limit` titles matching `query`, best first, each described by `brief`.
    pub(crate) fn search(
        &self,
        query: &str,
        limit: usize,
        brief: impl Fn(usize) -> Brief,
    ) -> Vec<Hit> {
        self.index
            .search(query, limit)
            .into_iter()
            .map(|h| Hit {
                movie: brief(h.index),
                kind: h.kind,
            })
            .collect()
    }
}

/// What the page asks of a catalog in use, whole ([`Session`]) or split
/// into per-cluster files ([`SplitCatalog`](crate::split::SplitCatalog)):
/// the worker holding it answers through this, whichever it is.
pub trait CatalogQueries {
    /// The catalog's index of a selection, if it names one of its titles.
    fn resolve(&self, selection: &Selection) -> Option<usize>;
    /// Up to `limit` titles matching `query`, best first.
    fn search(&self, query: &str, limit: usize) -> Vec<Hit>;
    /// The movie panel for a selection and the user's marks.
    fn card(&self, selection: Option<&Selection>, watched: &[String], liked: &[String]) -> Card;
    /// What the page draws: sizes, profiles, the scatter where there is one.
    fn overview(&self) -> Overview;
}

impl CatalogQueries for Session {
    fn resolve(&self, selection: &Selection) -> Option<usize> {
        Session::resolve(self, selection)
    }
    fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        Session::search(self, query, limit)
    }
    fn card(&self, selection: Option<&Selection>, watched: &[String], liked: &[String]) -> Card {
        Session::card(self, selection, watched, liked)
    }
    fn overview(&self) -> Overview {
        Session::overview(self)
    }
}

/// A clustered catalog with its search index and cluster membership.
#[derive(Debug)]
pub struct Session {
    data: ClusteredCatalog,
    titles: TitleLookup,
    members: Vec<Vec<u32>>,
}

impl Session {
    /// Indexes a clustered catalog for queries.
    pub fn new(data: ClusteredCatalog) -> Session {
        Session::with_progress(data, &mut |_| {})
    }

    /// Indexes a clustered catalog, reporting each step as it starts (each
    /// takes well under a second at a million titles).
    pub fn with_progress(data: ClusteredCatalog, progress: &mut dyn FnMut(Stage)) -> Session {
        let titles = TitleLookup::new(data.catalog().movies(), progress);
        let members = cluster_members(&data);
        Session {
            data,
            titles,
            members,
        }
    }

    /// The clustered catalog.
    pub fn data(&self) -> &ClusteredCatalog {
        &self.data
    }

    fn recommender(&self) -> Recommender<'_> {
        Recommender::with_members(&self.data, &self.members)
    }

    fn brief(&self, index: usize) -> Brief {
        let m = &self.data.catalog().movies()[index];
        Brief {
            index,
            id: m.id.clone(),
            title: m.title.clone(),
            year: m.year,
            cluster: self.data.cluster_of(index),
        }
    }

    fn picks(&self, recs: Vec<Recommendation>) -> Vec<Pick> {
        recs.into_iter()
            .map(|r| Pick {
                movie: self.brief(r.index),
                reason: r.reason,
            })
            .collect()
    }

    /// Catalog index of a selection, if it names a movie of this catalog.
    pub fn resolve(&self, selection: &Selection) -> Option<usize> {
        self.titles.resolve(self.data.catalog().movies(), selection)
    }

    /// Catalog index of the movie with this id.
    fn index_of(&self, id: &str) -> Option<usize> {
        self.titles.position(self.data.catalog().movies(), id)
    }

    /// The movie panel: the selection with `similar` titles from its cluster,
    /// recommendations for the liked movies, or top-rated titles for a visitor
    /// with neither; nothing watched is ever recommended. Ids that are not in
    /// this catalog are ignored.
    pub fn card(
        &self,
        selection: Option<&Selection>,
        watched: &[String],
        liked: &[String],
    ) -> Card {
        const SIMILAR: usize = 12;
        const FOR_LIKED: usize = 8;
        let indices = |ids: &[String]| -> Vec<usize> {
            let mut seen = HashSet::new();
            ids.iter()
                .filter_map(|id| self.index_of(id))
                .filter(|&i| seen.insert(i))
                .collect()
        };
        let watched: HashSet<usize> = indices(watched).into_iter().collect();
        let liked = indices(liked);
        let recommender = self.recommender();
        let selected = selection.and_then(|s| self.resolve(s)).map(|index| {
            let m = &self.data.catalog().movies()[index];
            Details {
                movie: self.brief(index),
                genres: m.genres.clone(),
                runtime: m.runtime,
                rating: m.rating,
                votes: m.votes,
                language: m.language.clone(),
                link: self.data.catalog().source.link(&m.id),
                similar: self.picks(recommender.similar_to(index, SIMILAR, &watched)),
            }
        });
        let for_liked = if liked.is_empty() {
            Vec::new()
        } else {
            let mut exclude = watched.clone();
            exclude.extend(liked.iter().copied());
            self.picks(recommender.for_profile(&liked, FOR_LIKED, &exclude))
        };
        let popular = if selected.is_none() && liked.is_empty() {
            self.picks(recommender.popular(FOR_LIKED, &watched))
        } else {
            Vec::new()
        };
        Card {
            selected,
            liked: liked
                .iter()
                .map(|&i| self.data.catalog().movies()[i].title.clone())
                .collect(),
            for_liked,
            popular,
        }
    }

    /// Up to `limit` titles matching `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.titles.search(query, limit, |i| self.brief(i))
    }

    /// Sizes, profiles and the sampled scatter of the catalog.
    pub fn overview(&self) -> Overview {
        self.overview_with_progress(&mut |_| {})
    }

    /// [`Session::overview`], reporting [`Stage::Describing`] with the share
    /// of clusters described.
    pub fn overview_with_progress(&self, progress: &mut dyn FnMut(Stage)) -> Overview {
        let data = &self.data;
        let n = data.catalog().len();
        let step = n.div_ceil(SCATTER_POINTS).max(1);
        let scatter = (0..n)
            .step_by(step)
            .map(|i| {
                let m = &data.catalog().movies()[i];
                ScatterPoint {
                    index: i,
                    cluster: data.cluster_of(i),
                    x: data.projection().get([i, 0]).copied().unwrap_or(0.0),
                    y: data.projection().get([i, 1]).copied().unwrap_or(0.0),
                    label: match m.year {
                        Some(y) => format!("{} ({y})", m.title),
                        None => m.title.clone(),
                    },
                }
            })
            .collect();
        Overview {
            titles: n,
            k: data.model().k(),
            profiles: (0..data.model().k())
                .map(|c| {
                    progress(Stage::Describing(c as f32 / data.model().k() as f32));
                    self.profile(c)
                })
                .collect(),
            scatter,
            step,
            explained: data.explained().iter().sum(),
            split: false,
        }
    }

    fn profile(&self, cluster: usize) -> ClusterProfile {
        describe_cluster(
            self.data.catalog().movies(),
            &self.members[cluster],
            self.data.distances(),
        )
    }

    /// The rows the elbow curve is fitted on: at most [`ELBOW_ROWS`] evenly
    /// spaced titles. The app fits the curve in a worker of its own, so that
    /// searches and selections never wait behind it.
    pub fn elbow_rows(&self) -> Array2<f32> {
        let matrix = &self.data.matrix();
        let step = matrix.nrows().div_ceil(ELBOW_ROWS).max(1);
        let picked: Vec<usize> = (0..matrix.nrows()).step_by(step).collect();
        matrix.select(ndarray::Axis(0), &picked)
    }

    /// The catalog with its clusters, as CSV.
    pub fn export_csv(&self) -> String {
        clustered_csv(&self.data)
    }

    /// The catalog with its clusters as CSV in the columns of `text`, the
    /// file it was read from (see [`clustered_file_csv`]).
    pub fn export_file_csv(&self, text: Vec<u8>) -> Result<String, CatalogError> {
        let text = match crate::catalog::json::is_json(&text) {
            true => crate::catalog::json::json_to_csv(&text)?,
            false => text,
        };
        clustered_file_csv(text, &self.data)
    }

    /// The fitted model, as JSON.
    pub fn export_model(&self) -> String {
        self.data.saved_model().to_json()
    }
}

/// The median (the mean of the two middle values for an even count),
/// without sorting everything.
/// One cluster described for the profiles table: its `members` (indices
/// of `movies`), each at `distances[i]` from the cluster's centroid.
pub(crate) fn describe_cluster(
    movies: &[Movie],
    members: &[u32],
    distances: &[f32],
) -> ClusterProfile {
    let mut genres: FastMap<&str, usize> = FastMap::default();
    for &i in members {
        for g in &movies[i as usize].genres {
            *genres.entry(g).or_insert(0) += 1;
        }
    }
    let mut top: Vec<(&str, usize)> = genres.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let size = members.len();
    let median = |f: &dyn Fn(usize) -> Option<f64>| {
        let v: Vec<f64> = members.iter().filter_map(|&i| f(i as usize)).collect();
        median(v)
    };
    let mut nearest: Vec<(f32, u32)> = members
        .iter()
        .map(|&i| (distances[i as usize], i))
        .collect();
    let by_distance = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    let shown = nearest.len().min(SAMPLES_PER_CLUSTER);
    if shown > 0 {
        nearest.select_nth_unstable_by(shown - 1, by_distance);
    }
    nearest.truncate(shown);
    nearest.sort_by(by_distance);
    ClusterProfile {
        size,
        top_genres: top
            .into_iter()
            .take(3)
            .map(|(g, n)| (g.to_string(), n as f64 / size.max(1) as f64))
            .collect(),
        median_year: median(&|i| movies[i].year.map(f64::from)),
        median_rating: median(&|i| movies[i].rating),
        closest: nearest
            .iter()
            .map(|&(_, i)| movies[i as usize].title.clone())
            .collect(),
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (_, &mut upper, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = v[..n / 2].iter().copied().max_by(f64::total_cmp)?;
    Some((lower + upper) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::features::FeatureSpec;
    use crate::kmeans::KMeansParams;

    fn tmdb() -> Session {
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/catalog.csv")).unwrap();
        let catalog = Catalog::parse(bytes.as_slice()).unwrap();
        let data = ClusteredCatalog::build(
            catalog,
            &FeatureSpec::default(),
            &KMeansParams::new(24).seed(42),
            &mut |_| {},
        )
        .unwrap();
        Session::new(data)
    }

    #[test]
    fn the_card_of_a_selection_recommends_from_its_cluster_and_hides_watched_titles() {
        let session = tmdb();
        let alien = session.search("alien", 1)[0].movie.clone();
        assert_eq!(alien.title, "Alien");
        let card = session.card(Some(&Selection::Index(alien.index)), &[], &[]);
        let details = card.selected.unwrap();
        assert_eq!(details.movie, alien);
        assert_eq!(details.similar.len(), 12);
        assert!(details
            .similar
            .iter()
            .all(|p| p.movie.cluster == alien.cluster));
        assert!(
            card.popular.is_empty(),
            "a selection replaces the cold-start list"
        );
        // Watching the first recommendation removes it; an unknown id is ignored.
        let first = details.similar[0].movie.id.clone();
        let card = session.card(
            Some(&Selection::Id(alien.id.clone())),
            &[first.clone(), "no such id".into()],
            &[],
        );
        let similar = card.selected.unwrap().similar;
        assert!(similar.iter().all(|p| p.movie.id != first));
        assert_eq!(similar[0].movie.id, details.similar[1].movie.id);
    }

    #[test]
    fn a_card_without_a_selection_lists_top_rated_or_recommends_for_likes() {
        let session = tmdb();
        let cold = session.card(None, &[], &[]);
        assert!(cold.selected.is_none());
        assert_eq!(cold.popular.len(), 8);
        assert!(cold.for_liked.is_empty());
        let ids: Vec<String> = ["Alien", "Aliens"]
            .iter()
            .map(|t| session.search(t, 1)[0].movie.id.clone())
            .collect();
        let warm = session.card(Some(&Selection::Id("missing".into())), &[], &ids);
        assert!(
            warm.selected.is_none(),
            "an id outside the catalog selects nothing"
        );
        assert_eq!(warm.liked, ["Alien", "Aliens"]);
        assert_eq!(warm.for_liked.len(), 8);
        assert!(warm.for_liked.iter().all(|p| !ids.contains(&p.movie.id)));
        assert!(warm.popular.is_empty());
    }

    #[test]
    fn median_matches_the_sorted_definition() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![5.0, 1.0, 9.0, 7.0, 3.0]), Some(5.0));
        let v: Vec<f64> = (0..101).map(|i| f64::from((i * 37) % 101)).collect();
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(median(v), Some(crate::features::quantile(&sorted, 0.5)));
    }

    #[test]
    fn lookups_by_id_find_every_id_and_nothing_else() {
        let csv = "id,title,year\nb,One,2000\na,Two,2001\nb,Three,2002\nc,Four,2003\n";
        let data = ClusteredCatalog::build(
            Catalog::parse(csv.as_bytes()).unwrap(),
            &FeatureSpec::default(),
            &KMeansParams::new(2),
            &mut |_| {},
        )
        .unwrap();
        let session = Session::new(data);
        // The catalog keeps the first of a repeated id (the second is a reported issue).
        assert_eq!(session.data().catalog().len(), 3);
        assert_eq!(session.resolve(&Selection::Id("b".into())), Some(0));
        assert_eq!(session.resolve(&Selection::Id("a".into())), Some(1));
        assert_eq!(session.resolve(&Selection::Id("c".into())), Some(2));
        assert_eq!(session.resolve(&Selection::Id("d".into())), None);
        assert_eq!(session.resolve(&Selection::Index(4)), None);
    }

    #[test]
    fn the_overview_describes_every_cluster_and_samples_the_scatter() {
        let session = tmdb();
        let overview = session.overview();
        assert_eq!(overview.titles, 4803);
        assert_eq!(overview.k, 24);
        let sizes: usize = overview.profiles.iter().map(|p| p.size).sum();
        assert_eq!(sizes, 4803);
        assert!(overview
            .profiles
            .iter()
            .all(|p| p.closest.len() == SAMPLES_PER_CLUSTER));
        assert_eq!(overview.step, 1);
        assert_eq!(overview.scatter.len(), 4803);
        let point = &overview.scatter[10];
        assert_eq!(point.cluster, session.data().cluster_of(10));
        assert!(point
            .label
            .starts_with(&session.data().catalog().movies()[10].title));
        assert!((0.0..=1.0).contains(&overview.explained));
    }

    #[test]
    fn elbow_rows_are_every_row_of_a_small_catalog_and_an_even_sample_of_a_large_one() {
        let session = tmdb();
        assert_eq!(session.elbow_rows(), session.data().matrix());
        let catalog = Catalog::parse(
            (0..ELBOW_ROWS + 10)
                .fold(String::from("title,year\n"), |mut s, i| {
                    s.push_str(&format!("t{i},{}\n", 1900 + i % 120));
                    s
                })
                .as_bytes(),
        )
        .unwrap();
        let data = ClusteredCatalog::build(
            catalog,
            &FeatureSpec::default(),
            &KMeansParams::new(3),
            &mut |_| {},
        )
        .unwrap();
        let rows = Session::new(data).elbow_rows();
        assert_eq!(rows.nrows(), (ELBOW_ROWS + 10).div_ceil(2));
    }
}
