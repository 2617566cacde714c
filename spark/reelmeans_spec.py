"""The feature pipeline reelmeans fits, applied in Python: what the Spark job
encodes titles with, so that Spark and the Rust core cannot drift.

The pipeline is the JSON `reelmeans spec CATALOG --out spec.json` writes (the
`pipeline` of a saved model): every output column with its fitted numbers.
This module only *applies* it, exactly as `FeaturePipeline::transform_into`
in `src/features.rs` does; `tests/spark/test_spark.py` encodes the default
catalog on both sides and compares the matrices.

Catalogs are read in the columns `reelmeans prepare` writes (an id column
first, then `title`, `year`, `genres` joined by `|`, `language`, `runtime`,
`vote_average`, `vote_count`, `popularity`, any `taste_1..taste_N`), plus
any number or category columns the pipeline names. Plain Python, no Spark:
the job calls it on each partition.
"""

import math

import numpy as np

# `NULL_MARKERS` in src/table.rs: cells that mean "no value".
NULL_MARKERS = frozenset(
    ["", "na", "n/a", "\\n", "null", "none", "nan", "-", "\u2013", "\u2014",
     "k. a.", "k.a.", "n.d.", "n/d", "n.v.", "s/d"])

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Columns of a prepared catalog, by the value they hold.
YEAR, RUNTIME, RATING, VOTES, POPULARITY = "year", "runtime", "vote_average", "vote_count", "popularity"


def clean(cell):
    """The cell's text, or None for an empty cell or a null marker (`table::clean`)."""
    if cell is None:
        return None
    text = str(cell).strip(" \t\r\n\v\f\u00a0\ufeff")
    if text.translate(_ASCII_LOWER) in NULL_MARKERS:
        return None
    return text


def number(cell):
    """A finite number, or None."""
    text = clean(cell)
    if text is None:
        return None
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


class Title:
    """One catalog row as the core's `Movie` holds it."""

    __slots__ = ("year", "genres", "language", "runtime", "rating", "votes",
                 "popularity", "numbers", "categories", "taste")

    def __init__(self, row, pipeline):
        """`row` maps column names to cells (strings or numbers)."""
        year = number(row.get(YEAR))
        self.year = float(int(year)) if year is not None else None
        genres = []
        for g in (clean(row.get("genres")) or "").split("|"):
            g = g.strip()
            if g and g not in genres:
                genres.append(g)
        self.genres = genres
        self.language = clean(row.get("language"))
        runtime = number(row.get(RUNTIME))
        self.runtime = runtime if runtime is not None and runtime > 0 else None
        self.rating = number(row.get(RATING))
        votes, popularity = number(row.get(VOTES)), number(row.get(POPULARITY))
        self.votes = votes if votes is not None and votes >= 0 else None
        self.popularity = popularity if popularity is not None and popularity >= 0 else None
        self.numbers = [number(row.get(name)) for name in pipeline.number_columns]
        self.categories = [clean(row.get(name)) for name in pipeline.category_columns]
        self.taste = unit_taste([number(row.get(f"taste_{i + 1}")) for i in range(pipeline.taste_factors)])


def unit_taste(values):
    """Factors scaled to unit length as float32, or [] unless all are there
    (`CatalogBuilder::push`: divided by the largest magnitude first)."""
    if not values or any(v is None for v in values):
        return []
    largest = max(abs(v) for v in values)
    if largest == 0:
        return []
    total = 0.0
    for v in values:
        total += (v / largest) * (v / largest)
    norm = largest * math.sqrt(total)
    if not math.isfinite(norm):
        return []
    return [float(np.float32(v / norm)) for v in values]


