//! Recommendations: the nearest titles inside the selected movie's cluster,
//! a "because you liked" profile, and a weighted-rating list for cold starts.
//!
//! Inside a cluster titles are ordered by [`Ranking`]: nearest first, or
//! nearest with well-known titles pulled forward. The default is what the
//! offline evaluation measured best (docs/taste-and-evaluation.md).

use crate::catalog::Movie;
use crate::clustered::ClusteredCatalog;
use crate::kmeans::{nearest, squared_distance};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashSet;

/// One recommended title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Index in the catalog.
    pub index: usize,
    /// Euclidean distance in feature space to the query (0 for cold-start lists).
    pub distance: f32,
    /// Why, for example "Shares Action, Thriller · 2 years apart · rated 7.1".
    pub reason: Why,
}

/// How the titles of a cluster are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Ranking {
    /// Nearest in feature space first.
    Nearest,
    /// Squared distance × `exp(-popularity × share)`, where `share` is the
    /// title's vote share `ln(1 + votes) / ln(1 + most votes in the
    /// cluster)` (0 without votes): among titles about as near, the ones
    /// more people saw come first. A product, so the order does not change
    /// when every feature is scaled alike.
    Blend {
        /// How strongly a full vote share shrinks the distance (`e^-p`).
        popularity: f32,
    },
}

impl Ranking {
    /// The ranking the evaluation measured best on ml-latest-small (docs/benchmarks.md).
    pub const DEFAULT: Ranking = Ranking::Blend { popularity: 2.0 };
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking::DEFAULT
    }
}

/// Queries over a [`ClusteredCatalog`]; cheap to build, borrows the data.
pub struct Recommender<'a> {
    data: &'a ClusteredCatalog,
    members: Cow<'a, [Vec<u32>]>,
    ranking: Ranking,
}

/// The movies of each cluster, in catalog order.
pub fn cluster_members(data: &ClusteredCatalog) -> Vec<Vec<u32>> {
    let mut members = vec![Vec::new(); data.model().k()];
    for (i, &l) in data.model().labels().iter().enumerate() {
        members[l as usize].push(i as u32);
    }
    members
}

impl<'a> Recommender<'a> {
    /// Indexes cluster membership.
    pub fn new(data: &'a ClusteredCatalog) -> Recommender<'a> {
        Recommender {
            data,
            members: Cow::Owned(cluster_members(data)),
            ranking: Ranking::DEFAULT,
        }
    }

    /// Orders cluster members by `ranking` instead of [`Ranking::DEFAULT`].
    pub fn ranking(mut self, ranking: Ranking) -> Recommender<'a> {
        self.ranking = ranking;
        self
    }

