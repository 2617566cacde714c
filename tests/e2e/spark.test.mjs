// The Spark path's output in the app (issue 16): the catalog and model the
// job wrote give every title the cluster Spark gave it, with no k-means in
// the tab: opened by the user, as a site's default (deploy/stage.sh), and
// split into per-cluster files fetched one at a time (the job splits above
// --split-above titles: 1,000 here, so the default catalog splits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cloudFrontHeaders, dist, freshPage, openReady, repo, selectByTitle, serve, uploadFiles, useBrowser } from './harness.mjs';

const env = useBrowser();
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-spark-'));
let spark;

before(() => {
  execFileSync(path.join(repo, 'scripts', 'spark_example.sh'), [out, '--split-above', '1000'],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  spark = clusters(path.join(out, 'catalog.csv'));
}, { timeout: 600_000 });
after(() => process.env.KEEP_SPARK_OUT || fs.rmSync(out, { recursive: true, force: true }));

/** Title → Spark's clusters, from its CSV (rows with a quoted title are skipped: none is checked). */
function clusters(file) {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  const [titleAt, clusterAt] = [names.indexOf('title'), names.indexOf('cluster')];
  const byTitle = new Map();
  for (const line of lines) {
    if (line.includes('"')) continue;
    const cells = line.split(',');
    byTitle.set(cells[titleAt], [...(byTitle.get(cells[titleAt]) ?? []), cells[clusterAt]]);
  }
  return byTitle;
}

/** Selected titles have the clusters Spark gave them. */
async function assertSparkClusters(page) {
  for (const query of ['Avatar', 'Heat', 'Toy Story', 'The Dark Knight', 'Amélie']) {
    await selectByTitle(page, query);
    const title = await page.textContent('[data-testid=selected-title]');
    const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
    assert.ok(spark.get(title)?.includes(cluster), `${title}: cluster ${cluster} here, ${spark.get(title)} in Spark's catalog`);
  }
}

const modelNote = (name) => `clusters from the saved model ${name} (24 clusters; no k-means run)`;
const notes = (page) => page.locator('.status .note').allTextContents();

test('a catalog and model prepared on Spark, chosen together, keep their Spark clusters', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, [path.join(out, 'catalog.csv'), path.join(out, 'model.json')]);
  await page.waitForSelector('[data-testid=confirm-mapping]');
  const role = (column) => page.$eval(`select[data-column="${column}"]`, (s) => s.value);
  assert.equal(await role('taste_1'), 'taste');
  assert.equal(await role('cluster'), 'ignore', "Spark's clusters are no feature");
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 4,803 titles from catalog\.csv/.test(document.querySelector('[data-testid=status]')?.textContent));
  const shown = await notes(page);
  assert.ok(shown.some((n) => n.startsWith(modelNote('model.json'))), shown.join(' | '));
  assert.ok(!shown.some((n) => n.startsWith('k-means:')), shown.join(' | '));
  assert.equal(await page.inputValue('#k'), '24', "the model's k");
  await assertSparkClusters(page);
  // Re-clustering afterwards runs k-means: the model was for that one build.
  await page.click('text=Re-cluster');
  await page.waitForFunction(() => [...document.querySelectorAll('.status .note')].some((n) => n.textContent.startsWith('k-means:')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a site staged with a prepared catalog and model starts on them, with no k-means in the tab', async () => {
  const site = path.join(out, 'site');
  execFileSync(path.join(repo, 'deploy', 'stage.sh'), ['--dist', dist, '--catalog', path.join(out, 'catalog.csv'),
    '--model', path.join(out, 'model.json'), '--out', site], { stdio: ['ignore', 'pipe', 'pipe'] });
  const staged = await serve({}, site);
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, staged.url);
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  const shown = await notes(page);
  assert.ok(shown.some((n) => n.startsWith(modelNote('model.json'))), shown.join(' | '));
  assert.ok(!shown.some((n) => n.startsWith('k-means:')), shown.join(' | '));
  assert.equal(await page.inputValue('#k'), '24');
  await assertSparkClusters(page);
  // Re-clustering still works: k-means runs on the same catalog.
  await page.fill('#k', '10');
  await page.click('text=Re-cluster');
  await page.waitForFunction(() => document.querySelector('.selected .facts')?.textContent.includes('of 10'));
  assert.deepEqual(errors, []);
  await context.close();
  staged.server.close();
});

test('a catalog split into per-cluster files: every title searchable, one cluster fetched per selection', async () => {
  const site = path.join(out, 'split-site');
  execFileSync(path.join(repo, 'deploy', 'stage.sh'), ['--dist', dist, '--split', path.join(out, 'split'),
    '--model', path.join(out, 'model.json'), '--out', site], { stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(fs.readdirSync(path.join(site, 'split', 'clusters')).length, 24);
  // Under the CloudFront headers: the worker's fetches pass the site's CSP.
  const staged = await serve(cloudFrontHeaders(), site);
  const fetched = [];
  staged.server.on('request', (req) => fetched.push(new URL(req.url, 'http://x').pathname));
  const clusterFiles = () => fetched.filter((p) => p.includes('/split/clusters/'));
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, staged.url);
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles from this site's catalog in 24 clusters/);
  const shown = await notes(page);
  assert.ok(shown.some((n) => n.startsWith('4,803 titles in 24 per-cluster files')), shown.join(' | '));
  assert.ok(!shown.some((n) => n.startsWith('k-means:')), shown.join(' | '));
  assert.ok(fetched.some((p) => p.endsWith('/split/titles.csv')) && !fetched.some((p) => p.endsWith('/catalog.csv')));
  assert.deepEqual(clusterFiles(), [], 'no cluster is fetched before a selection');
  assert.match(await page.textContent('#explorer'), /Not drawn: this catalog is split/);
  // The panel says a cluster is being fetched until its card comes.
  await page.evaluate(() => {
    window.__fetchingShown = false;
    new MutationObserver(() => { window.__fetchingShown ||= !!document.querySelector('[data-testid=fetching-cluster]'); })
      .observe(document.body, { subtree: true, childList: true });
  });
  // Each selection fetches its own cluster's file (numbered as Spark numbered it), and only that.
  const seen = new Set();
  for (const query of ['Avatar', 'The Dark Knight', 'Amélie', 'Toy Story 3', 'Saw']) {
    await selectByTitle(page, query);
    // The panel shows the last card until this one comes (its cluster's file first).
    await page.waitForFunction((t) => document.querySelector('[data-testid=selected-title]')?.textContent === t, query);
    const title = await page.textContent('[data-testid=selected-title]');
    const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
    assert.ok(spark.get(title)?.includes(cluster), `${title}: cluster ${cluster} here, ${spark.get(title)} in Spark's catalog`);
    seen.add(cluster);
    assert.deepEqual(new Set(clusterFiles().map((p) => p.split('/').pop())), new Set([...seen].map((c) => `${c}.csv`)));
    const similar = await page.$$eval('.selected [data-testid=recommendation]', (li) => li.map((l) => l.dataset.cluster));
    assert.ok(similar.length >= 10 && similar.every((c) => c === cluster), `${title}: ${similar}`);
  }
  assert.ok(seen.size >= 2, `clusters: ${[...seen]}`);
  assert.ok(await page.evaluate(() => window.__fetchingShown), 'a fetch in progress was shown');
  assert.equal(await page.locator('[data-testid=fetching-cluster]').count(), 0, 'and gone once the card came');
  assert.deepEqual(errors, []);
  await context.close();
  staged.server.close();
});
