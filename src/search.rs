//! Title search: case- and accent-insensitive, ranked exact > prefix >
//! word prefix > substring, popularity breaking ties, with a typo-tolerant
//! "did you mean" fallback when nothing matches.

use crate::catalog::Movie;
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
    out
}

/// A precomputed index of folded titles and a popularity order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TitleIndex {
    folded: Vec<String>,
    /// Rank by popularity (votes), 0 = most popular.
    rank: Vec<u32>,
}

impl TitleIndex {
    /// Folds every title once.
    pub fn new(movies: &[Movie]) -> TitleIndex {
        let folded = movies.iter().map(|m| fold(&m.title)).collect();
        let mut order: Vec<usize> = (0..movies.len()).collect();
        order.sort_by(|&a, &b| {
            let pop = |m: &Movie| m.votes.or(m.popularity).unwrap_or(0.0);
            pop(&movies[b]).total_cmp(&pop(&movies[a])).then(a.cmp(&b))
        });
        let mut rank = vec![0u32; movies.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        TitleIndex { folded, rank }
    }

    /// Up to `limit` titles matching `query`, best first.
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
        let q = fold(query.trim());
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut hits: Vec<(MatchKind, u32, usize)> = Vec::new();
        for (i, title) in self.folded.iter().enumerate() {
            let kind = if *title == q {
                MatchKind::Exact
            } else if title.starts_with(&q) {
                MatchKind::Prefix
            } else if let Some(pos) = title.find(&q) {
                let at_word = title[..pos].ends_with(|c: char| !c.is_alphanumeric());
                if at_word {
                    MatchKind::WordPrefix
                } else {
                    MatchKind::Substring
                }
            } else {
                continue;
            };
            hits.push((kind, self.rank[i], i));
        }
        if hits.is_empty() {
            let budget = (q.chars().count() / 4).clamp(1, 3);
            for (i, title) in self.folded.iter().enumerate() {
                let head: String = title.chars().take(q.chars().count()).collect();
                let d = edit_distance(&q, &head, budget).min(edit_distance(&q, title, budget));
                if d <= budget {
                    hits.push((
                        MatchKind::Fuzzy,
                        d as u32 * 1_000_000 + self.rank[i].min(999_999),
                        i,
                    ));
                }
            }
        }
        // Only the best `limit` are shown: select them in O(n), then sort those.
        if hits.len() > limit {
            hits.select_nth_unstable(limit - 1);
            hits.truncate(limit);
        }
        hits.sort_unstable();
        hits.into_iter()
            .take(limit)
            .map(|(kind, _, index)| SearchHit { index, kind })
            .collect()
    }
}

/// Edit distance counting an adjacent transposition as one edit (optimal
/// string alignment), giving up (returning `budget + 1`) once it must exceed `budget`.
fn edit_distance(a: &str, b: &str, budget: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > budget {
        return budget + 1;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0; width];
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
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_typos() {
        assert_eq!(edit_distance("matrix", "matrix", 2), 0);
        assert_eq!(edit_distance("matirx", "matrix", 2), 1);
        assert_eq!(edit_distance("alein", "alien", 2), 1);
        assert_eq!(edit_distance("titanc", "titanic", 2), 1);
        assert_eq!(edit_distance("abc", "xyzabc", 2), 3);
    }
}
