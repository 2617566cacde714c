//! "For you": the whole catalog ranked for a [`Profile`], titles already
//! seen left out; the watchlist ranked the same way; the filters both lists
//! (and the similar titles) obey; the list as a CSV for Letterboxd.
//!
//! A title's score blends four things, each on a 0–1-ish scale:
//! - **taste**: the cosine between its taste factors and the person's taste
//!   vector (the weighted sum of the factors of what they rated, liked and
//!   watched; dislikes subtract): who-watched-what, learnt from MovieLens;
//! - **features**: the same cosine on the clustered feature rows (genres,
//!   era, language, rating…, centred on the catalog's mean), so a catalog
//!   without taste factors still ranks;
//! - **cluster**: the share of the person's positive weight that falls in
//!   the title's cluster (the clusters their favourites fall in);
//! - **popularity**: log votes over the catalog's largest, a small prior
//!   that keeps obscure near-duplicates from the top.
//!
//! The weights ([`BLEND`]) were chosen with `reelmeans evaluate`'s personal
//! rows (each user's newest 20% held out; see docs/taste-and-evaluation.md).

use super::{Profile, Shelf};
use crate::catalog::{Movie, Source};
use crate::clustered::ClusteredCatalog;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How the four signals are weighed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blend {
    /// Taste factors' cosine.
    pub taste: f32,
    /// Feature rows' cosine.
    pub features: f32,
    /// Share of the profile in the title's cluster.
    pub cluster: f32,
    /// Log votes, scaled to the catalog's largest.
    pub popularity: f32,
}

/// The weights in use.
pub const BLEND: Blend = Blend {
    taste: 1.0,
    features: 0.3,
    cluster: 0.5,
    popularity: 0.3,
};

/// What a person leaves out of a list: genres, years, length, rating.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    /// Titles with any of these genres are left out.
    pub exclude_genres: Vec<String>,
    /// When not empty, only titles with one of these genres.
    pub only_genres: Vec<String>,
    /// Earliest year (titles without a year are left out when set).
    pub from_year: Option<i32>,
    /// Latest year.
    pub to_year: Option<i32>,
    /// Longest running time, minutes (titles without one are kept).
    pub max_runtime: Option<f64>,
    /// Lowest rating on the catalog's scale (titles without one are left out when set).
    pub min_rating: Option<f64>,
}

impl Filters {
    /// Whether the filters leave anything out.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Whether `movie` passes.
    pub fn allows(&self, movie: &Movie) -> bool {
        let has = |list: &[String]| {
            movie
                .genres
                .iter()
                .any(|g| list.iter().any(|l| l.eq_ignore_ascii_case(g)))
        };
        if has(&self.exclude_genres) {
            return false;
        }
        if !self.only_genres.is_empty() && !has(&self.only_genres) {
            return false;
        }
        if self.from_year.is_some() || self.to_year.is_some() {
            let Some(year) = movie.year else {
                return false;
            };
            if self.from_year.is_some_and(|f| year < f) || self.to_year.is_some_and(|t| year > t) {
                return false;
            }
        }
        if let (Some(max), Some(runtime)) = (self.max_runtime, movie.runtime) {
            if runtime > max {
                return false;
            }
        }
        if let Some(min) = self.min_rating {
            if movie.rating.is_none_or(|r| r < min) {
                return false;
            }
        }
        true
    }
}

/// Why a title is suggested to this person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Because {
    /// The one or two titles of theirs it is nearest to.
    pub titles: Vec<String>,
    /// How they showed they liked those.
    pub how: Shelf,
    /// Genres it shares with them (up to three).
    pub genres: Vec<String>,
}

impl std::fmt::Display for Because {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let titles = match self.titles.as_slice() {
            [] => return f.write_str("Close to what you watch"),
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} and {}", rest.join(" and ")),
        };
        match self.how {
            Shelf::Rated => write!(f, "Because you rated {titles} highly")?,
            Shelf::Liked => write!(f, "Because you liked {titles}")?,
            Shelf::Watched | Shelf::Watchlist => write!(f, "Because you watched {titles}")?,
        }
        if !self.genres.is_empty() {
            write!(f, " · {}", self.genres.join(", "))?;
        }
        Ok(())
    }
}

