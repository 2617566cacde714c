// A 100,000-title upload (jittered replication of the default catalog) reaches ready and recommends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReady, selectByTitle, uploadFiles, repo, useBrowser } from './harness.mjs';

const env = useBrowser();
const csv = path.join(os.tmpdir(), `reelmeans-e2e-100000-${process.pid}.csv`);

before(() => execFileSync('python3', [path.join(repo, 'scripts', 'make_big_catalog.py'), '100000', csv]));
after(() => fs.rmSync(csv, { force: true }));

test('a 100,000-title upload reaches ready, shows progress, and recommends from the same cluster', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await openReady(page, env.site.url);
  await uploadFiles(page, csv);
  await page.waitForSelector('[data-testid=confirm-mapping]');
  assert.match(await page.textContent('.mapping h2'), /100,000 rows/);
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForSelector('.status progress'); // progress is shown while the worker works
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.startsWith('ready — 100,000 titles'), null, { timeout: 120_000 });
  assert.match(await page.textContent('[data-testid=status]'), /in 40 clusters/);
  await selectByTitle(page, 'Alien #7');
  await page.waitForSelector('[data-testid=recommendation]');
  const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
  const clusters = await page.locator('[data-testid=recommendation]').evaluateAll((els) => els.map((e) => e.dataset.cluster));
  assert.equal(clusters.length, 12);
  for (const c of clusters) assert.equal(c, cluster);
  await context.close();
});
