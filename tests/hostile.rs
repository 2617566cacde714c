//! The hostile-input corpus (`tests/hostile/`, written by
//! `scripts/make_hostile_corpus.py`): every file gets its exact outcome
//! through the whole pipeline (parse → features → k-means → recommend →
//! export), and nothing panics.
#![cfg(not(target_arch = "wasm32"))]

use reelmeans::clustered_csv;
use reelmeans::default_k;
use reelmeans::{Catalog, ClusteredCatalog, FeatureSpec, KMeansParams, Recommender, Scaling};
use reelmeans::{InputFile, Upload};
use std::collections::{BTreeMap, HashSet};

enum Expect {
    /// The pipeline stops with an error containing this text.
    Error(&'static str),
    /// A catalog of this many titles, these skipped rows per reason, and this many feature columns.
    Titles {
        titles: usize,
        skipped: &'static [(&'static str, usize)],
        features: usize,
    },
}
use Expect::*;

const CASES: &[(&str, Expect)] = &[
    ("empty.csv", Error("the file is empty")),
    ("whitespace_only.csv", Error("the file is empty")),
    (
        "header_only.csv",
        Error("the file has a header row but no data rows"),
    ),
    (
        "single_row.csv",
        Error("the catalog has only 1 title; at least 2 are needed"),
    ),
    (
        "binary_garbage.png",
        Error("this looks like a binary file, not CSV or TSV text"),
    ),
    (
        "utf16le_bom.csv",
        Error("the file is UTF-16 text; save it as UTF-8"),
    ),
    (
        "utf16be_no_bom.csv",
        Error("the file is UTF-16 text; save it as UTF-8"),
    ),
    (
        "latin1.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 5,
        },
    ),
    (
        "utf8_bom_crlf.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 9,
        },
    ),
    (
        "unbalanced_quotes.csv",
        Error("line 3: a quoted field is never closed"),
    ),
    (
        "ragged_rows.csv",
        Titles {
            titles: 4,
            skipped: &[("wrong number of fields", 2)],
            features: 9,
        },
    ),
    (
        "ten_thousand_columns.csv",
        Error("the header has 10000 columns; at most 2000 are supported"),
    ),
    ("single_column.csv", Error("no usable features")),
    (
        "duplicate_ids.csv",
        Titles {
            titles: 3,
            skipped: &[("duplicate id", 1)],
            features: 1,
        },
    ),
    (
        "duplicate_titles.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 3,
        },
    ),
    (
        "all_missing_numeric.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "constant_columns.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 3,
        },
    ),
    (
        "inf_nan.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 2,
        },
    ),
    (
        "huge_numbers.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 1,
        },
    ),
    (
        // Every quantile of the budget lies between −1e308 and 1e308; their
        // difference overflows, and the budget is dropped instead of a NaN.
        "opposite_extremes.csv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "negative_counts.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 2,
        },
    ),
    (
        "formulas.csv",
        Titles {
            titles: 4,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "html_titles.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "one_mb_cell.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "identical_titles.csv",
        Titles {
            titles: 12,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "tabs.tsv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 4,
        },
    ),
    (
        "blank_lines.csv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 1,
        },
    ),
    ("no_title_column.csv", Error("no title column")),
    (
        "all_titles_empty.csv",
        Error("no usable rows: 3 × no title"),
    ),
    (
        "null_markers.csv",
        Titles {
            titles: 3,
            skipped: &[],
            features: 2,
        },
    ),
    (
        "nbsp_padded.csv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "embedded_newlines.csv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "imdb_quotes.tsv",
        Titles {
            titles: 3,
            skipped: &[
                ("not a movie", 1),
                ("adult title", 1),
                ("wrong number of fields", 1),
            ],
            features: 5,
        },
    ),
    (
        "imdb_quotes.tsv.gz",
        Titles {
            titles: 3,
            skipped: &[
                ("not a movie", 1),
                ("adult title", 1),
                ("wrong number of fields", 1),
            ],
            features: 5,
        },
    ),
    (
        "numbers.json",
        Error(
            "the file looks like JSON but is not a list of movies: item 1 of the list is a number",
        ),
    ),
    (
        "broken_line.jsonl",
        Error("the file looks like JSON but is not a list of movies: line 2, column"),
    ),
    (
        "cut_short.csv.gz",
        Error("the gzip file ends too early (the download was cut short?)"),
    ),
    (
        "imdb_non_movies_only.tsv",
        Error("no usable rows: 2 × not a movie"),
    ),
    (
        "broken_json_genres.csv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 2,
        },
    ),
    (
        "control_characters.csv",
        Titles {
            titles: 6,
            skipped: &[],
            features: 1,
        },
    ),
    (
        "semicolons.csv",
        Titles {
            titles: 2,
            skipped: &[],
            features: 4,
        },
    ),
];