/// A title suggested, with its score and reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Catalog index.
    pub index: usize,
    /// Its blended score (higher first).
    pub score: f32,
    /// Why.
    pub reason: Because,
}

/// The person's taste as vectors, ready to score any title.
struct Scorer<'a> {
    data: &'a ClusteredCatalog,
    profile: &'a Profile,
    blend: Blend,
    taste: Vec<f32>,
    features: Vec<f32>,
    mean: Vec<f32>,
    cluster_share: Vec<f32>,
    most_votes: f64,
}

fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl<'a> Scorer<'a> {
    fn new(data: &'a ClusteredCatalog, profile: &'a Profile, blend: Blend) -> Scorer<'a> {
        let movies = data.catalog().movies();
        let matrix = data.matrix();
        let (n, d) = matrix.dim();
        let mut mean = vec![0.0f32; d];
        for row in matrix.rows() {
            for (m, x) in mean.iter_mut().zip(row) {
                *m += x;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n.max(1) as f32);
        let dims = movies.iter().map(|m| m.taste.len()).max().unwrap_or(0);
        let mut taste = vec![0.0f32; dims];
        let mut features = vec![0.0f32; d];
        let k = data.model().k();
        let mut cluster_share = vec![0.0f32; k];
        let mut positive = 0.0f32;
        for &(i, w) in &profile.weights {
            let m = &movies[i];
            if m.taste.len() == dims {
                for (t, x) in taste.iter_mut().zip(&m.taste) {
                    *t += w * x;
                }
            }
            for ((f, x), mu) in features.iter_mut().zip(data.row(i)).zip(&mean) {
                *f += w * (x - mu);
            }
            if w > 0.0 {
                cluster_share[data.cluster_of(i)] += w;
                positive += w;
            }
        }
        if positive > 0.0 {
            cluster_share.iter_mut().for_each(|s| *s /= positive);
        }
        let most_votes = movies
            .iter()
            .filter_map(|m| m.votes)
            .fold(0.0f64, |a, v| a.max(v.max(0.0).ln_1p()));
        Scorer {
            data,
            profile,
            blend,
            taste: normalised(taste),
            features: normalised(features),
            mean,
            cluster_share,
            most_votes,
        }
    }

    fn centred(&self, i: usize) -> Vec<f32> {
        normalised(
            self.data
                .row(i)
                .iter()
                .zip(&self.mean)
                .map(|(x, m)| x - m)
                .collect(),
        )
    }

    fn score(&self, i: usize) -> f32 {
        let m = &self.data.catalog().movies()[i];
        let b = self.blend;
        let mut score = 0.0;
        if m.taste.len() == self.taste.len() && !self.taste.is_empty() {
            score += b.taste * dot(&m.taste, &self.taste);
        }
        score += b.features * dot(&self.centred(i), &self.features);
        score += b.cluster * self.cluster_share[self.data.cluster_of(i)];
        if self.most_votes > 0.0 {
            let votes = m.votes.map_or(0.0, |v| v.max(0.0).ln_1p());
            score += b.popularity * (votes / self.most_votes) as f32;
        }
        score
    }

    /// The one or two titles of the person's that `i` is nearest to, by
    /// their weight times similarity (taste where both have it).
    fn reason(&self, i: usize) -> Because {
        let movies = self.data.catalog().movies();
        let m = &movies[i];
        let row = self.centred(i);
        let mut anchors: Vec<(f32, usize)> = self
            .profile
            .weights
            .iter()
            .filter(|&&(_, w)| w > 0.0)
            .map(|&(j, w)| {
                let other = &movies[j];
                let similarity = if !m.taste.is_empty() && other.taste.len() == m.taste.len() {
                    dot(&m.taste, &other.taste)
                } else {
                    dot(&row, &self.centred(j))
                };
                (w * similarity, j)
            })
            .filter(|(s, _)| *s > 0.0)
            .collect();
        anchors.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        anchors.truncate(2);
        let how = anchors
            .first()
            .and_then(|(_, j)| self.profile.how.get(j).copied())
            .unwrap_or(Shelf::Watched);
        // The second anchor joins only when it was shown the same way.
        anchors.retain(|(_, j)| self.profile.how.get(j) == Some(&how));
        let genres = m
            .genres
            .iter()
            .filter(|g| anchors.iter().any(|(_, j)| movies[*j].genres.contains(g)))
            .take(3)
            .cloned()
            .collect();
        Because {
            titles: anchors
                .iter()
                .map(|(_, j)| movies[*j].title.clone())
                .collect(),
            how,
            genres,
        }
    }
}

