#!/usr/bin/env python3
"""Side-by-side k-means benchmark: reelmeans (release CLI) against
scikit-learn's KMeans on the same float32 matrices, one thread each, in one run.

Matrices:
  (a) the default catalog's scaled features (`reelmeans features`), k = 20;
  (b) 1,000,000 rows built by jittered replication of (a): rows drawn with
      replacement (seed 7) plus Gaussian noise of 5% of each column's standard
      deviation, float32, k = 40.
Both sides: k-means++ seeding, n_init = 1, max_iter = 300, tol = 1e-4.
Our time is the clustering time the CLI reports (no file reading); scikit-learn's
is the `fit` call. Run through scripts/bench_kmeans.sh, which prepares a venv.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "reelmeans")
MAX_ITER, TOL, SEED = 300, 1e-4, 0


def ours(path, k, algorithm):
    out = subprocess.run(
        [CLI, "cluster", "--matrix", path, "--k", str(k), "--n-init", "1", "--max-iter", str(MAX_ITER),
         "--tol", str(TOL), "--seed", str(SEED), "--algorithm", algorithm, "--json"],
        check=True, capture_output=True, text=True)
    r = json.loads(out.stdout)
    return r["seconds"], r["iterations"], r["inertia"]


def theirs(x, k, algorithm):
    with threadpool_limits(limits=1):
        model = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=MAX_ITER, tol=TOL,
                       algorithm=algorithm, random_state=SEED)
        start = time.perf_counter()
        model.fit(x)
        return time.perf_counter() - start, model.n_iter_, float(model.inertia_)


def compare(name, x, path, k, repeats):
    print(f"\n## {name}: {x.shape[0]:,} rows × {x.shape[1]} columns, k = {k} (best of {repeats})")
    print(f"{'implementation':<28}{'seconds':>10}{'iters':>7}{'inertia':>16}")
    results = {}
    for label, fn in [("reelmeans hamerly", lambda: ours(path, k, "hamerly")),
                      ("reelmeans lloyd", lambda: ours(path, k, "lloyd")),
                      ("scikit-learn elkan", lambda: theirs(x, k, "elkan")),
                      ("scikit-learn lloyd", lambda: theirs(x, k, "lloyd"))]:
        runs = [fn() for _ in range(repeats)]
        best = min(runs, key=lambda r: r[0])
        results[label] = best
        print(f"{label:<28}{best[0]:>10.4f}{best[1]:>7}{best[2]:>16.2f}")
    ours_best = min(results["reelmeans hamerly"][0], results["reelmeans lloyd"][0])
    sk_label = min(["scikit-learn elkan", "scikit-learn lloyd"], key=lambda l: results[l][0])
    sk_time, _, sk_inertia = results[sk_label]
    print(f"time ratio ours/scikit-learn best ({sk_label}): {ours_best / sk_time:.3f}")
    for label in ("reelmeans hamerly", "reelmeans lloyd"):
        print(f"inertia ratio {label} / {sk_label}: {results[label][2] / sk_inertia:.4f}")


def main():
    if not os.path.exists(CLI):
        sys.exit("build the CLI first: cargo build --release --bin reelmeans")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, one thread each")
    with tempfile.TemporaryDirectory() as tmp:
        a_path = os.path.join(tmp, "a.csv")
        subprocess.run([CLI, "features", os.path.join(ROOT, "static", "catalog.csv"), "--out", a_path],
                       check=True, capture_output=True)
        a = np.loadtxt(a_path, delimiter=",", skiprows=1, dtype=np.float32)
        compare("(a) default catalog features", a, a_path, 20, repeats=5)

        rng = np.random.default_rng(7)
        rows = rng.integers(0, a.shape[0], size=1_000_000)
        noise = rng.normal(0.0, 1.0, size=(rows.size, a.shape[1])).astype(np.float32) * (0.05 * a.std(axis=0))
        b = (a[rows] + noise).astype(np.float32)
        b_path = os.path.join(tmp, "b.csv")
        with open(b_path, "w") as f:
            f.write(",".join(f"f{i}" for i in range(b.shape[1])) + "\n")
            np.savetxt(f, b, delimiter=",", fmt="%.7g")
        compare("(b) jittered replication", b, b_path, 40, repeats=1)


if __name__ == "__main__":
    main()
