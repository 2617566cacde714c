#!/usr/bin/env python3
"""Side-by-side k-means benchmark: reelmeans (release CLI) against
scikit-learn's KMeans on the same float32 matrices, in one run.

Matrices, each written once as a float32 .npy file that both sides load
(every value exact, the same bytes on both sides):
  (a) the default catalog's scaled features (`reelmeans features --out a.npy`), k = 20;
  (b) 1,000,000 rows built by jittered replication of (a): rows drawn with
      replacement (seed 7) plus Gaussian noise of 5% of each column's standard
      deviation, k = 40.
Both sides: k-means++ seeding, n_init = 1, max_iter = 300, tol = 1e-4, the
same seeds 0..N-1 (different random generators, so each seed is a different
draw on each side: compare the distributions, not one draw).

What each side's seconds include: ours is the `kmeans_seconds` the CLI reports,
the whole fit from the loaded matrix (finite check, tolerance, seeding,
iterations, final labels and inertia), not reading the file; scikit-learn's is
the `fit` call on the loaded array (its input checks, tolerance, seeding,
iterations, final labels and inertia).

Threads: "one thread" is `--threads 1` for ours and threadpool_limits(1) for
scikit-learn; "all cores" is our default (every core) and scikit-learn's
default. Run through scripts/bench_kmeans.sh, which prepares a venv and
clears the OpenBLAS kernel pin for this command.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import sklearn
import threadpoolctl
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "reelmeans")
MAX_ITER, TOL = 300, 1e-4
CORES = os.cpu_count()


STAGES = {}  # (threads, stage) -> seconds of our runs, for the per-stage speed-up


def ours(path, k, seed, algorithm, threads):
    out = subprocess.run(
        [CLI, "cluster", "--matrix", path, "--k", str(k), "--n-init", "1", "--max-iter", str(MAX_ITER),
         "--tol", str(TOL), "--seed", str(seed), "--algorithm", algorithm, "--threads", str(threads), "--json"],
        check=True, capture_output=True, text=True)
    r = json.loads(out.stdout)
    for stage, seconds in r["stage_seconds"].items():
        STAGES.setdefault((path, algorithm, threads, stage), []).append(seconds)
    return r["kmeans_seconds"], r["iterations"], r["inertia"]


def theirs(x, k, seed, algorithm, threads):
    model = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=MAX_ITER, tol=TOL,
                   algorithm=algorithm, random_state=seed)
    with threadpool_limits(limits=threads):
        start = time.perf_counter()
        model.fit(x)
        seconds = time.perf_counter() - start
    return seconds, model.n_iter_, float(model.inertia_)


def compare(name, x, path, k, seeds, our_algorithms):
    print(f"\n## {name}: {x.shape[0]:,} rows × {x.shape[1]} columns, k = {k}, seeds 0..{seeds - 1}")
    runs = {}
    for threads, label in [(1, "one thread"), (CORES, f"all {CORES} cores")]:
        sk_threads = 1 if threads == 1 else None
        contenders = [(f"reelmeans {a}", lambda s, a=a: ours(path, k, s, a, threads)) for a in our_algorithms]
        contenders += [(f"scikit-learn {a}", lambda s, a=a: theirs(x, k, s, a, sk_threads))
                       for a in ("elkan", "lloyd")]
        for seed in range(seeds):  # interleaved, so a slow spell of the machine hits every side
            for impl, fn in contenders:
                runs.setdefault((label, impl), []).append(fn(seed))
    print(f"{'threads':<14}{'implementation':<22}{'median s':>10}{'min s':>9}{'median it':>10}"
          f"{'s / it':>9}{'median inertia':>17}{'worst inertia':>16}")
    summary = {}
    for (label, impl), rs in runs.items():
        secs = [r[0] for r in rs]
        iters = [r[1] for r in rs]
        inertia = [r[2] for r in rs]
        per_it = statistics.median(s / i for s, i, _ in rs)
        summary[(label, impl)] = (statistics.median(secs), statistics.median(inertia), max(inertia), per_it)
        print(f"{label:<14}{impl:<22}{statistics.median(secs):>10.4f}{min(secs):>9.4f}"
              f"{statistics.median(iters):>10.1f}{per_it:>9.4f}{statistics.median(inertia):>17.2f}{max(inertia):>16.2f}")
    for label in ("one thread", f"all {CORES} cores"):
        mine = min((v for (l, i), v in summary.items() if l == label and i.startswith("reelmeans")),
                   key=lambda v: v[0])
        sk_impl, sk = min(((i, v) for (l, i), v in summary.items() if l == label and i.startswith("scikit")),
                          key=lambda iv: iv[1][0])
        print(f"{label}: time ratio, our best median / scikit-learn's best median ({sk_impl}): "
              f"{mine[0] / sk[0]:.3f}; per iteration {mine[3] / sk[3]:.3f}; "
              f"inertia median {mine[1] / sk[1]:.4f}, worst {mine[2] / sk[2]:.4f}")
    ours_one = min(v[0] for (l, i), v in summary.items() if l == "one thread" and i.startswith("reelmeans"))
    ours_all = min(v[0] for (l, i), v in summary.items() if l != "one thread" and i.startswith("reelmeans"))
    print(f"our speed-up from 1 to {CORES} threads (medians): {ours_one / ours_all:.2f}")
    for algorithm in our_algorithms:
        for stage in ("seeding", "iterations"):
            one = statistics.median(STAGES[(path, algorithm, 1, stage)])
            many = statistics.median(STAGES[(path, algorithm, CORES, stage)])
            print(f"  {algorithm} {stage}: median {one:.4f} s on 1 thread, {many:.4f} s on {CORES}: "
                  f"speed-up {one / many:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of matrix (b); 0 skips it")
    args = parser.parse_args()
    if not os.path.exists(CLI):
        sys.exit("build the CLI first: cargo build --release --bin reelmeans")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, {CORES} cores; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', 'unset')}")
    KMeans(n_clusters=2, n_init=1).fit(np.random.default_rng(0).random((64, 4), dtype=np.float32))
    for pool in threadpoolctl.threadpool_info():
        print(f"thread pool: {pool.get('internal_api')} {pool.get('version', '')} "
              f"kernel {pool.get('architecture', '-')}, {pool.get('num_threads')} threads")
    with tempfile.TemporaryDirectory() as tmp:
        a_path = os.path.join(tmp, "a.npy")
        subprocess.run([CLI, "features", os.path.join(ROOT, "static", "catalog.csv"), "--out", a_path],
                       check=True, capture_output=True)
        a = np.load(a_path)
        compare("(a) default catalog features", a, a_path, 20, args.seeds, ["hamerly", "lloyd"])
        if args.rows:
            rng = np.random.default_rng(7)
            rows = rng.integers(0, a.shape[0], size=args.rows)
            noise = rng.normal(0.0, 1.0, size=(rows.size, a.shape[1])).astype(np.float32) * (0.05 * a.std(axis=0))
            b = (a[rows] + noise).astype(np.float32)
            b_path = os.path.join(tmp, "b.npy")
            np.save(b_path, b)
            assert np.array_equal(np.load(b_path), b)
            compare("(b) jittered replication", b, b_path, 40, args.seeds, ["hamerly"])


if __name__ == "__main__":
    main()
