//! Criterion benches of the hot loops, on the real default catalog:
//! `cargo bench --bench kernels`.

use criterion::{criterion_group, criterion_main, Criterion};
use reelmeans::squared_distance;
use reelmeans::{Algorithm, Catalog, FeaturePipeline, FeatureSpec, KMeansParams, TitleIndex};
use std::hint::black_box;

const CATALOG: &[u8] = include_bytes!("../static/catalog.csv");

fn benches(c: &mut Criterion) {
    let catalog = Catalog::parse(CATALOG).expect("the shipped catalog parses");
    let pipeline = FeaturePipeline::fit(&catalog, &FeatureSpec::default()).expect("features fit");
    let matrix = pipeline.transform(&catalog);
    let (a, b) = (matrix.row(0).to_vec(), matrix.row(1).to_vec());

    c.bench_function("squared_distance (one row pair)", |bench| {
        bench.iter(|| squared_distance(black_box(&a), black_box(&b)))
    });
    c.bench_function("parse default catalog (4,803 titles)", |bench| {
        bench.iter(|| Catalog::parse(black_box(CATALOG)))
    });
    c.bench_function("feature transform (4,803 titles)", |bench| {
        bench.iter(|| pipeline.transform(black_box(&catalog)))
    });
    for algorithm in [Algorithm::Lloyd, Algorithm::Hamerly] {
        c.bench_function(
            &format!("k-means k=20 {algorithm:?} (4,803 titles)"),
            |bench| {
                bench.iter(|| {
                    KMeansParams::new(20)
                        .algorithm(algorithm)
                        .fit(black_box(matrix.view()))
                })
            },
        );
    }
    let index = TitleIndex::new(catalog.movies());
    c.bench_function("title search 'the dar'", |bench| {
        bench.iter(|| index.search(black_box("the dar"), 8))
    });
    c.bench_function("title search typo fallback 'titanc'", |bench| {
        bench.iter(|| index.search(black_box("titanc"), 8))
    });

    // The index at scale: the default catalog's titles 200 times over
    // ("Alien #0" … "Alien #199", as scripts/make_big_catalog.py names them).
    let mut big = Vec::with_capacity(catalog.len() * 200);
    for copy in 0..200 {
        big.extend(catalog.movies().iter().map(|m| {
            let mut m = m.clone();
            m.title = format!("{} #{copy}", m.title);
            m
        }));
    }
    c.bench_function("title index build (960,600 titles)", |bench| {
        bench.iter(|| TitleIndex::new(black_box(&big)))
    });
    let big_index = TitleIndex::new(&big);
    for query in ["t", "the da", "xe", "titanc", "qzxj"] {
        c.bench_function(
            &format!("title search '{query}' (960,600 titles)"),
            |bench| bench.iter(|| big_index.search(black_box(query), 8)),
        );
    }
}

criterion_group! {
    name = kernels;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(kernels);
