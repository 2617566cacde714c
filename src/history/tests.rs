use super::*;
use crate::catalog::Catalog;
use crate::clustered::ClusteredCatalog;
use crate::features::FeatureSpec;
use crate::kmeans::KMeansParams;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;
use std::io::Write;

fn default_catalog() -> Catalog {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/catalog.csv")).unwrap();
    Catalog::parse(&bytes).unwrap()
}

fn letterboxd_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let files = [
        ("profile.csv", "Date Joined,Username\n2020-01-01,someone\n"),
        (
            "ratings.csv",
            "Date,Name,Year,Letterboxd URI,Rating\n2023-01-15,Se7en,1995,https://boxd.it/1,4.5\n2023-02-01,Amelie,2001,https://boxd.it/2,3\n",
        ),
        (
            "diary.csv",
            "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2023-03-01,Heat,1995,https://boxd.it/3,,Yes,,2023-02-28\n",
        ),
        ("watched.csv", "Date,Name,Year,Letterboxd URI\n2022-05-05,Alien,1979,https://boxd.it/4\n"),
        ("watchlist.csv", "Date,Name,Year,Letterboxd URI\n2022-06-06,Jaws,1975,https://boxd.it/5\n"),
        ("likes/films.csv", "Date,Name,Year,Letterboxd URI\n2022-07-07,Aliens,1986,https://boxd.it/6\n"),
        ("deleted/ratings.csv", "Date,Name,Year,Letterboxd URI,Rating\n2021-01-01,Titanic,1997,x,1\n"),
    ];
    for (name, text) in files {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn reads_a_letterboxd_zip_and_ignores_its_other_files() {
    let history = read_history("letterboxd-someone.zip", &letterboxd_zip()).unwrap();
    assert_eq!(history.format, ExportFormat::Letterboxd);
    let titles: Vec<(&str, Shelf)> = history
        .entries
        .iter()
        .map(|e| (e.title.as_str(), e.shelf))
        .collect();
    assert_eq!(
        titles,
        [
            ("Se7en", Shelf::Rated),
            ("Amelie", Shelf::Rated),
            ("Heat", Shelf::Watched),
            ("Aliens", Shelf::Liked),
            ("Alien", Shelf::Watched),
            ("Jaws", Shelf::Watchlist),
        ]
    );
    assert_eq!(history.entries[0].rating, Some(0.9));
    // The diary's watched date, not the day it was logged.
    assert_eq!(history.entries[2].day, read::day("2023-02-28"));
}

#[test]
fn a_zip_that_is_not_letterboxd_and_a_zip_bomb_are_refused_with_reasons() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("notes.txt", options).unwrap();
    zip.write_all(b"hello").unwrap();
    let other = zip.finish().unwrap().into_inner();
    assert!(matches!(
        read_history("x.zip", &other),
        Err(HistoryError::NotLetterboxd { .. })
    ));
    // 80 MB of one letter in ratings.csv: refused while unpacking.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("ratings.csv", options).unwrap();
    zip.write_all(b"Date,Name,Year,Letterboxd URI,Rating\n")
        .unwrap();
    let block = vec![b'a'; 1 << 20];
    for _ in 0..80 {
        zip.write_all(&block).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    let err = read_history("bomb.zip", &bomb).unwrap_err();
    assert!(
        err.to_string().contains("unpacks to more than 64 MB"),
        "{err}"
    );
}

#[test]
fn reads_both_imdb_layouts_and_leaves_series_out() {
    let old = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n\
               tt0114369,9,2023-04-01,Se7en,https://x,Movie,8.6,127,1995,Crime,1,1995-09-22,David Fincher\n\
               tt0903747,10,2023-04-02,Breaking Bad,https://x,TV Series,9.5,49,2008,Drama,1,2008-01-20,\n";
    let h = read_history("ratings.csv", old.as_bytes()).unwrap();
    assert_eq!(h.format, ExportFormat::Imdb);
    assert_eq!(h.entries[0].imdb.as_deref(), Some("tt0114369"));
    assert_eq!(h.entries[0].rating, Some(0.9));
    assert_eq!(h.entries[0].shelf, Shelf::Rated);
    assert!(!h.entries[1].film);
    let new = "Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n\
               1,tt0073195,2024-01-01,2024-01-01,,Jaws,Jaws,https://x,Movie,8.1,124,1975,Thriller,1,1975-06-20,Steven Spielberg\n";
    let h = read_history("WATCHLIST.csv", new.as_bytes()).unwrap();
    assert_eq!(h.entries[0].shelf, Shelf::Watchlist);
    assert_eq!(h.entries[0].year, Some(1975));
}

#[test]
fn reads_trakt_json_and_leaves_episodes_out() {
    let ratings = r#"[{"rated_at":"2023-05-01T20:00:00.000Z","rating":8,"type":"movie",
        "movie":{"title":"Heat","year":1995,"ids":{"trakt":1,"slug":"heat-1995","imdb":"tt0113277","tmdb":949}}},
        {"rated_at":"2023-05-02T20:00:00.000Z","rating":9,"type":"episode",
        "episode":{"title":"Pilot","ids":{"trakt":2}}}]"#;
    let h = read_history("ratings-movies.json", ratings.as_bytes()).unwrap();
    assert_eq!(h.format, ExportFormat::Trakt);
    assert_eq!(h.entries[0].tmdb.as_deref(), Some("949"));
    assert_eq!(h.entries[0].rating, Some(0.8));
    assert!(h.entries[0].film && !h.entries[1].film);
    let watchlist = r#"[{"listed_at":"2023-01-01T00:00:00.000Z","movie":{"title":"Jaws","year":1975,"ids":{"tmdb":578}}}]"#;
    let h = read_history("lists-watchlist.json", watchlist.as_bytes()).unwrap();
    assert_eq!(h.entries[0].shelf, Shelf::Watchlist);
    let err = read_history("x.json", br#"{"a": 1}"#).unwrap_err();
    assert!(
        err.to_string().contains("not a list of Trakt items"),
        "{err}"
    );
}

