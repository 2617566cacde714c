// What a user trips over (issue 15): search that forgives, a suggestion list
// that closes, and marks that stay with the catalog they were made in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, freshPage, openReady, selectByTitle, uploadFiles, useBrowser } from './harness.mjs';

const env = useBrowser();

/** The titles the list shows for `query`, once it answers that query. */
async function suggestions(page, query) {
  await page.fill('[data-testid=search-input]', query);
  const list = `#suggestions[data-query=${JSON.stringify(query)}]`;
  await page.waitForSelector(`${list} :is([data-testid=search-result], .hint)`);
  return page.locator(`${list} [data-testid=search-result] .title`).allTextContents();
}

test('typos, a dropped article and a missing space still find the title', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  for (const [query, title] of [['Godfahter', 'The Godfather'], ['Dark Knigth', 'The Dark Knight'],
    ['Shawshank Redemtion', 'The Shawshank Redemption'], ['darkknight', 'The Dark Knight'], ['godfathr', 'The Godfather']]) {
    const titles = await suggestions(page, query);
    assert.ok(titles.slice(0, 3).includes(title), `${query}: ${titles}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the suggestion list closes on a click elsewhere, on Escape and on blur, and a click on it still selects', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  const list = page.locator('#suggestions');
  await suggestions(page, 'alien');
  assert.equal(await list.count(), 1);
  await page.click('header.top h1'); // somewhere else
  assert.equal(await list.count(), 0, 'an outside click closes the list');
  await page.focus('[data-testid=search-input]');
  assert.equal(await list.count(), 1, 'focus brings the list back');
  await page.keyboard.press('Escape');
  assert.equal(await list.count(), 0, 'Escape closes the list');
  await suggestions(page, 'alien');
  await page.keyboard.press('Tab');
  assert.equal(await list.count(), 0, 'leaving the box closes the list');
  // A click on a suggestion lands despite the blur it causes.
  await selectByTitle(page, 'Aliens');
  assert.equal(await page.textContent('[data-testid=selected-title]'), 'Aliens');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a query still open when the catalog changes is answered from the new catalog', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  assert.ok((await suggestions(page, 'alien')).includes('Alien'));
  await uploadRenamed(page); // 400 titles, none of them near "alien" literally
  await page.focus('[data-testid=search-input]');
  const list = '#suggestions[data-query="alien"]';
  await page.waitForSelector(`${list} :is([data-testid=search-result], .hint)`);
  const titles = await page.locator(`${list} [data-testid=search-result] .title`).allTextContents();
  assert.ok(!titles.includes('Alien'), `answered from the old catalog: ${titles}`);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Uploads the renamed-columns fixture (no id column: ids are row numbers) and waits for it. */
async function uploadRenamed(page) {
  await uploadFiles(page, fixture('renamed_columns.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]');
  await page.selectOption('select[data-column="Kind"]', 'genres');
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 400 titles from renamed_columns\.csv/.test(document.querySelector('[data-testid=status]')?.textContent));
}

const likeButton = (page) => page.locator('.selected .marks button.mark').nth(1);

test('a like stays with the catalog it was made in', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadRenamed(page);
  // The upload has no id column, so ids are row numbers; the default catalog
  // (TMDB ids) has a movie under the same id.
  await selectByTitle(page, 'Mr. Peabody');
  const id = await page.evaluate(() => new URLSearchParams(location.search).get('movie'));
  assert.ok(/^\d+$/.test(id), `row id ${id}`);
  await likeButton(page).click();
  await page.waitForSelector('.selected .marks button.mark.on');
  await page.waitForSelector('text=Because you liked Mr. Peabody & Sherman');

  // The page reloads on the default catalog, on the movie with that id: not liked.
  await page.goto(`${env.site.url}?movie=${id}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.startsWith('ready'));
  await page.waitForSelector('[data-testid=selected-title]');
  assert.notEqual(await page.textContent('[data-testid=selected-title]'), 'Mr. Peabody & Sherman');
  assert.equal(await likeButton(page).getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('text=Because you liked').count(), 0);

  // The same file again: its like is back.
  await uploadRenamed(page);
  await selectByTitle(page, 'Mr. Peabody');
  await page.waitForFunction(() => document.querySelectorAll('.selected .marks button.mark')[1]?.getAttribute('aria-pressed') === 'true');
  assert.deepEqual(errors, []);
  await context.close();
});

test('columns are guessed from header words and values, explained, and shown with real examples', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('shapes/major_genre.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]');
  const role = (column) => page.$eval(`select[data-column="${column}"]`, (s) => s.value);
  assert.equal(await role('Major Genre'), 'genres');
  assert.equal(await role('Running Time min'), 'runtime');
  assert.equal(await role('US Gross'), 'number');
  const help = await page.locator('[data-testid=role-help]').allTextContents();
  assert.ok(help.some((h) => h.includes('shared genres bring titles together')), help.join(' | '));
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 10 titles from major_genre\.csv/.test(document.querySelector('[data-testid=status]')?.textContent));
  await selectByTitle(page, 'Heat');
  assert.match(await page.textContent('.selected .facts'), /Action/);
  assert.match(await page.textContent('.selected .facts'), /170 min/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page still loading shows a loading note, not a blank page, and an unknown movie link says so', async () => {
  const { context, page } = await freshPage(env.browser);
  // The app's code never arrives: what a slow link shows until it does.
  await context.route('**/*.wasm', (route) => route.abort());
  await page.goto(env.site.url);
  await page.waitForSelector('#boot', { state: 'visible' });
  assert.match(await page.textContent('#boot'), /Loading the recommender/);
  await context.unroute('**/*.wasm');
  await page.goto(`${env.site.url}?movie=no-such-movie`);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.startsWith('ready'));
  assert.equal(await page.isVisible('#boot'), false, 'the note goes once the app is drawn');
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /id no-such-movie/);
  await context.close();
});

