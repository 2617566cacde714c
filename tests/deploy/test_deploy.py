"""deploy/deploy.sh against a real S3 API (moto in server mode on 127.0.0.1),
and the CloudFormation template through cfn-lint.

Run by scripts/test.sh after `trunk build --release` (it deploys the real dist/).
"""
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "deploy.sh"
TEMPLATE = ROOT / "deploy" / "cloudformation.yaml"
BIN = Path(sys.executable).parent
HASHED = re.compile(r"-[0-9a-f]{15,16}(_bg)?\.[a-z0-9]+$")


@pytest.fixture(scope="module")
def endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture()
def env():
    return {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "PATH": f"{BIN}:{os.environ['PATH']}"}


@pytest.fixture()
def dist(tmp_path):
    built = ROOT / "dist"
    assert (built / "index.html").exists(), "run `trunk build --release` first"
    copy = tmp_path / "dist"
    shutil.copytree(built, copy)
    return copy


def s3(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def deploy(env, *args):
    return subprocess.run([str(DEPLOY), *args], env=env, capture_output=True, text=True, timeout=300)


EXPECTED_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                  ".wasm": "application/wasm", ".css": "text/css; charset=utf-8",
                  ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml"}


def test_every_object_gets_its_content_type_and_cache_control(endpoint, env, dist):
    client = s3(endpoint)
    client.create_bucket(Bucket="site-a")
    result = deploy(env, "--bucket", "site-a", "--dist", str(dist), "--endpoint-url", endpoint)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="site-a")["Contents"])
    assert keys == files
    assert any(k.endswith(".wasm") for k in keys) and "index.html" in keys and "catalog.csv" in keys
    for key in keys:
        head = client.head_object(Bucket="site-a", Key=key)
        assert head["ContentType"] == EXPECTED_TYPES[Path(key).suffix], key
        hashed = bool(HASHED.search(key))
        expected = "public, max-age=31536000, immutable" if hashed else "no-cache"
        assert head["CacheControl"] == expected, key
        assert client.get_object(Bucket="site-a", Key=key)["Body"].read() == (dist / key).read_bytes()
    # Trunk's app files are hashed; index.html and the worker files are not.
    assert any(HASHED.search(k) for k in keys if k.startswith("app-") and k.endswith(".wasm"))
    assert not HASHED.search("index.html")


def test_a_second_deploy_lists_stale_files_and_deletes_them_only_when_asked(endpoint, env, dist):
    client = s3(endpoint)
    client.create_bucket(Bucket="site-b")
    assert deploy(env, "--bucket", "site-b", "--dist", str(dist), "--endpoint-url", endpoint).returncode == 0
    client.put_object(Bucket="site-b", Key="app-0123456789abcdef.js", Body=b"old")
    (dist / "catalog.csv").unlink()
    keys = lambda: {o["Key"] for o in client.list_objects_v2(Bucket="site-b")["Contents"]}
    # Without the flag, nothing is deleted: the stale objects are listed.
    result = deploy(env, "--bucket", "site-b", "--dist", str(dist), "--endpoint-url", endpoint)
    assert result.returncode == 0, result.stderr
    assert "left 2 objects" in result.stdout and "app-0123456789abcdef.js" in result.stdout, result.stdout
    assert {"app-0123456789abcdef.js", "catalog.csv"} <= keys()
    # A dry run with the flag says what would go, and deletes nothing.
    result = deploy(env, "--bucket", "site-b", "--dist", str(dist), "--endpoint-url", endpoint, "--dry-run", "--delete-stale")
    assert result.returncode == 0, result.stderr
    removals = [l.strip() for l in result.stdout.splitlines() if l.startswith("aws s3 rm ")]
    assert sorted(removals) == sorted(f"aws s3 rm s3://site-b/{k} --endpoint-url {endpoint} --only-show-errors"
                                      for k in ["app-0123456789abcdef.js", "catalog.csv"]), result.stdout
    assert {"app-0123456789abcdef.js", "catalog.csv"} <= keys()
    # With the flag, they go.
    result = deploy(env, "--bucket", "site-b", "--dist", str(dist), "--endpoint-url", endpoint, "--delete-stale")
    assert result.returncode == 0, result.stderr
    assert "app-0123456789abcdef.js" not in keys() and "catalog.csv" not in keys()
    assert "index.html" in keys()


def test_a_prefix_deploys_under_a_sub_path(endpoint, env, dist):
    client = s3(endpoint)
    client.create_bucket(Bucket="site-c")
    client.put_object(Bucket="site-c", Key="other/keep.txt", Body=b"not ours")
    assert deploy(env, "--bucket", "site-c", "--dist", str(dist), "--prefix", "movies/", "--endpoint-url", endpoint).returncode == 0
    keys = {o["Key"] for o in client.list_objects_v2(Bucket="site-c")["Contents"]}
    assert "movies/index.html" in keys and "other/keep.txt" in keys