#[test]
fn reads_netflix_history_and_activity() {
    let history = "Title,Date\n\"Stranger Things: Season 1: Chapter One\",12/31/23\nInception,1/2/24\n\"Mission: Impossible\",13/02/2024\n";
    let h = read_history("NetflixViewingHistory.csv", history.as_bytes()).unwrap();
    assert_eq!(h.format, ExportFormat::Netflix);
    assert!(!h.entries[0].film);
    assert!(h.entries[1].film && h.entries[2].film);
    assert_eq!(h.entries[0].day, read::day("2023-12-31"));
    assert_eq!(h.entries[2].day, read::day("2024-02-13"));
    let activity = "Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,Device Type,Bookmark,Latest Bookmark,Country\n\
                    Ann,2024-01-02 20:00:00,01:50:00,,Inception,,TV,01:50:00,01:50:00,US\n\
                    Ann,2024-01-02 19:58:00,00:02:00,,Inception (Trailer),TRAILER,TV,00:02:00,00:02:00,US\n";
    let h = read_history("ViewingActivity.csv", activity.as_bytes()).unwrap();
    assert_eq!(h.entries.iter().filter(|e| e.film).count(), 1);
}

#[test]
fn reads_a_plain_csv_in_another_language_and_says_when_it_has_no_titles() {
    let plain = "Titel;Jahr;Bewertung\nDie Hard;1988;8,5\nAlien;1979;10\n";
    let h = read_history("meine.csv", plain.as_bytes()).unwrap();
    assert_eq!(h.format, ExportFormat::Plain);
    assert_eq!(h.entries[0].year, Some(1988));
    assert_eq!(h.entries[0].rating, Some(0.85));
    let err = read_history("x.csv", b"a,b\n1,2\n").unwrap_err();
    assert!(err.to_string().contains("no column of titles"), "{err}");
}

#[test]
fn matches_by_id_then_title_and_year_and_never_guesses() {
    let catalog = default_catalog();
    let entry = |title: &str, year: Option<i32>| Entry {
        title: title.into(),
        year,
        imdb: None,
        tmdb: None,
        rating: None,
        day: None,
        shelf: Shelf::Watched,
        film: true,
    };
    let mut by_id = entry("Sieben", None);
    by_id.imdb = Some("tt0114369".into());
    let history = History {
        format: ExportFormat::Plain,
        entries: vec![
            by_id,
            entry("AMELIE", Some(2001)),
            entry("Matrix, The", Some(2000)),
            entry("The Host", None),
            entry("The Host", Some(2006)),
            entry("Star Wars: Episode IV - A New Hope", Some(1977)),
            entry("Not A Film In This Catalog", Some(2020)),
        ],
    };
    let matched = match_history(&catalog, &history, &[]);
    let title = |o: &Outcome| match o {
        Outcome::Matched(i) => catalog.movies()[*i].title.clone(),
        other => format!("{other:?}"),
    };
    let got: Vec<String> = matched.outcomes.iter().map(title).collect();
    assert_eq!(got[0], "Se7en");
    assert_eq!(got[1], "Amélie");
    assert_eq!(got[2], "The Matrix");
    assert!(matches!(matched.outcomes[3], Outcome::Ambiguous(ref l) if l.len() == 2));
    assert_eq!(got[4], "The Host");
    assert_eq!(got[5], "Star Wars");
    assert_eq!(matched.outcomes[6], Outcome::NotInCatalog);
    assert_eq!(matched.report.matched, 5);
    assert_eq!(matched.report.ambiguous, 1);
    assert_eq!(matched.report.unmatched.len(), 2);
    // A fix by hand wins.
    let fixed = match_history(&catalog, &history, &[(3, 2879 - 2)]);
    assert_eq!(fixed.report.ambiguous, 0);
}

