"""The Spark path: one pipeline definition encoded the same way by the Rust
core and by Python (what the Spark job runs), and the job itself in local
mode on MovieLens ml-latest-small's kept part, its output read back by the
CLI and scored by the evaluation protocol beside the native path.

Run by scripts/test.sh (PySpark from the package registries, Java from
Debian: scripts/setup.sh installs both).
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "spark"))
import reelmeans_spec  # noqa: E402

REELMEANS = ROOT / "target" / "debug" / "reelmeans"


def reelmeans(*args):
    if not REELMEANS.exists():
        subprocess.run(["cargo", "build", "--quiet", "--bin", "reelmeans"], cwd=ROOT, check=True)
    done = subprocess.run([str(REELMEANS), *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def encode_both(catalog, tmp_path):
    """The catalog's matrix as the core writes it, and as Python encodes it with the core's spec."""
    spec, matrix = tmp_path / "spec.json", tmp_path / "matrix.npy"
    reelmeans("spec", catalog, "--out", spec)
    reelmeans("features", catalog, "--out", matrix)
    pipeline = reelmeans_spec.Pipeline(json.loads(spec.read_text())["pipeline"])
    python = np.stack([pipeline.encode_row(r) for r in rows(catalog)])
    return np.load(matrix), python, pipeline


def assert_same(core, python, pipeline):
    assert core.shape == python.shape
    worst = np.abs(core - python).max(axis=0)
    bad = [(pipeline.columns[j]["name"], float(worst[j])) for j in np.flatnonzero(worst > 1e-6)]
    assert not bad, f"columns encoded differently: {bad}"


def test_the_default_catalog_encodes_the_same_in_rust_and_python(tmp_path):
    core, python, pipeline = encode_both(ROOT / "static" / "catalog.csv", tmp_path)
    assert core.shape == (4803, 66)
    assert pipeline.taste_factors == 32
    assert_same(core, python, pipeline)


def test_number_and_category_columns_and_missing_values_encode_the_same(tmp_path):
    # The default catalog's first 400 titles with a budget (heavy-tailed: logged),
    # a country (a category) and holes in every column.
    source = rows(ROOT / "static" / "catalog.csv")[:400]
    countries = ["US", "GB", "FR", "DE", "JP", "IN", "KR", "IT", "ES", "SE", "BR"]
    catalog = tmp_path / "extra.csv"
    with open(catalog, "w", newline="", encoding="utf-8") as f:
        names = list(source[0]) + ["budget", "country"]
        w = csv.DictWriter(f, names)
        w.writeheader()
        for i, row in enumerate(source):
            row = dict(row, budget="" if i % 7 == 0 else str((i * 7919) % 1000 * 10 ** (i % 5)),
                       country="" if i % 11 == 0 else countries[(i * 3) % len(countries)])
            for column, every in (("year", 13), ("runtime", 17), ("vote_average", 19), ("language", 23),
                                  ("genres", 29), ("taste_5", 31)):
                if i % every == 0:
                    row[column] = ""
            w.writerow(row)
    core, python, pipeline = encode_both(catalog, tmp_path)
    names = [c["name"] for c in pipeline.columns]
    assert "log_budget" in names and "country:DE" in names and "country:other" in names
    assert_same(core, python, pipeline)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The Spark job on the evaluation protocol's kept part of ml-latest-small
    (each user's newest 10% held out), so its taste can be scored on the
    held-out part without leaking it; k = 20, the evaluation's item k."""
    out = tmp_path_factory.mktemp("spark")
    reelmeans("prepare", ROOT / "data" / "tmdb5000" / "tmdb_5000_movies.csv", "--out", out / "input.csv")
    reelmeans("spec", out / "input.csv", "--taste-factors", 32, "--out", out / "spec.json")
    reelmeans("kept", ROOT / "data" / "movielens" / "ratings.csv", "--catalog", out / "input.csv",
              "--links", ROOT / "data" / "movielens" / "links.csv", "--out", out / "kept.csv")
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "spark" / "prepare.py"),
                           "--catalog", out / "input.csv", "--interactions", out / "kept.csv",
                           "--spec", out / "spec.json", "--k", "20", "--seed", "42", "--out", out,
                           "--master", "local[2]"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return out, summary


def test_the_spark_job_writes_a_catalog_and_model_the_cli_reads_as_they_are(prepared):
    out, summary = prepared
    assert summary["titles"] == 4803 and summary["k"] == 20 and summary["rank"] == 32
    # The kept part of ml-latest-small's ratings of TMDB 5000 titles (keyed by the catalog's id).
    assert len(rows(out / "kept.csv")) == summary["interactions"] > 60_000
    assert summary["titles_with_taste"] > 3_000
    spark = rows(out / "catalog.csv")
    assert len(spark) == 4803
    assert {"taste_1", "taste_32", "cluster", "distance"} <= set(spark[0])
    # The CLI gives every title the cluster Spark gave it: same features, same centroids.
    read = json.loads(reelmeans("cluster", out / "catalog.csv", "--from-model", out / "model.json",
                                "--out", out / "cli.csv", "--json"))
    assert [r["cluster"] for r in rows(out / "cli.csv")] == [r["cluster"] for r in spark]
    assert read["inertia"] == pytest.approx(summary["inertia"], rel=1e-5)


def test_spark_made_clusters_recommend_as_well_as_the_native_path(prepared):
    # Same protocol, same split, one run: the native item clusters with taste
    # (taste learnt by the core from the kept part, k-means in the core)
    # against Spark's (ALS taste from the same kept part, MLlib k-means).
    out, _ = prepared
    report = json.loads(reelmeans("evaluate", ROOT / "data" / "movielens" / "ratings.csv",
                                  "--catalog", out / "catalog.csv", "--links", ROOT / "data" / "movielens" / "links.csv",
                                  "--prepared", out / "model.json", "--item-k", 20, "--seeds", 1, "--json"))
    ndcg = {r["name"]: r["ndcg@10"] for r in report["recommenders"]}
    native, spark = ndcg["item clusters with taste (profile of liked items)"], ndcg["item clusters (prepared model)"]
    print(f"NDCG@10: Spark-prepared {spark:.4f}, native {native:.4f} ({spark / native - 1:+.1%}); "
          f"popularity {ndcg['popularity (count)']:.4f}")
    assert spark >= 0.9 * native
    assert spark > ndcg["popularity (count)"]


def test_spark_clusters_are_as_tight_as_the_cores_on_the_same_matrix(prepared):
    out, summary = prepared
    native = [json.loads(reelmeans("cluster", out / "catalog.csv", "--k", 20, "--seed", seed, "--json"))["inertia"]
              for seed in (1, 2, 3, 42)]
    median = float(np.median(native))
    print(f"Spark inertia {summary['inertia']:.1f}, native median over 4 seeds {median:.1f} "
          f"({summary['inertia'] / median - 1:+.2%})")
    assert summary["inertia"] <= 1.02 * median
