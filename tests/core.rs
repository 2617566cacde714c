//! Integration tests of the core on the real data shipped in `data/`, and of
//! the `reelmeans` command line. One binary, topic modules.
#![cfg(not(target_arch = "wasm32"))]

use reelmeans::FeatureGroup;
use reelmeans::Ranking;
use reelmeans::{infer_roles, ColumnRole, Source};
use reelmeans::{Catalog, ClusteredCatalog, FeatureSpec, KMeansParams, Recommender, SavedModel};
use reelmeans::{SkipKind, Table};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The seeded stand-in for IMDb's dumps (an example of its own), and its
/// tests against `data/imdb-sample/`.
#[path = "../examples/imdb_standin/standin.rs"]
mod standin;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn tmdb() -> Catalog {
    Catalog::parse(&bytes("data/tmdb5000/tmdb_5000_movies.csv")).unwrap()
}

/// `catalog` clustered with the default features and k clusters (seed 42).
fn cluster(catalog: Catalog, k: usize) -> ClusteredCatalog {
    ClusteredCatalog::build(
        catalog,
        &FeatureSpec::default(),
        &KMeansParams::new(k),
        &mut |_| {},
    )
    .unwrap()
}

/// The default catalog clustered once with k = 20 (shared by several tests).
fn clustered() -> &'static ClusteredCatalog {
    static DATA: OnceLock<ClusteredCatalog> = OnceLock::new();
    DATA.get_or_init(|| {
        let catalog = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        cluster(catalog, 20)
    })
}

fn index_of(data: &ClusteredCatalog, title: &str) -> usize {
    data.catalog()
        .movies()
        .iter()
        .position(|m| m.title == title)
        .unwrap()
}

mod reading {
    use super::*;

    #[test]
    fn tmdb_5000_is_read_with_no_mapping() {
        let table = Table::parse(&bytes("data/tmdb5000/tmdb_5000_movies.csv")).unwrap();
        let roles = infer_roles(&table.headers, &table.rows);
        let role = |name: &str| roles[table.column(name).unwrap()];
        assert_eq!(role("movie_id"), ColumnRole::Id);
        assert_eq!(role("title"), ColumnRole::Title);
        assert_eq!(role("release_date"), ColumnRole::Year);
        assert_eq!(role("genres"), ColumnRole::Genres);
        assert_eq!(role("original_language"), ColumnRole::Language);
        assert_eq!(role("vote_average"), ColumnRole::Rating);
        assert_eq!(role("vote_count"), ColumnRole::Votes);
        assert_eq!(role("production_countries"), ColumnRole::Ignore);
        let c = tmdb();
        assert_eq!(c.len(), 4803);
        assert_eq!(c.source, Source::Tmdb);
        let avatar = &c.movies()[0];
        assert_eq!(
            (avatar.id.as_str(), avatar.title.as_str(), avatar.year),
            ("19995", "Avatar", Some(2009))
        );
        assert_eq!(
            avatar.genres,
            ["Action", "Adventure", "Fantasy", "Science Fiction"]
        );
        let genres: HashSet<&String> = c.movies().iter().flat_map(|m| &m.genres).collect();
        assert_eq!(genres.len(), 20);
        assert_eq!(
            c.movies().iter().filter(|m| m.genres.is_empty()).count(),
            28
        );
        // Runtime 0 means unknown in TMDB: 35 zeros + 2 empty cells.
        assert_eq!(
            c.movies().iter().filter(|m| m.runtime.is_none()).count(),
            37
        );
    }

    #[test]
    fn the_shipped_default_catalog_matches_its_source() {
        let shipped = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        let source = tmdb();
        assert_eq!(shipped.source, Source::Tmdb);
        assert_eq!(shipped.len(), source.len());
        for (a, b) in shipped.movies().iter().zip(source.movies()) {
            assert_eq!(
                (&a.id, &a.title, a.year, &a.genres),
                (&b.id, &b.title, b.year, &b.genres)
            );
        }
    }

    #[test]
    fn the_shipped_default_catalog_carries_taste_and_is_reproducible() {
        let shipped = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        assert_eq!(shipped.taste_dims(), 32);
        assert!(shipped.movies().iter().all(|m| m.taste.len() == 32));
        // Unit vectors (up to two decimals); the 1,268 titles nobody rated borrowed theirs.
        let norm = |t: &[f32]| t.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!(shipped
            .movies()
            .iter()
            .all(|m| (norm(&m.taste) - 1.0).abs() < 0.03));
        let borrowed = shipped.movies().iter().filter(|m| m.taste_borrowed).count();
        assert_eq!(borrowed, 1268);
        let table = Table::parse(&bytes("static/catalog.csv")).unwrap();
        let roles = infer_roles(&table.headers, &table.rows);
        assert_eq!(
            roles.iter().filter(|r| **r == ColumnRole::Taste).count(),
            32
        );
        assert_eq!(
            roles[table.column("taste_borrowed").unwrap()],
            ColumnRole::Ignore
        );
        // The command in data/DATA.md writes exactly the shipped file.
        let out =
            std::env::temp_dir().join(format!("reelmeans-catalog-{}.csv", std::process::id()));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_reelmeans"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "prepare",
                "data/tmdb5000/tmdb_5000_movies.csv",
                "--interactions",
                "data/movielens/ratings.csv",
                "--links",
                "data/movielens/links.csv",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let written = std::fs::read(&out).unwrap();
        let _ = std::fs::remove_file(&out);
        assert!(
            written == bytes("static/catalog.csv"),
            "prepare no longer reproduces static/catalog.csv"
        );
    }

    #[test]
    fn movielens_movies_join_their_ratings() {
        let mut c = Catalog::parse(&bytes("data/movielens/movies.csv")).unwrap();
        assert_eq!(c.source, Source::MovieLens);
        assert_eq!(c.len(), 9742);
        let toy = &c.movies()[0];
        assert_eq!((toy.title.as_str(), toy.year), ("Toy Story", Some(1995)));
        assert_eq!(c.movies().iter().filter(|m| m.year.is_none()).count(), 13);
        assert_eq!(
            c.movies().iter().filter(|m| m.genres.is_empty()).count(),
            34
        );
        let joined = c
            .attach_ratings(&bytes("data/movielens/ratings.csv"))
            .unwrap();
        assert_eq!(joined, 9724); // movies with at least one rating
        let votes: f64 = c.movies().iter().filter_map(|m| m.votes).sum();
        assert_eq!(votes, 100_836.0);
        let toy = &c.movies()[0];
        assert!(
            (toy.rating.unwrap() - 3.9209).abs() < 1e-3,
            "{:?}",
            toy.rating
        );
    }

    #[test]
    fn the_imdb_pair_keeps_movies_only_and_joins_on_tconst() {
        let mut c = Catalog::parse(&bytes("data/imdb-sample/title.basics.tsv")).unwrap();
        assert_eq!(c.source, Source::Imdb);
        assert_eq!(c.len(), 300);
        assert_eq!(c.issues.count(SkipKind::NotAMovie), 2);
        assert_eq!(c.issues.count(SkipKind::AdultTitle), 1);
        assert!(c.movies().iter().all(|m| m.id.starts_with("tt")));
        let joined = c
            .attach_ratings(&bytes("data/imdb-sample/title.ratings.tsv"))
            .unwrap();
        assert_eq!(joined, 300);
        assert_eq!(
            Source::Imdb.link(&c.movies()[0].id).unwrap(),
            "https://www.imdb.com/title/tt0499549/"
        );
    }

    #[test]
    fn a_ratings_file_of_unknown_shape_is_a_clear_error() {
        let mut c = tmdb();
        let err = c.attach_ratings(b"a,b\n1,2\n").unwrap_err();
        assert!(err.to_string().contains("movieId and rating"), "{err}");
    }
}

mod formats {
    use super::*;
    use reelmeans::KeptLimit;
    use reelmeans::{read_sheet, InputFile, Upload};