def test_dry_run_prints_every_command_and_calls_nothing(env, dist):
    env = {**env, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}  # any real call would fail
    result = deploy(env, "--bucket", "no-such-bucket", "--distribution-id", "E123EXAMPLE", "--dist", str(dist), "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    uploads = [l for l in lines if l.startswith("aws s3 cp ")]
    assert len(uploads) == sum(1 for p in dist.rglob("*") if p.is_file())
    assert "index.html" in uploads[-1], "index.html is uploaded last"
    assert any(l.startswith("aws cloudfront create-invalidation --distribution-id E123EXAMPLE") and "/index.html" in l for l in lines)
    assert any("application/wasm" in l for l in uploads)


def test_a_prepared_catalog_and_its_model_become_the_default(endpoint, env, dist, tmp_path):
    catalog, model = tmp_path / "prepared.csv", tmp_path / "prepared-model.json"
    catalog.write_text("tmdb_id,title,genres,cluster,distance\n1,Heat,Crime,0,0.5\n2,Up,Animation,1,0.25\n")
    model.write_text('{"version": 1, "pipeline": {}, "centroids": [[0.0], [1.0]]}')
    client = s3(endpoint)
    client.create_bucket(Bucket="site-d")
    result = deploy(env, "--bucket", "site-d", "--dist", str(dist), "--endpoint-url", endpoint,
                    "--catalog", str(catalog), "--model", str(model))
    assert result.returncode == 0, result.stderr
    body = lambda key: client.get_object(Bucket="site-d", Key=key)["Body"].read()
    assert body("catalog.csv") == catalog.read_bytes()
    assert body("model.json") == model.read_bytes()
    assert client.head_object(Bucket="site-d", Key="model.json")["CacheControl"] == "no-cache"
    page = body("index.html").decode()
    assert page.count('<meta name="reelmeans-model" content="model.json">') == 1
    assert page.replace('  <meta name="reelmeans-model" content="model.json">\n', "") == (dist / "index.html").read_text()
    # dist/ itself is untouched: the staged copy went up.
    assert not (dist / "model.json").exists()
    # A model without its catalog, or a file that is no model, is refused.
    assert deploy(env, "--bucket", "site-d", "--dist", str(dist), "--model", str(model)).returncode == 2
    result = deploy(env, "--bucket", "site-d", "--dist", str(dist), "--catalog", str(catalog), "--model", str(catalog))
    assert result.returncode == 2 and "not a saved model" in result.stderr


def test_a_split_catalog_goes_up_as_per_cluster_files_invalidated_as_one_path(env, dist, tmp_path):
    split, model = tmp_path / "split", tmp_path / "model.json"
    (split / "clusters").mkdir(parents=True)
    (split / "titles.csv").write_text("tmdb_id,title,genres,cluster,distance\n1,Heat,Crime,0,0.5\n2,Up,Animation,1,0.25\n")
    for c, row in enumerate(["1,Heat,Crime,0,0.5", "2,Up,Animation,1,0.25"]):
        (split / "clusters" / f"{c}.csv").write_text(f"tmdb_id,title,genres,cluster,distance\n{row}\n")
    model.write_text('{"version": 1, "pipeline": {}, "centroids": [[0.0], [1.0]]}')
    env = {**env, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}  # a dry run: any real call would fail
    result = deploy(env, "--bucket", "b", "--distribution-id", "E123EXAMPLE", "--dist", str(dist), "--dry-run",
                    "--split", str(split), "--model", str(model))
    assert result.returncode == 0, result.stderr
    uploads = [l for l in result.stdout.splitlines() if l.startswith("aws s3 cp ")]
    for key in ("split/titles.csv", "split/clusters/0.csv", "split/clusters/1.csv", "model.json"):
        assert any(f"s3://b/{key} " in l for l in uploads), key
    assert "index.html" in uploads[-1]
    invalidation = next(l for l in result.stdout.splitlines() if l.startswith("aws cloudfront create-invalidation"))
    assert "/split/\\*" in invalidation or "/split/*" in invalidation, invalidation
    assert "/split/clusters/0.csv" not in invalidation
    # The split needs its model, and a folder that is a split.
    assert deploy(env, "--bucket", "b", "--dist", str(dist), "--dry-run", "--split", str(split)).returncode == 2
    result = deploy(env, "--bucket", "b", "--dist", str(dist), "--dry-run", "--split", str(tmp_path), "--model", str(model))
    assert result.returncode == 2 and "no titles.csv" in result.stderr


def test_bad_arguments_are_refused(env, tmp_path):
    assert deploy(env, "--dist", str(tmp_path)).returncode == 2
    result = deploy(env, "--bucket", "b", "--dist", str(tmp_path))
    assert result.returncode == 2 and "trunk build" in result.stderr


def test_the_template_passes_cfn_lint():
    result = subprocess.run([str(BIN / "cfn-lint"), str(TEMPLATE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_template_allows_exactly_what_the_app_needs():
    text = TEMPLATE.read_text()
    csp = re.search(r"ContentSecurityPolicy: >-\n((?:\s{14}.*\n)+)", text).group(1)
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    for header in ("Cross-Origin-Opener-Policy", "same-origin", "Cross-Origin-Embedder-Policy", "require-corp",
                   "StrictTransportSecurity", "ContentTypeOptions", "ReferrerPolicy", "BlockPublicAcls: true",
                   "ViewerProtocolPolicy: redirect-to-https", "Compress: true", "ResponsePagePath: /index.html"):
        assert header in text, header