/// The whole pipeline as the app runs it; any error becomes its message.
fn run(bytes: &[u8]) -> Result<ClusteredCatalog, String> {
    run_with(bytes, &FeatureSpec::default())
}

fn run_with(bytes: &[u8], spec: &FeatureSpec) -> Result<ClusteredCatalog, String> {
    // The app's way in: gzip sniffed, IMDb's dumps read line by line.
    let catalog = Upload::new(InputFile::new(bytes, bytes.len() as u64))
        .read(&mut |_| {})
        .map_err(|e| e.to_string())?
        .catalog;
    let k = default_k(catalog.len());
    let data = ClusteredCatalog::build(catalog, spec, &KMeansParams::new(k), &mut |_| {})
        .map_err(|e| e.to_string())?;
    let recommender = Recommender::new(&data);
    for i in 0..data.catalog().len() {
        let recs = recommender.similar_to(i, 5, &HashSet::new());
        assert!(recs.iter().all(|r| r.index != i && r.distance.is_finite()));
    }
    assert!(data.matrix().iter().all(|x| x.is_finite()));
    assert_eq!(
        data.projection().dim(),
        (data.catalog().len(), 2),
        "the scatter always has two axes"
    );
    assert!(data.projection().iter().all(|x| x.is_finite()));
    Ok(data)
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/hostile/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_file_in_the_corpus_gets_its_exact_outcome() {
    let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile"))
        .unwrap()
        .count();
    assert_eq!(on_disk, CASES.len(), "every corpus file has a case");
    assert!(CASES.len() >= 30);
    for (name, expect) in CASES {
        let outcome = run(&file(name));
        match (expect, outcome) {
            (Error(text), Err(message)) => assert!(
                message.contains(text),
                "{name}: got error {message:?}, expected {text:?}"
            ),
            (Error(text), Ok(_)) => {
                panic!("{name}: expected an error containing {text:?}, got a catalog")
            }
            (Titles { .. }, Err(message)) => {
                panic!("{name}: expected a catalog, got error {message:?}")
            }
            (
                Titles {
                    titles,
                    skipped,
                    features,
                },
                Ok(data),
            ) => {
                assert_eq!(data.catalog().len(), *titles, "{name}: titles");
                let expected: BTreeMap<String, usize> =
                    skipped.iter().map(|(k, n)| (k.to_string(), *n)).collect();
                let by_kind: BTreeMap<String, usize> = data
                    .catalog()
                    .issues
                    .by_kind
                    .iter()
                    .map(|(k, n)| (k.to_string(), *n))
                    .collect();
                assert_eq!(by_kind, expected, "{name}: skipped rows");
                assert_eq!(
                    data.matrix().ncols(),
                    *features,
                    "{name}: feature columns {:?}",
                    data.pipeline().names()
                );
            }
        }
    }
}

/// The options panel's scaling choices (min–max or z-score, outliers clipped
/// or not) meet the same files: each gives the same titles and a finite matrix.
#[test]
fn every_scaling_choice_survives_the_corpus() {
    for (name, expect) in CASES {
        let Titles { titles, .. } = expect else {
            continue;
        };
        for scaling in [Scaling::MinMax, Scaling::ZScore] {
            for clip_outliers in [false, true] {
                let spec = FeatureSpec {
                    scaling,
                    clip_outliers,
                    ..FeatureSpec::default()
                };
                let data = run_with(&file(name), &spec)
                    .unwrap_or_else(|e| panic!("{name} {scaling:?} clip {clip_outliers}: {e}"));
                assert_eq!(data.catalog().len(), *titles, "{name}");
            }
        }
    }
}

#[test]
fn decoded_and_trimmed_titles_are_what_the_user_wrote() {
    let title = |name: &str, i: usize| {
        run(&file(name)).unwrap().catalog().movies()[i]
            .title
            .clone()
    };
    assert_eq!(title("latin1.csv", 0), "Amélie");
    assert_eq!(title("utf8_bom_crlf.csv", 0), "Alien");
    assert_eq!(title("nbsp_padded.csv", 0), "Alien");
    assert_eq!(
        title("embedded_newlines.csv", 0),
        "Alien\nthe director's cut"
    );
    assert_eq!(
        title("html_titles.csv", 0),
        "<script>alert(1)</script>",
        "kept verbatim; the app renders text"
    );
    assert_eq!(title("one_mb_cell.csv", 0).len(), 1_000_000);
    assert_eq!(
        run(&file("broken_json_genres.csv"))
            .unwrap()
            .catalog()
            .movies()[0]
            .genres,
        ["Horror"]
    );
}

#[test]
fn exported_csv_neutralises_formulas() {
    let csv = clustered_csv(&run(&file("formulas.csv")).unwrap());
    let titles: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or("").to_string())
        .collect();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\""),
        "{csv}"
    );
    assert!(titles.contains(&"'+SUM(A1:A9)".to_string()), "{titles:?}");
    assert!(titles.contains(&"'@cmd".to_string()));
    assert!(titles.contains(&"'-2+3".to_string()));
}