    /// The same twelve movies (written for these tests, see
    /// `scripts/make_format_fixtures.py`) in each format and language, read
    /// as the app reads them: a workbook's sheet first, then the upload path.
    fn read(name: &str) -> Catalog {
        let mut bytes = bytes(&format!("tests/fixtures/formats/{name}"));
        if name.ends_with(".xlsx") || name.ends_with(".ods") {
            let file = InputFile::new(bytes.as_slice(), bytes.len() as u64);
            bytes = read_sheet(file, None, KeptLimit::DEFAULT).unwrap().csv;
        }
        Upload::new(InputFile::new(bytes.as_slice(), bytes.len() as u64))
            .read(&mut |_| {})
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .catalog
    }

    #[test]
    fn every_language_and_spreadsheet_gives_the_english_csv_catalog() {
        let english = read("movies.csv");
        for name in [
            "movies_de.csv",
            "movies_fr.csv",
            "movies_es.csv",
            "movies_it.csv",
            "movies_pt.csv",
            "movies_nl.csv",
            "movies_typed.csv",
            "movies.xlsx",
            "movies.ods",
        ] {
            let other = read(name);
            assert!(other.unread.is_empty(), "{name}: {:?}", other.unread);
            // Titles, years, genres, runtimes, ratings, votes and languages:
            // every field of every movie.
            assert_eq!(other.movies(), english.movies(), "{name}");
        }
        let german = read("movies_de.csv");
        assert_eq!(german.movies()[10].title, "Inception");
        assert_eq!(german.movies()[10].rating, Some(8.8));
        assert_eq!(german.movies()[10].votes, Some(2_500_000.0));
        assert_eq!(german.movies()[10].runtime, Some(148.0));
    }

    #[test]
    fn a_german_export_is_understood_column_by_column() {
        use reelmeans::read_columns;
        let table = Table::parse(&bytes("tests/fixtures/formats/movies_de.csv")).unwrap();
        let roles = infer_roles(&table.headers, &table.rows);
        use ColumnRole::*;
        assert_eq!(
            roles,
            [Title, Year, Genres, Runtime, Rating, Votes, Language]
        );
        let readings = read_columns(table.headers.len(), &table.rows);
        let read_as: Vec<String> = roles
            .iter()
            .zip(&readings)
            .filter_map(|(role, r)| r.for_role(*role))
            .map(|u| format!("{} ({} failed)", u.format, u.failed))
            .collect();
        assert_eq!(
            read_as,
            [
                "day.month.year (0 failed)",
                "minutes from '2h 22m' (0 failed)",
                "decimal comma (0 failed)",
                "decimal comma, thousands '.' (0 failed)",
            ]
        );
    }

    #[test]
    fn values_a_format_cannot_read_are_counted_and_named() {
        let mut csv = String::from("Titel;Laufzeit;Bewertung\n");
        csv.push_str("Heat;2 Std. 50 Min.;8,3\nAlien;lang;8,5\nUp;96 Min.;k. A.\n");
        for i in 0..8 {
            csv.push_str(&format!("Film {i};1 Std. 3{i} Min.;7,{i}\n"));
        }
        csv.push_str("Film 9;90 Min.;gut\n");
        let c = Catalog::parse(csv.as_bytes()).unwrap();
        assert_eq!(c.len(), 12, "titles keep their rows");
        assert_eq!(c.movies()[1].runtime, None);
        // `k. A.` (no value) is missing, not unread.
        assert_eq!(
            (c.movies()[2].rating, c.movies()[3].rating),
            (None, Some(7.0))
        );
        let notes: Vec<String> = c
            .unread
            .iter()
            .map(|u| reelmeans::Note::Unread(u.clone()).to_string())
            .collect();
        assert_eq!(
            notes,
            [
                "Laufzeit: 1 value not read as minutes from '2h 22m' and '142 min' (first: \"lang\")",
                "Bewertung: 1 value not read as decimal comma (first: \"gut\")",
            ]
        );
    }

    #[test]
    fn a_comma_delimiter_and_quoted_decimal_commas_are_not_confused() {
        let csv = "Title,Rating,Votes\nHeat,\"8,3\",\"700.000\"\nAlien,\"8,5\",\"900.000\"\nUp,\"8,25\",\"1.100.000\"\n";
        let c = Catalog::parse(csv.as_bytes()).unwrap();
        let read: Vec<(Option<f64>, Option<f64>)> =
            c.movies().iter().map(|m| (m.rating, m.votes)).collect();
        assert_eq!(
            read,
            [
                (Some(8.3), Some(700_000.0)),
                (Some(8.5), Some(900_000.0)),
                (Some(8.25), Some(1_100_000.0))
            ]
        );
        // The same values in an English file with thousands commas.
        let csv = "Title,Votes\nHeat,\"700,000\"\nAlien,\"900,000\"\n";
        let c = Catalog::parse(csv.as_bytes()).unwrap();
        assert_eq!(c.movies()[1].votes, Some(900_000.0));
    }

    #[test]
    fn a_workbook_names_its_sheets_and_reads_the_one_asked_for() {
        let bytes = bytes("tests/fixtures/formats/movies.xlsx");
        let file = || InputFile::new(bytes.as_slice(), bytes.len() as u64);
        let sheet = read_sheet(file(), None, KeptLimit::DEFAULT).unwrap();
        assert_eq!(sheet.name, "Movies", "the cover sheet has no header row");
        assert_eq!(sheet.names, ["About", "Movies"]);
        let text = String::from_utf8(sheet.csv).unwrap();
        assert!(
            text.starts_with(
                "Title,Released,Genres,Runtime,Rating,Votes,Language\nHeat,1995-12-15,"
            ),
            "{text}"
        );
        let e = read_sheet(file(), Some("About"), KeptLimit::DEFAULT).unwrap_err();
        assert!(
            e.to_string().contains("sheet 'About' has no header row"),
            "{e}"
        );
        let e = read_sheet(file(), Some("Films"), KeptLimit::DEFAULT).unwrap_err();
        assert!(
            e.to_string()
                .contains("no sheet 'Films'; its sheets are 'About', 'Movies'"),
            "{e}"
        );
        // A workbook through the plain upload path says what to do.
        let e = Upload::new(file()).read(&mut |_| {}).unwrap_err();
        assert!(e.to_string().contains("read as one of its sheets"), "{e}");
        // Not a workbook, and the old binary format.
        let csv = b"title\nHeat\n";
        let e = read_sheet(InputFile::new(&csv[..], 11), None, KeptLimit::DEFAULT).unwrap_err();
        assert!(
            e.to_string().contains("not an .xlsx or .ods workbook"),
            "{e}"
        );
        let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        let e = read_sheet(InputFile::new(&xls[..], 10), None, KeptLimit::DEFAULT).unwrap_err();
        assert!(e.to_string().contains("old Excel .xls"), "{e}");
        // A zip that is no workbook, and a workbook cut short.
        let e = read_sheet(
            InputFile::new(&bytes[..bytes.len() / 2], 0),
            None,
            KeptLimit::DEFAULT,
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("the spreadsheet cannot be read"),
            "{e}"
        );
    }

    #[test]
    fn json_and_json_lines_give_the_csv_catalog() {
        let csv = read("movies.csv");
        assert_eq!(csv.len(), 12);
        assert_eq!(csv.movies()[5].title, "Amélie");
        assert_eq!(csv.movies()[1].genres, ["Horror", "Science Fiction"]);
        assert_eq!(read("movies.json"), csv);
        assert_eq!(read("movies.jsonl"), csv);
    }
}

mod clustering {
    use super::*;

