#!/usr/bin/env python3
"""Writes a seeded interactions log over a catalog's titles, for the Spark
scale run: `userId,movieId,rating`, the columns of MovieLens' ratings.csv.

  python3 scripts/make_interactions.py CATALOG.csv OUT.csv [--interactions N]
                                       [--users U] [--seed S]

Each user has two favourite genres (of the titles' first genres) and draws
80% of their titles from them, the rest from any genre; within a genre the
draw favours titles with more votes (rank ** 3 skew), so a few titles are
everywhere and most are rare, as in real logs. Ratings are 0.5 to 5 in
halves, higher for a favourite genre. Users have log-normally many
interactions, about N in all (mean N / U; every user but the last has at
least one, so the rounding may add a few: 20,000,004 for the defaults). Seeded: the same arguments give the same file.
Needs numpy (in .venv after scripts/setup.sh test).
"""
import argparse
import csv

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("catalog")
    ap.add_argument("out")
    ap.add_argument("--interactions", type=int, default=20_000_000)
    ap.add_argument("--users", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)

    ids, genre_of, votes = [], [], []
    genres = {}
    with open(args.catalog, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}
        for row in reader:
            ids.append(row[0])
            first = row[at["genres"]].split("|")[0] if row[at["genres"]] else ""
            genre_of.append(genres.setdefault(first, len(genres)))
            votes.append(float(row[at["vote_count"]] or 0))
    genre_of, votes = np.array(genre_of), np.array(votes)
    # Per genre, its titles from the most voted down.
    by_genre = [np.flatnonzero(genre_of == g) for g in range(len(genres))]
    by_genre = [members[np.argsort(-votes[members], kind="stable")] for members in by_genre]
    sizes = np.array([len(m) for m in by_genre])
    weights = sizes / sizes.sum()

    per_user = rng.lognormal(0.0, 1.0, args.users)
    per_user = np.maximum(1, np.round(per_user / per_user.sum() * args.interactions)).astype(np.int64)
    per_user[-1] += args.interactions - per_user.sum()  # N, but a negative count below is none
    favourites = rng.choice(len(genres), size=(args.users, 2), p=weights)

    written = 0
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("userId,movieId,rating\n")
        chunk = 20_000
        for start in range(0, args.users, chunk):
            users = np.arange(start, min(start + chunk, args.users))
            counts = np.maximum(per_user[users], 0)
            user = np.repeat(users, counts)
            n = len(user)
            favourite = rng.random(n) < 0.8
            genre = np.where(favourite, favourites[user, rng.integers(0, 2, n)],
                             rng.choice(len(genres), size=n, p=weights))
            rank = np.floor(sizes[genre] * rng.random(n) ** 3).astype(np.int64)
            item = np.fromiter((by_genre[g][r] for g, r in zip(genre, rank)), dtype=np.int64, count=n)
            rating = np.clip(np.round((np.where(favourite, 4.0, 3.0) + rng.normal(0, 0.8, n)) * 2) / 2, 0.5, 5.0)
            out.write("".join(f"{u + 1},{ids[i]},{r}\n" for u, i, r in zip(user, item, rating)))
            written += n
    print(f"wrote {written:,} interactions by {args.users:,} users over {len(ids):,} titles to {args.out}")


if __name__ == "__main__":
    main()
