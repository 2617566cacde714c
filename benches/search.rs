//! Search that forgives: the share of the committed misspellings
//! (tests/fixtures/search/typos.csv) found in the top 3 on both catalog
//! styles, and search times at a million titles. Prints figures:
//! `cargo bench --bench search`.

use reelmeans::Table;
use reelmeans::{Catalog, TitleIndex};
use std::hint::black_box;
use std::time::Instant;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let tmdb = Catalog::parse(&read("static/catalog.csv")).expect("the default catalog parses");
    let movielens =
        Catalog::parse(&read("data/movielens/movies.csv")).expect("MovieLens movies parse");
    let pairs = Table::parse(&read("tests/fixtures/search/typos.csv")).expect("the list parses");
    println!("misspelt queries found in the top 3 (tests/fixtures/search/typos.csv):");
    let mut all = (0, 0);
    for (style, catalog) in [("tmdb", &tmdb), ("movielens", &movielens)] {
        let index = TitleIndex::new(catalog.movies());
        let rows: Vec<_> = pairs.rows.iter().filter(|r| r.cells[0] == style).collect();
        let missed: Vec<String> = rows
            .iter()
            .filter(|row| {
                !index
                    .search(&row.cells[1], 3)
                    .iter()
                    .any(|h| catalog.movies()[h.index].title == row.cells[2])
            })
            .map(|row| format!("{} → {}", row.cells[1], row.cells[2]))
            .collect();
        let found = rows.len() - missed.len();
        all = (all.0 + found, all.1 + rows.len());
        println!(
            "  {style:<10} {found}/{} = {:.1}%  missed: {missed:?}",
            rows.len(),
            100.0 * found as f64 / rows.len() as f64
        );
    }
    println!(
        "  both       {}/{} = {:.1}% (target ≥ 95%)",
        all.0,
        all.1,
        100.0 * all.0 as f64 / all.1 as f64
    );

    // A million titles: the default catalog's 200 times over, as
    // scripts/make_big_catalog.py names them ("Alien #0" … "Alien #199").
    let mut big = Vec::with_capacity(tmdb.len() * 200);
    for copy in 0..200 {
        big.extend(tmdb.movies().iter().map(|m| {
            let mut m = m.clone();
            m.title = format!("{} #{copy}", m.title);
            m
        }));
    }
    let start = Instant::now();
    let index = TitleIndex::new(&big);
    println!(
        "\nindex of {} titles built in {:.2} s; one search (median of 15 runs, worst):",
        big.len(),
        start.elapsed().as_secs_f64()
    );
    for query in [
        "t",
        "the da",
        "xe",
        "Godfahter",
        "Dark Knigth",
        "Shawshank Redemtion",
        "titanc",
        "qzxj",
    ] {
        let mut times: Vec<f64> = (0..15)
            .map(|_| {
                let start = Instant::now();
                black_box(index.search(black_box(query), 8));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("  {query:<22} {:>8.2} ms  {:>8.2} ms", times[7], times[14]);
    }
}