    #[test]
    fn every_cluster_of_the_default_catalog_is_used() {
        let data = clustered();
        assert_eq!(data.model().k(), 20);
        let sizes = data.cluster_sizes();
        assert_eq!(sizes.iter().sum::<usize>(), 4803);
        assert!(sizes.iter().all(|&s| s > 0), "{sizes:?}");
        assert!(data.model().labels().iter().all(|&l| l < 20));
        assert_eq!(data.projection().dim(), (4803, 2));
        assert!(
            data.explained()[0] >= data.explained()[1]
                && data.explained().iter().sum::<f64>() < 1.0
        );
    }

    #[test]
    fn min_max_features_stay_in_their_weighted_range() {
        let data = clustered();
        let groups: Vec<FeatureGroup> = data.pipeline().columns().iter().map(|c| c.group).collect();
        let taste_weight = data.pipeline().spec().weights.get(FeatureGroup::Taste);
        // Taste factors are unit vectors (borrowed ones shorter), times the weight.
        for row in data.matrix().rows() {
            let norm = row
                .iter()
                .zip(&groups)
                .filter(|(_, g)| **g == FeatureGroup::Taste)
                .map(|(x, _)| x * x)
                .sum::<f32>()
                .sqrt();
            assert!(norm <= taste_weight * 1.03, "taste norm {norm}");
        }
        assert_eq!(
            groups.iter().filter(|g| **g == FeatureGroup::Taste).count(),
            32
        );
        for (c, column) in data.pipeline().columns().iter().enumerate() {
            if column.group == FeatureGroup::Taste {
                continue;
            }
            let weight = data.pipeline().spec().weights.get(column.group);
            for &x in data.matrix().column(c) {
                assert!(
                    (-1e-6..=weight + 1e-6).contains(&x),
                    "{} = {x}",
                    column.name
                );
            }
        }
    }

    #[test]
    fn a_saved_model_loads_back_and_assigns_the_same_clusters() {
        let data = clustered();
        let json = data.saved_model().to_json();
        let model = SavedModel::from_json(&json).unwrap();
        let labels: Vec<u32> = model
            .assign(data.catalog())
            .unwrap()
            .into_iter()
            .map(|l| l as u32)
            .collect();
        assert_eq!(labels, data.model().labels());
        // A model without centroids, or with centroids of the wrong width, is a clear error.
        let mut empty = model.clone();
        empty.centroids.clear();
        assert_eq!(
            empty.assign(data.catalog()).unwrap_err().to_string(),
            "the model has no centroids"
        );
        let mut narrow = model.clone();
        narrow.centroids[3].pop();
        let err = SavedModel::from_json(&narrow.to_json())
            .unwrap_err()
            .to_string();
        assert!(err.contains("columns but its features have"), "{err}");
        assert!(SavedModel::from_json("{\"version\": 9}").is_err());
    }

    #[test]
    fn the_exported_csv_has_cluster_and_distance_columns() {
        let data = clustered();
        let csv = reelmeans::clustered_csv(data);
        let table = Table::parse(csv.as_bytes()).unwrap();
        assert_eq!(table.rows.len(), 4803);
        let cluster = table.column("cluster").unwrap();
        let distance = table.column("distance").unwrap();
        for (row, &label) in table.rows.iter().zip(data.model().labels()) {
            assert_eq!(row.cells[cluster].parse::<u32>().unwrap(), label);
            assert!(row.cells[distance].parse::<f32>().unwrap() >= 0.0);
        }
    }

    #[test]
    fn a_saved_model_clusters_a_catalog_as_it_did_without_running_k_means() {
        let data = clustered();
        let saved = SavedModel::from_json(&data.saved_model().to_json()).unwrap();
        let again =
            ClusteredCatalog::with_model(data.catalog().clone(), &saved, 7, &mut |_| {}).unwrap();
        assert_eq!(again.matrix(), data.matrix());
        assert_eq!(again.model().centroids(), data.model().centroids());
        assert_eq!(again.model().labels(), data.model().labels());
        assert_eq!(again.distances(), data.distances());
        let (a, b) = (again.model().inertia(), data.model().inertia());
        assert!((a - b).abs() <= 1e-4 * b, "{a} vs {b}");
        // Another catalog takes the model's clusters: a part of the default
        // catalog, encoded by the whole one's scales, lands where it did.
        let text = String::from_utf8(bytes("static/catalog.csv")).unwrap();
        let part: String = text.split_inclusive('\n').take(301).collect();
        let part = Catalog::parse(part.as_bytes()).unwrap();
        let small = ClusteredCatalog::with_model(part, &saved, 7, &mut |_| {}).unwrap();
        assert_eq!(small.model().k(), 20);
        assert_eq!(small.model().labels(), &data.model().labels()[..300]);
        // Without the taste factors it was fitted with, a model does not fit.
        let twelve = Catalog::parse(&bytes("tests/fixtures/formats/movies.csv")).unwrap();
        let err = ClusteredCatalog::with_model(twelve, &saved, 7, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("32 taste factors and this catalog has 0"),
            "{err}"
        );
    }

    #[test]
    fn a_saved_model_that_does_not_fit_the_catalog_says_why() {
        // Two number columns the twelve movies do not have.
        let shapes = Catalog::parse(&bytes("tests/fixtures/shapes/major_genre.csv")).unwrap();
        assert!(!shapes.number_columns.is_empty());
        let data = cluster(shapes, 3);
        let json = data.saved_model().to_json();
        let saved = SavedModel::from_json(&json).unwrap();
        let twelve = Catalog::parse(&bytes("tests/fixtures/formats/movies.csv")).unwrap();
        let err = ClusteredCatalog::with_model(twelve.clone(), &saved, 7, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("does not fit this catalog") && err.contains("US Gross"),
            "{err}"
        );
        // Numbers edited into a model: a scale of 0 divides by zero, a huge
        // centroid value overflows f32. Both are named, neither panics.
        let mut edited: serde_json::Value = serde_json::from_str(&json).unwrap();
        let columns = edited["pipeline"]["columns"].as_array_mut().unwrap();
        let numeric = columns
            .iter_mut()
            .find(|c| c["kind"].get("Numeric").is_some())
            .unwrap();
        numeric["kind"]["Numeric"]["scale"] = 0.0.into();
        let zero = SavedModel::from_json(&edited.to_string()).unwrap();
        let own = data.catalog().clone();
        let err = ClusteredCatalog::with_model(own, &zero, 7, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a finite number"), "{err}");
        let mut huge: serde_json::Value = serde_json::from_str(&json).unwrap();
        huge["centroids"][1][0] = 1e300.into();
        let err = SavedModel::from_json(&huge.to_string())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "centroid 2 holds a value that is not a finite number");
    }

    #[test]
    fn an_export_keeps_the_files_own_columns_for_the_titles_it_clustered() {
        let file = "Film,Notes,Year,Genre,cluster\n\
                    Heat,\"two\nlines\",1995,Crime,old\n\
                    ,no title,2000,Drama,old\n\
                    Alien,=1+1,1979,Horror|Sci-Fi,old\n\
                    Up,plain,2009,Animation,\n\
                    Toy Story,,1995,Animation,old\n";
        let (catalog, _) =
            Catalog::parse_streaming(file.as_bytes().to_vec(), None, &mut |_| {}).unwrap();
        assert_eq!(catalog.len(), 4);
        let data = cluster(catalog, 2);
        let csv = reelmeans::clustered_file_csv(file.as_bytes().to_vec(), &data).unwrap();
        let table = Table::parse(csv.as_bytes()).unwrap();
        assert_eq!(
            table.headers,
            ["Film", "Notes", "Year", "Genre", "cluster", "distance"]
        );
        let cells: Vec<&[String]> = table.rows.iter().map(|r| &r.cells[..4]).collect();
        assert_eq!(
            cells,
            [
                ["Heat", "two\nlines", "1995", "Crime"],
                // A formula-like cell is neutralised, as in every export.
                ["Alien", "'=1+1", "1979", "Horror|Sci-Fi"],
                ["Up", "plain", "2009", "Animation"],
                ["Toy Story", "", "1995", "Animation"],
            ]
        );
        for (i, row) in table.rows.iter().enumerate() {
            assert_eq!(
                row.cells[4],
                data.cluster_of(i).to_string(),
                "the old cluster is replaced"
            );
            assert_eq!(row.cells[5], format!("{:.6}", data.distances()[i]));
        }
        // A file changed since it was read does not match: said, not guessed.
        let err = reelmeans::clustered_file_csv(b"Film\nAlien\n".to_vec(), &data)
            .unwrap_err()
            .to_string();
        assert!(err.contains("0 of its 4 titles"), "{err}");
        // JSON, read as the table it becomes: its keys are the columns.
        let json = bytes("tests/fixtures/formats/movies.json");
        let file = reelmeans::InputFile::new(json.as_slice(), json.len() as u64);
        let catalog = reelmeans::Upload::new(file)
            .read(&mut |_| {})
            .unwrap()
            .catalog;
        let data = cluster(catalog, 3);
        let session = reelmeans::Session::new(data);
        let csv = session.export_file_csv(json).unwrap();
        let table = Table::parse(csv.as_bytes()).unwrap();
        assert_eq!(table.rows.len(), 12);
        assert_eq!(table.headers.last().unwrap(), "distance");
        assert!(table.headers.len() > 8, "{:?}", table.headers);
    }
}

