// IMDb's dumps as downloaded: a gzipped title.basics + title.ratings pair,
// chosen or dropped in either order, filtered as it is read in the worker,
// and a gzip file cut short refused with the previous catalog kept.
// (The full-size pair is the benchmark's: tests/e2e/bench.mjs --imdb.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { freshPage, openReady, recordStatus, selectByTitle, uploadFiles, repo, useBrowser } from './harness.mjs';

const env = useBrowser();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-imdb-'));
const sample = (name) => fs.readFileSync(path.join(repo, 'data', 'imdb-sample', name));
const basics = zlib.gzipSync(sample('title.basics.tsv'));
const ratings = zlib.gzipSync(sample('title.ratings.tsv'));
const write = (name, bytes) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};
const basicsFile = write('title.basics.tsv.gz', basics);
const ratingsFile = write('title.ratings.tsv.gz', ratings);

/** Drops files on the upload card as a user's drag would (bytes, names, in this order). */
async function drop(page, files) {
  const payload = files.map(([name, bytes]) => ({ name, data: [...bytes] }));
  await page.evaluate((payload) => {
    const transfer = new DataTransfer();
    for (const { name, data } of payload) transfer.items.add(new File([new Uint8Array(data)], name));
    document.querySelector('.card.upload').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, payload);
}

test('the gzipped IMDb pair, dropped ratings first, is recognised, filtered by votes and recommends', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await recordStatus(page);
  await drop(page, [['title.ratings.tsv.gz', ratings], ['title.basics.tsv.gz', basics]]);
  await page.waitForSelector('[data-testid=imdb-filter]', { timeout: 60_000 });
  // The mapping needs no correction: IMDb's columns are known.
  const roles = await page.locator('[data-testid=confirm-mapping]').evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('select[data-column]')].map((s) => [s.dataset.column, s.value])));
  assert.equal(roles.tconst, 'id');
  assert.equal(roles.primaryTitle, 'title');
  assert.equal(roles.startYear, 'year');
  assert.equal(roles.genres, 'genres');
  assert.equal(roles.runtimeMinutes, 'runtime');
  assert.equal(await page.inputValue('[data-testid=min-votes]'), '1000', 'the default minimum is shown');
  // The sample's votes are MovieLens counts (tens to hundreds): ask for 50.
  await page.$eval('[data-testid=min-votes]', (el) => { el.value = '-5'; el.dispatchEvent(new Event('change', { bubbles: true })); });
  assert.match(await page.textContent('[data-testid=imdb-filter] [role=alert]'), /'-5' is not a number of votes; the minimum stays at 1,000/);
  await page.fill('[data-testid=min-votes]', '50');
  await page.dispatchEvent('[data-testid=min-votes]', 'change');
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 66 titles/.test(document.querySelector('[data-testid=status]')?.textContent), null, { timeout: 60_000 });
  const lines = await page.evaluate(() => window.statusLines);
  assert.ok(lines.some((l) => /reading the ratings file/.test(l)) || lines.some((l) => /reading IMDb titles/.test(l)), JSON.stringify(lines));
  const notes = (await page.locator('.status .note').allTextContents()).join(' | ');
  assert.match(notes, /IMDb: kept 66 movies with at least 50 votes of 303 rows/, notes);
  assert.match(notes, /fewer votes than the minimum/, notes);
  assert.match(notes, /not a movie/, notes);

  await selectByTitle(page, 'Avatar');
  await page.waitForFunction(() => document.querySelector('[data-testid=selected-title]')?.textContent === 'Avatar');
  await page.waitForSelector('[data-testid=recommendation]');
  const cluster = await page.getAttribute('[data-testid=selected-title]', 'data-cluster');
  const clusters = await page.locator('[data-testid=recommendation]').evaluateAll((els) => els.map((e) => e.dataset.cluster));
  assert.ok(clusters.length > 0 && clusters.every((c) => c === cluster), 'from the selected movie\'s cluster');
  assert.match(await page.getAttribute('a.out', 'href'), /imdb\.com\/title\/tt\d+\/$/, 'links to the title on IMDb');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a gzip file cut short is refused with a clear message, and the previous catalog stays', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  const cut = write('cut.title.basics.tsv.gz', basics.subarray(0, Math.floor(basics.length * 0.6)));
  await uploadFiles(page, [cut, ratingsFile]);
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForSelector('[data-testid=error]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid=error]'), /ends too early.*previous catalog is still in use/);
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  await selectByTitle(page, 'Alien');
  await page.waitForSelector('[data-testid=recommendation]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the gzipped basics alone keeps every movie and says the minimum needs the ratings', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, [basicsFile]);
  await page.waitForSelector('[data-testid=imdb-filter] .warn', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid=imdb-filter]'), /No title\.ratings file/);
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 300 titles/.test(document.querySelector('[data-testid=status]')?.textContent), null, { timeout: 60_000 });
  const notes = (await page.locator('.status .note').allTextContents()).join(' | ');
  assert.match(notes, /minimum of 1,000 votes was not applied/, notes);
  await context.close();
});
