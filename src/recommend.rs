//! Recommendations: the nearest titles inside the selected movie's cluster,
//! a "because you liked" profile, and a weighted-rating list for cold starts.

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
    /// One line saying why, for example "Shares Action, Thriller · 2 years apart · rated 7.1".
    pub reason: String,
}

/// Queries over a [`ClusteredCatalog`]; cheap to build, borrows the data.
pub struct Recommender<'a> {
    data: &'a ClusteredCatalog,
    members: Cow<'a, [Vec<u32>]>,
}

/// The movies of each cluster, in catalog order.
pub fn cluster_members(data: &ClusteredCatalog) -> Vec<Vec<u32>> {
    let mut members = vec![Vec::new(); data.model.k()];
    for (i, &l) in data.model.labels().iter().enumerate() {
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
        }
    }

    /// Uses membership computed once by [`cluster_members`] (the app keeps it per catalog).
    pub fn with_members(data: &'a ClusteredCatalog, members: &'a [Vec<u32>]) -> Recommender<'a> {
        Recommender {
            data,
            members: Cow::Borrowed(members),
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
        if index >= self.data.catalog.len() {
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
            .filter(|&i| i < self.data.catalog.len())
            .collect();
        if liked.is_empty() {
            return Vec::new();
        }
        let d = self.data.matrix.ncols();
        let mut mean = vec![0.0f32; d];
        for &i in &liked {
            for (m, x) in mean.iter_mut().zip(self.data.row(i)) {
                *m += x / liked.len() as f32;
            }
        }
        let cluster = self
            .data
            .model
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
        let mut scored: Vec<(f32, u32)> = self
            .members(cluster)
            .iter()
            .filter(|&&i| !skip(i as usize))
            .map(|&i| (squared_distance(self.data.row(i as usize), query), i))
            .collect();
        let n = n.min(scored.len());
        if n == 0 {
            return Vec::new();
        }
        let by_distance = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        scored.select_nth_unstable_by(n - 1, by_distance);
        scored.truncate(n);
        scored.sort_by(by_distance);
        let movies = &self.data.catalog.movies;
        scored
            .into_iter()
            .map(|(d, i)| Recommendation {
                index: i as usize,
                distance: d.sqrt(),
                reason: reason(&movies[i as usize], reference.iter().map(|&r| &movies[r])),
            })
            .collect()
    }

    /// The `n` best titles by weighted rating (for a user with no history).
    pub fn popular(&self, n: usize, exclude: &HashSet<usize>) -> Vec<Recommendation> {
        let movies = &self.data.catalog.movies;
        let mut ranked: Vec<(f64, usize)> = movies
            .iter()
            .enumerate()
            .filter(|(i, _)| !exclude.contains(i))
            .map(|(i, m)| {
                (
                    self.data
                        .pipeline
                        .weighted_rating(m)
                        .unwrap_or(f64::NEG_INFINITY),
                    i,
                )
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .take(n)
            .map(|(wr, i)| Recommendation {
                index: i,
                distance: 0.0,
                reason: if wr.is_finite() {
                    format!("Top rated: weighted rating {wr:.2}")
                } else {
                    "Popular in this catalog".into()
                },
            })
            .collect()
    }
}

/// A one-line reason: shared genres, the year gap and the rating.
fn reason<'m>(movie: &Movie, references: impl Iterator<Item = &'m Movie>) -> String {
    let references: Vec<&Movie> = references.collect();
    let mut parts = Vec::new();
    let shared: Vec<&str> = movie
        .genres
        .iter()
        .filter(|g| references.iter().any(|r| r.genres.contains(g)))
        .map(String::as_str)
        .take(3)
        .collect();
    if !shared.is_empty() {
        parts.push(format!("Shares {}", shared.join(", ")));
    }
    if let (Some(y), [r]) = (movie.year, references.as_slice()) {
        if let Some(ry) = r.year {
            parts.push(match (y - ry).abs() {
                0 => "same year".to_string(),
                1 => "1 year apart".to_string(),
                gap => format!("{gap} years apart"),
            });
        }
    } else if let Some(y) = movie.year {
        parts.push(format!("from {y}"));
    }
    if let Some(rating) = movie.rating {
        parts.push(format!("rated {rating:.1}"));
    }
    if parts.is_empty() {
        "Closest in the same cluster".into()
    } else {
        let mut line = parts.join(" · ");
        if let Some(first) = line.get(..1) {
            line = first.to_uppercase() + &line[1..];
        }
        line
    }
}
