#!/usr/bin/env python3
"""Writes small test fixtures under tests/fixtures/ from the real TMDB 5000 file.

- renamed_columns.csv: 400 real movies, semicolon-delimited, with column names
  unlike the default catalog's (the upload test must map them).
- malformed.csv: a quote that never closes (must be refused with its line).
Deterministic: same input, same files.
"""
import csv
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures")


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(ROOT, "data", "tmdb5000", "tmdb_5000_movies.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Every 12th movie: a spread of years and genres.
    picked = rows[::12][:400]
    with open(os.path.join(OUT, "renamed_columns.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Movie Name", "Released", "Kind", "Minutes", "Score", "Num Ratings", "Lang"])
        for r in picked:
            genres = ", ".join(g["name"] for g in json.loads(r["genres"]))
            w.writerow([r["title"], r["release_date"], genres, r["runtime"], r["vote_average"], r["vote_count"], r["original_language"]])
    with open(os.path.join(OUT, "malformed.csv"), "w", encoding="utf-8") as f:
        f.write('title,year,genres\nAlien,1979,Horror\n"Heat,1995,Crime\nUp,2009,Animation\n')
    print(f"wrote {len(picked)} movies to renamed_columns.csv and malformed.csv")


if __name__ == "__main__":
    main()