mod recommending {
    use super::*;

    #[test]
    fn recommendations_come_from_the_same_cluster_nearest_first() {
        let data = clustered();
        let r = Recommender::new(data).ranking(Ranking::Nearest);
        for title in ["Alien", "Toy Story", "The Dark Knight", "Amélie", "Titanic"] {
            let i = index_of(data, title);
            let recs = r.similar_to(i, 10, &HashSet::new());
            assert!(!recs.is_empty(), "{title}");
            assert!(recs
                .iter()
                .all(|x| x.index != i && data.cluster_of(x.index) == data.cluster_of(i)));
            assert!(recs.windows(2).all(|w| w[0].distance <= w[1].distance));
        }
    }

    /// What the app shows out of the box: default k, weights and ranking.
    #[test]
    fn the_default_catalog_recommends_what_fans_of_a_title_also_love() {
        let catalog = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        let k = reelmeans::default_k(catalog.len());
        let data = cluster(catalog, k);
        let r = Recommender::new(&data);
        let top = |title: &str, n: usize| -> Vec<String> {
            r.similar_to(index_of(&data, title), n, &HashSet::new())
                .iter()
                .map(|x| data.catalog().movies()[x.index].title.clone())
                .collect()
        };
        let alien = r.similar_to(index_of(&data, "Alien"), 5, &HashSet::new());
        assert_eq!(data.catalog().movies()[alien[0].index].title, "Aliens");
        assert!(
            alien[0].reason.to_string().starts_with(
                "Liked by the same viewers as Alien · Shares Horror, Action, Thriller"
            ),
            "{}",
            alien[0].reason
        );
        // Cluster edges move with small changes (a hard partition), so
        // these ask for titles a fan would name, not for exact lists.
        let any_of =
            |list: &[String], names: &[&str]| names.iter().any(|n| list.iter().any(|t| t == n));
        let toy_story = top("Toy Story", 6);
        assert!(
            any_of(
                &toy_story,
                &[
                    "Toy Story 2",
                    "Monsters, Inc.",
                    "Finding Nemo",
                    "The Lion King",
                    "Aladdin"
                ]
            ),
            "{toy_story:?}"
        );
        let dark_knight = top("The Dark Knight", 6);
        assert!(
            any_of(&dark_knight, &["The Dark Knight Rises", "Batman Begins"])
                && any_of(
                    &dark_knight,
                    &[
                        "Inception",
                        "The Prestige",
                        "The Departed",
                        "The Bourne Ultimatum"
                    ]
                ),
            "{dark_knight:?}"
        );
        // Content alone put American Pie next to Amélie; its audience says otherwise.
        let amelie = top("Amélie", 6);
        assert!(
            amelie.contains(&"Eternal Sunshine of the Spotless Mind".to_string())
                && !amelie.contains(&"American Pie".to_string()),
            "{amelie:?}"
        );
        // Taste is what says so: most of every list is "liked by the same viewers".
        for title in ["Toy Story", "The Dark Knight", "Amélie", "Titanic", "Alien"] {
            let recs = r.similar_to(index_of(&data, title), 12, &HashSet::new());
            let same_viewers = recs
                .iter()
                .filter(|x| {
                    x.reason
                        .to_string()
                        .starts_with(&format!("Liked by the same viewers as {title}"))
                })
                .count();
            assert!(same_viewers >= 9, "{title}: {same_viewers} of 12");
        }
    }

    #[test]
    fn the_default_ranking_pulls_well_known_titles_forward_within_the_cluster() {
        let data = clustered();
        let nearest = Recommender::new(data).ranking(Ranking::Nearest);
        let blended = Recommender::new(data);
        let mean_votes = |recs: &[reelmeans::Recommendation]| {
            recs.iter()
                .map(|r| data.catalog().movies()[r.index].votes.unwrap_or(0.0))
                .sum::<f64>()
                / recs.len() as f64
        };
        let (mut more, mut titles) = (0, 0);
        for title in [
            "Alien",
            "Toy Story",
            "The Dark Knight",
            "Amélie",
            "Titanic",
            "Inception",
        ] {
            let i = index_of(data, title);
            let a = nearest.similar_to(i, 12, &HashSet::new());
            let b = blended.similar_to(i, 12, &HashSet::new());
            assert!(b
                .iter()
                .all(|x| x.index != i && data.cluster_of(x.index) == data.cluster_of(i)));
            titles += 1;
            if mean_votes(&b) >= mean_votes(&a) {
                more += 1;
            }
        }
        assert_eq!(
            more, titles,
            "blended lists have at least the votes of nearest ones"
        );
    }

    #[test]
    fn excluded_titles_are_never_recommended() {
        let data = clustered();
        let r = Recommender::new(data);
        let i = index_of(data, "Alien");
        let first: Vec<usize> = r
            .similar_to(i, 5, &HashSet::new())
            .iter()
            .map(|x| x.index)
            .collect();
        let exclude: HashSet<usize> = first.iter().copied().collect();
        let next = r.similar_to(i, 5, &exclude);
        assert!(next.iter().all(|x| !exclude.contains(&x.index)));
    }

    #[test]
    fn a_profile_of_liked_titles_excludes_them_and_cold_start_ranks_by_weighted_rating() {
        let data = clustered();
        let r = Recommender::new(data);
        let liked = [index_of(data, "Alien"), index_of(data, "Aliens")];
        let recs = r.for_profile(&liked, 8, &HashSet::new());
        assert_eq!(recs.len(), 8);
        assert!(recs.iter().all(|x| !liked.contains(&x.index)));
        let popular = r.popular(10, &HashSet::new());
        let wr: Vec<f64> = popular
            .iter()
            .map(|p| {
                data.pipeline()
                    .weighted_rating(&data.catalog().movies()[p.index])
                    .unwrap()
            })
            .collect();
        assert!(wr.windows(2).all(|w| w[0] >= w[1]), "{wr:?}");
        // Few votes cannot win: a 10/10 film with a handful of votes is pulled to the mean.
        assert!(popular
            .iter()
            .all(|p| data.catalog().movies()[p.index].votes.unwrap_or(0.0) > 1000.0));
    }

    #[test]
    fn search_is_accent_insensitive_ranked_and_forgives_typos() {
        let data = clustered();
        let index = reelmeans::TitleIndex::new(data.catalog().movies());
        let title = |h: &reelmeans::SearchHit| data.catalog().movies()[h.index].title.clone();
        assert_eq!(title(&index.search("amelie", 3)[0]), "Amélie");
        let star = index.search("star wars", 10);
        assert!(star
            .iter()
            .all(|h| title(h).to_lowercase().contains("star wars")));
        assert_eq!(title(&index.search("avatar", 3)[0]), "Avatar");
        let typo = index.search("Titanc", 3);
        assert_eq!(typo[0].kind, reelmeans::MatchKind::Fuzzy);
        assert_eq!(title(&typo[0]), "Titanic");
    }
}

