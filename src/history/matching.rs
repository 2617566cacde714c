//! History rows to catalog titles.
//!
//! By id first, where both sides have one (an IMDb id on the row and on the
//! catalog's title, or a TMDB id on the row and a TMDB catalog). Else by
//! title and year: titles are compared by a key that forgives case,
//! accents, punctuation, a leading article (also written after a comma:
//! "Matrix, The"), `&` for "and" and Roman sequel numbers; the year must be
//! the same or one off (release dates differ by country). A row whose key
//! and year fit two titles is ambiguous: reported, never guessed. Without
//! a year (Netflix), a key must name one title. Last, a title written with
//! or without its subtitle ("Star Wars: Episode IV - A New Hope" for "Star
//! Wars") matches when the part before the subtitle and the exact year name
//! one title.

use super::{Entry, History};
use crate::catalog::{Catalog, Movie, Source};
use crate::search::fold;
use crate::text::FastMap;
use serde::{Deserialize, Serialize};

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// This catalog title (index).
    Matched(usize),
    /// No title of this catalog is this film.
    NotInCatalog,
    /// Several titles could be this row (indices): it is not guessed.
    Ambiguous(Vec<usize>),
    /// Not a film (a series, an episode, a trailer): left out.
    LeftOut,
}

/// A row that did not match, for the report's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unmatched {
    /// The row's index in the history.
    pub row: usize,
    /// Its title.
    pub title: String,
    /// Its year.
    pub year: Option<i32>,
    /// Titles it could be, when it is ambiguous (with their years).
    pub could_be: Vec<String>,
}

/// The match report: counts, and the rows a person may fix by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchReport {
    /// Rows read.
    pub read: usize,
    /// Rows matched to a title (fixed by hand included).
    pub matched: usize,
    /// Distinct titles matched.
    pub titles: usize,
    /// Rows whose film is not in this catalog.
    pub not_in_catalog: usize,
    /// Rows that could be two titles or more.
    pub ambiguous: usize,
    /// Series, episodes and trailers, left out.
    pub left_out: usize,
    /// The rows not matched (not in the catalog, or ambiguous), first
    /// [`UNMATCHED_LISTED`] of them.
    pub unmatched: Vec<Unmatched>,
}

/// Unmatched rows listed in the report.
pub const UNMATCHED_LISTED: usize = 200;

impl std::fmt::Display for MatchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::{counted, thousands};
        write!(
            f,
            "{} read: {} matched ({}), {} not in this catalog, {} ambiguous, {} series or other left out",
            counted(self.read, "row"),
            thousands(self.matched),
            counted(self.titles, "title"),
            thousands(self.not_in_catalog),
            thousands(self.ambiguous),
            thousands(self.left_out),
        )
    }
}

/// Matched rows: each row's outcome, and the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matched {
    /// One outcome per row of the history, in its order.
    pub outcomes: Vec<Outcome>,
    /// Counts and the unmatched rows.
    pub report: MatchReport,
}

/// Words dropped from the start of a title's key.
const ARTICLES: [&str; 15] = [
    "the", "a", "an", "le", "la", "les", "l", "el", "los", "las", "der", "die", "das", "il", "lo",
];

/// A title as matching compares it: folded, `&` as "and", punctuation and
/// a leading article gone, Roman numerals after the first word as digits.
///
/// ```
/// use reelmeans::title_key;
/// assert_eq!(title_key("Amélie"), title_key("AMELIE"));
/// assert_eq!(title_key("The Matrix"), title_key("Matrix, The"));
/// assert_eq!(title_key("Rocky II"), title_key("rocky 2"));
/// assert_eq!(title_key("Fast & Furious"), title_key("Fast and Furious"));
/// assert_eq!(title_key("Star Wars: Episode V - The Empire Strikes Back"),
///            title_key("Star Wars Episode V – The Empire Strikes Back"));
/// ```
pub fn title_key(title: &str) -> String {
    let folded = fold(title).replace('&', " and ");
    let mut words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
        .collect();
    // "Matrix, The": the article written last.
    if folded.contains(", ") && words.len() > 1 && ARTICLES.contains(words.last().unwrap_or(&"")) {
        words.pop();
    }
    if words.len() > 1 && ARTICLES.contains(&words[0]) {
        words.remove(0);
    }
    // "L'Auberge" and "l'auberge": an article joined by an apostrophe.
    let mut key = String::with_capacity(folded.len());
    for (i, word) in words.iter().enumerate() {
        let word = if i == 0 {
            word.strip_prefix("l'")
                .or_else(|| word.strip_prefix("l’"))
                .filter(|w| !w.is_empty())
                .unwrap_or(word)
        } else {
            word
        };
        if !key.is_empty() {
            key.push(' ');
        }
        let roman = if i > 0 { roman(word) } else { None };
        match roman {
            Some(n) => key.push_str(&n.to_string()),
            None => key.extend(word.chars().filter(|c| *c != '\'' && *c != '’')),
        }
    }
    key
}

/// I to XX as a number ("i" alone is a word in some titles, but not after the first).
fn roman(word: &str) -> Option<u32> {
    const NUMERALS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    NUMERALS
        .iter()
        .position(|n| *n == word)
        .map(|p| p as u32 + 1)
}

/// The title before its subtitle (`:`, ` - `, ` – `), when it has one.
fn main_title(title: &str) -> Option<&str> {
    [": ", " - ", " – ", " — "]
        .iter()
        .filter_map(|sep| title.find(sep))
        .min()
        .map(|at| &title[..at])
        .filter(|main| main.trim().len() >= 2)
}

