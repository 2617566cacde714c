#!/usr/bin/env python3
"""Writes data/imdb-sample/title.{basics,ratings}.tsv in IMDb's schema from the
TMDB 5000 and MovieLens files shipped in data/ (see data/DATA.md).

Deterministic: the same inputs always give the same files.
"""
import csv
import json
import os
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")
OUT = os.path.join(DATA, "imdb-sample")
MOVIES = 300  # the first titles (in TMDB file order) that MovieLens links to IMDb


def main():
    links = {}
    with open(os.path.join(DATA, "movielens", "links.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["tmdbId"]:
                links[row["tmdbId"]] = (row["movieId"], "tt" + row["imdbId"].zfill(7))
    sums = defaultdict(lambda: [0.0, 0])
    with open(os.path.join(DATA, "movielens", "ratings.csv"), newline="") as f:
        for row in csv.DictReader(f):
            s = sums[row["movieId"]]
            s[0] += float(row["rating"])
            s[1] += 1
    basics, ratings = [], []
    with open(os.path.join(DATA, "tmdb5000", "tmdb_5000_movies.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["movie_id"] not in links or len(basics) >= MOVIES:
                continue
            movie_id, tconst = links[row["movie_id"]]
            genres = ",".join(g["name"] for g in json.loads(row["genres"])[:3]) or "\\N"
            year = row["release_date"].split("/")[-1] if row["release_date"] else "\\N"
            runtime = str(int(float(row["runtime"]))) if row["runtime"] not in ("", "0", "0.0") else "\\N"
            title = row["title"].replace("\t", " ")
            basics.append([tconst, "movie", title, row["original_title"].replace("\t", " "), "0", year, "\\N", runtime, genres])
            if movie_id in sums:
                total, n = sums[movie_id]
                # MovieLens stars are 0.5-5; IMDb ratings are 1-10 with one decimal.
                ratings.append([tconst, f"{total / n * 2:.1f}", str(n)])
    # Rows the reader must filter out: a series, an episode, an adult film.
    basics.append(["tt9900001", "tvSeries", "A Series", "A Series", "0", "2010", "2014", "45", "Drama"])
    basics.append(["tt9900002", "tvEpisode", "An Episode", "An Episode", "0", "2011", "\\N", "44", "Drama"])
    basics.append(["tt9900003", "movie", "An Adult Film", "An Adult Film", "1", "2001", "\\N", "80", "\\N"])
    os.makedirs(OUT, exist_ok=True)
    header = ["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear", "runtimeMinutes", "genres"]
    for name, head, rows in [("title.basics.tsv", header, basics), ("title.ratings.tsv", ["tconst", "averageRating", "numVotes"], ratings)]:
        with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
            f.write("\t".join(head) + "\n")
            for r in rows:
                f.write("\t".join(r) + "\n")
    print(f"wrote {len(basics)} basics rows and {len(ratings)} ratings rows to {OUT}")


if __name__ == "__main__":
    main()
