#!/usr/bin/env python3
"""Writes a big catalog by jittered replication of the real default catalog.

  python3 scripts/make_big_catalog.py ROWS OUT.csv [--seed S]

Row i copies source movie i mod 4,803 (static/catalog.csv) with: a unique id
and title ("<title> #<copy>"), year ± up to 3, runtime ± 10%, rating ± 0.5
(clamped to 0..10), votes and popularity × a log-normal factor, and the same
genres and language. Seeded: the same arguments give the same file.
"""
import argparse
import csv
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with open(os.path.join(ROOT, "static", "catalog.csv"), newline="", encoding="utf-8") as f:
        source = list(csv.DictReader(f))
    rng = random.Random(args.seed)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["tmdb_id", "title", "year", "genres", "language", "runtime", "vote_average", "vote_count", "popularity"])
        for i in range(args.rows):
            m = source[i % len(source)]
            copy = i // len(source)
            year = int(m["year"]) + rng.randint(-3, 3) if m["year"] else ""
            runtime = f"{float(m['runtime']) * rng.uniform(0.9, 1.1):.0f}" if m["runtime"] else ""
            rating = f"{min(10.0, max(0.0, float(m['vote_average']) + rng.uniform(-0.5, 0.5))):.1f}" if m["vote_average"] else ""
            votes = f"{float(m['vote_count']) * rng.lognormvariate(0, 0.3):.0f}" if m["vote_count"] else ""
            popularity = f"{float(m['popularity']) * rng.lognormvariate(0, 0.3):.3f}" if m["popularity"] else ""
            w.writerow([f"{m['tmdb_id']}-{copy}", f"{m['title']} #{copy}", year, m["genres"], m["language"], runtime, rating, votes, popularity])


if __name__ == "__main__":
    main()
