"""Prepares a reelmeans catalog on Apache Spark: taste factors learnt with
MLlib ALS (implicit feedback) from an interactions log, every title encoded
with the feature pipeline the Rust core fitted (`reelmeans spec`), and
clustered with MLlib KMeans (k-means|| seeding). It writes what the site and
the CLI load:

    OUT/catalog.csv   the catalog with taste_1..taste_N, cluster and distance
    OUT/model.json    the saved model: the pipeline and the centroids
    OUT/split/        above --split-above titles or --split-above-mib MiB of
                      catalog.csv (what the app reads whole): titles.csv (every
                      title, no taste columns) and clusters/C.csv (cluster C's rows)

Run it with spark-submit on a cluster (EMR, Glue, Databricks) or with plain
Python on one machine (`--master local[2]`); paths may be local or s3://.

    reelmeans prepare movies.csv --out catalog.csv
    reelmeans spec catalog.csv --taste-factors 32 --out spec.json
    python spark/prepare.py --catalog catalog.csv --interactions ratings.csv \
        --links links.csv --spec spec.json --k 24 --seed 42 --out out --master 'local[2]'

The catalog is read in the columns `reelmeans prepare` writes (the id
first); the interactions as `userId,movieId,rating` (MovieLens' ratings.csv,
CSV or Parquet); `--links` maps the interactions' movieId to the catalog's
id (MovieLens' links.csv: movieId → tmdbId). Titles nobody interacted with
get no taste factors (the core's encoding then gives them zeros).
"""

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reelmeans_spec  # noqa: E402  (beside this file; shipped to the executors below)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--catalog", required=True, help="catalog CSV or Parquet (reelmeans prepare's columns)")
    p.add_argument("--interactions", required=True, help="userId,movieId,rating log (CSV or Parquet)")
    p.add_argument("--links", help="movieId → catalog id (MovieLens links.csv; its tmdbId column)")
    p.add_argument("--spec", required=True, help="the pipeline JSON written by `reelmeans spec`")
    p.add_argument("--k", type=int, required=True, help="number of clusters")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True, help="output directory (local or s3://)")
    p.add_argument("--master", help="Spark master, for example local[2] (default: spark-submit's)")
    p.add_argument("--als-iterations", type=int, default=10)
    p.add_argument("--als-reg", type=float, default=0.1)
    p.add_argument("--als-alpha", type=float, default=1.0)
    p.add_argument("--max-iter", type=int, default=300, help="KMeans iterations at most")
    p.add_argument("--partitions", type=int, default=0, help="shuffle partitions (default: Spark's)")
    p.add_argument("--driver-memory", help="spark.driver.memory, for local mode (for example 8g)")
    p.add_argument("--split-above", type=int, default=1_000_000,
                   help="above this many titles, also write OUT/split/: titles.csv (every title without "
                        "its taste columns) and clusters/C.csv per cluster, which the site fetches one at "
                        "a time (default 1,000,000: the most titles the app reads in one file)")
    p.add_argument("--split-above-mib", type=int, default=200,
                   help="also split when catalog.csv is larger than this (default 200 MiB: the most text "
                        "the app reads in one file; 32 taste columns make that about 280,000 titles)")
    return p.parse_args(argv)


def read_table(spark, path):
    if path.endswith(".parquet") or path.rstrip("/").endswith("parquet"):
        return spark.read.parquet(path)
    return spark.read.csv(path, header=True, inferSchema=False, multiLine=True, escape='"')


def read_text(spark, path):
    """A small file's whole text, from any file system Spark reads."""
    rows = spark.sparkContext.wholeTextFiles(path).collect()
    if not rows:
        raise SystemExit(f"{path}: nothing to read")
    return rows[0][1]


def hadoop_path(spark, path):
    """Hadoop's file system for `path` (local paths and s3://), and the path."""
    target = spark.sparkContext._jvm.org.apache.hadoop.fs.Path(path)
    return target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), target


def write_text(spark, path, text):
    """Writes a small file through Hadoop's file system."""
    fs, target = hadoop_path(spark, path)
    out = fs.create(target, True)
    out.write(bytearray(text.encode("utf-8")))
    out.close()


def move_single_part(spark, directory, target):
    """Spark writes a directory of parts; the site loads one file."""
    fs, d = hadoop_path(spark, directory)
    parts = [s.getPath() for s in fs.listStatus(d) if s.getPath().getName().startswith("part-")]
    if len(parts) != 1:
        raise SystemExit(f"expected one part in {directory}, found {len(parts)}")
    _, t = hadoop_path(spark, target)
    fs.delete(t, False)
    fs.rename(parts[0], t)
    fs.delete(d, True)


