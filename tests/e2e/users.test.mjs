// Course mode: upload interactions + items, pick a user, see peers' picks, the cluster profile and the evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReady, fixture, repo, useBrowser } from './harness.mjs';


const env = useBrowser();

test('course mode: two files in, a user\'s cluster profile and what peers completed out', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openReady(page, env.site.url);
  await page.setInputFiles('[data-testid=interactions-input]', [fixture('courses/items.csv'), fixture('courses/interactions.csv')]);
  await page.waitForSelector('[data-testid=user-select]');
  assert.equal(await page.locator('[data-testid=user-select] option').count(), 30);
  await page.selectOption('[data-testid=user-select]', { label: 'S001' });
  await page.waitForFunction(() => /favourite categories: Data/.test(document.querySelector('[data-testid=user-cluster]').textContent));
  // The user's own history, in the words of progress data.
  assert.match(await page.textContent('[data-testid=user-history]'), /^Their furthest-along items: Machine Learning \(96%\)/);
  const picks = await page.locator('[data-testid=user-recommendation] .title').allTextContents();
  assert.ok(picks.length >= 1);
  for (const seen of ['Python for Data Analysis', 'SQL Fundamentals', 'Machine Learning', 'Linear Algebra']) {
    assert.ok(!picks.includes(seen), `S001 already took ${seen}`);
  }
  assert.equal(await page.locator('[data-testid=evaluation] tbody tr').count(), 9);
  // The movie catalog is untouched by the users view.
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the MovieLens ratings + movies pair works in the same view', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await openReady(page, env.site.url);
  const ml = (f) => path.join(repo, 'data', 'movielens', f);
  await page.setInputFiles('[data-testid=interactions-input]', [ml('ratings.csv'), ml('movies.csv')]);
  await page.waitForSelector('[data-testid=user-select]', { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=user-select] option').count(), 610);
  await page.waitForSelector('[data-testid=user-recommendation]');
  // Ratings speak of ratings; the find box narrows 610 ids and picks an exact one.
  assert.match(await page.textContent('.users h3'), /What viewers in this cluster loved/);
  assert.match(await page.textContent('[data-testid=user-history]'), /^Their highest-rated titles: .+ \(5\.0\)/);
  await page.fill('[data-testid=user-search]', '60');
  await page.waitForFunction(() => /^ 16 of 610 users match/.test(document.querySelector('[data-testid=user-matches]')?.textContent ?? ''));
  await page.fill('[data-testid=user-search]', '414');
  await page.waitForFunction(() => document.querySelector('[data-testid=user-select]').selectedOptions[0]?.textContent === '414');
  const history = await page.textContent('[data-testid=user-history]');
  assert.match(history, /^Their highest-rated titles: /);
  const rows = await page.locator('[data-testid=evaluation] tbody tr').allTextContents();
  assert.equal(rows.length, 9);
  assert.ok(rows.some((r) => r.startsWith('item clusters with taste')));
  assert.ok(rows.some((r) => r.startsWith('item-kNN')));
  assert.ok(rows.some((r) => r.startsWith('user clusters (category means)')));
  await context.close();
});

test('one file alone is refused with a message that says what to choose', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await openReady(page, env.site.url);
  await page.setInputFiles('[data-testid=interactions-input]', [fixture('courses/items.csv')]);
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /choose two files together/);
  await context.close();
});