mod searching {
    use super::*;
    use reelmeans::TitleIndex;

    /// The committed misspellings (scripts/make_search_typos.py): for each
    /// catalog style, the share found in the top 3, and what was missed.
    fn top3(style: &str, catalog: &Catalog) -> (f64, Vec<String>) {
        let index = TitleIndex::new(catalog.movies());
        let pairs = Table::parse(&bytes("tests/fixtures/search/typos.csv")).unwrap();
        let mut missed = Vec::new();
        let mut total = 0;
        for row in pairs.rows.iter().filter(|r| r.cells[0] == style) {
            let (query, expected) = (&row.cells[1], &row.cells[2]);
            total += 1;
            let hits = index.search(query, 3);
            if !hits
                .iter()
                .any(|h| catalog.movies()[h.index].title == *expected)
            {
                missed.push(format!("{query} → {expected}"));
            }
        }
        assert!(total >= 100, "{style}: {total} pairs");
        (1.0 - missed.len() as f64 / total as f64, missed)
    }

    #[test]
    fn misspelt_titles_are_found_in_the_top_three_on_both_catalog_styles() {
        let movielens = Catalog::parse(&bytes("data/movielens/movies.csv")).unwrap();
        let tmdb = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        for (style, catalog) in [("tmdb", &tmdb), ("movielens", &movielens)] {
            let (rate, missed) = top3(style, catalog);
            assert!(
                rate >= 0.95,
                "{style}: {:.1}% — missed {missed:?}",
                rate * 100.0
            );
        }
    }

    #[test]
    fn the_issues_examples_come_first() {
        let tmdb = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        let index = TitleIndex::new(tmdb.movies());
        for query in ["Godfahter", "Godfater", "godfathr", "The Godfahter"] {
            let first = &tmdb.movies()[index.search(query, 3)[0].index].title;
            assert_eq!(first, "The Godfather", "{query}");
        }
        let first = |q: &str| tmdb.movies()[index.search(q, 3)[0].index].title.clone();
        assert_eq!(first("Dark Knigth"), "The Dark Knight");
        assert_eq!(first("Shawshank Redemtion"), "The Shawshank Redemption");
        let movielens = Catalog::parse(&bytes("data/movielens/movies.csv")).unwrap();
        let index = TitleIndex::new(movielens.movies());
        let first = |q: &str| {
            movielens.movies()[index.search(q, 3)[0].index]
                .title
                .clone()
        };
        assert_eq!(first("The Godfather"), "Godfather, The");
        assert_eq!(first("the godfather part ii"), "Godfather: Part II, The");
    }
}

mod command_line {
    use std::process::Command;

