//! The recommenders compared: random, popularity (three ways), user
//! clusters, item clusters with and without taste, and item-kNN; each
//! learns from the kept interactions only.

use super::protocol::{Split, CUTOFFS};
use super::users::{UserClusters, UserFeatures};
use crate::catalog::Catalog;
use crate::clustered::ClusteredCatalog;
use crate::error::Error;
use crate::features::{FeatureGroup, FeatureSpec, RatingPrior};
use crate::interactions::{Interaction, Interactions};
use crate::kmeans::KMeansParams;
use crate::model::SavedModel;
use crate::recommend::{Ranking, Recommender};
use crate::taste::{learn_for_catalog, TasteParams};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Everything the recommenders may learn from: the kept interactions.
pub(super) struct Train {
    pub(super) seen: Vec<HashSet<u32>>,
    pub(super) candidates: Vec<u32>,
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
    /// A model prepared elsewhere (the Spark job) for the catalog given: when
    /// set, one more recommender, "item clusters (prepared model)", ranks as
    /// the item clusters with taste do but keeps the catalog's own taste
    /// columns and takes the model's clusters (no k-means). Those columns
    /// must have been learnt from the protocol's kept part only
    /// ([`super::kept_csv`]); the protocol cannot check that.
    #[serde(skip)]
    pub prepared: Option<SavedModel>,
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
            prepared: None,
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
    if catalog.movies().iter().all(|m| m.votes.is_none()) {
        for (movie, &(sum, n)) in catalog.movies_mut().iter_mut().zip(&sums) {
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
pub(super) fn without_taste(catalog: &Catalog) -> Catalog {
    let mut catalog = catalog.clone();
    for movie in catalog.movies_mut() {
        movie.taste = Vec::new();
        movie.taste_borrowed = false;
    }
    catalog
}

/// Item-kNN on the kept item × user matrix: an item's score for a user is
/// the sum of its cosine similarities to every item the user interacted
/// with. Returns the top `n` unseen candidates per user.
pub(super) fn item_knn_lists(
    train: &Train,
    records: &[Interaction],
    users: usize,
    n: usize,
) -> Vec<Vec<u32>> {
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
    // A prepared model's clusters, on the catalog's own taste columns.
    let prepared = match &settings.prepared {
        Some(saved) => Some(ClusteredCatalog::with_model(
            catalog.clone(),
            saved,
            settings.seed,
            &mut |_| {},
        )?),
        None => None,
    };
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
        let prior = RatingPrior {
            min_votes: crate::features::quantile(&counts, 0.8),
            mean_rating: sums.values().map(|s| s.0).sum::<f64>()
                / sums.values().map(|s| s.1).sum::<f64>().max(1.0),
        };
        let mut ranked = train.candidates.clone();
        let wr = |i: &u32| {
            sums.get(i)
                .map_or(f64::NEG_INFINITY, |&(s, n)| prior.weighted(s / n, Some(n)))
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
        let pool: Vec<u32> = train
            .candidates
            .iter()
            .copied()
            .filter(|i| !train.seen[u].contains(i))
            .collect();
        crate::kmeans::sample(&mut rng, pool, kmax)
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
    let prepared_recommender = prepared
        .as_ref()
        .map(|items| Recommender::new(items).ranking(settings.ranking));
    let mut item_recommenders = vec![
        ("item clusters (profile of liked items)", &item_recommender),
        (
            "item clusters with taste (profile of liked items)",
            &taste_recommender,
        ),
    ];
    if let Some(recommender) = &prepared_recommender {
        item_recommenders.push(("item clusters (prepared model)", recommender));
    }
    for (name, recommender) in item_recommenders {
        run(name, &mut |u| {
            if liked[u].is_empty() {
                return train.unseen(u, popular_count.iter().copied(), kmax);
            }
            let exclude: HashSet<usize> = train.seen[u].iter().map(|&i| i as usize).collect();
            let from_clusters = recommender
                .for_profile(&liked[u], 2000, &exclude)
                .into_iter()
                .map(|r| r.index as u32)
                .filter(|i| candidate_set.contains(i));
            train.unseen_then(u, from_clusters, &popular_count, kmax)
        });
    }
    run("item-kNN (cosine, collaborative filtering)", &mut |u| {
        train.unseen_then(u, knn[u].iter().copied(), &popular_count, kmax)
    });
    Ok(results)
}
