// End-to-end: the release build, served from a sub-path, in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { freshPage, openReady, selectByTitle, uploadFiles, fixture, dist, PREFIX, useBrowser } from './harness.mjs';


const env = useBrowser();

async function clusterOf(locator) {
  return locator.getAttribute('data-cluster');
}

test('loads the default catalog, searches, selects and recommends from the same cluster', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  const readyMs = await openReady(page, env.site.url);
  const status = await page.textContent('[data-testid=status]');
  assert.match(status, /ready — 4,803 titles/);

  await page.fill('[data-testid=search-input]', 'alien');
  await page.waitForSelector('[data-testid=search-result]');
  const suggestions = await page.locator('[data-testid=search-result]').allTextContents();
  assert.ok(suggestions[0].startsWith('Alien'), suggestions.join(' | '));
  // Keyboard: ArrowDown then Enter picks the second suggestion.
  await page.press('[data-testid=search-input]', 'ArrowDown');
  await page.press('[data-testid=search-input]', 'Enter');
  await page.waitForSelector('[data-testid=selected-title]');
  assert.equal(await page.textContent('[data-testid=selected-title]'), suggestions[1].replace(/ \(\d{4}\)$/, ''));

  const start = Date.now();
  await selectByTitle(page, 'Alien');
  await page.waitForSelector('[data-testid=recommendation]');
  const selectMs = Date.now() - start;
  assert.equal(await page.textContent('[data-testid=selected-title]'), 'Alien');
  const cluster = await clusterOf(page.locator('[data-testid=selected-title]'));
  const recs = page.locator('[data-testid=recommendation]');
  assert.ok((await recs.count()) >= 5);
  for (const c of await recs.evaluateAll((els) => els.map((e) => e.dataset.cluster))) assert.equal(c, cluster);
  assert.ok((await recs.allTextContents()).some((t) => t.startsWith('Aliens')), 'Aliens is recommended for Alien');

  // Clicking a recommendation selects it, and the back button returns.
  const second = (await recs.nth(0).locator('.title').textContent());
  await recs.nth(0).click();
  await page.waitForFunction((t) => document.querySelector('[data-testid=selected-title]').textContent === t, second);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-testid=selected-title]').textContent === 'Alien');

  console.log(`# timing: ready ${readyMs} ms, search→select→recommendations ${selectMs} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deep link opens its movie', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, `${env.site.url}?movie=348`); // TMDB id of Alien
  await page.waitForSelector('[data-testid=selected-title]');
  assert.equal(await page.textContent('[data-testid=selected-title]'), 'Alien');
  await context.close();
});

test('watched titles stay hidden after a reload', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await selectByTitle(page, 'Alien');
  const first = page.locator('[data-testid=recommendation]').nth(0);
  const title = await first.locator('.title').textContent();
  await first.getByRole('button', { name: 'Mark watched' }).click();
  await page.waitForFunction((t) => ![...document.querySelectorAll('[data-testid=recommendation] .title')].some((e) => e.textContent === t), title);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.startsWith('ready'));
  await page.waitForSelector('[data-testid=recommendation]');
  const titles = await page.locator('[data-testid=recommendation] .title').allTextContents();
  assert.ok(!titles.includes(title), `${title} is watched but recommended: ${titles.join(', ')}`);
  assert.equal(await page.textContent('[data-testid=selected-title]'), 'Alien', 'the selection survives the reload via the URL');
  await context.close();
});

test('an upload with differently named columns is mapped, clustered and recommends', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('renamed_columns.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]');
  // "Kind" holds comma-separated genres; the user corrects its role.
  await page.selectOption('select[data-column="Kind"]', 'genres');
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 400 titles from renamed_columns\.csv/.test(document.querySelector('[data-testid=status]')?.textContent));
  await selectByTitle(page, 'Avatar');
  await page.waitForSelector('[data-testid=recommendation]');
  const cluster = await clusterOf(page.locator('[data-testid=selected-title]'));
  for (const c of await page.locator('[data-testid=recommendation]').evaluateAll((els) => els.map((e) => e.dataset.cluster))) assert.equal(c, cluster);
  assert.ok(/Action|Adventure|Fantasy|Science Fiction/.test(await page.textContent('.selected .facts')), 'genres were read from Kind');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a malformed file shows an error and the previous catalog keeps working', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('malformed.csv'));
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /line 3: a quoted field is never closed/);
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  await selectByTitle(page, 'Heat');
  await page.waitForSelector('[data-testid=recommendation]');
  await context.close();
});

test('no network request leaves the page origin, and no data request after load', async () => {
  const { context, page } = await freshPage(env.browser);
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
  await openReady(page, env.site.url);
  const atReady = requests.length;
  await selectByTitle(page, 'Heat');
  await uploadFiles(page, fixture('renamed_columns.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]');
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 400 titles/.test(document.querySelector('[data-testid=status]')?.textContent));
  const shipped = new Set(fs.readdirSync(dist));
  for (const { url } of requests) {
    assert.ok(url.startsWith(env.site.url), `request outside the site: ${url}`);
    assert.ok(shipped.has(new URL(url).pathname.slice(PREFIX.length) || 'index.html'), `not a shipped file: ${url}`);
  }
  // Each build runs in a fresh worker, which loads the worker's own code (a
  // shipped file, from the cache); nothing else is fetched.
  const workerCode = /\/worker(_bg\.wasm|\.js|_loader\.js)$/;
  const after = requests.slice(atReady).filter((r) => ['fetch', 'xhr', 'websocket', 'eventsource', 'ping'].includes(r.type) && !workerCode.test(new URL(r.url).pathname));
  assert.deepEqual(after, [], 'data requests after ready');
  await context.close();
});

test('the explorer hands Chart.js its charts: a bar per cluster, a scatter dataset per cluster, the elbow curve', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  // The elbow worker fits k = 2..30 after ready; its chart appears when the curve is complete.
  await page.waitForFunction(() => [...document.querySelectorAll('.explorer canvas')]
    .some((c) => window.Chart?.getChart(c)?.config.type === 'line'), null, { timeout: 60_000 });
  const charts = await page.evaluate(() => [...document.querySelectorAll('.explorer canvas')].map((c) => {
    const chart = window.Chart.getChart(c);
    return { type: chart.config.type, labels: chart.data.labels?.length ?? 0,
      datasets: chart.data.datasets.length, points: chart.data.datasets.reduce((n, d) => n + d.data.length, 0),
      sum: chart.data.datasets.reduce((n, d) => n + d.data.reduce((m, x) => m + (typeof x === 'number' ? x : 0), 0), 0) };
  }));
  const by = (type) => charts.find((c) => c.type === type);
  assert.deepEqual([by('bar').labels, by('bar').points, by('bar').sum], [24, 24, 4803], 'one bar per cluster, every title counted');
  assert.equal(by('scatter').datasets, 24);
  assert.equal(by('scatter').points, 4803, 'under 6,000 titles every title is drawn');
  assert.deepEqual([by('line').labels, by('line').datasets], [29, 2], 'k = 2..30, inertia and silhouette');
  assert.deepEqual(errors, []);
  await context.close();
});
