//! Title search: case- and accent-insensitive, ranked exact > prefix >
//! word prefix > substring, popularity breaking ties, with a typo-tolerant
//! "did you mean" fallback when nothing matches.

use crate::catalog::Movie;
use crate::progress::Stage;
use serde::{Deserialize, Serialize};

/// How a title matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MatchKind {
    /// The whole title equals the query.
    Exact,
    /// The title starts with the query.
    Prefix,
    /// A word of the title starts with the query.
    WordPrefix,
    /// The query appears inside the title.
    Substring,
    /// No literal match; the title is within a few typos ("did you mean").
    Fuzzy,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Index in the catalog.
    pub index: usize,
    /// How it matched.
    pub kind: MatchKind,
}

/// Lowercases and strips accents of Latin letters: `Amélie` → `amelie`.
///
/// ```
/// use reelmeans::search::fold;
/// assert_eq!(fold("Amélie À BOUT de Souffle"), "amelie a bout de souffle");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text);
    out
}

/// [`fold`], appended to `out`.
fn fold_into(out: &mut String, text: &str) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in text.chars() {
        let base =
            match c {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã'
                | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => 'a',
                'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
                'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => 'd',
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē'
                | 'Ė' | 'Ę' | 'Ě' => 'e',
                'ğ' | 'Ğ' => 'g',
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į'
                | 'İ' => 'i',
                'ł' | 'ľ' | 'Ł' | 'Ľ' => 'l',
                'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö'
                | 'Ø' | 'Ō' | 'Ő' => 'o',
                'ř' | 'Ř' => 'r',
                'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => 's',
                'ß' => {
                    out.push_str("ss");
                    continue;
                }
                'ť' | 'ţ' | 'Ť' | 'Ţ' => 't',
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů'
                | 'Ű' => 'u',
                'ý' | 'ÿ' | 'Ý' | 'Ÿ' => 'y',
                'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
                'æ' | 'Æ' => {
                    out.push_str("ae");
                    continue;
                }
                'œ' | 'Œ' => {
                    out.push_str("oe");
                    continue;
                }
                '’' | '‘' => '\'',
                c => {
                    out.extend(c.to_lowercase());
                    continue;
                }
            };
        out.push(base);
    }
}

/// A precomputed index of folded titles, built for catalogs of millions.
///
/// Titles are folded once and stored in one string in popularity order,
/// with a lexicographic order beside it:
/// - exact and prefix matches are a binary search in the lexicographic
///   order;
/// - word-prefix and substring matches come from one scan of the string in
///   popularity order, which stops as soon as the remaining titles cannot
///   beat what was found (a common query stops after a few thousand
///   titles; a rare one reads the whole string, a few milliseconds at a
///   million titles);
/// - the typo-tolerant fallback runs only when nothing matches literally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TitleIndex {
    /// Folded titles in popularity order, each followed by a newline.
    text: String,
    /// Where each title starts in `text`, by popularity rank, then the end.
    starts: Vec<u32>,
    /// Catalog index of the title at each rank (0 = most votes).
    by_rank: Vec<u32>,
    /// Ranks ordered by folded title (then rank).
    sorted: Vec<u32>,
}

/// Folds a title for the index: newlines (possible inside quoted CSV
/// fields) would break the one-title-per-line layout, so control characters become spaces.
fn fold_line(title: &str) -> String {
    let mut folded = String::with_capacity(title.len());
    fold_line_into(&mut folded, title);
    folded
}

/// [`fold_line`], appended to `out`.
fn fold_line_into(out: &mut String, title: &str) {
    let start = out.len();
    fold_into(out, title);
    if out[start..].contains(char::is_control) {
        let line: String = out[start..]
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.truncate(start);
        out.push_str(&line);
    }
}