    /// Uses membership computed once by [`cluster_members`] (the app keeps it per catalog).
    pub fn with_members(data: &'a ClusteredCatalog, members: &'a [Vec<u32>]) -> Recommender<'a> {
        Recommender {
            data,
            members: Cow::Borrowed(members),
            ranking: Ranking::DEFAULT,
        }
    }

    /// Movies in cluster `c`, in catalog order.
    pub fn members(&self, cluster: usize) -> &[u32] {
        self.members.get(cluster).map_or(&[], Vec::as_slice)
    }

    /// The `n` titles nearest to movie `index` inside its cluster, nearest
    /// first (lower catalog index first on equal distance), never the movie
    /// itself nor anything in `exclude`.
    pub fn similar_to(
        &self,
        index: usize,
        n: usize,
        exclude: &HashSet<usize>,
    ) -> Vec<Recommendation> {
        if index >= self.data.catalog().len() {
            return Vec::new();
        }
        let query = self.data.row(index).to_vec();
        let cluster = self.data.cluster_of(index);
        let skip = |i: usize| i == index || exclude.contains(&i);
        self.nearest_in(cluster, &query, n, skip, &[index])
    }

    /// Titles for a set of liked movies: the nearest to their mean feature
    /// vector, inside the cluster nearest to that mean.
    pub fn for_profile(
        &self,
        liked: &[usize],
        n: usize,
        exclude: &HashSet<usize>,
    ) -> Vec<Recommendation> {
        let liked: Vec<usize> = liked
            .iter()
            .copied()
            .filter(|&i| i < self.data.catalog().len())
            .collect();
        if liked.is_empty() {
            return Vec::new();
        }
        let d = self.data.matrix().ncols();
        let mut mean = vec![0.0f32; d];
        for &i in &liked {
            for (m, x) in mean.iter_mut().zip(self.data.row(i)) {
                *m += x / liked.len() as f32;
            }
        }
        let cluster = self
            .data
            .model()
            .centroids()
            .as_slice()
            .map_or(0, |c| nearest(&mean, c, d).0);
        let liked_set: HashSet<usize> = liked.iter().copied().collect();
        let skip = |i: usize| liked_set.contains(&i) || exclude.contains(&i);
        self.nearest_in(cluster, &mean, n, skip, &liked)
    }

    fn nearest_in(
        &self,
        cluster: usize,
        query: &[f32],
        n: usize,
        skip: impl Fn(usize) -> bool,
        reference: &[usize],
    ) -> Vec<Recommendation> {
        let movies = self.data.catalog().movies();
        let members = self.members(cluster);
        let log_votes = |i: u32| movies[i as usize].votes.map_or(0.0, |v| v.max(0.0).ln_1p());
        let weight = match self.ranking {
            Ranking::Nearest => 0.0,
            Ranking::Blend { popularity } => {
                let most = members.iter().map(|&i| log_votes(i)).fold(0.0, f64::max);
                if most > 0.0 {
                    f64::from(popularity) / most
                } else {
                    0.0
                }
            }
        };
        // (score, squared distance, index)
        let mut scored: Vec<(f32, f32, u32)> = members
            .iter()
            .filter(|&&i| !skip(i as usize))
            .map(|&i| {
                let d = squared_distance(self.data.row(i as usize), query);
                let score = if weight > 0.0 {
                    d * (-weight * log_votes(i)).exp() as f32
                } else {
                    d
                };
                (score, d, i)
            })
            .collect();
        let n = n.min(scored.len());
        if n == 0 {
            return Vec::new();
        }
        let by_score =
            |a: &(f32, f32, u32), b: &(f32, f32, u32)| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2));
        scored.select_nth_unstable_by(n - 1, by_score);
        scored.truncate(n);
        scored.sort_by(by_score);
        scored
            .into_iter()
            .map(|(_, d, i)| Recommendation {
                index: i as usize,
                distance: d.sqrt(),
                reason: reason(&movies[i as usize], reference.iter().map(|&r| &movies[r])),
            })
            .collect()
    }

    /// The `n` best titles by weighted rating (for a user with no history).
    pub fn popular(&self, n: usize, exclude: &HashSet<usize>) -> Vec<Recommendation> {
        top_rated(self.data.catalog().movies(), self.data.pipeline(), n, |i| {
            exclude.contains(&i)
        })
    }
}

/// Only factors learnt from a title's own audience make a reason; borrowed
/// ones (see [`crate::taste`]) say nothing about who watched it.
fn learnt_taste(movie: &Movie) -> bool {
    !movie.taste.is_empty() && !movie.taste_borrowed
}

/// Cosine similarity of two titles' learnt taste factors at which a reason
/// says they are "liked by the same viewers".
pub const SAME_VIEWERS: f32 = 0.5;

/// Why a title is recommended, as data; its words are its `Display`
/// ("Liked by the same viewers as Alien · Shares Horror, Action · 7 years
/// apart · rated 7.7").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Why {
    /// Near the selected or liked titles, in the same cluster.
    Near {
        /// A title it is liked by the same viewers as (learnt taste factors
        /// at a cosine of [`SAME_VIEWERS`] or more).
        same_viewers_as: Option<String>,
        /// Up to three genres it shares with them.
        genres: Vec<String>,
        /// How its year relates to theirs.
        era: Option<Era>,
        /// Its rating.
        rating: Option<f64>,
    },
    /// Among the best by weighted rating.
    TopRated(f64),
    /// Among the best of a catalog without ratings.
    Popular,
}

