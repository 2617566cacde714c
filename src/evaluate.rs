//! User clustering (the course recommender) and offline evaluation.
//!
//! **User clustering**: each user becomes a vector (mean strength per
//! category, as the course recommender's `avg_<category>_watch`, or the
//! binary vector of the items they touched), the core k-means clusters the
//! users, and a user is recommended what peers in the same cluster engaged
//! with strongly, ranked by how many peers did, minus what the user has seen.
//!
//! **Evaluation protocol** (fixed, so figures compare over time): for every
//! user the newest 10% of their interactions (at least one) are held out;
//! relevant = held-out items with a strong interaction (rating ≥ 4.0 or
//! progress ≥ 0.9); items seen in the kept part are never recommended; users
//! with no relevant held-out item are not scored; candidates are the items
//! with at least one kept interaction; K = 5, 10, 25. Coverage is the share
//! of candidates that appear in the top 25 of at least one *scored* user.
//!
//! Everything a recommender learns (popularity, user clusters, taste
//! factors, item-kNN similarities) comes from the kept part only; a test
//! changes every held-out interaction and checks that no list moves.

use crate::catalog::Catalog;
use crate::clustered::ClusteredCatalog;
use crate::features::{FeatureGroup, FeatureSpec};
use crate::interactions::{Interaction, Interactions};
use crate::kmeans::{KMeansModel, KMeansParams};
use crate::recommend::{Ranking, Recommender};
use crate::taste::{learn_for_catalog, TasteParams};
use crate::Error;
use ndarray::Array2;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The cut-offs every metric is reported at.
pub const CUTOFFS: [usize; 3] = [5, 10, 25];

