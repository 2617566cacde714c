//! The whole pipeline (parse → features → k-means → recommend → search →
//! export → a saved model applied back → the export read as a split
//! catalog's title list) on arbitrary bytes and parameters: errors are
//! fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reelmeans::{clustered_csv, clustered_file_csv, SavedModel};
use reelmeans::Ranking;
use reelmeans::Selection;
use reelmeans::SplitCatalog;
use reelmeans::{Catalog, ClusteredCatalog, FeatureGroup, FeatureSpec, KMeansParams, Recommender, Scaling, TitleIndex};
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    // The first bytes choose the parameters; the rest is the file.
    let Some((params, file)) = data.split_first_chunk::<6>() else { return };
    let Ok(catalog) = Catalog::parse(file) else { return };
    let mut spec = FeatureSpec { scaling: if params[0] & 1 == 0 { Scaling::MinMax } else { Scaling::ZScore }, ..FeatureSpec::default() };
    spec.clip_outliers = params[0] & 2 != 0;
    spec.top_genres = usize::from(params[1] % 25);
    for (i, group) in FeatureGroup::ALL.iter().enumerate().take(4) {
        spec.weights.set(*group, f32::from(params[2 + i] % 8) * 0.5);
    }
    let k = usize::from(params[1] >> 3) % 12;
    let kmeans = KMeansParams::new(k).seed(u64::from(params[5])).max_iter(20).n_init(1 + usize::from(params[5] % 2));
    let Ok(data) = ClusteredCatalog::build(catalog, &spec, &kmeans, &mut |_| {}) else { return };
    assert!(data.matrix().iter().all(|x| x.is_finite()));
    assert!(data.model().labels().iter().all(|&l| (l as usize) < data.model().k()));
    let nearest = Recommender::new(&data).ranking(Ranking::Nearest);
    let recommender = Recommender::new(&data);
    let n = data.catalog().len();
    for i in [0, n / 2, n - 1] {
        let recs = nearest.similar_to(i, 5, &HashSet::new());
        assert!(recs.iter().all(|r| r.index != i));
        assert!(recs.windows(2).all(|w| w[0].distance <= w[1].distance));
        let blended = recommender.similar_to(i, 5, &HashSet::new());
        assert_eq!(blended.len(), recs.len());
        assert!(blended.iter().all(|r| r.index != i && r.distance.is_finite()));
    }
    let _ = recommender.for_profile(&[0, n - 1], 5, &HashSet::new());
    let _ = recommender.popular(5, &HashSet::new());
    let index = TitleIndex::new(data.catalog().movies());
    let query: String = data.catalog().movies()[0].title.chars().take(4).collect();
    let _ = index.search(&query, 8);
    let _ = clustered_csv(&data);
    let model = data.saved_model();
    let reloaded = SavedModel::from_json(&model.to_json()).expect("a saved model loads back");
    assert_eq!(reloaded.assign(data.catalog()).expect("a saved model assigns").len(), n);
    let applied = ClusteredCatalog::with_model(data.catalog().clone(), &reloaded, 1, &mut |_| {})
        .expect("a saved model applies to its own catalog");
    assert_eq!(applied.model().labels().len(), n);
    assert!(applied.distances().iter().all(|d| d.is_finite()));
    // The file's own columns come back for every title.
    let csv = clustered_file_csv(file.to_vec(), &data).expect("an export of the file the catalog was read from");
    assert!(!csv.is_empty());
    // The export as a split catalog's title list, and as a cluster's file.
    if let Ok(mut split) = SplitCatalog::open(csv.clone().into_bytes(), reloaded, &mut |_| {}) {
        let _ = split.search(&query, 8);
        assert_eq!(split.overview().k, data.model().k());
        let selection = Selection::Index(n / 2);
        if let Some(c) = split.needs(Some(&selection)) {
            let _ = split.load(c, file.to_vec());
            let _ = split.load(c, csv.into_bytes());
        }
        let _ = split.card(Some(&selection), &[], &[data.catalog().movies()[0].id.clone()]);
    }
});
