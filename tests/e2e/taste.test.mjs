// Taste: clusters that mean "the same people love it", out of the box and
// from a MovieLens pair the user brings (factors learnt in the worker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { freshPage, openReady, recordStatus, selectByTitle, uploadFiles, repo, useBrowser } from './harness.mjs';

const env = useBrowser();

/** The recommendations on screen: titles, reasons and clusters. */
async function recommendations(page) {
  await page.waitForSelector('[data-testid=recommendation]');
  return page.locator('[data-testid=recommendation]').evaluateAll((els) => els.map((e) => ({
    title: e.querySelector('.title')?.textContent ?? '',
    reason: e.querySelector('.reason')?.textContent ?? '',
    cluster: e.dataset.cluster,
  })));
}

test('the default catalog carries taste: Alien is answered with what its viewers also loved', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  assert.equal(await page.inputValue('#weight-taste'), '4', 'the tuning panel shows the taste weight');
  await selectByTitle(page, 'Alien');
  await page.waitForFunction(() => document.querySelector('[data-testid=selected-title]')?.textContent === 'Alien');
  const recs = await recommendations(page);
  assert.equal(recs[0].title, 'Aliens');
  assert.match(recs[0].reason, /^Liked by the same viewers as Alien/);
  const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
  assert.ok(recs.every((r) => r.cluster === cluster));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the MovieLens pair learns taste in the worker, with progress, and recommends by it', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  // Every status line the page shows, to see the taste stage go by.
  await recordStatus(page);
  const ml = (f) => path.join(repo, 'data', 'movielens', f);
  await uploadFiles(page, [ml('movies.csv'), ml('ratings.csv')]);
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 9,742 titles/.test(document.querySelector('[data-testid=status]')?.textContent), null, { timeout: 120_000 });
  const lines = await page.evaluate(() => window.statusLines);
  assert.ok(lines.some((l) => /learning taste from who rated what/.test(l)), `no taste stage in ${JSON.stringify(lines)}`);
  const notes = (await page.locator('.status .note').allTextContents()).join(' | ');
  assert.match(notes, /taste: 32 factors learnt for 9,?\d{3} titles/, notes);

  await selectByTitle(page, 'Toy Story');
  await page.waitForFunction(() => document.querySelector('[data-testid=selected-title]')?.textContent.startsWith('Toy Story'));
  const recs = await recommendations(page);
  const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
  assert.ok(recs.length >= 5);
  assert.ok(recs.every((r) => r.cluster === cluster), 'from the selected movie\'s cluster');
  assert.ok(recs.some((r) => /Liked by the same viewers as Toy Story/.test(r.reason)), JSON.stringify(recs));
  assert.ok(recs.some((r) => /^Toy Story 2/.test(r.title)), JSON.stringify(recs.map((r) => r.title)));
  assert.deepEqual(errors, []);
  await context.close();
});