    fn run(args: &[&str]) -> (bool, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_reelmeans"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    #[test]
    fn recommend_with_a_history_matches_rows_by_id_and_leaves_seen_and_filtered_titles_out() {
        let (ok, out, err) = run(&[
            "recommend",
            "static/catalog.csv",
            "--history",
            "tests/fixtures/history/imdb_ratings.csv",
            "--n",
            "10",
            "--exclude-genre",
            "Drama",
            "--years",
            "1990-2010",
            "--json",
        ]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let matches: Vec<&serde_json::Value> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["match"])
            .collect();
        // Se7en, Alien and Jurassic Park by their IMDb ids (TMDB ids on this
        // catalog); Heat is not in TMDB 5000; Breaking Bad is a series.
        assert_eq!(
            matches,
            [
                &serde_json::json!("807"),
                &serde_json::Value::Null,
                &serde_json::json!("348"),
                &serde_json::json!("329"),
                &serde_json::Value::Null
            ]
        );
        let recs = v["recommendations"].as_array().unwrap();
        assert_eq!(recs.len(), 10);
        for r in recs {
            assert!(!["807", "348", "329"].contains(&r["id"].as_str().unwrap()));
            let year = r["year"].as_i64().unwrap();
            assert!((1990..=2010).contains(&year), "{r}");
            assert!(
                r["reason"]
                    .as_str()
                    .unwrap()
                    .starts_with("Because you rated"),
                "{r}"
            );
        }
        let (ok, _, err) = run(&[
            "recommend",
            "static/catalog.csv",
            "--history",
            "data/DATA.md",
        ]);
        assert!(!ok && err.contains("no column of titles"), "{err}");
    }

    #[test]
    fn the_cli_reads_a_gzipped_imdb_pair_and_its_own_stand_in() {
        let dir = std::env::temp_dir().join(format!("reelmeans-cli-imdb-{}", std::process::id()));
        // The stand-in writes the pair gzipped, as IMDb publishes it.
        let params = crate::standin::StandinParams {
            titles: 60_000,
            seed: 3,
        };
        let written = crate::standin::write_gzipped_pair(&dir, params).unwrap();
        assert_eq!(written.titles, 60_000);
        let basics = dir.join("title.basics.tsv.gz");
        let ratings = dir.join("title.ratings.tsv.gz");
        let (b, r) = (basics.to_str().unwrap(), ratings.to_str().unwrap());
        let (ok, out, err) = run(&["cluster", b, "--ratings", r, "--k", "5", "--json"]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let kept = v["rows"].as_u64().unwrap();
        assert!(
            err.contains(&format!(
                "IMDb: kept {kept} movies with at least 1,000 votes of 60,000 rows"
            )),
            "{err}"
        );
        assert!(
            err.contains("× not a movie") && err.contains("× adult title"),
            "{err}"
        );
        assert!(v["read_seconds"].as_f64().unwrap() > 0.0);
        assert!(v["peak_rss_mb"].as_f64().unwrap() > 0.0);
        // TV movies as well, and no minimum: more titles.
        let (ok, out, err) = run(&[
            "cluster",
            b,
            "--ratings",
            r,
            "--min-votes",
            "0",
            "--tv-movies",
            "--k",
            "5",
            "--json",
        ]);
        assert!(ok, "{err}");
        let all: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(
            all["rows"].as_u64().unwrap() > 5 * kept,
            "{all} against {kept}"
        );
        // A gzip file cut short is an error that says so, not a smaller catalog.
        let bytes = std::fs::read(&basics).unwrap();
        let cut = dir.join("cut.tsv.gz");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let (ok, _, err) = run(&["cluster", cut.to_str().unwrap(), "--ratings", r, "--k", "5"]);
        assert!(!ok);
        assert!(
            err.contains("cut.tsv.gz: the gzip file ends too early"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn json_a_spreadsheet_and_a_german_csv_recommend_like_the_english_csv() {
        let recommend = |file: &str, extra: &[&str]| {
            let path = format!("tests/fixtures/formats/{file}");
            let mut args = vec!["recommend", &path, "--title", "Alien", "--k", "3", "--json"];
            args.extend(extra);
            let (ok, out, err) = run(&args);
            assert!(ok, "{file}: {err}");
            (out, err)
        };
        let (english, _) = recommend("movies.csv", &[]);
        let v: serde_json::Value = serde_json::from_str(&english).unwrap();
        assert_eq!(v["title"], "Alien");
        let (json, _) = recommend("movies.json", &[]);
        assert_eq!(json, english);
        let (german, _) = recommend("movies_de.csv", &[]);
        assert_eq!(german, english);
        let (xlsx, err) = recommend("movies.xlsx", &[]);
        assert_eq!(xlsx, english);
        assert!(
            err.contains("read sheet 'Movies' of 2 (About, Movies)"),
            "{err}"
        );
        let (ods, _) = recommend("movies.ods", &["--sheet", "Films"]);
        assert_eq!(ods, english);
        let (ok, _, err) = run(&[
            "recommend",
            "tests/fixtures/formats/movies.csv",
            "--title",
            "Alien",
            "--sheet",
            "x",
        ]);
        assert!(!ok && err.contains("--sheet"), "{err}");
    }

    #[test]
    fn cluster_prints_one_json_object() {
        let (ok, out, err) = run(&[
            "cluster",
            "data/tmdb5000/tmdb_5000_movies.csv",
            "--k",
            "9",
            "--seed",
            "3",
            "--json",
        ]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["k"], 9);
        assert!(v["iterations"].as_u64().unwrap() >= 1);
        assert!(v["inertia"].as_f64().unwrap() > 0.0);
        let (total, kmeans) = (
            v["seconds"].as_f64().unwrap(),
            v["kmeans_seconds"].as_f64().unwrap(),
        );
        assert!(kmeans > 0.0 && kmeans <= total, "{kmeans} of {total}");
        assert!(v["stage_seconds"]["iterations"].as_f64().unwrap() > 0.0);
    }

    #[test]
    fn features_then_cluster_on_the_matrix_matches_clustering_the_catalog() {
        let dir = std::env::temp_dir().join(format!("reelmeans-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let matrix = dir.join("matrix.csv");
        let (ok, _, err) = run(&[
            "features",
            "static/catalog.csv",
            "--out",
            matrix.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        let header = std::fs::read_to_string(&matrix)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        assert!(
            header.contains("genre:Drama") && header.contains("log_votes"),
            "{header}"
        );
        let (ok, a, _) = run(&[
            "cluster",
            "--matrix",
            matrix.to_str().unwrap(),
            "--k",
            "12",
            "--json",
        ]);
        assert!(ok);
        let (ok, b, _) = run(&["cluster", "static/catalog.csv", "--k", "12", "--json"]);
        assert!(ok);
        let (a, b): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&a).unwrap(),
            serde_json::from_str(&b).unwrap(),
        );
        // Both files hold every f32 exactly (shortest round-trip text, raw
        // bytes), so all three runs are the same computation.
        let npy = dir.join("matrix.npy");
        let (ok, _, err) = run(&[
            "features",
            "static/catalog.csv",
            "--out",
            npy.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        let (ok, c, err) = run(&[
            "cluster",
            "--matrix",
            npy.to_str().unwrap(),
            "--k",
            "12",
            "--json",
        ]);
        assert!(ok, "{err}");
        let c: serde_json::Value = serde_json::from_str(&c).unwrap();
        for other in [&b, &c] {
            assert_eq!(a["iterations"], other["iterations"]);
            assert_eq!(a["inertia"], other["inertia"]);
        }
        assert_eq!(c["rows"], 4803);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn recommend_and_elbow_work_on_movielens_and_imdb() {
        let (ok, out, err) = run(&[
            "recommend",
            "data/movielens/movies.csv",
            "--ratings",
            "data/movielens/ratings.csv",
            "--title",
            "Toy Story",
            "--n",
            "5",
        ]);
        assert!(ok, "{err}");
        assert!(out.starts_with("Toy Story (1995) — cluster"), "{out}");
        assert_eq!(out.lines().count(), 6);
        let (ok, out, err) = run(&[
            "recommend",
            "data/imdb-sample/title.basics.tsv",
            "--ratings",
            "data/imdb-sample/title.ratings.tsv",
            "--title",
            "avatar",
        ]);
        assert!(!ok, "{out}");
        assert!(
            err.contains("300 × fewer votes than the minimum; lower the minimum votes"),
            "the sample's votes are MovieLens counts, under the default 1,000: {err}"
        );
        let (ok, out, err) = run(&[
            "recommend",
            "data/imdb-sample/title.basics.tsv",
            "--ratings",
            "data/imdb-sample/title.ratings.tsv",
            "--min-votes",
            "0",
            "--title",
            "avatar",
            "--json",
        ]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["title"], "Avatar");
        assert_eq!(v["recommendations"].as_array().unwrap().len(), 10);
        let (ok, out, err) = run(&[
            "elbow",
            "static/catalog.csv",
            "--k-min",
            "2",
            "--k-max",
            "8",
            "--json",
        ]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["points"].as_array().unwrap().len(), 7);
        assert!((2..=8).contains(&v["suggested_k"].as_u64().unwrap()));
    }

    #[test]
    fn help_and_version_exit_zero_and_a_flag_a_command_does_not_take_is_an_error() {
        for args in [
            vec!["--help"],
            vec!["help"],
            vec!["cluster", "--help"],
            vec!["-h"],
        ] {
            let (ok, out, err) = run(&args);
            assert!(ok, "{args:?}: {err}");
            assert!(out.starts_with("usage:"), "{args:?}: {out}");
        }
        let (ok, out, _) = run(&["--version"]);
        assert!(ok);
        assert_eq!(
            out.trim(),
            format!("reelmeans {}", env!("CARGO_PKG_VERSION"))
        );
        for (args, message) in [
            (
                vec![
                    "cluster",
                    "static/catalog.csv",
                    "--k",
                    "3",
                    "--title",
                    "Alien",
                ],
                "cluster does not take --title",
            ),
            (
                vec!["elbow", "static/catalog.csv", "--k", "3"],
                "elbow does not take --k",
            ),
            (
                vec!["roles", "static/catalog.csv", "--json"],
                "roles does not take --json",
            ),
            (
                vec![
                    "evaluate",
                    "data/movielens/ratings.csv",
                    "--weight",
                    "era=2",
                ],
                "evaluate does not take --weight",
            ),
            (
                vec![
                    "cluster", "--matrix", "m.csv", "--k", "3", "--weight", "era=2",
                ],
                "give it no CATALOG and no catalog options",
            ),
            (
                vec![
                    "prepare",
                    "static/catalog.csv",
                    "--out",
                    "x.csv",
                    "--links",
                    "l.csv",
                ],
                "go with --interactions",
            ),
            (
                vec!["roles", "a.csv", "b.csv"],
                "unexpected argument 'b.csv'",
            ),
        ] {
            let (ok, out, err) = run(&args);
            assert!(!ok && out.is_empty(), "{args:?} succeeded");
            assert!(err.contains(message), "{args:?}: {err}");
        }
    }

    #[test]
    fn cluster_on_a_matrix_writes_labels_and_centroids_whose_inertia_anyone_can_check() {
        let dir = std::env::temp_dir().join(format!("reelmeans-matrix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
        let (ok, _, err) = run(&["features", "static/catalog.csv", "--out", &file("m.csv")]);
        assert!(ok, "{err}");
        let (ok, out, err) = run(&[
            "cluster",
            "--matrix",
            &file("m.csv"),
            "--k",
            "7",
            "--json",
            "--out",
            &file("labels.csv"),
            "--model",
            &file("centroids.csv"),
        ]);
        assert!(ok, "{err}");
        let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
        let numbers = |name: &str| -> Vec<Vec<f64>> {
            std::fs::read_to_string(dir.join(name))
                .unwrap()
                .lines()
                .skip(1)
                .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
                .collect()
        };
        let (rows, labels, centroids) = (
            numbers("m.csv"),
            numbers("labels.csv"),
            numbers("centroids.csv"),
        );
        assert_eq!((labels.len(), centroids.len()), (4803, 7));
        let inertia: f64 = rows
            .iter()
            .zip(&labels)
            .map(|(row, l)| {
                let c = &centroids[l[0] as usize];
                row.iter().zip(c).map(|(x, y)| (x - y).powi(2)).sum::<f64>()
            })
            .sum();
        let reported = summary["inertia"].as_f64().unwrap();
        assert!(
            (inertia - reported).abs() <= 1e-4 * reported,
            "{inertia} vs {reported}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn parse_json_prints_the_records_as_read() {
        let (ok, out, err) = run(&["parse", "tests/hostile/nbsp_padded.csv", "--json"]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["delimiter"], ",");
        let records = v["records"].as_array().unwrap();
        let text = std::fs::read_to_string("tests/hostile/nbsp_padded.csv").unwrap();
        // Every field exactly as in the file: padding kept, nothing cleaned.
        assert_eq!(
            records.len(),
            text.lines().filter(|l| !l.is_empty()).count()
        );
        let first_line: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        assert_eq!(records[0], serde_json::json!(first_line));
    }

    #[test]
    fn errors_go_to_stderr_with_a_non_zero_exit() {
        for (args, message) in [
            (
                vec!["cluster", "static/catalog.csv", "--k", "0"],
                "at least 1",
            ),
            (
                vec!["cluster", "tests/fixtures/malformed.csv", "--k", "2"],
                "line 3",
            ),
            (
                vec!["cluster", "no/such/file.csv", "--k", "2"],
                "cannot read",
            ),
            (
                vec!["recommend", "static/catalog.csv", "--title", "zzzzqqqq"],
                "no title matches",
            ),
            (vec!["frobnicate"], "unknown command"),
        ] {
            let (ok, out, err) = run(&args);
            assert!(!ok, "{args:?} succeeded");
            assert!(out.is_empty());
            assert!(err.contains(message), "{args:?}: {err}");
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const GENRES: [&str; 6] = ["Drama", "Comedy", "Horror", "Action", "Romance", "Sci-Fi"];

    /// A random catalog as CSV: titles, years, genre subsets, ratings, votes (some missing).
    fn catalog_csv() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                1900i32..2025,
                0u8..64,
                proptest::option::of(1.0f64..10.0),
                proptest::option::of(0u32..100_000),
            ),
            3..60,
        )
        .prop_map(|rows| {
            let mut csv = String::from("title,year,genres,rating,votes\n");
            for (i, (year, mask, rating, votes)) in rows.into_iter().enumerate() {
                let genres: Vec<&str> = GENRES
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| mask & (1 << b) != 0)
                    .map(|(_, g)| *g)
                    .collect();
                let opt = |v: Option<String>| v.unwrap_or_default();
                csv += &format!(
                    "Movie {i},{year},{},{},{}\n",
                    genres.join("|"),
                    opt(rating.map(|r| format!("{r:.1}"))),
                    opt(votes.map(|v| v.to_string()))
                );
            }
            csv
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn recommendations_never_contain_the_query_stay_in_cluster_and_are_sorted(
            csv in catalog_csv(), k in 1usize..8, query in 0usize..60, n in 1usize..15, seed in 0u64..50,
        ) {
            let catalog = Catalog::parse(csv.as_bytes()).unwrap();
            let k = k.min(catalog.len());
            let query = query % catalog.len();
            let data = match ClusteredCatalog::build(catalog, &FeatureSpec::default(), &KMeansParams::new(k).seed(seed), &mut |_| {}) {
                Ok(d) => d,
                // Every column constant (possible for tiny random catalogs) is a clear error, not a panic.
                Err(e) => { prop_assert!(e.to_string().contains("no usable features")); return Ok(()); }
            };
            for (c, column) in data.pipeline().columns().iter().enumerate() {
                let w = data.pipeline().spec().weights.get(column.group);
                prop_assert!(data.matrix().column(c).iter().all(|&x| (-1e-6..=w + 1e-6).contains(&x)), "{}", column.name);
            }
            let recs = Recommender::new(&data).ranking(Ranking::Nearest).similar_to(query, n, &HashSet::new());
            let cluster_size = data.cluster_sizes()[data.cluster_of(query)];
            prop_assert_eq!(recs.len(), n.min(cluster_size - 1));
            prop_assert!(recs.iter().all(|r| r.index != query && data.cluster_of(r.index) == data.cluster_of(query)));
            prop_assert!(recs.windows(2).all(|w| (w[0].distance, w[0].index) <= (w[1].distance, w[1].index)));
            // The blended default: same titles' rules, sorted by d² · e^(-γ · vote share).
            let Ranking::Blend { popularity } = Ranking::DEFAULT else { unreachable!() };
            let log_votes = |i: usize| data.catalog().movies()[i].votes.map_or(0.0, |v| v.max(0.0).ln_1p());
            let most = (0..data.catalog().len()).filter(|&i| data.cluster_of(i) == data.cluster_of(query)).map(log_votes).fold(0.0, f64::max);
            let score = |r: &reelmeans::Recommendation| {
                let share = if most > 0.0 { log_votes(r.index) / most } else { 0.0 };
                f64::from(r.distance).powi(2) * (-f64::from(popularity) * share).exp()
            };
            let blended = Recommender::new(&data).similar_to(query, n, &HashSet::new());
            prop_assert_eq!(blended.len(), recs.len());
            prop_assert!(blended.iter().all(|r| r.index != query && data.cluster_of(r.index) == data.cluster_of(query)));
            prop_assert!(blended.windows(2).all(|w| score(&w[0]) <= score(&w[1]) * (1.0 + 1e-5) + 1e-9));
        }
    }
}

mod evaluation {
    use super::*;
    use reelmeans::{evaluate, EvalSettings, Scores};
    use reelmeans::{read_links, Interactions, Strength};

    #[test]
    fn movielens_ratings_join_the_tmdb_catalog_through_links() {
        let catalog = Catalog::parse(&bytes("static/catalog.csv")).unwrap();
        let links = read_links(&bytes("data/movielens/links.csv")).unwrap();
        let i = Interactions::parse(&bytes("data/movielens/ratings.csv"), &catalog, Some(&links))
            .unwrap();
        assert_eq!(i.strength, Strength::Rating);
        assert_eq!(i.records.len(), 70_194);
        assert_eq!(
            i.records.len() + i.issues.count(SkipKind::UnknownItem),
            100_836
        );
    }

    /// Every recommender on ml-latest-small with the default settings (seed 42), once.
    fn movielens_scores() -> &'static [Scores] {
        static SCORES: OnceLock<Vec<Scores>> = OnceLock::new();
        SCORES.get_or_init(|| {
            let catalog = Catalog::parse(&bytes("data/movielens/movies.csv")).unwrap();
            let i =
                Interactions::parse(&bytes("data/movielens/ratings.csv"), &catalog, None).unwrap();
            evaluate(&catalog, &i, &EvalSettings::default()).unwrap()
        })
    }

    fn find<'a>(scores: &'a [Scores], part: &str) -> &'a Scores {
        scores
            .iter()
            .find(|s| s.name.contains(part))
            .unwrap_or_else(|| panic!("no recommender named like '{part}'"))
    }

    #[test]
    fn on_movielens_item_clusters_with_taste_match_popularity_with_four_times_its_coverage() {
        let scores = movielens_scores();
        let taste = find(scores, "item clusters with taste");
        let ndcg = |s: &Scores| s.ndcg(10).unwrap();
        // Popularity at its best: counted over all kept interactions or strong ones only.
        let popularity = [
            find(scores, "popularity (count)"),
            find(scores, "popularity (strong interactions)"),
        ];
        let best_popularity = popularity.iter().map(|s| ndcg(s)).fold(0.0, f64::max);
        let widest_popularity = popularity.iter().map(|s| s.coverage).fold(0.0, f64::max);
        assert!(
            ndcg(taste) >= best_popularity,
            "taste {} vs popularity {best_popularity}",
            ndcg(taste)
        );
        assert!(
            taste.coverage >= 4.0 * widest_popularity,
            "coverage {} vs popularity {widest_popularity}",
            taste.coverage
        );
        // Taste is what lifts the item clusters: without it they are far behind.
        let content_only = find(scores, "item clusters (profile of liked items)");
        assert!(ndcg(taste) > 5.0 * ndcg(content_only));
        // The collaborative anchor is a real one: item-kNN beats popularity too.
        assert!(ndcg(find(scores, "item-kNN")) > best_popularity);
    }

    #[test]
    fn on_movielens_user_clusters_beat_popularity_and_random_is_worst() {
        let scores = movielens_scores();
        let ndcg = |name: &str| {
            scores
                .iter()
                .find(|s| s.name == name)
                .unwrap()
                .ndcg(10)
                .unwrap()
        };
        assert!(
            scores.iter().all(|s| s.users == 573),
            "users with a relevant held-out rating"
        );
        let popularity = ndcg("popularity (count)");
        let best_clusters =
            ndcg("user clusters (category means)").max(ndcg("user clusters (interaction vectors)"));
        // The issue's target: +15% NDCG@10 over popularity with this protocol (measured: +21%).
        assert!(
            best_clusters >= 1.15 * popularity,
            "{best_clusters} vs {popularity}"
        );
        assert!(scores
            .iter()
            .all(|s| s.name == "random" || s.ndcg(10).unwrap() > ndcg("random")));
    }

    #[test]
    fn the_course_mode_recommends_what_peers_completed() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reelmeans"))
            .args([
                "users",
                "tests/fixtures/courses/interactions.csv",
                "--catalog",
                "tests/fixtures/courses/items.csv",
                "--user",
                "S001",
                "--user-k",
                "3",
                "--json",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["profile"][0][0], "avg_Data");
        let seen: HashSet<String> =
            std::fs::read_to_string(path("tests/fixtures/courses/interactions.csv"))
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("S001,"))
                .map(|l| l.split(',').nth(1).unwrap().to_string())
                .collect();
        let recs = v["recommendations"].as_array().unwrap();
        assert!(!recs.is_empty());
        assert!(recs
            .iter()
            .all(|r| !seen.contains(r["id"].as_str().unwrap())));
    }
}

mod encoding {
    use super::*;

    #[test]
    fn a_clustered_catalog_survives_the_worker_message_encoding() {
        let data = clustered();
        let bytes = postcard::to_allocvec(data).unwrap();
        let back: ClusteredCatalog = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(&back, data);
        let json = serde_json::to_vec(data).unwrap();
        // Measured on the default catalog: 1.14 MB against 1.93 MB.
        assert!(
            bytes.len() * 3 < json.len() * 2,
            "binary {} vs JSON {}",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn a_decoded_catalog_whose_parts_disagree_is_refused() {
        let data = clustered();
        let mut value = serde_json::to_value(data).unwrap();
        value["distances"].as_array_mut().unwrap().pop();
        let err = serde_json::from_value::<ClusteredCatalog>(value)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a clustered catalog whose distances do not match its 4803 titles"),
            "{err}"
        );
    }
}

mod split {
    use super::*;
    use reelmeans::clustered_file_csv;
    use reelmeans::{cluster_file, SplitCatalog};
    use reelmeans::{Selection, Session};

    /// The default catalog split as the Spark job splits a big one: the
    /// title list without taste columns, and one file per cluster.
    fn split_files(data: &ClusteredCatalog) -> (String, Vec<String>) {
        let csv = clustered_file_csv(bytes("static/catalog.csv"), data).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let light: Vec<usize> = (0..headers.len())
            .filter(|&i| !headers[i].starts_with("taste_"))
            .collect();
        let cluster = headers.iter().position(|h| h == "cluster").unwrap();
        let mut titles = csv::Writer::from_writer(Vec::new());
        titles
            .write_record(light.iter().map(|&i| &headers[i]))
            .unwrap();
        let k = data.model().k();
        let mut files: Vec<csv::Writer<Vec<u8>>> = (0..k)
            .map(|_| {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&headers).unwrap();
                w
            })
            .collect();
        for record in reader.records() {
            let record = record.unwrap();
            titles
                .write_record(light.iter().map(|&i| &record[i]))
                .unwrap();
            let c: usize = record[cluster].parse().unwrap();
            files[c].write_record(&record).unwrap();
        }
        let text = |w: csv::Writer<Vec<u8>>| String::from_utf8(w.into_inner().unwrap()).unwrap();
        (text(titles), files.into_iter().map(text).collect())
    }

    #[test]
    fn a_split_catalog_recommends_what_the_whole_one_does() {
        let data = clustered();
        let whole = Session::new(data.clone());
        let (titles, files) = split_files(data);
        let model = data.saved_model();
        let mut split =
            SplitCatalog::open(titles.clone().into_bytes(), model, &mut |_| {}).unwrap();
        assert_eq!(split.len(), 4803);
        assert!(!titles.contains("taste_1"));
        // Every cluster profile is the whole catalog's (no scatter: no features in the tab).
        let (a, b) = (split.overview(), whole.overview());
        assert_eq!((a.titles, a.k), (b.titles, b.k));
        assert_eq!(a.profiles, b.profiles);
        assert!(a.scatter.is_empty());
        // Search covers every cluster before any is loaded.
        let hit = &split.search("the dark knight", 3)[0];
        assert_eq!(hit.movie.title, "The Dark Knight");
        assert_eq!(
            hit.movie.cluster,
            data.cluster_of(index_of(data, "The Dark Knight"))
        );
        // Nothing loaded: the top-rated titles of the whole list.
        let none = split.card(None, &[], &[]);
        assert_eq!(none.popular, whole.card(None, &[], &[]).popular);
        // A selection needs its cluster's file; then the card is the whole catalog's.
        let mut loaded = HashSet::new();
        for title in [
            "The Dark Knight",
            "Toy Story 3",
            "Alien",
            "Amélie",
            "Up",
            "Inception",
        ] {
            let index = index_of(data, title);
            let selection = Selection::Id(data.catalog().movies()[index].id.clone());
            if let Some(c) = split.needs(Some(&selection)) {
                assert_eq!(c, data.cluster_of(index));
                split.load(c, files[c].clone().into_bytes()).unwrap();
                loaded.insert(c);
            }
            assert_eq!(split.needs(Some(&selection)), None);
            let liked = vec![selection_id(&selection)];
            let card = split.card(Some(&selection), &[], &liked);
            let expected = whole.card(Some(&selection), &[], &liked);
            assert_eq!(card.selected, expected.selected, "{title}");
            assert_eq!(card.for_liked, expected.for_liked, "{title}");
            assert!(card.selected.unwrap().similar.len() >= 10, "{title}");
        }
        assert!(loaded.len() >= 3, "clusters loaded: {loaded:?}");
    }

    fn selection_id(s: &Selection) -> String {
        match s {
            Selection::Id(id) => id.clone(),
            Selection::Index(_) => unreachable!(),
        }
    }

    #[test]
    fn split_files_that_do_not_match_are_refused_and_the_loaded_cluster_stays() {
        let data = clustered();
        let (titles, files) = split_files(data);
        let model = data.saved_model();
        // A catalog is no title list.
        let err = SplitCatalog::open(bytes("static/catalog.csv"), model.clone(), &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("no cluster column"), "{err}");
        // A cluster beyond the model's k.
        let k = data.model().k();
        let bad = titles.replacen(&format!(",{},", data.cluster_of(0)), &format!(",{k},"), 1);
        let err = SplitCatalog::open(bad.into_bytes(), model.clone(), &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("which the model (k = {k}) does not have")),
            "{err}"
        );
        // Another cluster's file in place of this one's.
        let mut split =
            SplitCatalog::open(titles.clone().into_bytes(), model, &mut |_| {}).unwrap();
        split.load(0, files[0].clone().into_bytes()).unwrap();
        let err = split
            .load(1, files[2].clone().into_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&cluster_file(1)) && err.contains("do not match"),
            "{err}"
        );
        assert_eq!(split.loaded(), Some(0));
        assert!(split.load(1, Vec::new()).is_err());
        assert_eq!(split.loaded(), Some(0));
        // A missing file, answered by CloudFront with the site's page.
        let page = b"\n<!DOCTYPE html>\n<html><head><title>reelmeans</title></head></html>\n";
        let err = split.load(1, page.to_vec()).unwrap_err().to_string();
        assert_eq!(
            err,
            format!("the site has no {}: it answered with a web page (what CloudFront sends for a missing file)", cluster_file(1))
        );
        assert_eq!(split.loaded(), Some(0));
    }
}
