//! Title search: case- and accent-insensitive, ranked exact > same key >
//! prefix > key prefix > word prefix > substring, popularity breaking ties. It forgives the way
//! people type: a title is also found under its *key* (leading article
//! dropped, "Godfather, The" read as "The Godfather", spaces and punctuation
//! ignored), and typos anywhere in the key fill the list when the literal
//! and key matches leave room ("did you mean").

use crate::catalog::Movie;
use crate::progress::Stage;
use serde::{Deserialize, Serialize};

/// How a title matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MatchKind {
    /// The whole title equals the query.
    Exact,
    /// The same title written another way: its key equals the query's
    /// ("The Godfather" for "Godfather, The", "darkknight").
    SameKey,
    /// The title starts with the query.
    Prefix,
    /// The title's key starts with the query's ("the godfather part" for
    /// "Godfather: Part II, The"): after the literal prefixes, so a query
    /// keeps its literal matches first.
    KeyPrefix,
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
/// use reelmeans::fold;
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
    /// Search keys ([`search_key`]) in popularity order, each followed by a newline.
    keys: String,
    /// Where each key starts in `keys`, by rank, then the end.
    key_starts: Vec<u32>,
    /// Ranks ordered by key (then rank).
    key_sorted: Vec<u32>,
    /// Which characters each key holds ([`char_mask`]): a typo search skips
    /// keys missing more of the query's characters than it forgives.
    masks: Vec<u64>,
}

/// Articles a title may start with, or end with after a comma in catalogs
/// that file titles by name ("Godfather, The"), in the languages the
/// catalogs use: English, French, German, Spanish, Italian, Portuguese and
/// Dutch. Single letters other than "a" are left out ("I, Robot").
const ARTICLES: &[&str] = &[
    "the", "a", "an", "le", "la", "les", "l'", "der", "die", "das", "ein", "eine", "el", "los",
    "las", "lo", "il", "gli", "un", "une", "una", "uno", "een", "het", "de", "os", "as",
];

/// A folded title's search key: without a leading article or a trailing
/// ", article", with only letters and digits left (so spacing, hyphens and
/// punctuation do not matter). A title that is nothing but an article keeps it.
///
/// ```
/// use reelmeans::{fold, search_key};
/// assert_eq!(search_key(&fold("The Godfather")), "godfather");
/// assert_eq!(search_key(&fold("Godfather, The")), "godfather");
/// assert_eq!(search_key(&fold("Spider-Man: No Way Home")), "spidermannowayhome");
/// assert_eq!(search_key(&fold("L'Atalante")), search_key(&fold("Atalante, L'")));
/// assert_eq!(search_key(&fold("Das Boot")), "boot");
/// assert_eq!(search_key("the"), "the");
/// ```
pub fn search_key(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    search_key_into(&mut out, folded);
    out
}

/// [`search_key`], appended to `out`.
fn search_key_into(out: &mut String, folded: &str) {
    let is_article = |w: &str| ARTICLES.contains(&w);
    let mut t = folded.trim();
    if let Some((head, tail)) = t.rsplit_once(',') {
        if is_article(tail.trim()) {
            t = head.trim_end();
        }
    }
    if let Some((first, rest)) = t.split_once(' ') {
        if is_article(first) {
            t = rest.trim_start();
        }
    } else if let Some(rest) = t.strip_prefix("l'") {
        t = rest;
    }
    let start = out.len();
    out.extend(t.chars().filter(|c| c.is_alphanumeric()));
    if out.len() == start {
        out.extend(folded.chars().filter(|c| c.is_alphanumeric()));
    }
}

/// A key's characters as bits: a–z, 0–9, then anything else by its code
/// modulo 28 (sharing a bit only makes the filter let more through).
fn char_mask(key: &str) -> u64 {
    key.chars().fold(0u64, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + c as u32 % 28,
        };
        mask | 1 << bit
    })
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
    sorted_by_text_reporting(n, text, &mut |_| {})
}

/// Rows sorted per run before the runs are merged: a progress report
/// follows each run and each merge pass, so no step of a million-title sort
/// goes long without one.
const SORT_RUN: usize = 1 << 17;