/// `0..n` ordered by `text(i)` (then `i`). The first eight bytes of each
/// text, as one integer, settle most comparisons without touching the text:
/// sorting a million titles this way takes a fraction of a plain string sort.
pub fn sorted_by_text<'a>(n: usize, text: impl Fn(usize) -> &'a str) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = (0..n)
        .map(|i| {
            let mut head = [0u8; 8];
            let bytes = text(i).as_bytes();
            let len = bytes.len().min(8);
            head[..len].copy_from_slice(&bytes[..len]);
            (u64::from_be_bytes(head), i as u32)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| text(a.1 as usize).cmp(text(b.1 as usize)))
            .then(a.1.cmp(&b.1))
    });
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Titles folded between two progress reports.
const PROGRESS_EVERY: usize = 250_000;

/// Above this many prefix matches, the best of them are found by reading
/// titles in popularity order (they are dense, so that stops early) rather
/// than by going through all of them.
const DENSE_PREFIX: usize = 512;

/// Collects the best `limit` hits, by (kind, rank).
struct Best {
    limit: usize,
    hits: Vec<(MatchKind, u32)>,
}

impl Best {
    fn offer(&mut self, hit: (MatchKind, u32)) {
        if self.hits.len() == self.limit {
            match self.hits.last() {
                Some(worst) if hit < *worst => {
                    self.hits.pop();
                }
                _ => return,
            }
        }
        let at = self.hits.partition_point(|h| *h < hit);
        self.hits.insert(at, hit);
    }

    fn full(&self) -> bool {
        self.hits.len() == self.limit
    }

    /// Whether a hit of this kind could still enter the list.
    fn wants(&self, kind: MatchKind) -> bool {
        !self.full() || self.hits.last().is_some_and(|w| kind < w.0)
    }
}

impl TitleIndex {
    /// Folds every title once.
    pub fn new(movies: &[Movie]) -> TitleIndex {
        TitleIndex::with_progress(movies, &mut |_| {})
    }

