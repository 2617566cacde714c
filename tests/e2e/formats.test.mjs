// Catalogs as JSON: an array of objects (genre lists as JSON lists) reads
// as its CSV would, and JSON that is not a list of movies says what it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPage, openReady, selectByTitle, uploadFiles, fixture, useBrowser } from './harness.mjs';

const env = useBrowser();

test('a JSON array of movies is mapped, clustered and recommends', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('formats/movies.json'));
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  assert.match(await page.textContent('#mapping-title'), /movies\.json \(12 rows\)/);
  assert.equal(await page.inputValue('select[data-column=title]'), 'title');
  assert.equal(await page.inputValue('select[data-column=genres]'), 'genres');
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 12 titles from movies\.json/.test(document.querySelector('[data-testid=status]')?.textContent), null, { timeout: 60_000 });
  await selectByTitle(page, 'Aliens');
  await page.waitForFunction(() => document.querySelector('[data-testid=selected-title]')?.textContent === 'Aliens');
  await page.waitForSelector('[data-testid=recommendation]');
  const genres = await page.textContent('.selected .facts');
  assert.match(genres, /Action, Horror, Science Fiction/, 'the JSON list became the genres');
  assert.deepEqual(errors, []);
  await context.close();
});

test('JSON that is not a list of movies says what it is, and the default catalog stays', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-json-')), 'numbers.json');
  fs.writeFileSync(file, '[1, 2, 3]\n');
  await uploadFiles(page, file);
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /looks like JSON but is not a list of movies: item 1 of the list is a number/);
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  await context.close();
});

// What the mapping table says it understood, column by column: "Read as".
async function readAs(page) {
  return page.$$eval('.mapping tbody tr', (rows) => Object.fromEntries(rows.map((r) => [
    r.querySelector('th').textContent,
    r.querySelector('[data-testid=read-as]').textContent,
  ])));
}

async function clusterAndRecommend(page, name) {
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction((n) => document.querySelector('[data-testid=status]')?.textContent.startsWith(`ready — 12 titles from ${n}`), name, { timeout: 60_000 });
  await selectByTitle(page, 'Inception');
  await page.waitForFunction(() => document.querySelector('[data-testid=selected-title]')?.textContent === 'Inception');
  await page.waitForSelector('[data-testid=recommendation]');
  return page.textContent('.selected .facts');
}

test('a German spreadsheet export: headers, decimal commas and dates understood, and it recommends', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('formats/movies_de.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  const roles = await page.$$eval('.mapping select[data-column]', (s) => s.map((e) => [e.dataset.column, e.value]));
  assert.deepEqual(Object.fromEntries(roles), {
    Titel: 'title', Erscheinungsdatum: 'year', Genres: 'genres', Laufzeit: 'runtime',
    Bewertung: 'rating', Stimmen: 'votes', Sprache: 'language',
  });
  const read = await readAs(page);
  assert.equal(read.Erscheinungsdatum, 'day.month.year');
  assert.equal(read.Laufzeit, "minutes from '2h 22m'");
  assert.equal(read.Bewertung, 'decimal comma');
  assert.equal(read.Stimmen, "decimal comma, thousands '.'");
  // A role changed by hand shows how the column reads under it, failures counted.
  await page.selectOption('select[data-column=Titel]', 'number');
  await page.waitForFunction(() => document.querySelector('[data-testid=unread]')?.textContent.startsWith('12 of 12 not understood'));
  await page.selectOption('select[data-column=Titel]', 'title');
  const facts = await clusterAndRecommend(page, 'movies_de.csv');
  assert.match(facts, /2010/);
  assert.match(facts, /148 min/);
  assert.match(facts, /8\.8/);
  assert.match(facts, /2,500,000/, 'thousands separators were removed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an .xlsx workbook: its sheet is found, the spreadsheet worker loads only then, and it recommends', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await openReady(page, env.site.url);
  assert.ok(!fetched.some((p) => p.includes('sheets')), `no spreadsheet worker before a workbook: ${fetched}`);
  await uploadFiles(page, fixture('formats/movies.xlsx'));
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  assert.ok(fetched.some((p) => p.endsWith('sheets_bg.wasm')), 'the spreadsheet worker is fetched for the workbook');
  assert.match(await page.textContent('#mapping-title'), /movies\.xlsx \(12 rows\)/);
  assert.equal(await page.inputValue('[data-testid=sheet]'), 'Movies');
  assert.deepEqual(await page.$$eval('[data-testid=sheet] option', (o) => o.map((e) => e.value)), ['About', 'Movies']);
  assert.equal((await readAs(page)).Released, 'year-month-day');
  // The cover sheet has no table: picking it says so, and the mapping stays usable.
  await page.selectOption('[data-testid=sheet]', 'About');
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /sheet 'About' has no header row/);
  assert.equal(await page.inputValue('[data-testid=sheet]'), 'Movies', 'the picker still names the sheet on screen');
  const facts = await clusterAndRecommend(page, 'movies.xlsx');
  assert.match(facts, /2010/);
  assert.match(facts, /148 min/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the mapping table stays inside the screen', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('formats/movies_de.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  const fits = await page.$eval('.mapping', (card) => ({
    card: card.getBoundingClientRect().right,
    widest: Math.max(...[...card.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right)),
    screen: window.innerWidth,
  }));
  assert.ok(fits.card <= fits.screen && fits.widest <= fits.screen, JSON.stringify(fits));
  // Without its header row, each value says what it is.
  const label = await page.$eval('.mapping tbody tr:nth-child(2) [data-testid=read-as]', (td) => getComputedStyle(td, '::before').content);
  assert.equal(label, '"Read as: "');
  assert.equal(await page.textContent('.mapping tbody tr:nth-child(2) [data-testid=read-as]'), 'day.month.year');
  await context.close();
});
