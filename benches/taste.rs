//! Taste factors on real data: how long learning takes, and whether titles
//! nobody rated are better off borrowing factors from content neighbours
//! or going without. Prints figures; run with `cargo bench --bench taste`.
//!
//! The fallback is measured on the default catalog (TMDB 5000) with the
//! MovieLens ratings joined through `links.csv`: factors are learnt from
//! every rating, then a seeded 10% of the titles that have factors are
//! treated as if nobody had rated them. For each such title the app's
//! "similar" list (12 titles from its cluster) is built three ways: with
//! its real factors (the best case), with factors borrowed from content
//! neighbours, and with none. The figure is the mean cosine between the
//! title's *real* factors and those of the titles recommended: how far the
//! list is "liked by the same viewers".

use reelmeans::{content_matrix, Origin, Taste, TasteParams};
use reelmeans::{read_links, Interactions};
use reelmeans::{Catalog, ClusteredCatalog, FeatureSpec, KMeansParams, Recommender};
use std::collections::HashSet;
use std::time::Instant;

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("data file")
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    f64::from(dot / (n(a) * n(b)).max(f32::MIN_POSITIVE))
}

fn main() {
    // Learning time on the whole of ml-latest-small (9,742 titles, 610 users).
    let movies = Catalog::parse(&bytes("data/movielens/movies.csv")).unwrap();
    let ratings = bytes("data/movielens/ratings.csv");
    let all = Interactions::parse(&ratings, &movies, None).unwrap();
    let params = TasteParams::default();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        let t = Taste::learn(&all.records, movies.len(), &params, &mut |_| {}).unwrap();
        best = best.min(start.elapsed().as_secs_f64());
        std::hint::black_box(t);
    }
    println!(
        "learn {} factors from {} ratings on {} titles: best of 5 {:.3} s",
        params.factors,
        all.records.len(),
        movies.len(),
        best
    );

    let mut catalog = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
    for m in catalog.movies_mut() {
        m.taste.clear();
    }
    let links = read_links(&bytes("data/movielens/links.csv")).unwrap();
    let joined = Interactions::parse(&ratings, &catalog, Some(&links)).unwrap();
    let truth = Taste::learn(&joined.records, catalog.len(), &params, &mut |_| {}).unwrap();
    let learnt: Vec<usize> = (0..truth.len())
        .filter(|&i| truth.origin(i) == Origin::Learnt)
        .collect();
    // Every 10th title with factors, from a seeded offset: 10% held out.
    let held: Vec<usize> = learnt.iter().copied().skip(3).step_by(10).collect();
    let content = content_matrix(&catalog).unwrap();
    let never = truth.counts().2;
    // Titles nobody rated borrow in every variant, as in the app; the
    // variants differ only in the held-out titles.
    let mut with_truth = truth.clone();
    with_truth.borrow_missing(content.view(), params.neighbours);
    let mut without_taste = with_truth.clone();
    without_taste.forget(&held);
    let mut borrowed = without_taste.clone();
    let start = Instant::now();
    borrowed.borrow_missing(content.view(), params.neighbours);
    let borrow_seconds = start.elapsed().as_secs_f64();
    let mut borrowed_short = without_taste.clone();
    borrowed_short.borrow_missing_scaled(content.view(), params.neighbours, false);

    let mean_cosine_to_truth: f64 = held
        .iter()
        .map(|&i| cosine(borrowed.row(i), truth.row(i)))
        .sum::<f64>()
        / held.len() as f64;
    println!(
        "{} titles with factors, {never} never rated; {} held out as if never rated; borrowing took {borrow_seconds:.3} s",
        learnt.len(),
        held.len(),
    );
    println!("borrowed factors vs the real ones: mean cosine {mean_cosine_to_truth:.3}");
    let k = reelmeans::default_k(catalog.len());
    let variants = [
        ("real factors (best case)", &with_truth),
        (
            "borrowed, scaled to unit length (what reelmeans does)",
            &borrowed,
        ),
        ("borrowed, the neighbours' mean left short", &borrowed_short),
        ("left without taste", &without_taste),
    ];
    for (name, taste) in variants {
        let mut c = catalog.clone();
        taste.apply(&mut c);
        let data = ClusteredCatalog::build(
            c,
            &FeatureSpec::default(),
            &KMeansParams::new(k).seed(42),
            &mut |_| {},
        )
        .unwrap();
        let r = Recommender::new(&data);
        let (mut sum, mut known, mut all) = (0.0, 0usize, 0usize);
        for &i in &held {
            for rec in r.similar_to(i, 12, &HashSet::new()) {
                all += 1;
                // Held-out titles have real factors too; never-rated ones have none to compare.
                if truth.origin(rec.index) == Origin::Learnt {
                    sum += cosine(truth.row(i), truth.row(rec.index));
                    known += 1;
                }
            }
        }
        println!(
            "{name}: similar lists of the held-out titles have mean real-taste cosine {:.3}; {:.0}% of the titles listed were never rated",
            sum / known.max(1) as f64,
            100.0 * (all - known) as f64 / all.max(1) as f64
        );
    }
}
