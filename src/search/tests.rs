//! Tests of `search`.

use super::*;
use proptest::prelude::*;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

#[test]
fn sorting_in_runs_and_merges_gives_the_plain_order_and_reports_each_step() {
    // Four runs (three merge passes' worth of rows, less one) and many ties.
    let n = 3 * SORT_RUN + 5;
    let texts: Vec<String> = (0..n as u64)
        .map(|i| format!("title {}", i.wrapping_mul(2654435761) % 50_000))
        .collect();
    let mut plain: Vec<u32> = (0..n as u32).collect();
    plain.sort_by(|&a, &b| texts[a as usize].cmp(&texts[b as usize]).then(a.cmp(&b)));
    let mut shares = Vec::new();
    let sorted = sorted_by_text_reporting(n, |i| texts[i].as_str(), &mut |s| shares.push(s));
    assert_eq!(sorted, plain);
    assert_eq!(shares.len(), 4 + 2);
    assert!(
        shares.windows(2).all(|w| w[0] < w[1]) && shares[5] == 1.0,
        "{shares:?}"
    );
}

#[test]
fn a_mistyped_or_glued_article_is_tried_without() {
    let forms = |q: &str| {
        query_forms(q)
            .into_iter()
            .map(|(f, c)| format!("{f}/{c}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(forms("thee godfather"), ["theegodfather/0", "godfather/1"]);
    assert_eq!(forms("he net"), ["henet/0", "net/1"]);
    assert_eq!(forms("themartian"), ["themartian/0", "martian/1"]);
    assert_eq!(forms("the godfather"), ["godfather/0"]);
    assert_eq!(forms("theo"), ["theo/0"]);
    assert_eq!(forms("  "), Vec::<String>::new());
    let mut rows = EditRows::default();
    let p = |a: &str, b: &str, rows: &mut EditRows| rows.prefix_distance(&chars(a), &chars(b), 2);
    assert_eq!(p("godfather", "godfatherpartii", &mut rows), 0);
    assert_eq!(
        p("shawshankredemtion", "shawshankredemption0", &mut rows),
        1
    );
    assert_eq!(p("abc", "x", &mut rows), 3);
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
            imdb: None,
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
    let qk = search_key(&q);
    let mut hits: Vec<(MatchKind, usize, usize)> = Vec::new();
    for (i, m) in movies.iter().enumerate() {
        let t = fold_line(&m.title);
        let literal = if t == q {
            Some(MatchKind::Exact)
        } else if t.starts_with(&q) {
            Some(MatchKind::Prefix)
        } else if t
            .match_indices(&q)
            .any(|(p, _)| t[..p].ends_with(|c: char| !c.is_alphanumeric()))
        {
            Some(MatchKind::WordPrefix)
        } else if t.contains(&q) {
            Some(MatchKind::Substring)
        } else {
            None
        };
        let tk = search_key(&t);
        let by_key = if qk.is_empty() {
            None
        } else if tk == qk {
            Some(MatchKind::SameKey)
        } else if tk.starts_with(&qk) {
            Some(MatchKind::KeyPrefix)
        } else {
            None
        };
        if let Some(kind) = literal.into_iter().chain(by_key).min() {
            hits.push((kind, rank(i), i));
        }
    }
    hits.sort();
    hits.truncate(limit);
    if hits.len() < limit && !qk.is_empty() {
        // Room left: the other titles whose key begins within a few typos
        // of a form of the query, fewest first.
        let budget = fuzzy_budget(qk.chars().count());
        let mut fuzzy = Vec::new();
        for (i, m) in movies.iter().enumerate() {
            if hits.iter().any(|h| h.2 == i) {
                continue;
            }
            let t = chars(&search_key(&fold_line(&m.title)));
            let d = query_forms(&q)
                .iter()
                .flat_map(|(form, cost)| {
                    let form = chars(form);
                    (0..=t.len()).map(move |j| (form.clone(), j, *cost))
                })
                .map(|(form, j, cost)| edit_distance(&form, &t[..j], budget) + cost)
                .min()
                .unwrap_or(budget + 1);
            if d <= budget {
                fuzzy.push((MatchKind::Fuzzy, d * 1_000_000 + rank(i), i));
            }
        }
        fuzzy.sort();
        hits.extend(fuzzy.into_iter().take(limit - hits.len()));
    }
    hits.into_iter()
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
            // "The Dark Knight" is "dark knight" once its article goes.
            (0, KeyPrefix),
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