/// The catalog's titles, by id and by key.
struct Index<'c> {
    movies: &'c [Movie],
    by_key: FastMap<String, Vec<u32>>,
    by_main: FastMap<String, Vec<u32>>,
    by_imdb: FastMap<&'c str, u32>,
    by_tmdb: FastMap<&'c str, u32>,
}

impl<'c> Index<'c> {
    fn new(catalog: &'c Catalog) -> Index<'c> {
        let movies = catalog.movies();
        let mut index = Index {
            movies,
            by_key: FastMap::default(),
            by_main: FastMap::default(),
            by_imdb: FastMap::default(),
            by_tmdb: FastMap::default(),
        };
        for (i, m) in movies.iter().enumerate() {
            let i = i as u32;
            index.by_key.entry(title_key(&m.title)).or_default().push(i);
            if let Some(main) = main_title(&m.title) {
                index.by_main.entry(title_key(main)).or_default().push(i);
            }
            let imdb = m.imdb.as_deref().or_else(|| {
                (m.id.starts_with("tt") && m.id[2..].bytes().all(|b| b.is_ascii_digit()))
                    .then_some(m.id.as_str())
            });
            if let Some(imdb) = imdb {
                index.by_imdb.entry(imdb).or_insert(i);
            }
            if catalog.source == Source::Tmdb {
                index.by_tmdb.entry(m.id.as_str()).or_insert(i);
            }
        }
        index
    }

    fn outcome(&self, entry: &Entry) -> Outcome {
        if !entry.film {
            return Outcome::LeftOut;
        }
        let by_id = entry
            .imdb
            .as_deref()
            .and_then(|id| self.by_imdb.get(id))
            .or_else(|| entry.tmdb.as_deref().and_then(|id| self.by_tmdb.get(id)));
        if let Some(&i) = by_id {
            return Outcome::Matched(i as usize);
        }
        let key = title_key(&entry.title);
        if let Some(candidates) = self.by_key.get(&key) {
            return self.by_year(candidates, entry.year);
        }
        // With or without a subtitle: the exact year, and one title.
        let Some(year) = entry.year else {
            return Outcome::NotInCatalog;
        };
        let same_year = |list: Option<&Vec<u32>>| -> Vec<u32> {
            list.map(|l| {
                l.iter()
                    .copied()
                    .filter(|&i| self.movies[i as usize].year == Some(year))
                    .collect()
            })
            .unwrap_or_default()
        };
        let mut found = same_year(self.by_main.get(&key));
        if let Some(main) = main_title(&entry.title) {
            found.extend(same_year(self.by_key.get(&title_key(main))));
        }
        found.sort_unstable();
        found.dedup();
        match found[..] {
            [i] => Outcome::Matched(i as usize),
            _ => Outcome::NotInCatalog,
        }
    }

    fn by_year(&self, candidates: &[u32], year: Option<i32>) -> Outcome {
        let Some(year) = year else {
            return match candidates {
                [i] => Outcome::Matched(*i as usize),
                _ => Outcome::Ambiguous(candidates.iter().map(|&i| i as usize).collect()),
            };
        };
        for off_by in [0, 1] {
            let fits: Vec<usize> = candidates
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| {
                    self.movies[i]
                        .year
                        .is_some_and(|y| (y - year).abs() == off_by)
                })
                .collect();
            match fits.len() {
                0 => continue,
                1 => return Outcome::Matched(fits[0]),
                _ => return Outcome::Ambiguous(fits),
            }
        }
        // A title of the catalog without a year is this row's only when it is the only one.
        match candidates {
            [i] if self.movies[*i as usize].year.is_none() => Outcome::Matched(*i as usize),
            _ => Outcome::NotInCatalog,
        }
    }
}

/// Matches every row of `history` to `catalog`; `fixes` are rows the
/// person matched by hand (row, catalog index), which win.
pub fn match_history(catalog: &Catalog, history: &History, fixes: &[(usize, usize)]) -> Matched {
    let index = Index::new(catalog);
    let mut outcomes: Vec<Outcome> = history.entries.iter().map(|e| index.outcome(e)).collect();
    for &(row, title) in fixes {
        if row < outcomes.len() && title < catalog.len() {
            outcomes[row] = Outcome::Matched(title);
        }
    }
    let mut report = MatchReport {
        read: outcomes.len(),
        ..MatchReport::default()
    };
    let mut titles = std::collections::HashSet::new();
    for (row, (outcome, entry)) in outcomes.iter().zip(&history.entries).enumerate() {
        let could_be = match outcome {
            Outcome::Matched(i) => {
                report.matched += 1;
                titles.insert(*i);
                continue;
            }
            Outcome::LeftOut => {
                report.left_out += 1;
                continue;
            }
            Outcome::NotInCatalog => {
                report.not_in_catalog += 1;
                Vec::new()
            }
            Outcome::Ambiguous(list) => {
                report.ambiguous += 1;
                list.iter()
                    .map(|&i| {
                        let m = &catalog.movies()[i];
                        match m.year {
                            Some(y) => format!("{} ({y})", m.title),
                            None => m.title.clone(),
                        }
                    })
                    .collect()
            }
        };
        if report.unmatched.len() < UNMATCHED_LISTED {
            report.unmatched.push(Unmatched {
                row,
                title: entry.title.clone(),
                year: entry.year,
                could_be,
            });
        }
    }
    report.titles = titles.len();
    Matched { outcomes, report }
}
