//! Tests that need a browser: run with
//! `cargo test --target wasm32-unknown-unknown --test web` (headless Chromium).
#![cfg(target_arch = "wasm32")]

use reelmeans::web::page::storage::{load_marks, save_marks};
use reelmeans::web::state::DEFAULT_CATALOG_IDENTITY;
use reelmeans::FitProgress;
use reelmeans::Ranking;
use reelmeans::{
    Algorithm, Catalog, ClusteredCatalog, FeaturePipeline, FeatureSpec, KMeansParams, Recommender,
};
use std::collections::BTreeSet;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CATALOG: &[u8] = include_bytes!("../static/catalog.csv");

/// The default catalog clustered as the app does at start-up (k = 24).
fn default_clustered() -> ClusteredCatalog {
    ClusteredCatalog::build(
        Catalog::parse(CATALOG).unwrap(),
        &FeatureSpec::default(),
        &KMeansParams::new(24),
        &mut |_| {},
    )
    .unwrap()
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn marks_survive_a_round_trip_through_local_storage_per_catalog() {
    let watched: BTreeSet<String> = ["348".to_string(), "679".to_string()].into();
    let liked: BTreeSet<String> = ["11".to_string()].into();
    save_marks(DEFAULT_CATALOG_IDENTITY, &watched, &liked).unwrap();
    assert_eq!(
        load_marks(DEFAULT_CATALOG_IDENTITY),
        (watched.clone(), liked.clone())
    );
    // The default catalog's marks live where they lived before marks were
    // kept per catalog, so marks made then still load.
    assert_eq!(
        local_storage()
            .get_item("reelmeans.liked")
            .unwrap()
            .as_deref(),
        Some("[\"11\"]")
    );
    // Another catalog's marks are its own.
    let upload = "films.csv:5120:1700000000000";
    assert_eq!(load_marks(upload), Default::default());
    save_marks(upload, &BTreeSet::new(), &["597".to_string()].into()).unwrap();
    assert_eq!(load_marks(DEFAULT_CATALOG_IDENTITY), (watched, liked));
    assert_eq!(load_marks(upload).1, ["597".to_string()].into());
}

#[wasm_bindgen_test]
fn corrupt_local_storage_reads_as_empty_instead_of_failing() {
    local_storage()
        .set_item("reelmeans.watched", "{not json")
        .unwrap();
    local_storage()
        .set_item("reelmeans.liked", "[1, 2")
        .unwrap();
    assert_eq!(load_marks(DEFAULT_CATALOG_IDENTITY), Default::default());
}

#[wasm_bindgen_test]
fn simd_kmeans_in_the_browser_matches_lloyd_on_the_default_catalog() {
    let catalog = Catalog::parse(CATALOG).unwrap();
    assert_eq!(catalog.len(), 4803);
    let pipeline = FeaturePipeline::fit(&catalog, &FeatureSpec::default()).unwrap();
    let matrix = pipeline.transform(&catalog);
    let lloyd = KMeansParams::new(20)
        .algorithm(Algorithm::Lloyd)
        .fit(matrix.view())
        .unwrap();
    let hamerly = KMeansParams::new(20)
        .algorithm(Algorithm::Hamerly)
        .fit(matrix.view())
        .unwrap();
    assert_eq!(lloyd.labels(), hamerly.labels());
    assert!(hamerly.distance_computations() < lloyd.distance_computations());
}

#[wasm_bindgen_test]
fn shards_in_the_browser_give_the_same_clusters_as_one() {
    // The default catalog's rows six times over: enough for four shards.
    let catalog = Catalog::parse(CATALOG).unwrap();
    let pipeline = FeaturePipeline::fit(&catalog, &FeatureSpec::default()).unwrap();
    let matrix = pipeline.transform(&catalog);
    let views = vec![matrix.view(); 6];
    let rows = ndarray::concatenate(ndarray::Axis(0), &views).unwrap();
    let fit = |threads| {
        KMeansParams::new(20)
            .seed(3)
            .threads(threads)
            .fit(rows.view())
            .unwrap()
    };
    let one = fit(1);
    assert_eq!(one, fit(4));
    assert!(one.iterations() > 1);
    // One after another here, so each iteration reports its shards as they finish.
    let mut shares = Vec::new();
    let progressed = KMeansParams::new(20)
        .seed(3)
        .threads(4)
        .fit_with_progress(rows.view(), &mut |p| {
            if let FitProgress::Assigning {
                iteration: 1,
                share,
                ..
            } = p
            {
                shares.push(share);
            }
        })
        .unwrap();
    assert_eq!(progressed, one);
    assert_eq!(shares, [0.25, 0.5, 0.75, 1.0]);
}

#[wasm_bindgen_test]
fn the_whole_pipeline_recommends_inside_the_cluster_in_wasm() {
    let data = default_clustered();
    let alien = data
        .catalog()
        .movies()
        .iter()
        .position(|m| m.title == "Alien")
        .unwrap();
    let recs = Recommender::new(&data)
        .ranking(Ranking::Nearest)
        .similar_to(alien, 10, &Default::default());
    assert_eq!(recs.len(), 10);
    assert!(recs
        .iter()
        .all(|r| data.cluster_of(r.index) == data.cluster_of(alien) && r.index != alien));
    assert!(recs.windows(2).all(|w| w[0].distance <= w[1].distance));
    // The default ranking, on the shipped taste factors, as natively.
    let first = &Recommender::new(&data).similar_to(alien, 1, &Default::default())[0];
    assert_eq!(data.catalog().movies()[first.index].title, "Aliens");
    assert!(first
        .reason
        .to_string()
        .starts_with("Liked by the same viewers as Alien"));
}

#[wasm_bindgen_test]
fn taste_factors_are_learnt_in_wasm_as_natively() {
    use reelmeans::Interaction;
    use reelmeans::{Taste, TasteParams};
    // The hand-checked case of src/taste.rs: two audiences and a title both love;
    // singular values 2√3 and √6.
    let mut records = Vec::new();
    for user in 0..6u32 {
        let items: [u32; 3] = if user < 3 { [0, 1, 4] } else { [2, 3, 4] };
        records.extend(items.map(|item| Interaction {
            user,
            item,
            strength: 1.0,
            time: 0,
        }));
    }
    let params = TasteParams {
        factors: 2,
        ..TasteParams::default()
    };
    let t = Taste::learn(&records, 5, &params, &mut |_| {}).unwrap();
    let s = t.singular_values();
    assert!((s[0] - 12f64.sqrt()).abs() < 1e-9, "{s:?}");
    assert!((s[1] - 6f64.sqrt()).abs() < 1e-9, "{s:?}");
    let h = 0.5f32.sqrt();
    for (item, expected) in [(0, [h, h]), (2, [h, -h]), (4, [1.0, 0.0])] {
        let row = t.row(item);
        assert!(
            (row[0] - expected[0]).abs() < 1e-5 && (row[1] - expected[1]).abs() < 1e-5,
            "item {item}: {row:?}"
        );
    }
}

#[wasm_bindgen_test]
fn the_session_answers_searches_and_movie_panels_in_wasm() {
    use reelmeans::{Selection, Session};
    let session = Session::new(default_clustered());
    // The memchr scan (simd128 here) finds word prefixes and substrings.
    let hits = session.search("knight", 8);
    assert_eq!(hits.len(), 8);
    assert!(hits
        .iter()
        .all(|h| h.movie.title.to_lowercase().contains("knight")));
    let alien = session.search("alien", 1).remove(0).movie;
    assert_eq!(alien.title, "Alien");
    let card = session.card(Some(&Selection::Id(alien.id.clone())), &[], &[]);
    let details = card.selected.unwrap();
    assert_eq!(details.movie, alien);
    assert!(details
        .similar
        .iter()
        .all(|p| p.movie.cluster == alien.cluster));
    let overview = session.overview();
    assert_eq!(
        overview.profiles.iter().map(|p| p.size).sum::<usize>(),
        4803
    );
}

#[wasm_bindgen_test]
fn every_format_and_language_gives_the_english_catalog_in_wasm() {
    use reelmeans::KeptLimit;
    use reelmeans::{read_sheet, InputFile, Upload};
    let read = |bytes: &[u8]| {
        Upload::new(InputFile::new(bytes, bytes.len() as u64))
            .read(&mut |_| {})
            .unwrap()
            .catalog
    };
    let sheet = |bytes: &[u8]| {
        read_sheet(
            InputFile::new(bytes, bytes.len() as u64),
            None,
            KeptLimit::DEFAULT,
        )
        .unwrap()
        .csv
    };
    let english = read(include_bytes!("fixtures/formats/movies.csv"));
    let others: [(&str, Vec<u8>); 6] = [
        (
            "German CSV",
            include_bytes!("fixtures/formats/movies_de.csv").to_vec(),
        ),
        (
            "French CSV",
            include_bytes!("fixtures/formats/movies_fr.csv").to_vec(),
        ),
        (
            "typed CSV",
            include_bytes!("fixtures/formats/movies_typed.csv").to_vec(),
        ),
        (
            "JSON",
            include_bytes!("fixtures/formats/movies.json").to_vec(),
        ),
        (
            "xlsx",
            sheet(include_bytes!("fixtures/formats/movies.xlsx")),
        ),
        ("ods", sheet(include_bytes!("fixtures/formats/movies.ods"))),
    ];
    for (name, bytes) in others {
        let other = read(&bytes);
        assert!(other.unread.is_empty(), "{name}");
        assert_eq!(other.movies(), english.movies(), "{name}");
    }
}
