// The Spark path's output in the app (issue 16): the catalog and model the
// job wrote give every title the cluster Spark gave it, with no k-means in
// the tab: opened by the user, and as a site's default (deploy/stage.sh).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dist, freshPage, openReady, repo, selectByTitle, serve, uploadFiles, useBrowser } from './harness.mjs';

const env = useBrowser();
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-spark-'));
let spark;

before(() => {
  execFileSync(path.join(repo, 'scripts', 'spark_example.sh'), [out], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  spark = clusters(path.join(out, 'catalog.csv'));
}, { timeout: 600_000 });

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
  fs.rmSync(out, { recursive: true, force: true });
});