class Pipeline:
    """A fitted pipeline read from spec JSON."""

    def __init__(self, pipeline):
        self.raw = pipeline
        self.columns = pipeline["columns"]
        spec = pipeline["spec"]
        # f32 in the core: the same number as float32, widened.
        self.weights = {g: float(np.float32(w)) for g, w in spec["weights"]}
        self.prior = pipeline.get("prior")
        numbers, categories = {}, {}
        self.taste_factors = 0
        for c in self.columns:
            kind = c["kind"]
            if isinstance(kind, dict) and "Numeric" in kind:
                source = kind["Numeric"]["source"]
                if isinstance(source, dict):
                    name = c["name"][4:] if kind["Numeric"]["log"] and c["name"].startswith("log_") else c["name"]
                    numbers[source["Number"]] = name
            elif isinstance(kind, dict) and "Category" in kind:
                i, _ = kind["Category"]
                categories[i] = c["name"].rsplit(":", 1)[0]
            elif isinstance(kind, dict) and "Taste" in kind:
                self.taste_factors = max(self.taste_factors, kind["Taste"] + 1)
        self.number_columns = [numbers.get(i, f"number_{i}") for i in range(max(numbers, default=-1) + 1)]
        self.category_columns = [categories.get(i, f"category_{i}") for i in range(max(categories, default=-1) + 1)]
        self.kept_genres = {c["kind"]["Genre"] for c in self.columns if _kind(c) == "Genre" and c["kind"]["Genre"] is not None}
        self.kept_languages = {c["kind"]["Language"] for c in self.columns if _kind(c) == "Language" and c["kind"]["Language"] is not None}
        self.kept_categories = {}
        for c in self.columns:
            if _kind(c) == "Category" and c["kind"]["Category"][1] is not None:
                i, v = c["kind"]["Category"]
                self.kept_categories.setdefault(i, set()).add(v)

    @property
    def width(self):
        return len(self.columns)

    def weight(self, group):
        return self.weights.get(group, 1.0)

    def raw_value(self, title, source):
        if source == "Year":
            return title.year
        if source == "Runtime":
            return title.runtime
        if source == "Rating":
            r = title.rating
            if r is None or self.prior is None:
                return r
            m, c, v = self.prior["min_votes"], self.prior["mean_rating"], title.votes
            if v is not None and v + m > 0:
                return (v * r + m * c) / (v + m)
            return r
        if source == "Votes":
            return title.votes
        if source == "Popularity":
            return title.popularity
        i = source["Number"]
        return title.numbers[i] if i < len(title.numbers) else None

    def encode(self, title):
        """One title's feature row (float32), in column order."""
        out = np.zeros(self.width, dtype=np.float32)
        for j, c in enumerate(self.columns):
            kind, what = _kind(c), c["kind"]
            if kind == "Numeric":
                n = what["Numeric"]
                x = self.raw_value(title, n["source"])
                if x is not None and not math.isfinite(x):
                    x = None
                if x is not None and n["log"]:
                    x = math.log1p(max(x, 0.0))
                if x is None:
                    x = n["median"]
                if n["clip"] is not None:
                    lo, hi = n["clip"]
                    x = min(max(x, lo), hi)
                raw = (x - n["offset"]) / n["scale"]
            elif kind == "Genre":
                g = what["Genre"]
                raw = float(g in title.genres) if g is not None else float(any(x not in self.kept_genres for x in title.genres))
            elif kind == "Language":
                lang = what["Language"]
                if lang is not None:
                    raw = float(title.language == lang)
                else:
                    raw = float(title.language is not None and title.language not in self.kept_languages)
            elif kind == "Category":
                i, v = what["Category"]
                value = title.categories[i] if i < len(title.categories) else None
                if v is not None:
                    raw = float(value == v)
                else:
                    raw = float(value is not None and value not in self.kept_categories.get(i, set()))
            elif kind == "Taste":
                i = what["Taste"]
                raw = title.taste[i] if i < len(title.taste) else 0.0
            else:
                raise ValueError(f"unknown feature kind in the spec: {what!r}")
            out[j] = np.float32(raw * self.weight(c["group"]))
        return out

    def encode_row(self, row):
        """A catalog row (column name → cell) as its feature row."""
        return self.encode(Title(row, self))


def _kind(column):
    kind = column["kind"]
    return next(iter(kind)) if isinstance(kind, dict) else kind