/// [`sorted_by_text`], in runs of [`SORT_RUN`] sorted then merged pass by
/// pass, reporting the share done after each step (the order is the same:
/// ties are broken by index, so the order is total).
pub fn sorted_by_text_reporting<'a>(
    n: usize,
    text: impl Fn(usize) -> &'a str,
    progress: &mut dyn FnMut(f32),
) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = (0..n)
        .map(|i| {
            let mut head = [0u8; 8];
            let bytes = text(i).as_bytes();
            let len = bytes.len().min(8);
            head[..len].copy_from_slice(&bytes[..len]);
            (u64::from_be_bytes(head), i as u32)
        })
        .collect();
    let order = |a: &(u64, u32), b: &(u64, u32)| {
        a.0.cmp(&b.0)
            .then_with(|| text(a.1 as usize).cmp(text(b.1 as usize)))
            .then(a.1.cmp(&b.1))
    };
    let runs = n.div_ceil(SORT_RUN).max(1);
    let steps = (runs + runs.next_power_of_two().trailing_zeros() as usize) as f32;
    let mut done = 0.0;
    for run in keyed.chunks_mut(SORT_RUN) {
        run.sort_unstable_by(order);
        done += 1.0;
        progress(done / steps);
    }
    let mut merged = Vec::with_capacity(n);
    let mut width = SORT_RUN;
    while width < n {
        merged.clear();
        for pair in keyed.chunks(2 * width) {
            let (mut a, mut b) = pair.split_at(width.min(pair.len()));
            while let (Some(x), Some(y)) = (a.first(), b.first()) {
                if order(y, x).is_lt() {
                    merged.push(*y);
                    b = &b[1..];
                } else {
                    merged.push(*x);
                    a = &a[1..];
                }
            }
            merged.extend_from_slice(a);
            merged.extend_from_slice(b);
        }
        std::mem::swap(&mut keyed, &mut merged);
        width *= 2;
        done += 1.0;
        progress(done / steps);
    }
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

    /// Offers a title that may be listed already: it keeps its better kind.
    fn offer_once(&mut self, hit: (MatchKind, u32)) {
        if let Some(at) = self.hits.iter().position(|h| h.1 == hit.1) {
            if self.hits[at].0 <= hit.0 {
                return;
            }
            self.hits.remove(at);
        }
        self.offer(hit);
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

    /// [`TitleIndex::new`], reporting its two steps ([`Stage::FoldingTitles`]:
    /// titles, then keys; [`Stage::SortingTitles`]: titles, then keys) as they go.
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
                progress(Stage::FoldingTitles(
                    done as f32 / by_rank.len() as f32 / 2.0,
                ));
            }
            starts.push(text.len() as u32);
            fold_line_into(&mut text, &movies[i as usize].title);
            text.push('\n');
        }
        starts.push(text.len() as u32);
        let mut keys = String::with_capacity(text.len());
        let mut key_starts = Vec::with_capacity(starts.len());
        let mut masks = Vec::with_capacity(by_rank.len());
        for r in 0..by_rank.len() {
            if r % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
                progress(Stage::FoldingTitles(
                    0.5 + r as f32 / by_rank.len() as f32 / 2.0,
                ));
            }
            key_starts.push(keys.len() as u32);
            let from = keys.len();
            search_key_into(
                &mut keys,
                &text[starts[r] as usize..starts[r + 1] as usize - 1],
            );
            masks.push(char_mask(&keys[from..]));
            keys.push('\n');
        }
        key_starts.push(keys.len() as u32);
        let mut index = TitleIndex {
            text,
            starts,
            by_rank,
            sorted: Vec::new(),
            keys,
            key_starts,
            key_sorted: Vec::new(),
            masks,
        };
        progress(Stage::SortingTitles(0.0));
        index.sorted =
            sorted_by_text_reporting(movies.len(), |r| index.title(r as u32), &mut |share| {
                progress(Stage::SortingTitles(share / 2.0))
            });
        index.key_sorted =
            sorted_by_text_reporting(movies.len(), |r| index.key(r as u32), &mut |share| {
                progress(Stage::SortingTitles(0.5 + share / 2.0))
            });
        index
    }

    /// The search key of the title at popularity rank `rank`.
    fn key(&self, rank: u32) -> &str {
        let r = rank as usize;
        &self.keys[self.key_starts[r] as usize..self.key_starts[r + 1] as usize - 1]
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
    /// use reelmeans::Catalog;
    /// use reelmeans::{MatchKind, TitleIndex};
    /// let c = Catalog::parse("title,votes\nAlien,900\nAliens,800\nThe Alienist,5\nAmélie,700\n".as_bytes()).unwrap();
    /// let index = TitleIndex::new(c.movies());
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
        // The same titles under their keys: "The Godfather" for "Godfather,
        // The", "darkknight", "spiderman". A title that matched better
        // literally keeps its literal kind.
        let qk = search_key(&q);
        let from = self
            .key_sorted
            .partition_point(|&r| self.key(r) < qk.as_str());
        let count = if qk.is_empty() {
            0
        } else {
            self.key_sorted[from..].partition_point(|&r| self.key(r).starts_with(&qk))
        };
        let key_prefixes = &self.key_sorted[from..from + count];
        let exact = key_prefixes.partition_point(|&r| self.key(r) == qk);
        for &r in &key_prefixes[..exact] {
            best.offer_once((MatchKind::SameKey, r));
        }
        if count <= DENSE_PREFIX {
            for &r in &key_prefixes[exact..] {
                best.offer_once((MatchKind::KeyPrefix, r));
            }
        } else {
            // Many: read keys in popularity order until none can enter.
            for r in 0..self.by_rank.len() as u32 {
                let beaten = |w: &(MatchKind, u32)| *w < (MatchKind::KeyPrefix, r);
                if best.full() && best.hits.last().is_some_and(beaten) {
                    break;
                }
                if self.key(r).starts_with(&qk) {
                    best.offer_once((MatchKind::KeyPrefix, r));
                }
            }
        }
        let mut hits: Vec<SearchHit> = best
            .hits
            .iter()
            .map(|&(kind, rank)| SearchHit {
                index: self.by_rank[rank as usize] as usize,
                kind,
            })
            .collect();
        if hits.len() < limit {
            let taken: Vec<u32> = best.hits.iter().map(|h| h.1).collect();
            hits.extend(self.fuzzy(&q, limit - hits.len(), &taken));
        }
        hits
    }

    /// Titles whose key is within a few typos of the query's key (any
    /// beginning of the key, the whole key included), fewest typos first,
    /// then by votes; titles in `taken` are already listed. One typo is
    /// forgiven per four characters, at least one and at most three; the
    /// query's other [`query_forms`] cost one of them.
    fn fuzzy(&self, folded_query: &str, limit: usize, taken: &[u32]) -> Vec<SearchHit> {
        let forms = query_forms(folded_query);
        let Some((first, _)) = forms.first() else {
            return Vec::new();
        };
        let budget = fuzzy_budget(first.chars().count());
        let forms: Vec<(Vec<char>, u64, usize)> = forms
            .iter()
            .map(|(form, cost)| (form.chars().collect(), char_mask(form), *cost))
            .collect();
        let mut hits: Vec<(usize, u32)> = Vec::new();
        let mut one_typo = 0;
        let mut key: Vec<char> = Vec::new();
        let mut rows = EditRows::default();
        for rank in 0..self.by_rank.len() as u32 {
            let mask = self.masks[rank as usize];
            let mut best = budget + 1;
            for (form, form_mask, cost) in &forms {
                let left = budget - cost;
                // Each query character a key lacks costs at least one edit.
                if (form_mask & !mask).count_ones() as usize > left {
                    continue;
                }
                if key.is_empty() {
                    key.extend(self.key(rank).chars());
                }
                best = best.min(rows.prefix_distance(form, &key, left) + cost);
            }
            key.clear();
            if best <= budget && !taken.contains(&rank) {
                hits.push((best, rank));
                // One typo is the fewest possible here (none would be a key
                // match, listed already), and later titles have fewer votes.
                one_typo += usize::from(best == 1);
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

/// The forms a folded query is tried in for typos, each with what it costs:
/// its key (free), and without a first word that is an article mistyped
/// ("thee", "hte", "he godfather") or glued on ("themartian"), for one typo.
fn query_forms(folded_query: &str) -> Vec<(String, usize)> {
    let key = search_key(folded_query);
    if key.is_empty() {
        return Vec::new();
    }
    let mut forms = vec![(key.clone(), 0)];
    let trimmed = folded_query.trim();
    let rest = match trimmed.split_once(' ') {
        Some((word, rest)) if !ARTICLES.contains(&word) && near_an_article(word) => Some(rest),
        None => key.strip_prefix("the").filter(|rest| rest.len() >= 3),
        _ => None,
    };
    if let Some(rest) = rest {
        let rest: String = rest.chars().filter(|c| c.is_alphanumeric()).collect();
        if !rest.is_empty() && rest != key {
            forms.push((rest, 1));
        }
    }
    forms
}

/// Whether a word is one typo from an article of two letters or more.
fn near_an_article(word: &str) -> bool {
    let word: Vec<char> = word.chars().collect();
    word.len() >= 2
        && ARTICLES.iter().filter(|a| a.len() >= 2).any(|a| {
            let a: Vec<char> = a.chars().collect();
            EditRows::default().distance(&word, &a, 1) <= 1
        })
}

/// Typos forgiven in a query key of `len` characters.
fn fuzzy_budget(len: usize) -> usize {
    (len / 4).clamp(1, 3)
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
    /// The fewest edits from `a` to some beginning of `b` (the whole of `b`
    /// included), giving up (returning `budget + 1`) once it must exceed `budget`.
    fn prefix_distance(&mut self, a: &[char], b: &[char], budget: usize) -> usize {
        // A beginning longer than `a` by more than the budget is too far.
        let b = &b[..b.len().min(a.len() + budget)];
        if b.len() + budget < a.len() {
            return budget + 1;
        }
        if self.rows(a, b, budget).is_none() {
            return budget + 1;
        }
        self.prev.iter().copied().min().unwrap_or(budget + 1)
    }

    /// Fills the table row by row, leaving the last in `prev`; `None` once
    /// every entry of a row exceeds `budget` (no later row can do better).
    fn rows(&mut self, a: &[char], b: &[char], budget: usize) -> Option<()> {
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
                return None;
            }
            std::mem::swap(before, prev);
            std::mem::swap(prev, cur);
        }
        Some(())
    }

    /// Edit distance counting an adjacent transposition as one edit (optimal
    /// string alignment), giving up (returning `budget + 1`) once it must exceed `budget`.
    fn distance(&mut self, a: &[char], b: &[char], budget: usize) -> usize {
        if a.len().abs_diff(b.len()) > budget || self.rows(a, b, budget).is_none() {
            return budget + 1;
        }
        self.prev[b.len()]
    }
}

// Property tests need proptest, a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
