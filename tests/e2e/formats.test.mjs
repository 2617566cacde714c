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