    /// [`TitleIndex::new`], reporting its two steps ([`Stage::FoldingTitles`],
    /// [`Stage::SortingTitles`]) as they go.
    pub fn with_progress(movies: &[Movie], progress: &mut dyn FnMut(Stage)) -> TitleIndex {
        progress(Stage::FoldingTitles(0.0));
        let mut popular: Vec<(f64, u32)> = movies
            .iter()
            .enumerate()
            .map(|(i, m)| (m.votes.or(m.popularity).unwrap_or(0.0), i as u32))
            .collect();
        popular.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let by_rank: Vec<u32> = popular.into_iter().map(|(_, i)| i).collect();
        let mut text = String::new();
        let mut starts = Vec::with_capacity(movies.len() + 1);
        for (done, &i) in by_rank.iter().enumerate() {
            if done % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
                progress(Stage::FoldingTitles(done as f32 / by_rank.len() as f32));
            }
            starts.push(text.len() as u32);
            fold_line_into(&mut text, &movies[i as usize].title);
            text.push('\n');
        }
        starts.push(text.len() as u32);
        let mut index = TitleIndex {
            text,
            starts,
            by_rank,
            sorted: Vec::new(),
        };
        progress(Stage::SortingTitles);
        index.sorted = sorted_by_text(movies.len(), |r| index.title(r as u32));
        index
    }

    /// The folded title at popularity rank `rank`.
    fn title(&self, rank: u32) -> &str {
        let r = rank as usize;
        &self.text[self.starts[r] as usize..self.starts[r + 1] as usize - 1]
    }

    /// The rank of the title containing byte `at` of `text`.
    fn rank_at(&self, at: usize) -> u32 {
        (self.starts.partition_point(|&s| s as usize <= at) - 1) as u32
    }

    /// Up to `limit` titles matching `query`, best first: exact, then prefix,
    /// then a word starting with it, then anywhere inside; more votes first
    /// within a kind. With no literal match, the titles within a few typos.
    ///
    /// ```
    /// use reelmeans::catalog::Catalog;
    /// use reelmeans::search::{MatchKind, TitleIndex};
    /// let c = Catalog::parse("title,votes\nAlien,900\nAliens,800\nThe Alienist,5\nAmélie,700\n".as_bytes()).unwrap();
    /// let index = TitleIndex::new(&c.movies);
    /// let hits: Vec<usize> = index.search("alien", 5).iter().map(|h| h.index).collect();
    /// assert_eq!(hits, [0, 1, 2]);
    /// assert_eq!(index.search("amelie", 5)[0].index, 3);
    /// assert_eq!(index.search("alein", 5)[0].kind, MatchKind::Fuzzy);
    /// ```
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let q = fold_line(query.trim());
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut best = Best {
            limit,
            hits: Vec::with_capacity(limit + 1),
        };
        // Titles starting with q are contiguous in lexicographic order, the exact ones first.
        let from = self.sorted.partition_point(|&r| self.title(r) < q.as_str());
        let count = self.sorted[from..].partition_point(|&r| self.title(r).starts_with(&q));
        let prefixes = &self.sorted[from..from + count];
        let exact = prefixes.partition_point(|&r| self.title(r) == q);
        for &r in &prefixes[..exact] {
            best.offer((MatchKind::Exact, r));
        }
        let dense = count > DENSE_PREFIX;
        if !dense {
            for &r in &prefixes[exact..] {
                best.offer((MatchKind::Prefix, r));
            }
        }
        // Then the titles containing q, in popularity order: the first hits
        // of a kind are its best, so the scan stops once none can enter.
        let stop_at = if dense {
            MatchKind::Prefix
        } else {
            MatchKind::WordPrefix
        };
        let finder = memchr::memmem::Finder::new(q.as_bytes());
        let text = self.text.as_bytes();
        let mut at = 0;
        while best.wants(stop_at) {
            let Some(found) = finder.find(&text[at..]) else {
                break;
            };
            let rank = self.rank_at(at + found);
            let title = self.title(rank);
            let kind = if title.starts_with(&q) {
                MatchKind::Prefix
            } else if title
                .match_indices(&q)
                .any(|(pos, _)| title[..pos].ends_with(|c: char| !c.is_alphanumeric()))
            {
                MatchKind::WordPrefix
            } else {
                MatchKind::Substring
            };
            // Exact titles were offered above; prefixes too unless dense.
            if title != q && (dense || kind != MatchKind::Prefix) {
                best.offer((kind, rank));
            }
            at = self.starts[rank as usize + 1] as usize;
        }
        if best.hits.is_empty() {
            return self.fuzzy(&q, limit);
        }
        best.hits
            .into_iter()
            .map(|(kind, rank)| SearchHit {
                index: self.by_rank[rank as usize] as usize,
                kind,
            })
            .collect()
    }

    /// Titles within a few typos of `q` (whole title, or its beginning), fewest typos first.
    fn fuzzy(&self, q: &str, limit: usize) -> Vec<SearchHit> {
        let q: Vec<char> = q.chars().collect();
        let budget = (q.len() / 4).clamp(1, 3);
        let mut hits: Vec<(usize, u32)> = Vec::new();
        let mut one_typo = 0;
        let mut title: Vec<char> = Vec::new();
        let mut rows = EditRows::default();
        for rank in 0..self.by_rank.len() as u32 {
            title.clear();
            title.extend(self.title(rank).chars());
            let head = &title[..q.len().min(title.len())];
            let d = rows
                .distance(&q, head, budget)
                .min(rows.distance(&q, &title, budget));
            if d <= budget {
                hits.push((d, rank));
                // One typo is the fewest possible here (none would be a literal match),
                // and later titles have fewer votes.
                one_typo += usize::from(d == 1);
                if one_typo >= limit {
                    break;
                }
            }
        }
        hits.sort_unstable();
        hits.into_iter()
            .take(limit)
            .map(|(_, rank)| SearchHit {
                index: self.by_rank[rank as usize] as usize,
                kind: MatchKind::Fuzzy,
            })
            .collect()
    }
}