/// A seeded export of default-catalog titles with the noise real exports
/// have: accents dropped, case changed, subtitles written differently,
/// leading articles moved, `&` for "and", years one off, and series rows.
#[test]
fn matches_noisy_generated_exports_as_the_targets_ask() {
    let catalog = default_catalog();
    let mut rng = StdRng::seed_from_u64(7);
    let movies = catalog.movies();
    let mut entries = Vec::new();
    let mut truth = Vec::new();
    for _ in 0..3000 {
        let i = rng.random_range(0..movies.len());
        let m = &movies[i];
        let mut title = m.title.clone();
        match rng.random_range(0..7) {
            0 => title = crate::search::fold(&title),
            1 => title = title.to_uppercase(),
            2 => title = title.replace(": ", " - "),
            3 => {
                if let Some(rest) = title.strip_prefix("The ") {
                    title = format!("{rest}, The");
                }
            }
            4 => title = title.replace(" and ", " & "),
            _ => {}
        }
        let year = match rng.random_range(0..10) {
            0 => m.year.map(|y| y + 1),
            1 => m.year.map(|y| y - 1),
            _ => m.year,
        };
        entries.push(Entry {
            title,
            year,
            imdb: None,
            tmdb: None,
            rating: None,
            day: None,
            shelf: Shelf::Watched,
            film: true,
        });
        truth.push(Some(i));
        if rng.random_range(0..10) == 0 {
            entries.push(Entry {
                title: format!("{}: Season 2: Episode 3", m.title),
                year: None,
                imdb: None,
                tmdb: None,
                rating: None,
                day: None,
                shelf: Shelf::Watched,
                film: false,
            });
            truth.push(None);
        }
    }
    let history = History {
        format: ExportFormat::Plain,
        entries,
    };
    let matched = match_history(&catalog, &history, &[]);
    let (mut right, mut wrong, mut films) = (0, 0, 0);
    for (outcome, truth) in matched.outcomes.iter().zip(&truth) {
        match (outcome, truth) {
            (Outcome::Matched(i), Some(t)) => {
                films += 1;
                // A catalog duplicate (same title and year) is as right.
                let same = |a: usize, b: usize| {
                    movies[a].title == movies[b].title && movies[a].year == movies[b].year
                };
                if same(*i, *t) {
                    right += 1;
                } else {
                    wrong += 1;
                }
            }
            (Outcome::LeftOut, None) => {}
            (_, Some(_)) => films += 1,
            (o, None) => panic!("a series row became {o:?}"),
        }
    }
    let right_share = right as f64 / films as f64;
    let wrong_share = wrong as f64 / films as f64;
    println!("right {right_share:.4}, wrong {wrong_share:.4} of {films}");
    assert!(right_share >= 0.97, "right {right_share}");
    assert!(wrong_share <= 0.005, "wrong {wrong_share}");
}

#[test]
fn for_you_leaves_seen_titles_out_obeys_filters_and_gives_reasons() {
    let catalog = default_catalog();
    let history = read_history("letterboxd.zip", &letterboxd_zip()).unwrap();
    let matched = match_history(&catalog, &history, &[]);
    let profile = Profile::new(&history, &matched.outcomes, &[]);
    let data = ClusteredCatalog::build(
        catalog,
        &FeatureSpec::default(),
        &KMeansParams::new(20),
        &mut |_| {},
    )
    .unwrap();
    let none = HashSet::new();
    let list = for_you(&data, &profile, &Filters::default(), &none, 20);
    assert_eq!(list.len(), 20);
    let movies = data.catalog().movies();
    for s in &list {
        assert!(!profile.seen.contains(&s.index));
        assert!(!profile.watchlist.contains(&s.index));
        assert!(
            s.reason.to_string().starts_with("Because you"),
            "{}",
            s.reason
        );
    }
    let filters = Filters {
        exclude_genres: vec!["drama".into()],
        from_year: Some(1990),
        to_year: Some(1999),
        ..Filters::default()
    };
    let filtered = for_you(&data, &profile, &filters, &none, 20);
    assert!(!filtered.is_empty());
    for s in &filtered {
        let m = &movies[s.index];
        assert!(!m.genres.iter().any(|g| g == "Drama"));
        assert!((1990..=1999).contains(&m.year.unwrap()));
    }
    let gone: HashSet<usize> = [list[0].index].into();
    assert!(!for_you(&data, &profile, &Filters::default(), &gone, 20)
        .iter()
        .any(|s| s.index == list[0].index));
    let watch = watchlist_first(&data, &profile, &Filters::default(), &none);
    assert_eq!(movies[watch[0].index].title, "Jaws");
    let csv = letterboxd_csv(&data, &[watch[0].index]);
    assert_eq!(csv, "Title,Year,tmdbID,imdbID\nJaws,1975,578,tt0073195\n");
}