/// How a recommended title's year relates to the one it is near.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Era {
    /// This many years apart from the one selected title.
    Apart(i32),
    /// Its own year (when it is near several titles).
    From(i32),
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (same_viewers_as, genres, era, rating) = match self {
            Why::TopRated(wr) => return write!(f, "Top rated: weighted rating {wr:.2}"),
            Why::Popular => return f.write_str("Popular in this catalog"),
            Why::Near {
                same_viewers_as,
                genres,
                era,
                rating,
            } => (same_viewers_as, genres, era, rating),
        };
        let mut parts = Vec::new();
        if let Some(title) = same_viewers_as {
            parts.push(format!("liked by the same viewers as {title}"));
        }
        if !genres.is_empty() {
            parts.push(format!("Shares {}", genres.join(", ")));
        }
        match era {
            Some(Era::Apart(0)) => parts.push("same year".into()),
            Some(Era::Apart(1)) => parts.push("1 year apart".into()),
            Some(Era::Apart(gap)) => parts.push(format!("{gap} years apart")),
            Some(Era::From(year)) => parts.push(format!("from {year}")),
            None => {}
        }
        if let Some(rating) = rating {
            parts.push(format!("rated {rating:.1}"));
        }
        if parts.is_empty() {
            return f.write_str("Closest in the same cluster");
        }
        let line = parts.join(" · ");
        let mut chars = line.chars();
        match chars.next() {
            Some(first) => write!(f, "{}{}", first.to_uppercase(), chars.as_str()),
            None => Ok(()),
        }
    }
}

/// Why `movie` is near `references`: the same audience, shared genres, the
/// year gap and the rating.
fn reason<'m>(movie: &Movie, references: impl Iterator<Item = &'m Movie>) -> Why {
    let references: Vec<&Movie> = references.collect();
    let same_viewers_as = learnt_taste(movie)
        .then(|| {
            references
                .iter()
                .filter(|r| learnt_taste(r) && r.taste.len() == movie.taste.len())
                .map(|r| {
                    let cosine: f32 = r.taste.iter().zip(&movie.taste).map(|(a, b)| a * b).sum();
                    (cosine, *r)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(cosine, _)| *cosine >= SAME_VIEWERS)
                .map(|(_, r)| r.title.clone())
        })
        .flatten();
    let genres = movie
        .genres
        .iter()
        .filter(|g| references.iter().any(|r| r.genres.contains(g)))
        .take(3)
        .cloned()
        .collect();
    let era = match (movie.year, references.as_slice()) {
        (Some(y), [r]) => r.year.map(|ry| Era::Apart((y - ry).abs())),
        (Some(y), _) => Some(Era::From(y)),
        (None, _) => None,
    };
    Why::Near {
        same_viewers_as,
        genres,
        era,
        rating: movie.rating,
    }
}

/// The `n` best of `movies` by weighted rating under `pipeline` (titles
/// without one last; ties: the lower index), skipping those `excluded`:
/// a whole catalog's top-rated titles, and a split catalog's title list's.
pub(crate) fn top_rated(
    movies: &[Movie],
    pipeline: &crate::features::FeaturePipeline,
    n: usize,
    excluded: impl Fn(usize) -> bool,
) -> Vec<Recommendation> {
    let mut ranked: Vec<(f64, usize)> = movies
        .iter()
        .enumerate()
        .filter(|(i, _)| !excluded(*i))
        .map(|(i, m)| (pipeline.weighted_rating(m).unwrap_or(f64::NEG_INFINITY), i))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(n)
        .map(|(wr, i)| Recommendation {
            index: i,
            distance: 0.0,
            reason: if wr.is_finite() {
                Why::TopRated(wr)
            } else {
                Why::Popular
            },
        })
        .collect()
}