/// [`EditRows::distance`] with rows of its own (for the tests).
#[cfg(all(test, not(target_arch = "wasm32")))]
fn edit_distance(a: &[char], b: &[char], budget: usize) -> usize {
    EditRows::default().distance(a, b, budget)
}

/// The three rows of the edit-distance table, reused across a scan of
/// every title instead of allocated three times per title.
#[derive(Default)]
struct EditRows {
    before: Vec<usize>,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl EditRows {
    /// Edit distance counting an adjacent transposition as one edit (optimal
    /// string alignment), giving up (returning `budget + 1`) once it must exceed `budget`.
    fn distance(&mut self, a: &[char], b: &[char], budget: usize) -> usize {
        if a.len().abs_diff(b.len()) > budget {
            return budget + 1;
        }
        let width = b.len() + 1;
        let EditRows { before, prev, cur } = self;
        before.clear();
        before.resize(width, 0);
        prev.clear();
        prev.extend(0..width);
        cur.clear();
        cur.resize(width, 0);
        for i in 0..a.len() {
            cur[0] = i + 1;
            let mut row_min = cur[0];
            for j in 0..b.len() {
                let mut d = (prev[j] + usize::from(a[i] != b[j]))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
                if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                    d = d.min(before[j - 1] + 1);
                }
                cur[j + 1] = d;
                row_min = row_min.min(d);
            }
            if row_min > budget {
                return budget + 1;
            }
            std::mem::swap(before, prev);
            std::mem::swap(prev, cur);
        }
        prev[b.len()]
    }
}

