#!/usr/bin/env python3
"""Writes small test fixtures under tests/fixtures/ from the real TMDB 5000 file.

- renamed_columns.csv: 400 real movies, semicolon-delimited, with column names
  unlike the default catalog's (the upload test must map them).
- malformed.csv: a quote that never closes (must be refused with its line).
- courses/items.csv + courses/interactions.csv: the course recommender's schema
  (courseId,title,categories / studentId,courseId,progress) with three taste
  groups of students; progress written both as `87%` and as `0.87`.
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
    write_courses()
    print(f"wrote {len(picked)} movies to renamed_columns.csv, malformed.csv and the course fixture")


COURSES = [
    ("C01", "Python for Data Analysis", "Data|Programming"), ("C02", "SQL Fundamentals", "Data"),
    ("C03", "Statistics I", "Data|Maths"), ("C04", "Machine Learning", "Data|Maths|Programming"),
    ("C05", "Data Visualisation", "Data|Design"), ("C06", "HTML and CSS", "Web|Design"),
    ("C07", "JavaScript Basics", "Web|Programming"), ("C08", "React", "Web|Programming"),
    ("C09", "Node.js APIs", "Web|Programming"), ("C10", "Web Accessibility", "Web|Design"),
    ("C11", "UX Research", "Design"), ("C12", "Typography", "Design"), ("C13", "Figma", "Design"),
    ("C14", "Marketing 101", "Business"), ("C15", "Finance for Managers", "Business|Maths"),
    ("C16", "Negotiation", "Business"), ("C17", "Linear Algebra", "Maths"), ("C18", "Rust Systems Programming", "Programming"),
]
GROUPS = {"data": ["C01", "C02", "C03", "C04", "C05", "C17"], "web": ["C06", "C07", "C08", "C09", "C10", "C18"],
          "design": ["C05", "C10", "C11", "C12", "C13", "C14"]}


def write_courses():
    out = os.path.join(OUT, "courses")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "items.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["courseId", "title", "categories"])
        w.writerows(COURSES)
    with open(os.path.join(out, "interactions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["studentId", "courseId", "progress"])
        state = 12345
        for g, (group, courses) in enumerate(GROUPS.items()):
            for s in range(10):
                student = f"S{g * 10 + s + 1:03d}"
                for c, course in enumerate(courses):
                    state = (state * 1103515245 + 12345) % 2**31  # a fixed LCG: same file every time
                    if (state >> 8) % 4 == 0:
                        continue  # each student skips about a quarter of their group's courses
                    progress = 55 + (state >> 12) % 46  # 55..100
                    w.writerow([student, course, f"{progress}%" if c % 2 else f"{progress / 100:.2f}"])
                # one course outside the group, started and dropped
                other = COURSES[(g * 7 + s) % len(COURSES)][0]
                if other not in courses:
                    w.writerow([student, other, "0.20"])


if __name__ == "__main__":
    main()
