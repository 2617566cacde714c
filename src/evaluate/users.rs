//! User clustering, the course recommender: users as vectors of what they
//! consume, clustered, and recommended what their cluster peers loved; and
//! the app's users view built on it.

use super::protocol::{evaluate, Scores};
use super::recommenders::EvalSettings;
use crate::catalog::Catalog;
use crate::interactions::{Interaction, Interactions, Strength};
use crate::kmeans::{KMeansModel, KMeansParams};
use crate::Error;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How users become vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserFeatures {
    /// Mean strength per category (genre); 0 where the user has none.
    CategoryMeans,
    /// 1 for each item the user interacted with.
    Binary,
}

/// Vectors of users from their interactions.
pub fn user_matrix(
    interactions: &Interactions,
    records: &[Interaction],
    catalog: &Catalog,
    features: UserFeatures,
) -> (Array2<f32>, Vec<String>) {
    let users = interactions.users.len();
    match features {
        UserFeatures::CategoryMeans => {
            let mut categories: Vec<String> = catalog
                .movies
                .iter()
                .flat_map(|m| m.genres.iter().cloned())
                .collect();
            categories.sort();
            categories.dedup();
            let index: HashMap<&str, usize> = categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.as_str(), i))
                .collect();
            let mut sum = Array2::<f32>::zeros((users, categories.len().max(1)));
            let mut count = Array2::<f32>::zeros((users, categories.len().max(1)));
            for r in records {
                for g in &catalog.movies[r.item as usize].genres {
                    if let Some(&c) = index.get(g.as_str()) {
                        sum[[r.user as usize, c]] += r.strength;
                        count[[r.user as usize, c]] += 1.0;
                    }
                }
            }
            let means =
                ndarray::Zip::from(&sum)
                    .and(&count)
                    .map_collect(|&s, &n| if n > 0.0 { s / n } else { 0.0 });
            (
                means,
                categories.into_iter().map(|c| format!("avg_{c}")).collect(),
            )
        }
        UserFeatures::Binary => {
            let mut items: Vec<u32> = records.iter().map(|r| r.item).collect();
            items.sort_unstable();
            items.dedup();
            let index: HashMap<u32, usize> =
                items.iter().enumerate().map(|(i, &it)| (it, i)).collect();
            let mut m = Array2::<f32>::zeros((users, items.len().max(1)));
            for r in records {
                m[[r.user as usize, index[&r.item]]] = 1.0;
            }
            (
                m,
                items
                    .iter()
                    .map(|&i| catalog.movies[i as usize].id.clone())
                    .collect(),
            )
        }
    }
}

/// Users clustered by what they consume, and what their peers engaged with.
#[derive(Debug, Clone)]
pub struct UserClusters {
    /// The k-means model over users (labels in user order).
    pub model: KMeansModel,
    /// Feature names (`avg_<category>` or item ids).
    pub feature_names: Vec<String>,
    /// Per cluster: items ranked by how many members engaged strongly (count, catalog index).
    pub peer_items: Vec<Vec<(usize, u32)>>,
    seen: Vec<HashSet<u32>>,
}

impl UserClusters {
    /// Clusters the users of `records` (k is capped at the number of users).
    pub fn fit(
        interactions: &Interactions,
        records: &[Interaction],
        catalog: &Catalog,
        features: UserFeatures,
        params: &KMeansParams,
    ) -> Result<UserClusters, Error> {
        let (matrix, feature_names) = user_matrix(interactions, records, catalog, features);
        let k = params.k().min(matrix.nrows()).max(1);
        let model = params.clone().k_value(k).fit(matrix.view())?;
        let mut peer_count: Vec<HashMap<u32, HashSet<u32>>> = vec![HashMap::new(); k];
        let mut seen = vec![HashSet::new(); interactions.users.len()];
        for r in records {
            seen[r.user as usize].insert(r.item);
            if interactions.is_relevant(r) {
                let c = model.labels()[r.user as usize] as usize;
                peer_count[c].entry(r.item).or_default().insert(r.user);
            }
        }
        let peer_items = peer_count
            .into_iter()
            .map(|m| {
                let mut v: Vec<(usize, u32)> = m
                    .into_iter()
                    .map(|(item, users)| (users.len(), item))
                    .collect();
                v.sort_by_key(|&(n, item)| (std::cmp::Reverse(n), item));
                v
            })
            .collect();
        Ok(UserClusters {
            model,
            feature_names,
            peer_items,
            seen,
        })
    }

    /// Up to `n` items the user's cluster peers engaged with strongly, most peers first, unseen only.
    pub fn recommend(&self, user: usize, n: usize) -> Vec<(u32, usize)> {
        let Some(&c) = self.model.labels().get(user) else {
            return Vec::new();
        };
        self.peer_items[c as usize]
            .iter()
            .filter(|(_, item)| !self.seen[user].contains(item))
            .take(n)
            .map(|&(count, item)| (item, count))
            .collect()
    }

    /// The cluster's favourite categories: its centroid's largest features (for category means).
    pub fn profile(&self, cluster: usize, top: usize) -> Vec<(String, f32)> {
        let Some(row) = self.model.centroids().rows().into_iter().nth(cluster) else {
            return Vec::new();
        };
        let mut v: Vec<(String, f32)> = self
            .feature_names
            .iter()
            .cloned()
            .zip(row.iter().copied())
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(top);
        v
    }
}