// Property tests need proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn edit_distance_counts_typos() {
        let d = |a: &str, b: &str| edit_distance(&chars(a), &chars(b), 2);
        assert_eq!(d("matrix", "matrix"), 0);
        assert_eq!(d("matirx", "matrix"), 1);
        assert_eq!(d("alein", "alien"), 1);
        assert_eq!(d("titanc", "titanic"), 1);
        assert_eq!(d("abc", "xyzabc"), 3);
    }

    fn movies(titles: &[(String, f64)]) -> Vec<Movie> {
        titles
            .iter()
            .enumerate()
            .map(|(i, (title, votes))| Movie {
                id: i.to_string(),
                title: title.clone(),
                year: None,
                genres: Vec::new(),
                language: None,
                runtime: None,
                rating: None,
                votes: Some(*votes),
                popularity: None,
                numbers: Vec::new(),
                categories: Vec::new(),
                taste: Vec::new(),
                taste_borrowed: false,
            })
            .collect()
    }

    /// The definition, by brute force: classify every title, sort, keep the best.
    fn reference(movies: &[Movie], query: &str, limit: usize) -> Vec<SearchHit> {
        let q = fold_line(query.trim());
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let rank = |i: usize| {
            let v = movies[i].votes.unwrap_or(0.0);
            movies
                .iter()
                .enumerate()
                .filter(|(j, m)| {
                    let w = m.votes.unwrap_or(0.0);
                    w > v || (w == v && *j < i)
                })
                .count()
        };
        let mut hits: Vec<(MatchKind, usize, usize)> = Vec::new();
        for (i, m) in movies.iter().enumerate() {
            let t = fold_line(&m.title);
            let kind = if t == q {
                MatchKind::Exact
            } else if t.starts_with(&q) {
                MatchKind::Prefix
            } else if t
                .match_indices(&q)
                .any(|(p, _)| t[..p].ends_with(|c: char| !c.is_alphanumeric()))
            {
                MatchKind::WordPrefix
            } else if t.contains(&q) {
                MatchKind::Substring
            } else {
                continue;
            };
            hits.push((kind, rank(i), i));
        }
        if hits.is_empty() {
            // No literal match: the titles within a few typos, fewest first.
            let q = chars(&q);
            let budget = (q.len() / 4).clamp(1, 3);
            for (i, m) in movies.iter().enumerate() {
                let t = chars(&fold_line(&m.title));
                let head = &t[..q.len().min(t.len())];
                let d = edit_distance(&q, head, budget).min(edit_distance(&q, &t, budget));
                if d <= budget {
                    hits.push((MatchKind::Fuzzy, d * 1_000_000 + rank(i), i));
                }
            }
        }
        hits.sort();
        hits.into_iter()
            .take(limit)
            .map(|(kind, _, index)| SearchHit { index, kind })
            .collect()
    }

    #[test]
    fn literal_matches_rank_by_kind_then_votes() {
        let titles: Vec<(String, f64)> = [
            ("The Dark Knight", 900.0),
            ("Dark", 10.0),
            ("Darkman", 300.0),
            ("In the Dark", 800.0),
            ("Undark", 950.0),
            ("Dark City", 300.0),
        ]
        .iter()
        .map(|(t, v)| (t.to_string(), *v))
        .collect();
        let index = TitleIndex::new(&movies(&titles));
        let hits = index.search("dark", 10);
        let got: Vec<(usize, MatchKind)> = hits.iter().map(|h| (h.index, h.kind)).collect();
        use MatchKind::*;
        assert_eq!(
            got,
            [
                (1, Exact),
                (2, Prefix),
                (5, Prefix),
                (0, WordPrefix),
                (3, WordPrefix),
                (4, Substring)
            ]
        );
        assert_eq!(index.search("dark", 2).len(), 2);
        assert_eq!(index.search("  ", 5), []);
    }

    #[test]
    fn a_title_with_a_newline_cannot_match_across_titles() {
        let titles = vec![("ab\ncd".to_string(), 1.0), ("ef".to_string(), 2.0)];
        let index = TitleIndex::new(&movies(&titles));
        assert_eq!(index.search("ab cd", 5)[0].index, 0);
        assert!(index
            .search("cd\nef", 5)
            .iter()
            .all(|h| h.kind == MatchKind::Fuzzy));
    }

    #[test]
    fn dense_prefixes_give_the_same_results_as_the_definition() {
        // Thousands of short titles over a small alphabet: "a" prefixes far
        // more than DENSE_PREFIX of them, "ab -" far fewer.
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let titles: Vec<(String, f64)> = (0..3000)
            .map(|_| {
                let len = 3 + next(6) as usize;
                let title: String = (0..len)
                    .map(|_| ['a', 'b', ' ', '-'][next(4) as usize])
                    .collect();
                (title, next(50) as f64)
            })
            .collect();
        let movies = movies(&titles);
        let index = TitleIndex::new(&movies);
        for query in ["a", "b", "ab", "b a", "-", "ab -", "aaaa"] {
            let count = movies
                .iter()
                .filter(|m| m.title.trim_start().starts_with(query))
                .count();
            for limit in [1, 8, 40] {
                assert_eq!(
                    index.search(query, limit),
                    reference(&movies, query, limit),
                    "{query} ({count} prefixes), limit {limit}"
                );
            }
        }
        assert!(movies.iter().filter(|m| m.title.starts_with('a')).count() > DENSE_PREFIX);
    }

    proptest! {
        /// The index finds exactly what the brute-force definition finds,
        /// typo fallback included, on titles from a small alphabet (so that
        /// matches are frequent).
        #[test]
        fn search_agrees_with_the_brute_force_definition(
            titles in proptest::collection::vec(("[ab é-]{0,6}", 0u8..4), 0..40),
            query in "[ab é-]{1,3}",
            limit in 1usize..6,
        ) {
            let titles: Vec<(String, f64)> = titles.into_iter().map(|(t, v)| (t, f64::from(v))).collect();
            let movies = movies(&titles);
            let index = TitleIndex::new(&movies);
            prop_assert_eq!(index.search(&query, limit), reference(&movies, &query, limit));
        }
    }
}
