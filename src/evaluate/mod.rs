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

mod protocol;
mod recommenders;
mod run;
mod users;

pub use protocol::{kept_csv, summary_table, Scores};
pub use recommenders::EvalSettings;
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))] // the users view (web)
pub use run::user_report;
pub use run::{evaluate, evaluate_seeds, UserReport};
pub use users::{UserClusters, UserFeatures};

#[cfg(test)]
mod tests {
    use super::protocol::{metrics_at, split_newest, Metrics};
    use super::recommenders::{item_knn_lists, ranked_lists, taste_catalog, Train};
    use super::*;
    use crate::catalog::Catalog;
    use crate::interactions::{Interaction, Interactions};
    use crate::kmeans::KMeansParams;
    use crate::taste::TasteParams;
    use std::collections::HashSet;

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
        // S001's own history: strongest first (Machine Learning at 96%).
        assert_eq!(a.strength, crate::interactions::Strength::Progress);
        assert_eq!(a.history[s001][0], ("Machine Learning".to_string(), 0.96));
        assert!(a
            .history
            .iter()
            .all(|h| h.len() <= run::HISTORY && h.windows(2).all(|w| w[0].1 >= w[1].1)));
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

    /// Settings sized for the 30-item test catalog.
    fn small_settings(seed: u64) -> EvalSettings {
        EvalSettings {
            user_k: 3,
            item_k: 4,
            seed,
            factors: 4,
            ..EvalSettings::default()
        }
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
        let settings = small_settings(7);
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
        let settings = small_settings(7);
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
    fn a_catalog_prepared_from_the_kept_part_is_scored_as_the_native_one() {
        let c = catalog();
        let i = interactions(&twelve_users(), &c);
        let split = split_newest(&i);
        // The kept part as written for the Spark job reads back as the split's train.
        let kept = interactions(&kept_csv(&c, &i), &c);
        let records = |from: &Interactions, list: &[Interaction]| {
            list.iter()
                .map(|r| {
                    (
                        from.users[r.user as usize].clone(),
                        r.item,
                        r.strength,
                        r.time,
                    )
                })
                .collect::<Vec<_>>()
        };
        let mut expected = records(&i, &split.train);
        expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mut read = records(&kept, &kept.records);
        read.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(read, expected);
        assert!(read.len() < i.records.len());
        // Prepared the way the native path prepares its own: taste from the
        // kept part, the taste-weighted clusters saved as a model.
        let settings = small_settings(7);
        let prepared = taste_catalog(&c, &i, &split.train, &settings).unwrap();
        let mut spec = crate::features::FeatureSpec::default();
        spec.weights
            .set(crate::features::FeatureGroup::Taste, settings.taste_weight);
        let clustered = crate::clustered::ClusteredCatalog::build(
            prepared.clone(),
            &spec,
            &KMeansParams::new(settings.item_k).seed(settings.seed),
            &mut |_| {},
        )
        .unwrap();
        let model = clustered.saved_model();
        let lists = ranked_lists(
            &prepared,
            &i,
            &split,
            &EvalSettings {
                prepared: Some(model),
                ..settings.clone()
            },
        )
        .unwrap();
        let find = |name: &str| &lists.iter().find(|l| l.0 == name).unwrap().1;
        assert_eq!(
            find("item clusters (prepared model)"),
            find("item clusters with taste (profile of liked items)")
        );
        // Without a model there is no such recommender.
        let plain = ranked_lists(&prepared, &i, &split, &settings).unwrap();
        assert!(plain
            .iter()
            .all(|l| l.0 != "item clusters (prepared model)"));
        assert_eq!(plain.len() + 1, lists.len());
    }

    #[test]
    fn summaries_over_seeds_average_the_runs() {
        let c = catalog();
        let i = interactions(&twelve_users(), &c);
        let settings = small_settings(EvalSettings::default().seed);
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