/// What the app's users view shows: user clusters, per-user recommendations, and the evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserReport {
    /// User ids.
    pub users: Vec<String>,
    /// Cluster of each user.
    pub labels: Vec<u32>,
    /// Per cluster: its favourite categories and their mean strength.
    pub profiles: Vec<Vec<(String, f32)>>,
    /// Per user: up to 10 recommended titles and how many peers engaged strongly.
    pub recommendations: Vec<Vec<(String, usize)>>,
    /// Per user: their own strongest interactions, up to [`HISTORY`] titles
    /// with their rating or progress, strongest first.
    pub history: Vec<Vec<(String, f32)>>,
    /// What the strengths are (ratings or progress), for the view's words.
    pub strength: Strength,
    /// Offline evaluation of every recommender (empty if it could not run).
    pub scores: Vec<Scores>,
    /// Notes for the user: rows left out, why evaluation was skipped.
    pub notes: Vec<String>,
}

/// Titles of a user's own history the users view shows.
pub const HISTORY: usize = 5;

/// Each user's strongest interactions: up to [`HISTORY`] titles, strongest
/// first, the newest first among equals (a title rated twice counts once,
/// at its last strength).
fn histories(interactions: &Interactions, catalog: &Catalog) -> Vec<Vec<(String, f32)>> {
    let mut per_user: Vec<Vec<&Interaction>> = vec![Vec::new(); interactions.users.len()];
    for r in &interactions.records {
        if let Some(list) = per_user.get_mut(r.user as usize) {
            list.retain(|old| old.item != r.item);
            list.push(r);
        }
    }
    per_user
        .into_iter()
        .map(|mut list| {
            list.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(b.time.cmp(&a.time)));
            list.iter()
                .take(HISTORY)
                .filter_map(|r| {
                    let movie = catalog.movies.get(r.item as usize)?;
                    Some((movie.title.clone(), r.strength))
                })
                .collect()
        })
        .collect()
}

/// Whether a table looks like interactions (it has a user column).
pub fn looks_like_interactions(headers: &[String]) -> bool {
    crate::interactions::find_column(headers, crate::interactions::USER_COLUMNS).is_some()
}

/// Builds the users view from two files in either order: interactions
/// (user, item, rating or progress) and the items they refer to. Users are
/// clustered with about one cluster per 10 users (2 to `settings.user_k`).
pub fn user_report(
    first: &[u8],
    second: &[u8],
    settings: &EvalSettings,
) -> Result<UserReport, String> {
    let headers = |b: &[u8]| {
        crate::table::Table::parse(b)
            .map(|t| t.headers)
            .map_err(|e| e.to_string())
    };
    let (interactions_bytes, items_bytes) = match (looks_like_interactions(&headers(first)?), looks_like_interactions(&headers(second)?)) {
        (true, false) => (first, second),
        (false, true) => (second, first),
        _ => return Err("choose one interactions file (with a user column such as userId or studentId) and one items file (with the titles)".into()),
    };
    let catalog = Catalog::parse(items_bytes).map_err(|e| format!("items file: {e}"))?;
    let interactions = Interactions::parse(interactions_bytes, &catalog, None)
        .map_err(|e| format!("interactions file: {e}"))?;
    let mut notes = Vec::new();
    if interactions.issues.total > 0 {
        notes.push(format!(
            "{} interactions left out: {}",
            interactions.issues.total,
            interactions.issues.summary()
        ));
    }
    // About one cluster per 10 users, 2 to `settings.user_k`: small cohorts need peers.
    let settings = &EvalSettings {
        user_k: (interactions.users.len() / 10).clamp(2, settings.user_k.max(2)),
        ..settings.clone()
    };
    let params = KMeansParams::new(settings.user_k)
        .seed(settings.seed)
        .n_init(3);
    let clusters = UserClusters::fit(
        &interactions,
        &interactions.records,
        &catalog,
        UserFeatures::CategoryMeans,
        &params,
    )
    .map_err(|e| e.to_string())?;
    let k = clusters.model.k();
    let scores = match evaluate(&catalog, &interactions, settings) {
        Ok(s) if s.first().is_some_and(|s| s.users > 0) => s,
        Ok(_) => {
            notes.push(
                "evaluation skipped: no user has a strong interaction among their newest 10%"
                    .into(),
            );
            Vec::new()
        }
        Err(e) => {
            notes.push(format!("evaluation skipped: {e}"));
            Vec::new()
        }
    };
    Ok(UserReport {
        recommendations: (0..interactions.users.len())
            .map(|u| {
                clusters
                    .recommend(u, 10)
                    .into_iter()
                    .map(|(item, peers)| (catalog.movies[item as usize].title.clone(), peers))
                    .collect()
            })
            .collect(),
        history: histories(&interactions, &catalog),
        strength: interactions.strength,
        profiles: (0..k).map(|c| clusters.profile(c, 3)).collect(),
        labels: clusters.model.labels().to_vec(),
        users: interactions.users,
        scores,
        notes,
    })
}
