//! Running the protocol: every recommender scored on one split
//! ([`evaluate`]), over several seeds ([`evaluate_seeds`]), and the users
//! view, which clusters users and scores the recommenders on the same data
//! ([`user_report`]).

use super::protocol::{metrics_at, split_newest, Metrics, Scores, Summary, CUTOFFS};
use super::recommenders::{ranked_lists, EvalSettings};
use super::users::{looks_like_interactions, UserClusters, UserFeatures};
use crate::catalog::Catalog;
use crate::error::Error;
use crate::interactions::{Interaction, Interactions, Strength};
use crate::kmeans::KMeansParams;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Runs the protocol for every recommender; the order of the result is the order of the table.
pub fn evaluate(
    catalog: &Catalog,
    interactions: &Interactions,
    settings: &EvalSettings,
) -> Result<Vec<Scores>, Error> {
    let split = split_newest(interactions);
    let mut relevant = vec![HashSet::new(); interactions.users.len()];
    for r in &split.test {
        if interactions.is_relevant(r) {
            relevant[r.user as usize].insert(r.item);
        }
    }
    let candidates: HashSet<u32> = split.train.iter().map(|r| r.item).collect();
    let scored: Vec<usize> = (0..relevant.len())
        .filter(|&u| !relevant[u].is_empty())
        .collect();
    let kmax = *CUTOFFS.iter().max().unwrap_or(&25);
    let lists = ranked_lists(catalog, interactions, &split, settings)?;
    Ok(lists
        .into_iter()
        .map(|(name, per_user)| {
            let mut sums = [Metrics::default(); CUTOFFS.len()];
            let mut covered: HashSet<u32> = HashSet::new();
            for &u in &scored {
                covered.extend(per_user[u].iter().take(kmax).copied());
                for (s, &k) in sums.iter_mut().zip(&CUTOFFS) {
                    *s = s.add(metrics_at(&per_user[u], &relevant[u], k));
                }
            }
            let count = scored.len().max(1) as f64;
            Scores {
                name,
                users: scored.len(),
                at: CUTOFFS
                    .iter()
                    .zip(&sums)
                    .map(|(&k, s)| (k, s.divided(count)))
                    .collect(),
                coverage: covered.len() as f64 / candidates.len().max(1) as f64,
            }
        })
        .collect())
}

/// Runs [`evaluate`] once per seed and summarises each recommender.
pub fn evaluate_seeds(
    catalog: &Catalog,
    interactions: &Interactions,
    settings: &EvalSettings,
    seeds: &[u64],
) -> Result<Vec<Summary>, Error> {
    let runs: Vec<Vec<Scores>> = seeds
        .iter()
        .map(|&seed| {
            evaluate(
                catalog,
                interactions,
                &EvalSettings {
                    seed,
                    ..settings.clone()
                },
            )
        })
        .collect::<Result<_, _>>()?;
    let Some(first) = runs.first() else {
        return Ok(Vec::new());
    };
    Ok(first
        .iter()
        .enumerate()
        .map(|(r, scores)| {
            let mut names = Vec::new();
            for &k in &CUTOFFS {
                for figure in ["ndcg", "precision", "recall", "mrr"] {
                    names.push((format!("{figure}@{k}"), k, figure));
                }
            }
            let value = |s: &Scores, k: usize, figure: &str| {
                let m = s.metrics(k).unwrap_or_default();
                match figure {
                    "ndcg" => m.ndcg,
                    "precision" => m.precision,
                    "recall" => m.recall,
                    _ => m.mrr,
                }
            };
            let stats = |values: Vec<f64>| {
                let n = values.len().max(1) as f64;
                let mean = values.iter().sum::<f64>() / n;
                let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                (mean, var.sqrt())
            };
            let mut figures: Vec<(String, f64, f64)> = names
                .into_iter()
                .map(|(name, k, figure)| {
                    let (mean, sd) =
                        stats(runs.iter().map(|run| value(&run[r], k, figure)).collect());
                    (name, mean, sd)
                })
                .collect();
            let (mean, sd) = stats(runs.iter().map(|run| run[r].coverage).collect());
            figures.push(("coverage".into(), mean, sd));
            Summary {
                name: scores.name.clone(),
                users: scores.users,
                seeds: runs.len(),
                figures,
            }
        })
        .collect())
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
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
pub const HISTORY: usize = 5;

/// Each user's strongest interactions: up to [`HISTORY`] titles, strongest
/// first, the newest first among equals (a title rated twice counts once,
/// at its last strength).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
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
                    let movie = catalog.movies().get(r.item as usize)?;
                    Some((movie.title.clone(), r.strength))
                })
                .collect()
        })
        .collect()
}

/// Builds the users view from two files in either order: interactions
/// (user, item, rating or progress) and the items they refer to. Users are
/// clustered with about one cluster per 10 users (2 to `settings.user_k`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by the web worker
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
                    .map(|(item, peers)| (catalog.movies()[item as usize].title.clone(), peers))
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