/// How users become vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserFeatures {
    /// Mean strength per category (genre); 0 where the user has none.
    CategoryMeans,
    /// 1 for each item the user interacted with.
    Binary,
}

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
    fn add(self, o: Metrics) -> Metrics {
        Metrics {
            precision: self.precision + o.precision,
            recall: self.recall + o.recall,
            ndcg: self.ndcg + o.ndcg,
            mrr: self.mrr + o.mrr,
        }
    }

    fn divided(self, n: f64) -> Metrics {
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

/// Everything the recommenders may learn from: the kept interactions.
struct Train {
    seen: Vec<HashSet<u32>>,
    candidates: Vec<u32>,
}

impl Train {
    fn unseen(&self, user: usize, ranked: impl Iterator<Item = u32>, n: usize) -> Vec<u32> {
        ranked
            .filter(|i| !self.seen[user].contains(i))
            .take(n)
            .collect()
    }

    /// `first`, then `fallback` to fill the list: unseen items only, each once.
    fn unseen_then(
        &self,
        user: usize,
        first: impl Iterator<Item = u32>,
        fallback: &[u32],
        n: usize,
    ) -> Vec<u32> {
        let mut listed = HashSet::new();
        self.unseen(
            user,
            first
                .chain(fallback.iter().copied())
                .filter(|i| listed.insert(*i)),
            n,
        )
    }

    /// Candidates ranked by interaction count (ties: lower catalog index).
    fn by_count(&self, records: &[Interaction]) -> Vec<u32> {
        let mut count: HashMap<u32, usize> = HashMap::new();
        for r in records {
            *count.entry(r.item).or_insert(0) += 1;
        }
        let mut ranked = self.candidates.clone();
        ranked.sort_by_key(|i| (std::cmp::Reverse(count.get(i).copied().unwrap_or(0)), *i));
        ranked
    }
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

/// Settings of an evaluation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalSettings {
    /// Clusters of users.
    pub user_k: usize,
    /// Clusters of items (the core's catalog clustering).
    pub item_k: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Weight of the taste group in the taste-aware item clusters.
    pub taste_weight: f32,
    /// Taste factors per title.
    pub factors: usize,
    /// Order inside an item cluster.
    pub ranking: Ranking,
}

impl Default for EvalSettings {
    fn default() -> Self {
        EvalSettings {
            user_k: 8,
            item_k: 20,
            seed: 42,
            taste_weight: FeatureSpec::default().weights.get(FeatureGroup::Taste),
            factors: crate::taste::DEFAULT_FACTORS,
            ranking: Ranking::DEFAULT,
        }
    }
}

/// The catalog the app would build from the kept interactions: taste
/// factors learnt from them (titles without any borrow from content
/// neighbours) and, where the catalog has no vote counts, their count as
/// votes and (for ratings) their mean as rating, as the app does when it
/// joins a MovieLens `ratings.csv`.
pub fn taste_catalog(
    catalog: &Catalog,
    interactions: &Interactions,
    train: &[Interaction],
    settings: &EvalSettings,
) -> Result<Catalog, Error> {
    let mut catalog = catalog.clone();
    let mut sums = vec![(0.0f64, 0.0f64); catalog.len()];
    for r in train {
        let s = &mut sums[r.item as usize];
        s.0 += f64::from(r.strength);
        s.1 += 1.0;
    }
    let ratings = interactions.strength == crate::interactions::Strength::Rating;
    if catalog.movies.iter().all(|m| m.votes.is_none()) {
        for (movie, &(sum, n)) in catalog.movies.iter_mut().zip(&sums) {
            movie.votes = Some(n);
            if ratings && n > 0.0 && movie.rating.is_none() {
                movie.rating = Some(sum / n);
            }
        }
    }
    let params = TasteParams {
        factors: settings.factors,
        seed: settings.seed,
        ..TasteParams::default()
    };
    learn_for_catalog(&mut catalog, train, &params, &mut |_| {})?;
    Ok(catalog)
}

/// The catalog with no taste factors.
fn without_taste(catalog: &Catalog) -> Catalog {
    let mut catalog = catalog.clone();
    for movie in &mut catalog.movies {
        movie.taste = Vec::new();
        movie.taste_borrowed = false;
    }
    catalog
}

/// Item-kNN on the kept item × user matrix: an item's score for a user is
/// the sum of its cosine similarities to every item the user interacted
/// with. Returns the top `n` unseen candidates per user.
fn item_knn_lists(train: &Train, records: &[Interaction], users: usize, n: usize) -> Vec<Vec<u32>> {
    let items = train
        .candidates
        .iter()
        .map(|&i| i as usize + 1)
        .max()
        .unwrap_or(0);
    let mut by_item: Vec<Vec<u32>> = vec![Vec::new(); items];
    for r in records {
        by_item[r.item as usize].push(r.user);
    }
    for list in &mut by_item {
        list.sort_unstable();
        list.dedup();
    }
    let inverse_norm: Vec<f64> = by_item
        .iter()
        .map(|l| {
            if l.is_empty() {
                0.0
            } else {
                1.0 / (l.len() as f64).sqrt()
            }
        })
        .collect();
    let mut profile = vec![0.0f64; users];
    let mut scores: Vec<(f64, u32)> = Vec::with_capacity(train.candidates.len());
    (0..users)
        .map(|u| {
            // Σ over the user's items of their unit rows, then every item's dot with it.
            profile.fill(0.0);
            for &i in &train.seen[u] {
                for &v in &by_item[i as usize] {
                    profile[v as usize] += inverse_norm[i as usize];
                }
            }
            scores.clear();
            scores.extend(
                train
                    .candidates
                    .iter()
                    .filter(|i| !train.seen[u].contains(i))
                    .map(|&i| {
                        let dot: f64 = by_item[i as usize]
                            .iter()
                            .map(|&v| profile[v as usize])
                            .sum();
                        (dot * inverse_norm[i as usize], i)
                    }),
            );
            let by = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
            let take = n.min(scores.len());
            if take > 0 {
                scores.select_nth_unstable_by(take - 1, by);
                scores.truncate(take);
                scores.sort_by(by);
            }
            scores.iter().map(|s| s.1).collect()
        })
        .collect()
}

/// One recommender's name and its ranked list (catalog indices) for every user.
pub type RankedLists = (String, Vec<Vec<u32>>);

/// Every recommender's top-25 list for every user, learnt from `split.train` only.
pub fn ranked_lists(
    catalog: &Catalog,
    interactions: &Interactions,
    split: &Split,
    settings: &EvalSettings,
) -> Result<Vec<RankedLists>, Error> {
    // Factors that came with the catalog were learnt from every
    // interaction, held-out ones included: drop them, and learn taste
    // again from the kept part only.
    let catalog = &without_taste(catalog);
    let users = interactions.users.len();
    let mut seen = vec![HashSet::new(); users];
    for r in &split.train {
        seen[r.user as usize].insert(r.item);
    }
    let mut candidates: Vec<u32> = split.train.iter().map(|r| r.item).collect();
    candidates.sort_unstable();
    candidates.dedup();
    let train = Train { seen, candidates };
    let kmax = *CUTOFFS.iter().max().unwrap_or(&25);

    let popular_count = train.by_count(&split.train);
    let strong: Vec<Interaction> = split
        .train
        .iter()
        .filter(|r| interactions.is_relevant(r))
        .copied()
        .collect();
    let popular_strong = train.by_count(&strong);
    // Weighted rating from the kept interactions only (no peeking at held-out ones).
    let weighted = {
        let mut sums: HashMap<u32, (f64, f64)> = HashMap::new();
        for r in &split.train {
            let e = sums.entry(r.item).or_insert((0.0, 0.0));
            e.0 += f64::from(r.strength);
            e.1 += 1.0;
        }
        let mut counts: Vec<f64> = sums.values().map(|s| s.1).collect();
        counts.sort_by(f64::total_cmp);
        let m = crate::features::quantile(&counts, 0.8);
        let c = sums.values().map(|s| s.0).sum::<f64>()
            / sums.values().map(|s| s.1).sum::<f64>().max(1.0);
        let mut ranked = train.candidates.clone();
        let wr = |i: &u32| {
            sums.get(i)
                .map_or(f64::NEG_INFINITY, |&(s, n)| (s + m * c) / (n + m))
        };
        ranked.sort_by(|a, b| wr(b).total_cmp(&wr(a)).then(a.cmp(b)));
        ranked
    };
    let params = KMeansParams::new(settings.user_k)
        .seed(settings.seed)
        .n_init(3);
    let by_means = UserClusters::fit(
        interactions,
        &split.train,
        catalog,
        UserFeatures::CategoryMeans,
        &params,
    )?;
    let by_items = UserClusters::fit(
        interactions,
        &split.train,
        catalog,
        UserFeatures::Binary,
        &params,
    )?;
    let item_k = settings.item_k.min(catalog.len()).max(1);
    let items = ClusteredCatalog::build(
        catalog.clone(),
        &FeatureSpec::default(),
        &KMeansParams::new(item_k).seed(settings.seed),
        &mut |_| {},
    )?;
    let item_recommender = Recommender::new(&items);
    let mut taste_spec = FeatureSpec::default();
    taste_spec
        .weights
        .set(FeatureGroup::Taste, settings.taste_weight);
    let taste_items = ClusteredCatalog::build(
        taste_catalog(catalog, interactions, &split.train, settings)?,
        &taste_spec,
        &KMeansParams::new(item_k).seed(settings.seed),
        &mut |_| {},
    )?;
    let taste_recommender = Recommender::new(&taste_items).ranking(settings.ranking);
    let knn = item_knn_lists(&train, &split.train, users, kmax);
    let candidate_set: HashSet<u32> = train.candidates.iter().copied().collect();
    let mut liked = vec![Vec::new(); users];
    for r in &split.train {
        if interactions.is_relevant(r) {
            liked[r.user as usize].push(r.item as usize);
        }
    }

    let mut rng = StdRng::seed_from_u64(settings.seed);
    let mut results = Vec::new();
    let mut run = |name: &str, recommend: &mut dyn FnMut(usize) -> Vec<u32>| {
        results.push((name.to_string(), (0..users).map(&mut *recommend).collect()));
    };

    run("random", &mut |u| {
        let mut pool: Vec<u32> = train
            .candidates
            .iter()
            .copied()
            .filter(|i| !train.seen[u].contains(i))
            .collect();
        let take = kmax.min(pool.len());
        for i in 0..take {
            let j = i + ((u128::from(rng.next_u64()) * (pool.len() - i) as u128) >> 64) as usize;
            pool.swap(i, j);
        }
        pool.truncate(take);
        pool
    });
    run("popularity (count)", &mut |u| {
        train.unseen(u, popular_count.iter().copied(), kmax)
    });
    run("popularity (strong interactions)", &mut |u| {
        train.unseen(u, popular_strong.iter().copied(), kmax)
    });
    run("popularity (weighted rating)", &mut |u| {
        train.unseen(u, weighted.iter().copied(), kmax)
    });
    for (name, clusters) in [
        ("user clusters (category means)", &by_means),
        ("user clusters (interaction vectors)", &by_items),
    ] {
        run(name, &mut |u| {
            // Peers first, then global popularity to fill the list.
            let peers = clusters.recommend(u, kmax).into_iter().map(|(i, _)| i);
            train.unseen_then(u, peers, &popular_count, kmax)
        });
    }
    run("item clusters (profile of liked items)", &mut |u| {
        if liked[u].is_empty() {
            return train.unseen(u, popular_count.iter().copied(), kmax);
        }
        let exclude: HashSet<usize> = train.seen[u].iter().map(|&i| i as usize).collect();
        let from_clusters = item_recommender
            .for_profile(&liked[u], 2000, &exclude)
            .into_iter()
            .map(|r| r.index as u32)
            .filter(|i| candidate_set.contains(i));
        train.unseen_then(u, from_clusters, &popular_count, kmax)
    });
    run(
        "item clusters with taste (profile of liked items)",
        &mut |u| {
            if liked[u].is_empty() {
                return train.unseen(u, popular_count.iter().copied(), kmax);
            }
            let exclude: HashSet<usize> = train.seen[u].iter().map(|&i| i as usize).collect();
            let from_clusters = taste_recommender
                .for_profile(&liked[u], 2000, &exclude)
                .into_iter()
                .map(|r| r.index as u32)
                .filter(|i| candidate_set.contains(i));
            train.unseen_then(u, from_clusters, &popular_count, kmax)
        },
    );
    run("item-kNN (cosine, collaborative filtering)", &mut |u| {
        train.unseen_then(u, knn[u].iter().copied(), &popular_count, kmax)
    });
    Ok(results)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[u32]) -> HashSet<u32> {
        items.iter().copied().collect()
    }

    #[test]
    fn metrics_match_hand_computed_values() {
        // Relevant {2, 5}; ranked [2, 7, 5, 9]: hits at ranks 1 and 3.
        let Metrics {
            precision: p,
            recall: r,
            ndcg,
            mrr,
        } = metrics_at(&[2, 7, 5, 9], &set(&[2, 5]), 4);
        assert!((p - 0.5).abs() < 1e-12);
        assert!((r - 1.0).abs() < 1e-12);
        let dcg = 1.0 + 1.0 / 4f64.log2(); // 1/log2(2) + 1/log2(4)
        let idcg = 1.0 + 1.0 / 3f64.log2();
        assert!((ndcg - dcg / idcg).abs() < 1e-12);
        assert!((mrr - 1.0).abs() < 1e-12);
        // At K = 2 only the first hit counts.
        let Metrics {
            precision: p,
            recall: r,
            ndcg,
            mrr,
        } = metrics_at(&[2, 7, 5, 9], &set(&[2, 5]), 2);
        assert!((p - 0.5).abs() < 1e-12 && (r - 0.5).abs() < 1e-12 && (mrr - 1.0).abs() < 1e-12);
        assert!((ndcg - 1.0 / idcg).abs() < 1e-12);
        // First hit at rank 3: MRR 1/3; no hits: all zero.
        assert!((metrics_at(&[7, 9, 5], &set(&[5]), 3).mrr - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(metrics_at(&[7, 9], &set(&[5]), 2), Metrics::default());
        // Fewer items than K: precision still divides by K.
        assert!((metrics_at(&[5], &set(&[5]), 5).precision - 0.2).abs() < 1e-12);
    }

    fn interactions(csv: &str, catalog: &Catalog) -> Interactions {
        Interactions::parse(csv.as_bytes(), catalog, None).unwrap()
    }

    fn catalog() -> Catalog {
        let mut csv = String::from("id,title,genres\n");
        for i in 0..30 {
            csv += &format!("{i},T{i},{}\n", ["Drama", "Comedy", "Horror"][i % 3]);
        }
        Catalog::parse(csv.as_bytes()).unwrap()
    }

    #[test]
    fn the_user_report_takes_its_two_files_in_either_order() {
        let items = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/courses/items.csv"
        ))
        .unwrap();
        let progress = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/courses/interactions.csv"
        ))
        .unwrap();
        let settings = EvalSettings {
            user_k: 8,
            item_k: 4,
            seed: 42,
            ..EvalSettings::default()
        };
        let a = user_report(&items, &progress, &settings).unwrap();
        let b = user_report(&progress, &items, &settings).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.users.len(), 30);
        assert_eq!(a.profiles.len(), 3, "30 users: 3 clusters");
        assert_eq!(a.scores.len(), 9);
        let s001 = a.users.iter().position(|u| u == "S001").unwrap();
        assert_eq!(a.profiles[a.labels[s001] as usize][0].0, "avg_Data");
        assert!(!a.recommendations[s001].is_empty());
        assert!(user_report(&items, &items, &settings)
            .unwrap_err()
            .contains("one interactions file"));
    }

    #[test]
    fn the_split_holds_out_the_newest_tenth_and_at_least_one() {
        let c = catalog();
        let mut csv = String::from("userId,movieId,rating,timestamp\n");
        for i in 0..20 {
            csv += &format!("a,{i},4,{}\n", 100 - i); // newest first in the file
        }
        csv += "b,1,5,7\nb,2,3,9\nc,3,4,1\n";
        let s = split_newest(&interactions(&csv, &c));
        let held = |u: u32| {
            s.test
                .iter()
                .filter(|r| r.user == u)
                .map(|r| r.time)
                .collect::<Vec<_>>()
        };
        assert_eq!(held(0), [99, 100], "user a: 2 of 20, the newest");
        assert_eq!(held(1), [9], "user b: 1 of 2, the newest");
        assert_eq!(held(2), [1], "user c: its only interaction");
        assert_eq!(s.train.len() + s.test.len(), 23);
    }

    #[test]
    fn peers_recommend_what_their_cluster_engaged_with_minus_what_was_seen() {
        let c = catalog();
        // Two taste groups: Drama fans (items 0, 3, 6) and Horror fans (2, 5, 8).
        let csv = "userId,movieId,rating\n\
                   d1,0,5\nd1,3,5\nd2,0,5\nd2,6,5\nd3,3,4\nd3,6,5\n\
                   h1,2,5\nh1,5,5\nh2,2,4\nh2,8,5\nh3,5,5\n";
        let i = interactions(csv, &c);
        let clusters = UserClusters::fit(
            &i,
            &i.records,
            &c,
            UserFeatures::CategoryMeans,
            &KMeansParams::new(2).n_init(3),
        )
        .unwrap();
        let user = |id: &str| i.users.iter().position(|u| u == id).unwrap();
        let recs: Vec<u32> = clusters
            .recommend(user("d1"), 5)
            .into_iter()
            .map(|(item, _)| item)
            .collect();
        assert_eq!(recs, [6], "d1 has seen 0 and 3; peers loved 6");
        let recs: Vec<u32> = clusters
            .recommend(user("h3"), 5)
            .into_iter()
            .map(|(item, _)| item)
            .collect();
        assert_eq!(recs, [2, 8], "2 loved by two peers, 8 by one");
        let profile = clusters.profile(clusters.model.labels()[user("h1")] as usize, 1);
        assert_eq!(profile[0].0, "avg_Horror");
    }

    /// 12 users × 8 interactions on 30 items, with timestamps.
    fn twelve_users() -> String {
        let mut csv = String::from("userId,movieId,rating,timestamp\n");
        for u in 0..12 {
            for k in 0..8 {
                let item = (u * 7 + k * 3) % 30;
                csv += &format!("u{u},{item},{},{}\n", 3 + (u + k) % 3, k);
            }
        }
        csv
    }

    #[test]
    fn no_held_out_interaction_reaches_any_recommender() {
        let c = catalog();
        let i = interactions(&twelve_users(), &c);
        let split = split_newest(&i);
        // Every held-out interaction moves to another item with another
        // rating, at the same time, so the same ones are held out.
        let mut altered = i.clone();
        for r in &mut altered.records {
            if split.test.contains(r) {
                r.item = (r.item + 13) % 30;
                r.strength = 8.0 - r.strength;
            }
        }
        let altered_split = split_newest(&altered);
        assert_eq!(altered_split.train, split.train);
        assert_ne!(altered_split.test, split.test);
        let settings = EvalSettings {
            user_k: 3,
            item_k: 4,
            seed: 7,
            factors: 4,
            ..EvalSettings::default()
        };
        // Taste factors see only what they are given...
        let taste = |interactions: &Interactions, records: &[Interaction]| {
            taste_catalog(&c, interactions, records, &settings).unwrap()
        };
        let kept = taste(&i, &split.train);
        assert_eq!(kept, taste(&altered, &altered_split.train));
        assert_ne!(
            kept,
            taste(&i, &i.records),
            "the held-out part would change them"
        );
        // ... and no recommender's list moves when only held-out interactions change.
        assert_eq!(
            ranked_lists(&c, &i, &split, &settings).unwrap(),
            ranked_lists(&c, &altered, &altered_split, &settings).unwrap()
        );
    }

    #[test]
    fn factors_that_come_with_the_catalog_are_learnt_again_from_the_kept_part() {
        let c = catalog();
        let i = interactions(&twelve_users(), &c);
        let split = split_newest(&i);
        let settings = EvalSettings {
            user_k: 3,
            item_k: 4,
            seed: 7,
            factors: 4,
            ..EvalSettings::default()
        };
        // A catalog prepared from every interaction, held-out ones included.
        let mut prepared = c.clone();
        crate::taste::learn_for_catalog(
            &mut prepared,
            &i.records,
            &TasteParams {
                factors: 4,
                ..TasteParams::default()
            },
            &mut |_| {},
        )
        .unwrap();
        assert!(prepared.taste_dims() > 0);
        assert_eq!(
            ranked_lists(&prepared, &i, &split, &settings).unwrap(),
            ranked_lists(&c, &i, &split, &settings).unwrap()
        );
    }

    #[test]
    fn summaries_over_seeds_average_the_runs() {
        let c = catalog();
        let i = interactions(&twelve_users(), &c);
        let settings = EvalSettings {
            user_k: 3,
            item_k: 4,
            factors: 4,
            ..EvalSettings::default()
        };
        let once = evaluate(
            &c,
            &i,
            &EvalSettings {
                seed: 3,
                ..settings.clone()
            },
        )
        .unwrap();
        let twice = evaluate_seeds(&c, &i, &settings, &[3, 3]).unwrap();
        assert_eq!(twice.len(), once.len());
        for (s, one) in twice.iter().zip(&once) {
            assert_eq!((s.name.as_str(), s.seeds), (one.name.as_str(), 2));
            assert_eq!(s.mean("ndcg@10"), one.ndcg(10));
            assert_eq!(s.mean("coverage"), Some(one.coverage));
            assert!(
                s.figures.iter().all(|f| f.2 == 0.0),
                "the same seed twice: no spread"
            );
            let json = s.to_json();
            assert_eq!(json["precision@25"], one.metrics(25).unwrap().precision);
            assert_eq!(json["std"]["mrr@5"], 0.0);
        }
        let spread = evaluate_seeds(&c, &i, &settings, &[1, 2, 3]).unwrap();
        let random = spread.iter().find(|s| s.name == "random").unwrap();
        assert!(
            random.figures.iter().any(|f| f.2 > 0.0),
            "random draws differ by seed"
        );
    }

    #[test]
    fn item_knn_ranks_by_summed_cosine_to_what_the_user_touched() {
        // Items 0 and 1 share both their users; item 2 shares one of them; user 2 saw only item 0.
        let train = Train {
            seen: vec![
                [0, 1, 2].into_iter().collect(),
                [0, 1].into_iter().collect(),
                [0].into_iter().collect(),
            ],
            candidates: vec![0, 1, 2, 3],
        };
        let records: Vec<Interaction> = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)]
            .into_iter()
            .map(|(user, item)| Interaction {
                user,
                item,
                strength: 1.0,
                time: 0,
            })
            .collect();
        let lists = item_knn_lists(&train, &records, 3, 10);
        // User 2: cos(0,1) = 2/(√3·√2) ≈ 0.816 > cos(0,2) = 1/√3 ≈ 0.577 > item 3 (no users) = 0.
        assert_eq!(lists[2], [1, 2, 3]);
        assert_eq!(lists[1], [2, 3], "seen items never come back");
    }

    #[test]
    fn seen_items_are_never_recommended_by_any_recommender() {
        let c = catalog();
        let i = interactions(&twelve_users(), &c);
        let split = split_newest(&i);
        let settings = EvalSettings {
            user_k: 3,
            item_k: 4,
            seed: 1,
            ..EvalSettings::default()
        };
        let lists = ranked_lists(&c, &i, &split, &settings).unwrap();
        assert_eq!(lists.len(), 9);
        for (name, per_user) in &lists {
            for (u, list) in per_user.iter().enumerate() {
                let seen: HashSet<u32> = split
                    .train
                    .iter()
                    .filter(|r| r.user as usize == u)
                    .map(|r| r.item)
                    .collect();
                assert!(!list.is_empty(), "{name}: user {u} got nothing");
                assert!(
                    list.iter().all(|item| !seen.contains(item)),
                    "{name}: user {u} got a seen item"
                );
                let unique: HashSet<&u32> = list.iter().collect();
                assert_eq!(unique.len(), list.len(), "{name}: duplicates");
            }
        }
        let scores = evaluate(&c, &i, &settings).unwrap();
        for s in &scores {
            assert!(
                s.at.iter()
                    .all(|(_, m)| (0.0..=1.0).contains(&m.precision)
                        && (0.0..=1.0).contains(&m.ndcg)),
                "{s:?}"
            );
            assert!((0.0..=1.0).contains(&s.coverage));
        }
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
    /// Offline evaluation of every recommender (empty if it could not run).
    pub scores: Vec<Scores>,
    /// Notes for the user: rows left out, why evaluation was skipped.
    pub notes: Vec<String>,
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
        profiles: (0..k).map(|c| clusters.profile(c, 3)).collect(),
        labels: clusters.model.labels().to_vec(),
        users: interactions.users,
        scores,
        notes,
    })
}
