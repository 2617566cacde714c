// The Spark path's output in the app (issue 16): the catalog the job wrote,
// then the model it wrote, give every title the cluster Spark gave it, with
// no k-means in the tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPage, openReady, selectByTitle, uploadFiles, useBrowser } from './harness.mjs';

const env = useBrowser();
const repo = path.resolve(import.meta.dirname, '..', '..');

/** Rows of a CSV without quoted commas in the columns read here (title is quoted when it holds one). */
function clusters(file) {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  const [titleAt, clusterAt] = [names.indexOf('title'), names.indexOf('cluster')];
  const byTitle = new Map();
  for (const line of lines) {
    if (line.includes('"')) continue; // a quoted title: not one of those checked below
    const cells = line.split(',');
    byTitle.set(cells[titleAt], [...(byTitle.get(cells[titleAt]) ?? []), cells[clusterAt]]);
  }
  return byTitle;
}

test('a catalog and model prepared on Spark load as they are: every title keeps its Spark cluster', { timeout: 600_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-spark-'));
  execFileSync(path.join(repo, 'scripts', 'spark_example.sh'), [out], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const spark = clusters(path.join(out, 'catalog.csv'));
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, path.join(out, 'catalog.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]');
  const role = (column) => page.$eval(`select[data-column="${column}"]`, (s) => s.value);
  assert.equal(await role('taste_1'), 'taste');
  assert.equal(await role('cluster'), 'ignore', "Spark's clusters are no feature");
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 4,803 titles from catalog\.csv/.test(document.querySelector('[data-testid=status]')?.textContent));
  await uploadFiles(page, path.join(out, 'model.json'));
  await page.waitForFunction(() => [...document.querySelectorAll('.status .note')].some((n) => n.textContent.startsWith('clusters from the saved model model.json (24 clusters; no k-means run)')));
  for (const query of ['Avatar', 'Heat', 'Toy Story', 'The Dark Knight', 'Amélie']) {
    await selectByTitle(page, query);
    const title = await page.textContent('[data-testid=selected-title]');
    const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
    assert.ok(spark.get(title)?.includes(cluster), `${title}: cluster ${cluster} here, ${spark.get(title)} in Spark's catalog`);
  }
  assert.deepEqual(errors, []);
  await context.close();
  fs.rmSync(out, { recursive: true, force: true });
});
