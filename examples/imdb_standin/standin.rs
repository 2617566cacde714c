//! A full-size stand-in for IMDb's dataset dumps, for tests and benchmarks
//! (the real dumps are not shipped with the project): a seeded generator that
//! writes a `title.basics.tsv` and `title.ratings.tsv` pair in IMDb's exact
//! format, at IMDb's scale and mix.
//!
//! What it copies from the real files (and from `data/imdb-sample/`): the
//! headers; `tt` ids of at least seven digits, increasing; IMDb's mix of
//! title types (three in four rows are TV episodes, one in sixteen a
//! movie); about 1.5% adult titles; `\N` for a missing year, runtime or
//! genre list; up to three genres from IMDb's 28, comma-separated; titles
//! in several scripts, some with a lone `"` (IMDb does not quote); episodes
//! named "Episode #1.5"; ratings for about one title in seven, with votes
//! heavy-tailed (a median in the tens, a few in the millions), sorted by id.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::{self, Write};
use std::path::Path;

/// IMDb's title types and their shares of the basics dump (2024), with the
/// chance that a title of the type is rated and the log-votes of rated ones.
const TYPES: &[(&str, f64, f64, f64)] = &[
    // (type, share, rated, mean of ln(votes))
    ("tvEpisode", 0.745, 0.10, 3.0),
    ("short", 0.088, 0.15, 3.0),
    ("movie", 0.063, 0.50, 4.2),
    ("video", 0.026, 0.20, 3.2),
    ("tvSeries", 0.024, 0.40, 4.0),
    ("tvMovie", 0.013, 0.40, 3.6),
    ("tvMiniSeries", 0.005, 0.40, 3.8),
    ("tvSpecial", 0.005, 0.30, 3.4),
    ("videoGame", 0.004, 0.40, 4.0),
    ("tvShort", 0.001, 0.15, 2.8),
    ("tvPilot", 0.00001, 0.30, 3.0),
];

/// IMDb's genres.
const GENRES: &[&str] = &[
    "Action",
    "Adult",
    "Adventure",
    "Animation",
    "Biography",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Film-Noir",
    "Game-Show",
    "History",
    "Horror",
    "Music",
    "Musical",
    "Mystery",
    "News",
    "Reality-TV",
    "Romance",
    "Sci-Fi",
    "Short",
    "Sport",
    "Talk-Show",
    "Thriller",
    "War",
    "Western",
];

/// Words titles are made of, in several scripts.
const WORDS: &[&str] = &[
    "The",
    "Night",
    "Return",
    "of",
    "Last",
    "City",
    "Love",
    "Dark",
    "House",
    "Man",
    "Woman",
    "War",
    "Blue",
    "Red",
    "Star",
    "Dead",
    "King",
    "Summer",
    "Winter",
    "Secret",
    "Road",
    "Sea",
    "Girl",
    "Boy",
    "Story",
    "Life",
    "Death",
    "Time",
    "Lost",
    "Heart",
    "Fire",
    "Water",
    "Home",
    "Amélie",
    "Über",
    "Niño",
    "Ça",
    "Café",
    "Señor",
    "Göteborg",
    "Kärlek",
    "Москва",
    "Ночь",
    "東京",
    "物語",
    "夜",
    "사랑",
    "Αθήνα",
    "İstanbul",
    "Łódź",
    "Zürich",
    "Crème",
    "Noël",
];

/// How big a stand-in to write.
#[derive(Debug, Clone, Copy)]
pub struct StandinParams {
    /// Rows of `title.basics` (IMDb's has about 11 million).
    pub titles: usize,
    /// The random seed.
    pub seed: u64,
}