def write_csv(spark, frame, target):
    """`frame` as one CSV file with a header at `target`."""
    parts = f"{target}.parts"
    frame.coalesce(1).write.mode("overwrite").option("header", True).option("escape", '"').csv(parts)
    move_single_part(spark, parts, target)


def distance_text():
    """The distance column as the CLI writes it: six decimals, no thousands marks."""
    from pyspark.sql import functions as F

    return F.regexp_replace(F.format_number("distance", 6), ",", "").alias("distance")


def write_split(spark, clustered, names, directory):
    """A catalog beyond one tab: every title without its taste columns (the
    site's search and cluster profiles), and one file per cluster with every
    column (what a selection loads), each in the catalog's file order."""
    from pyspark.sql import functions as F

    light = [n for n in names if not n.startswith("taste_")]
    write_csv(spark, clustered.orderBy("_row").select(*light, "cluster", distance_text()), f"{directory}/titles.csv")
    parts = f"{directory}/clusters.parts"
    (clustered.select(*names, F.col("cluster").alias("c"), "cluster", distance_text(), "_row")
        .repartition("c").sortWithinPartitions("_row").drop("_row")
        .write.mode("overwrite").partitionBy("c").option("header", True).option("escape", '"').csv(parts))
    fs, root = hadoop_path(spark, parts)
    _, target = hadoop_path(spark, f"{directory}/clusters")
    fs.delete(target, True)
    fs.mkdirs(target)
    for status in fs.listStatus(root):
        name = status.getPath().getName()
        if name.startswith("c="):
            move_single_part(spark, status.getPath().toString(), f"{directory}/clusters/{name[2:]}.csv")
    fs.delete(root, True)