#[test]
fn cluster_counts_are_validated_with_clear_errors() {
    let catalog = Catalog::parse(&file("duplicate_titles.csv")).unwrap();
    let build = |k| {
        ClusteredCatalog::build(
            catalog.clone(),
            &FeatureSpec::default(),
            &KMeansParams::new(k),
            &mut |_| {},
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    };
    assert_eq!(
        build(0).unwrap_err(),
        "the number of clusters k must be at least 1"
    );
    assert_eq!(
        build(4).unwrap_err(),
        "k = 4 is more than the 3 titles available; choose k ≤ 3"
    );
    assert!(build(3).is_ok());
}

#[test]
fn reading_record_by_record_equals_reading_the_whole_table() {
    use reelmeans::infer_roles;
    use reelmeans::Table;
    let mut files: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile"))
            .unwrap()
            .map(|e| e.unwrap().path().display().to_string())
            .collect();
    for real in [
        "data/tmdb5000/tmdb_5000_movies.csv",
        "data/movielens/movies.csv",
        "data/imdb-sample/title.basics.tsv",
        "static/catalog.csv",
    ] {
        files.push(format!("{}/{real}", env!("CARGO_MANIFEST_DIR")));
    }
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let whole = Table::parse(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                let roles = infer_roles(&t.headers, &t.rows);
                Catalog::from_table(&t, &roles)
                    .map(|c| (c, roles))
                    .map_err(|e| e.to_string())
            });
        let mut last = 0.0f32;
        let streamed = Catalog::parse_streaming(bytes, None, &mut |stage| {
            let reelmeans::Stage::Parsing(p) = stage else {
                panic!("{stage:?} while reading");
            };
            assert!((last..=1.0).contains(&p), "progress goes forward");
            last = p;
        })
        .map_err(|e| e.to_string());
        assert_eq!(streamed, whole, "{path}");
    }
}