impl Default for StandinParams {
    fn default() -> Self {
        StandinParams {
            titles: 11_000_000,
            seed: 1,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StandinSummary {
    /// Rows of `title.basics`.
    pub titles: usize,
    /// Rows of `title.ratings`.
    pub rated: usize,
    /// Non-adult movies.
    pub movies: usize,
    /// Non-adult movies with at least 1,000 votes.
    pub movies_with_1000_votes: usize,
}

fn unit(rng: &mut StdRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn below(rng: &mut StdRng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u = unit(rng).max(f64::MIN_POSITIVE);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * unit(rng)).cos()
}

/// Writes the pair (uncompressed text; wrap the writers in a gzip encoder
/// for `.gz` files).
pub fn write_standin(
    params: StandinParams,
    basics: &mut dyn Write,
    ratings: &mut dyn Write,
) -> io::Result<StandinSummary> {
    let mut rng = StdRng::seed_from_u64(params.seed);
    let mut summary = StandinSummary {
        titles: params.titles,
        ..StandinSummary::default()
    };
    writeln!(
        basics,
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres"
    )?;
    writeln!(ratings, "tconst\taverageRating\tnumVotes")?;
    let total: f64 = TYPES.iter().map(|t| t.1).sum();
    let mut id = 0u64;
    let mut title = String::new();
    let mut genres: Vec<&str> = Vec::new();
    for _ in 0..params.titles {
        id += 1 + below(&mut rng, 3) as u64;
        let mut pick = unit(&mut rng) * total;
        let &(kind, _, rated, log_votes) = TYPES
            .iter()
            .find(|t| {
                pick -= t.1;
                pick < 0.0
            })
            .unwrap_or(&TYPES[0]);
        let adult =
            matches!(kind, "movie" | "video") && unit(&mut rng) < 0.12 || unit(&mut rng) < 0.002;
        title.clear();
        if kind == "tvEpisode" && unit(&mut rng) < 0.6 {
            title += &format!(
                "Episode #{}.{}",
                1 + below(&mut rng, 12),
                1 + below(&mut rng, 24)
            );
        } else {
            for w in 0..1 + below(&mut rng, 4) {
                if w > 0 {
                    title.push(' ');
                }
                title += WORDS[below(&mut rng, WORDS.len())];
            }
            if unit(&mut rng) < 0.001 {
                title.insert(0, '"');
            }
        }
        let original = if unit(&mut rng) < 0.1 {
            WORDS[below(&mut rng, WORDS.len())]
        } else {
            title.as_str()
        };
        let year = (unit(&mut rng) >= 0.08).then(|| 2025 - (unit(&mut rng).powi(2) * 131.0) as i32);
        let end_year = match (kind, year) {
            ("tvSeries", Some(y)) if unit(&mut rng) < 0.6 => Some(y + below(&mut rng, 10) as i32),
            _ => None,
        };
        let runtime = (unit(&mut rng) >= 0.35).then(|| match kind {
            "movie" | "tvMovie" | "video" => {
                (95.0 + 20.0 * normal(&mut rng)).clamp(40.0, 300.0) as u32
            }
            "short" | "tvShort" => 1 + below(&mut rng, 40) as u32,
            _ => 20 + below(&mut rng, 45) as u32,
        });
        genres.clear();
        if unit(&mut rng) >= 0.05 {
            for _ in 0..1 + below(&mut rng, 3) {
                let g = GENRES[below(&mut rng, GENRES.len())];
                if !genres.contains(&g) {
                    genres.push(g);
                }
            }
            // IMDb lists a title's genres alphabetically.
            genres.sort_unstable();
        }
        let missing = |v: Option<String>| v.unwrap_or_else(|| "\\N".to_string());
        writeln!(
            basics,
            "tt{id:07}\t{kind}\t{title}\t{original}\t{}\t{}\t{}\t{}\t{}",
            u8::from(adult),
            missing(year.map(|y| y.to_string())),
            missing(end_year.map(|y| y.to_string())),
            missing(runtime.map(|r| r.to_string())),
            if genres.is_empty() {
                "\\N".to_string()
            } else {
                genres.join(",")
            },
        )?;
        let votes = (unit(&mut rng) < rated)
            .then(|| (5.0 + (log_votes + 2.3 * normal(&mut rng)).exp()).min(3.0e6) as u32);
        if let Some(votes) = votes {
            let rating = (6.3 + 1.3 * normal(&mut rng)).clamp(1.0, 10.0);
            writeln!(ratings, "tt{id:07}\t{rating:.1}\t{votes}")?;
            summary.rated += 1;
        }
        if kind == "movie" && !adult {
            summary.movies += 1;
            if votes.is_some_and(|v| v >= 1000) {
                summary.movies_with_1000_votes += 1;
            }
        }
    }
    Ok(summary)
}

/// Writes the pair into `dir` as IMDb publishes it, gzipped at the
/// default level: `title.basics.tsv.gz` and `title.ratings.tsv.gz`.
pub fn write_gzipped_pair(dir: &Path, params: StandinParams) -> io::Result<StandinSummary> {
    use flate2::write::GzEncoder;
    std::fs::create_dir_all(dir)?;
    let create = |name: &str| -> io::Result<_> {
        let file = std::fs::File::create(dir.join(name))?;
        Ok(GzEncoder::new(
            io::BufWriter::new(file),
            flate2::Compression::default(),
        ))
    };
    let (mut basics, mut ratings) = (
        create("title.basics.tsv.gz")?,
        create("title.ratings.tsv.gz")?,
    );
    let summary = write_standin(params, &mut basics, &mut ratings)?;
    for file in [basics, ratings] {
        file.finish()?.flush()?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reelmeans::{infer_roles, Catalog, ImdbFilter, ImdbRatings, KeptLimit, SkipKind, Table};

    fn standin(titles: usize) -> (Vec<u8>, Vec<u8>, StandinSummary) {
        let (mut basics, mut ratings) = (Vec::new(), Vec::new());
        let params = StandinParams { titles, seed: 7 };
        let summary = write_standin(params, &mut basics, &mut ratings).unwrap();
        (basics, ratings, summary)
    }

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/data/imdb-sample/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    /// The shape of a cell: digits, letters and the rest as classes, so
    /// `tt0499549` and `tt0012345` look alike and `\N` looks like itself.
    fn shape(cell: &str) -> String {
        let mut out = String::new();
        for c in cell.chars() {
            let class = if c.is_ascii_digit() {
                '9'
            } else if c.is_alphabetic() {
                'a'
            } else {
                c
            };
            if !out.ends_with(class) || !matches!(class, '9' | 'a') {
                out.push(class);
            }
        }
        out
    }

    #[test]
    fn the_standin_has_the_real_files_format() {
        let (basics, ratings, _) = standin(20_000);
        for (ours, real) in [
            (&basics, sample("title.basics.tsv")),
            (&ratings, sample("title.ratings.tsv")),
        ] {
            let ours = Table::parse(ours).unwrap();
            let real = Table::parse(&real).unwrap();
            assert_eq!(ours.headers, real.headers);
            assert_eq!(ours.issues.total, 0);
            assert_eq!(
                infer_roles(&ours.headers, &ours.rows),
                infer_roles(&real.headers, &real.rows),
                "the same roles are inferred"
            );
            // Every shape of cell the sample has in a column, ours has too;
            // but titles, and genres, which the sample takes from TMDB
            // ("Science Fiction" where IMDb writes "Sci-Fi").
            let free = ["primaryTitle", "originalTitle", "genres"];
            for col in 0..real.headers.len() {
                if free.contains(&real.headers[col].as_str()) {
                    continue;
                }
                let ours_shapes: std::collections::HashSet<String> =
                    ours.rows.iter().map(|r| shape(&r.cells[col])).collect();
                for row in &real.rows {
                    let s = shape(&row.cells[col]);
                    assert!(
                        ours_shapes.contains(&s),
                        "{}: {s} ({:?})",
                        real.headers[col],
                        row.cells[col]
                    );
                }
            }
        }
        let text = String::from_utf8(basics).unwrap();
        assert!(text.contains("\tEpisode #"));
        assert!(text.contains("\tAction,"), "genres comma-separated");
        let genres: std::collections::HashSet<&str> = text
            .lines()
            .skip(1)
            .flat_map(|l| l.rsplit('\t').next().unwrap().split(','))
            .collect();
        assert!(genres.contains("Sci-Fi") && genres.contains("\\N") && genres.len() == 29);
        assert!(text
            .lines()
            .any(|l| l.split('\t').nth(2).is_some_and(|t| t.starts_with('"'))));
        assert!(!text.is_ascii(), "titles in several scripts");
    }

    #[test]
    fn the_standin_reads_with_imdbs_mix() {
        let (basics, ratings, summary) = standin(200_000);
        let ratings = ImdbRatings::read(&mut ratings.as_slice(), &mut || {}).unwrap();
        assert_eq!(ratings.len(), summary.rated);
        let share = summary.rated as f64 / summary.titles as f64;
        assert!(
            (0.12..0.16).contains(&share),
            "{share}: IMDb rates 1.5 of 11 million"
        );
        let filter = ImdbFilter::default();
        let limit = KeptLimit::DEFAULT;
        let (c, _) = Catalog::read_imdb(
            &mut basics.as_slice(),
            Some(&ratings),
            &filter,
            None,
            limit,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(c.len(), summary.movies_with_1000_votes);
        let kept = c.len() as f64 / summary.movies as f64;
        assert!((0.03..0.12).contains(&kept), "{kept}");
        assert!(c.issues.count(SkipKind::NotAMovie) > 180_000);
        assert!(c.issues.count(SkipKind::AdultTitle) > 0);
        assert!(c.movies().iter().all(|m| m.votes.unwrap() >= 1000.0));
        assert!(c.movies().iter().any(|m| m.title.starts_with('"')) || c.len() < 1000);
    }
}
