//! The held-out protocol and its metrics: the split, precision, recall,
//! NDCG, MRR and coverage, and summaries over seeds.

use crate::catalog::Catalog;
use crate::interactions::{Interaction, Interactions};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The cut-offs every metric is reported at.
pub const CUTOFFS: [usize; 3] = [5, 10, 25];

/// Interactions split per user into kept (training) and held-out parts.
#[derive(Debug, Clone)]
pub struct Split {
    /// Kept interactions.
    pub train: Vec<Interaction>,
    /// Held-out interactions.
    pub test: Vec<Interaction>,
}

/// Holds out, per user, the newest 10% of interactions (at least one).
/// Ties in time keep file order; the held-out part is the last ⌈10%⌉.
pub fn split_newest(interactions: &Interactions) -> Split {
    let mut by_user: Vec<Vec<(usize, Interaction)>> = vec![Vec::new(); interactions.users.len()];
    for (order, r) in interactions.records.iter().enumerate() {
        by_user[r.user as usize].push((order, *r));
    }
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for mut list in by_user {
        list.sort_by_key(|(order, r)| (r.time, *order));
        let hold = list.len().div_ceil(10).max(1).min(list.len());
        let cut = list.len() - hold;
        train.extend(list[..cut].iter().map(|(_, r)| *r));
        test.extend(list[cut..].iter().map(|(_, r)| *r));
    }
    Split { train, test }
}

/// The protocol's kept interactions as CSV, `userId,movieId,rating,timestamp`,
/// with `movieId` the catalog's own id (no links needed) and `rating` the
/// strength (a rating or a progress): what a catalog prepared elsewhere
/// (the Spark job) may learn its taste from, so that a recommender it
/// feeds can be evaluated without the held-out part leaking into it.
pub fn kept_csv(catalog: &Catalog, interactions: &Interactions) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec<u8> cannot fail.
    let _ = out.write_record(["userId", "movieId", "rating", "timestamp"]);
    for r in split_newest(interactions).train {
        let _ = out.write_record([
            interactions.users[r.user as usize].as_str(),
            catalog.movies()[r.item as usize].id.as_str(),
            &r.strength.to_string(),
            &r.time.to_string(),
        ]);
    }
    crate::export::finish(out)
}

/// Precision, recall, NDCG and MRR at one cut-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Hits / K.
    pub precision: f64,
    /// Hits / relevant items.
    pub recall: f64,
    /// Discounted cumulative gain over the ideal one.
    pub ndcg: f64,
    /// 1 / rank of the first hit (0 without one).
    pub mrr: f64,
}

impl Metrics {
    pub(super) fn add(self, o: Metrics) -> Metrics {
        Metrics {
            precision: self.precision + o.precision,
            recall: self.recall + o.recall,
            ndcg: self.ndcg + o.ndcg,
            mrr: self.mrr + o.mrr,
        }
    }

    pub(super) fn divided(self, n: f64) -> Metrics {
        Metrics {
            precision: self.precision / n,
            recall: self.recall / n,
            ndcg: self.ndcg / n,
            mrr: self.mrr / n,
        }
    }
}

/// Precision, recall, NDCG and MRR of one ranked list at cut-off `k` (binary relevance).
pub fn metrics_at(ranked: &[u32], relevant: &HashSet<u32>, k: usize) -> Metrics {
    if relevant.is_empty() || k == 0 {
        return Metrics::default();
    }
    let top = &ranked[..ranked.len().min(k)];
    let mut hits = 0usize;
    let mut dcg = 0.0;
    let mut mrr = 0.0;
    for (rank, item) in top.iter().enumerate() {
        if relevant.contains(item) {
            hits += 1;
            dcg += 1.0 / ((rank + 2) as f64).log2();
            if mrr == 0.0 {
                mrr = 1.0 / (rank + 1) as f64;
            }
        }
    }
    let ideal: f64 = (0..relevant.len().min(k))
        .map(|r| 1.0 / ((r + 2) as f64).log2())
        .sum();
    Metrics {
        precision: hits as f64 / k as f64,
        recall: hits as f64 / relevant.len() as f64,
        ndcg: dcg / ideal,
        mrr,
    }
}

/// Mean metrics of one recommender.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// The recommender's name.
    pub name: String,
    /// Users scored (with at least one relevant held-out item).
    pub users: usize,
    /// The metrics at each cut-off K.
    pub at: Vec<(usize, Metrics)>,
    /// Share of candidate items in the top K (largest K) of at least one scored user.
    pub coverage: f64,
}

impl Scores {
    /// The metrics at cut-off `k`, if reported.
    pub fn metrics(&self, k: usize) -> Option<Metrics> {
        self.at.iter().find(|a| a.0 == k).map(|a| a.1)
    }

    /// NDCG at `k`, if reported.
    pub fn ndcg(&self, k: usize) -> Option<f64> {
        self.metrics(k).map(|m| m.ndcg)
    }
}

/// One recommender's scores over several seeds: the mean and the standard
/// deviation of every figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The recommender's name.
    pub name: String,
    /// Users scored.
    pub users: usize,
    /// Seeds averaged.
    pub seeds: usize,
    /// `(figure, mean, standard deviation)`, figures named `ndcg@10`,
    /// `precision@10`, `recall@10`, `mrr@10` (each K) and `coverage`.
    pub figures: Vec<(String, f64, f64)>,
}

impl Summary {
    /// The mean of a figure, for example `"ndcg@10"`.
    pub fn mean(&self, figure: &str) -> Option<f64> {
        self.figures.iter().find(|f| f.0 == figure).map(|f| f.1)
    }

    /// The figures as one JSON object: each mean under its name, and the
    /// standard deviations under `"std"`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut object = serde_json::Map::new();
        object.insert("name".into(), self.name.clone().into());
        object.insert("users".into(), self.users.into());
        object.insert("seeds".into(), self.seeds.into());
        let mut std = serde_json::Map::new();
        for (figure, mean, sd) in &self.figures {
            object.insert(figure.clone(), (*mean).into());
            std.insert(figure.clone(), (*sd).into());
        }
        object.insert("std".into(), std.into());
        object.into()
    }
}

/// A plain-text table of summaries: NDCG, precision, recall and MRR at 10
/// and NDCG at 5 and 25, each as mean ± standard deviation, and coverage.
pub fn summary_table(summaries: &[Summary]) -> String {
    let columns = [
        "ndcg@5",
        "ndcg@10",
        "ndcg@25",
        "precision@10",
        "recall@10",
        "mrr@10",
        "coverage",
    ];
    let mut out = format!("{:<50}", "recommender");
    for c in columns {
        out += &format!(" {c:>17}");
    }
    out.push('\n');
    for s in summaries {
        out += &format!("{:<50}", s.name);
        for c in columns {
            let (mean, sd) = s
                .figures
                .iter()
                .find(|f| f.0 == c)
                .map_or((0.0, 0.0), |f| (f.1, f.2));
            out += &format!(" {:>17}", format!("{mean:.4} ± {sd:.4}"));
        }
        out.push('\n');
    }
    out
}