test('clusters are numbered from 1 where people read them', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await selectByTitle(page, 'Alien');
  const internal = Number(await page.getAttribute('[data-testid=selected-title]', 'data-cluster'));
  const facts = await page.textContent('.selected .facts');
  assert.match(facts, new RegExp(`Cluster${internal + 1} of 24`), facts);
  assert.ok(await page.locator(`text=Similar titles from cluster ${internal + 1}`).count() > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the status line says ready; timings and other notes wait behind "details"', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await page.waitForSelector('[data-testid=status-details]');
  assert.equal(await page.isVisible('.status .note >> nth=0'), false, 'notes start folded');
  assert.doesNotMatch(await page.textContent('[data-testid=status]'), /k-means:/);
  await page.click('[data-testid=status-details] summary');
  const notes = await page.locator('.status .note').allTextContents();
  assert.ok(notes.some((n) => /^k-means: [0-9.]+ s \(k = 24, seed \d+\): \d+ iterations, inertia [0-9.]+, 1 shard on 1 worker; seeding [0-9.]+ s$/.test(n)), notes.join(' | '));
  assert.ok(await page.isVisible('.status .note >> nth=0'));
  assert.deepEqual(errors, []);
  await context.close();
});

/** Clicks an export button and returns the download's name and text. */
async function exported(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`text=${button}`)]);
  return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
}

test("an upload's export keeps the file's own columns and is named after it", async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  await uploadFiles(page, fixture('shapes/major_genre.csv'));
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction(() => /^ready — 10 titles from major_genre\.csv/.test(document.querySelector('[data-testid=status]')?.textContent));
  const { name, text } = await exported(page, 'Catalog with clusters (CSV)');
  assert.equal(name, 'major_genre-clusters.csv');
  const original = fs.readFileSync(fixture('shapes/major_genre.csv'), 'utf8').trim().split('\n');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], `${original[0]},cluster,distance`);
  assert.equal(lines.length, original.length);
  // Every row as it was in the file (dates as written, the Source column too), then its cluster.
  for (const [i, line] of lines.slice(1).entries()) {
    assert.ok(line.startsWith(`${original[i + 1]},`), `${line} / ${original[i + 1]}`);
    assert.match(line.slice(original[i + 1].length), /^,\d+,\d+\.\d{6}$/);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a saved model loads back and gives the catalog its clusters again; a broken one is refused', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openReady(page, env.site.url);
  const clusterOf = async (title) => {
    await selectByTitle(page, title);
    // The panel answers this selection (until it does, the previous title's stays).
    await page.waitForFunction((t) => document.querySelector('[data-testid=selected-title]')?.textContent.includes(t), title);
    return page.getAttribute('[data-testid=selected-title]', 'data-cluster');
  };
  const before = [await clusterOf('Alien'), await clusterOf('Toy Story'), await clusterOf('Heat')];
  const { name, text } = await exported(page, 'Model (JSON)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-model-'));
  const saved = path.join(dir, name);
  fs.writeFileSync(saved, text);

  // Re-clustered with another k, the clusters change.
  await page.fill('#k', '7');
  await page.click('text=Re-cluster');
  await page.waitForFunction(() => /^ready/.test(document.querySelector('[data-testid=status]')?.textContent)
    && document.querySelector('.selected .facts')?.textContent.includes('of 7'));

  // The model brings them back, with no k-means run.
  await uploadFiles(page, saved);
  await page.waitForFunction(() => document.querySelector('.selected .facts')?.textContent.includes('of 24'));
  assert.deepEqual([await clusterOf('Alien'), await clusterOf('Toy Story'), await clusterOf('Heat')], before);
  assert.equal(await page.inputValue('#k'), '24', 'the tuning panel shows the model\'s k');
  await page.click('[data-testid=status-details] summary');
  const notes = await page.locator('.status .note').allTextContents();
  assert.ok(notes.some((n) => n.startsWith(`clusters from the saved model ${name} (24 clusters; no k-means run)`)), notes.join(' | '));
  assert.ok(!notes.some((n) => n.startsWith('k-means:')), notes.join(' | '));

  // A model edited by hand is refused with its reason; the catalog stays.
  const model = JSON.parse(text);
  model.centroids[2].pop();
  const broken = path.join(dir, 'broken-model.json');
  fs.writeFileSync(broken, JSON.stringify(model, null, 2));
  await uploadFiles(page, broken);
  await page.waitForSelector('[data-testid=error]');
  assert.match(await page.textContent('[data-testid=error]'), /broken-model\.json: the model's centroids have 65 columns but its features have 66/);
  assert.match(await page.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  assert.equal(await clusterOf('Alien'), before[0]);
  assert.deepEqual(errors, []);
  await context.close();
});