def main(argv=None):
    args = parse_args(argv)
    from pyspark.ml.clustering import KMeans
    from pyspark.ml.feature import StringIndexer
    from pyspark.ml.linalg import Vectors, VectorUDT
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    if (args.master or "").startswith("local"):
        # On one machine the workers are this Python, with its numpy.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("reelmeans-prepare")
    if (args.master or "").startswith("local"):
        # One machine: nothing listens beyond it, and no web UI.
        builder = (builder.config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false"))
    if args.master:
        builder = builder.master(args.master)
    if args.driver_memory:
        builder = builder.config("spark.driver.memory", args.driver_memory)
    if args.partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(args.partitions))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    spark.sparkContext.addPyFile(reelmeans_spec.__file__)
    started = time.time()
    seconds = {}

    spec = json.loads(read_text(spark, args.spec))
    pipeline = reelmeans_spec.Pipeline(spec["pipeline"])
    rank = pipeline.taste_factors
    catalog = read_table(spark, args.catalog)
    id_column = catalog.columns[0]
    catalog = catalog.withColumn(id_column, F.col(id_column).cast("string"))
    # Last time's factors and clusters are replaced by this run's.
    stale = [c for c in catalog.columns if c.startswith("taste_") or c in ("cluster", "distance")]
    catalog = catalog.drop(*stale)
    names = catalog.columns + [f"taste_{i + 1}" for i in range(rank)]
    # The file's order, through the join below.
    catalog = catalog.withColumn("_row", F.monotonically_increasing_id())

    # 1. Taste: ALS on implicit feedback, one factor vector per item.
    t = time.time()
    interactions = read_table(spark, args.interactions).select(
        F.col("userId").cast("string").alias("user"),
        F.col("movieId").cast("string").alias("item"),
        F.col("rating").cast("double").alias("rating"))
    if args.links:
        links = read_table(spark, args.links).select(
            F.col("movieId").cast("string").alias("item"),
            F.col("tmdbId").cast("long").cast("string").alias("catalog_id"))
        interactions = interactions.join(links, "item").drop("item").withColumnRenamed("catalog_id", "item")
    interactions = interactions.join(catalog.select(F.col(id_column).alias("item")), "item")
    indexed = interactions
    for column in ("user", "item"):
        indexed = StringIndexer(inputCol=column, outputCol=f"{column}_index").fit(indexed).transform(indexed)
    interaction_count = indexed.count()
    with_factors = catalog.withColumn("factors", F.lit(None).cast("array<float>"))
    if rank > 0 and interaction_count > 0:
        als = ALS(rank=rank, maxIter=args.als_iterations, regParam=args.als_reg, alpha=args.als_alpha,
                  implicitPrefs=True, userCol="user_index", itemCol="item_index", ratingCol="rating",
                  seed=args.seed, coldStartStrategy="drop")
        model = als.fit(indexed)
        items = indexed.select("item", "item_index").distinct()
        learnt = (model.itemFactors.join(items, F.col("id") == F.col("item_index").cast("int"))
                  .select(F.col("item").alias(id_column), F.col("features").alias("factors")))
        # Kept on the executors and joined, never collected: a million titles' factors.
        with_factors = catalog.join(learnt, id_column, "left")
    seconds["taste"] = time.time() - t

    # 2. Every title encoded by the core's pipeline, from the text written out.
    t = time.time()
    shared = spark.sparkContext.broadcast((spec["pipeline"], names, rank))

    def encode(rows):
        import numpy as np
        import reelmeans_spec as rs
        raw, names, rank = shared.value
        p = rs.Pipeline(raw)
        for row in rows:
            cells = row.asDict()
            unit = rs.unit_taste([float(x) for x in cells.pop("factors") or []])
            taste = [repr(float(np.float32(x))) for x in unit] if unit else [""] * rank
            for i in range(rank):
                cells[f"taste_{i + 1}"] = taste[i]
            values = [cells.get(n) for n in names]
            yield values + [cells["_row"], Vectors.dense(p.encode_row(cells).astype(float))]

    schema = StructType([StructField(n, StringType()) for n in names]
                        + [StructField("_row", LongType()), StructField("features", VectorUDT())])
    # Checkpointed: the rows stay, their lineage (the ALS and its string
    # indexes, tens of MB at a million titles) is not shipped with every
    # k-means task.
    encoded = spark.createDataFrame(with_factors.rdd.mapPartitions(encode), schema).localCheckpoint()
    titles = encoded.count()
    titles_with_taste = encoded.filter(F.col("taste_1") != "").count() if rank else 0
    seconds["encoding"] = time.time() - t

    # 3. KMeans with k-means|| seeding.
    t = time.time()
    kmeans = KMeans(k=args.k, seed=args.seed, maxIter=args.max_iter, tol=1e-4, initMode="k-means||",
                    featuresCol="features", predictionCol="cluster").fit(encoded)
    seconds["kmeans"] = time.time() - t
    centroids = [np.asarray(c, dtype=np.float64) for c in kmeans.clusterCenters()]
    shared_centroids = spark.sparkContext.broadcast(centroids)

    @F.udf("double")
    def distance(features, cluster):
        c = shared_centroids.value[cluster]
        return float(np.sqrt(((features.toArray() - c) ** 2).sum()))

    clustered = kmeans.transform(encoded).withColumn("distance", distance("features", "cluster"))

    # 4. What the site loads.
    t = time.time()
    out = args.out.rstrip("/")
    write_csv(spark, clustered.orderBy("_row").select(*names, "cluster", distance_text()), f"{out}/catalog.csv")
    fs, written = hadoop_path(spark, f"{out}/catalog.csv")
    size = fs.getFileStatus(written).getLen()
    split = titles > args.split_above or size > args.split_above_mib * 1024 * 1024
    if split:
        write_split(spark, clustered, names, f"{out}/split")
    model = {
        "version": spec["version"],
        "pipeline": spec["pipeline"],
        "centroids": [[float(np.float32(x)) for x in c] for c in centroids],
    }
    write_text(spark, f"{out}/model.json", json.dumps(model, indent=2))
    if "://" not in out or out.startswith("file:"):
        # Hadoop's local file system leaves a checksum file beside each.
        local = out.removeprefix("file://").removeprefix("file:")
        for folder, _, files in os.walk(local):
            for name in files:
                if name.startswith(".") and name.endswith(".crc"):
                    os.remove(os.path.join(folder, name))
    seconds["writing"] = time.time() - t
    summary = {
        "titles": titles, "interactions": interaction_count, "titles_with_taste": titles_with_taste,
        "k": args.k, "rank": rank, "split": split, "inertia": kmeans.summary.trainingCost,
        "iterations": kmeans.summary.numIter, "seconds": time.time() - started,
        "stage_seconds": seconds,
    }
    print(json.dumps(summary))
    spark.stop()
    return summary


if __name__ == "__main__":
    main()
