#!/usr/bin/env python3
"""Writes tests/fixtures/search/typos.csv: (catalog, query, expected title)
pairs, the way people mistype titles, for the search hit-rate test and bench.

Two catalog styles:
  tmdb       static/catalog.csv, titles as "The Godfather";
  movielens  data/movielens/movies.csv, titles as "Godfather, The" (the year
             the reader strips is stripped here too).
For each, the most popular titles (TMDB by vote_count, MovieLens by number
of ratings) get one seeded misspelling each, of the kinds people make: two
letters swapped, a letter dropped, doubled or hit next to on the keyboard
(in any word, the first and short ones included), spaces or punctuation
left out, the leading article dropped or, for MovieLens, the natural
"The Godfather" order typed. Hand-written pairs from the issue come first.

  python3 scripts/make_search_typos.py            (seeded: the same file every time)
"""
import csv
import os
import random
import re
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "search", "typos.csv")
PER_CATALOG = 110

HAND = [
    ("tmdb", "Godfahter", "The Godfather"),
    ("tmdb", "Godfater", "The Godfather"),
    ("tmdb", "godfathr", "The Godfather"),
    ("tmdb", "The Godfahter", "The Godfather"),
    ("tmdb", "Dark Knigth", "The Dark Knight"),
    ("tmdb", "Shawshank Redemtion", "The Shawshank Redemption"),
    ("tmdb", "darkknight", "The Dark Knight"),
    ("tmdb", "spiderman", "Spider-Man"),
    ("tmdb", "Inceptoin", "Inception"),
    ("tmdb", "Intersteller", "Interstellar"),
    ("tmdb", "Pulp Fictoin", "Pulp Fiction"),
    ("tmdb", "Avtar", "Avatar"),
    ("tmdb", "Fight Clb", "Fight Club"),
    ("tmdb", "forest gump", "Forrest Gump"),
    ("tmdb", "Gladiater", "Gladiator"),
    ("tmdb", "Matrix", "The Matrix"),
    ("tmdb", "lord of the rings fellowship", "The Lord of the Rings: The Fellowship of the Ring"),
    ("tmdb", "Amelie", "Amélie"),
    ("movielens", "The Godfather", "Godfather, The"),
    ("movielens", "Godfahter", "Godfather, The"),
    ("movielens", "The Godfather Part II", "Godfather: Part II, The"),
    ("movielens", "The Matrix", "Matrix, The"),
    ("movielens", "The Shawshank Redemtion", "Shawshank Redemption, The"),
    ("movielens", "Dark Knigth", "Dark Knight, The"),
    ("movielens", "The Usual Suspects", "Usual Suspects, The"),
    ("movielens", "Silence of the Lambs", "Silence of the Lambs, The"),
    ("movielens", "Toy Story", "Toy Story"),
    ("movielens", "Jurasic Park", "Jurassic Park"),
]

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(c):
    for row in KEYBOARD:
        i = row.find(c.lower())
        if i >= 0:
            return [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
    return []


def letter_positions(text):
    return [i for i, c in enumerate(text) if c.isalpha()]


def swap(rng, t):
    spots = [i for i in range(len(t) - 1) if t[i].isalpha() and t[i + 1].isalpha() and t[i] != t[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return t[:i] + t[i + 1] + t[i] + t[i + 2:]


def drop(rng, t):
    spots = letter_positions(t)
    if len(spots) < 4:
        return None
    i = rng.choice(spots)
    return t[:i] + t[i + 1:]


def double(rng, t):
    spots = letter_positions(t)
    if not spots:
        return None
    i = rng.choice(spots)
    return t[:i] + t[i] + t[i:]


def near_key(rng, t):
    spots = [i for i in letter_positions(t) if neighbours(t[i])]
    if not spots:
        return None
    i = rng.choice(spots)
    return t[:i] + rng.choice(neighbours(t[i])) + t[i + 1:]


def squash(rng, t):
    squashed = re.sub(r"[\s\-:'.,!&]+", "", t)
    return squashed if squashed != t else None


def lower_no_punctuation(rng, t):
    plain = re.sub(r"[^\w\s]", "", t).lower()
    return plain if plain != t.lower() else None


TYPOS = [swap, swap, drop, drop, double, near_key, near_key, squash, lower_no_punctuation]


def natural(title):
    """'Godfather: Part II, The' → 'The Godfather: Part II'."""
    m = re.match(r"^(.*), (The|A|An|Les|La|Le|L'|Il|El|Das|Der|Die)$", title)
    if not m:
        return title
    sep = "" if m.group(2).endswith("'") else " "
    return f"{m.group(2)}{sep}{m.group(1)}"


def misspell(rng, title, style):
    typed = title
    if style == "movielens":
        typed = natural(title)
    elif rng.random() < 0.2:
        typed = re.sub(r"^(The|A|An) ", "", typed)
    for _ in range(20):
        out = rng.choice(TYPOS)(rng, typed)
        if out and out.lower() != typed.lower():
            return out
    return None


def tmdb_titles():
    with open(os.path.join(ROOT, "static", "catalog.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: -float(r["vote_count"] or 0))
    return [r["title"] for r in rows]


def movielens_titles():
    counts = Counter()
    with open(os.path.join(ROOT, "data", "movielens", "ratings.csv"), newline="") as f:
        for r in csv.DictReader(f):
            counts[r["movieId"]] += 1
    with open(os.path.join(ROOT, "data", "movielens", "movies.csv"), newline="", encoding="utf-8") as f:
        titles = {r["movieId"]: re.sub(r"\s*\(\d{4}\)\s*$", "", r["title"]).strip() for r in csv.DictReader(f)}
    return [titles[m] for m, _ in counts.most_common() if m in titles]


def main():
    rng = random.Random(12)
    pairs = list(HAND)
    for style, titles in (("tmdb", tmdb_titles()), ("movielens", movielens_titles())):
        seen = {q.lower() for c, q, _ in pairs if c == style}
        made = 0
        for title in titles:
            if made == PER_CATALOG:
                break
            if len(title) < 4 or titles.count(title) > 1:
                continue
            query = misspell(rng, title, style)
            if query and query.lower() not in seen:
                seen.add(query.lower())
                pairs.append((style, query, title))
                made += 1
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["catalog", "query", "expected"])
        w.writerows(pairs)
    print(f"wrote {len(pairs)} pairs to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
