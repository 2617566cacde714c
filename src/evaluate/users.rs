//! User clustering, the course recommender: users as vectors of what they
//! consume, clustered, and recommended what their cluster peers loved; and
//! the app's users view built on it.

use crate::catalog::Catalog;
use crate::error::Error;
use crate::interactions::{Interaction, Interactions};
use crate::kmeans::{KMeansModel, KMeansParams};
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
                .movies()
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
                for g in &catalog.movies()[r.item as usize].genres {
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
                    .map(|&i| catalog.movies()[i as usize].id.clone())
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

/// Whether a table looks like interactions (it has a user column).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
pub fn looks_like_interactions(headers: &[String]) -> bool {
    crate::interactions::find_column(headers, crate::interactions::USER_COLUMNS).is_some()
}