/// The `n` best titles of the whole catalog for `profile`, best first:
/// none seen, none on the watchlist, none `excluded` (not interested),
/// all passing `filters`. Empty when the profile holds no taste.
pub fn for_you(
    data: &ClusteredCatalog,
    profile: &Profile,
    filters: &Filters,
    excluded: &HashSet<usize>,
    n: usize,
) -> Vec<Suggestion> {
    for_you_with(data, profile, filters, excluded, n, BLEND)
}

pub(crate) fn for_you_with(
    data: &ClusteredCatalog,
    profile: &Profile,
    filters: &Filters,
    excluded: &HashSet<usize>,
    n: usize,
    blend: Blend,
) -> Vec<Suggestion> {
    if profile.is_empty() {
        return Vec::new();
    }
    let listed: HashSet<usize> = profile.watchlist.iter().copied().collect();
    let movies = data.catalog().movies();
    let candidates = (0..movies.len()).filter(|i| {
        !profile.seen.contains(i)
            && !listed.contains(i)
            && !excluded.contains(i)
            && filters.allows(&movies[*i])
    });
    ranked(data, profile, candidates, n, blend)
}

/// The watchlist ranked by the same profile ("watch first"), filtered.
pub fn watchlist_first(
    data: &ClusteredCatalog,
    profile: &Profile,
    filters: &Filters,
    excluded: &HashSet<usize>,
) -> Vec<Suggestion> {
    let movies = data.catalog().movies();
    let candidates = profile
        .watchlist
        .iter()
        .copied()
        .filter(|i| !excluded.contains(i) && filters.allows(&movies[*i]));
    ranked(data, profile, candidates, usize::MAX, BLEND)
}

fn ranked(
    data: &ClusteredCatalog,
    profile: &Profile,
    candidates: impl Iterator<Item = usize>,
    n: usize,
    blend: Blend,
) -> Vec<Suggestion> {
    let scorer = Scorer::new(data, profile, blend);
    let mut scored: Vec<(f32, usize)> = candidates.map(|i| (scorer.score(i), i)).collect();
    let by = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let n = n.min(scored.len());
    if n == 0 {
        return Vec::new();
    }
    if n < scored.len() {
        scored.select_nth_unstable_by(n - 1, by);
        scored.truncate(n);
    }
    scored.sort_by(by);
    scored
        .into_iter()
        .map(|(score, index)| Suggestion {
            index,
            score,
            reason: scorer.reason(index),
        })
        .collect()
}

/// Titles as a CSV Letterboxd's list importer reads: `Title,Year`, with
/// `tmdbID` and `imdbID` where the catalog knows them.
pub fn letterboxd_csv(data: &ClusteredCatalog, indices: &[usize]) -> String {
    let catalog = data.catalog();
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec<u8> cannot fail.
    let _ = out.write_record(["Title", "Year", "tmdbID", "imdbID"]);
    for &i in indices {
        let m = &catalog.movies()[i];
        let tmdb = if catalog.source == Source::Tmdb {
            m.id.as_str()
        } else {
            ""
        };
        let imdb = m.imdb.as_deref().unwrap_or(if m.id.starts_with("tt") {
            m.id.as_str()
        } else {
            ""
        });
        let year = m.year.map(|y| y.to_string()).unwrap_or_default();
        let _ = out.write_record([
            crate::export::neutralise_formula(&m.title).as_str(),
            year.as_str(),
            tmdb,
            imdb,
        ]);
    }
    crate::export::finish(out)
}
