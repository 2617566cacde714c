// k-means on shard workers: any number of shards gives the same clusters
// (labels, distances, iterations, inertia), under the site's CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReady, uploadFiles, repo, useBrowser, cloudFrontHeaders } from './harness.mjs';

const env = useBrowser(cloudFrontHeaders());
const csv = path.join(os.tmpdir(), `reelmeans-e2e-shards-${process.pid}.csv`);

// Enough rows for two shards by default (131,072 rows per shard at least).
const ROWS = 140_000;
before(() => execFileSync('python3', [path.join(repo, 'scripts', 'make_big_catalog.py'), String(ROWS), csv]));
after(() => fs.rmSync(csv, { force: true }));

const K_MEANS = /^k-means: [0-9.]+ s \(k = (\d+), seed (\d+)\): (\d+) iterations, inertia ([0-9.]+), (\d+) shards? on (\d+) workers?; seeding [0-9.]+ s$/;

/**
 * Opens the site with `query`, uploads `file` when given, and returns the
 * k-means note's parts, the catalog's export, and how many workers the page
 * and its workers started.
 */
async function clustered(query, file) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  let workers = 0;
  page.on('worker', () => { workers += 1; });
  await openReady(page, env.site.url + query);
  if (file) {
    await uploadFiles(page, file);
    await page.click('[data-testid=confirm-mapping]');
    await page.waitForFunction(() => /^ready — 140,000 titles/.test(document.querySelector('[data-testid=status]')?.textContent), null, { timeout: 120_000 });
  }
  await page.click('[data-testid=status-details] summary');
  const notes = await page.locator('.status .note').allTextContents();
  const note = notes.map((n) => n.match(K_MEANS)).filter(Boolean).at(-1);
  assert.ok(note, notes.join(' | '));
  const [, k, seed, iterations, inertia, shards, ran] = note.map(Number);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Catalog with clusters (CSV)')]);
  const exported = fs.readFileSync(await download.path(), 'utf8');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.deepEqual(errors, []);
  await context.close();
  return { k, seed, iterations, inertia, shards, ran, exported, workers, cores };
}

test('the default catalog gets the same clusters from 1, 3 and 5 shards on as many workers', async () => {
  const one = await clustered('?shards=1');
  assert.equal(one.shards, 1);
  assert.equal(one.ran, 1);
  for (const n of [3, 5]) {
    const many = await clustered(`?shards=${n}`);
    assert.equal(many.shards, n);
    assert.equal(many.ran, n, 'every shard ran on a worker of its own');
    // The page's building worker started n − 1 shard workers beside it.
    assert.equal(many.workers, one.workers + n - 1);
    assert.deepEqual([many.k, many.seed, many.iterations, many.inertia], [one.k, one.seed, one.iterations, one.inertia]);
    assert.ok(one.exported.split('\n').length > 4800);
    assert.ok(many.exported === one.exported, `${n} shards: the export (clusters and distances) differs`);
  }
});

test('an upload uses one shard per core and gets the clusters of one shard', async () => {
  const auto = await clustered('', csv);
  // One per core, at most 8, each with at least 131,072 rows (140,000 rows: at most 2).
  assert.equal(auto.shards, Math.min(auto.cores, 8, 2));
  assert.equal(auto.ran, auto.shards);
  // One worker: its k-means runs four shards one after another (progress between them).
  const one = await clustered('?shards=1', csv);
  assert.equal(one.ran, 1);
  assert.equal(one.shards, 4);
  assert.ok(auto.exported.split('\n').length > ROWS);
  assert.deepEqual([auto.k, auto.iterations, auto.inertia], [one.k, one.iterations, one.inertia]);
  assert.ok(auto.exported === one.exported, 'the export (clusters and distances) differs');
});
