// Hostile input in the browser: markup in titles, bad uploads, a crashing worker, corrupt storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReady, selectByTitle, uploadFiles, repo, useBrowser } from './harness.mjs';

const hostile = (name) => path.join(repo, 'tests', 'hostile', name);

const env = useBrowser();

async function page() {
  const context = await env.browser.newContext();
  const p = await context.newPage();
  const dialogs = [];
  p.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  return { context, page: p, dialogs };
}

test('titles with <script> and <img onerror> render as text; nothing runs, no dialog opens', async () => {
  const { context, page: p, dialogs } = await page();
  await openReady(p, env.site.url);
  await uploadFiles(p, hostile('html_titles.csv'));
  await p.click('[data-testid=confirm-mapping]');
  await p.waitForFunction(() => /^ready — 3 titles/.test(document.querySelector('[data-testid=status]').textContent));
  await selectByTitle(p, '<img');
  assert.equal(await p.textContent('[data-testid=selected-title]'), '<img src=x onerror=alert(2)>');
  await p.waitForSelector('[data-testid=recommendation]');
  await p.waitForTimeout(500); // give any injected handler the chance to fire
  assert.deepEqual(dialogs, []);
  assert.equal(await p.locator('main img, main script').count(), 0, 'no element was created from a title');
  const texts = await p.locator('[data-testid=recommendation] .title').allTextContents();
  assert.ok(texts.includes('<script>alert(1)</script>'), texts.join(' | '));
  await context.close();
});

for (const [file, message] of [
  ['binary_garbage.png', /binary file/],
  ['utf16le_bom.csv', /UTF-16/],
  ['empty.csv', /the file is empty/],
  ['ten_thousand_columns.csv', /10000 columns; at most 2000/],
  ['unbalanced_quotes.csv', /line 3: a quoted field is never closed/],
]) {
  test(`uploading ${file} shows a specific error and the default catalog keeps working`, async () => {
    const { context, page: p } = await page();
    await openReady(p, env.site.url);
    await uploadFiles(p, hostile(file));
    await p.waitForSelector('[data-testid=error]');
    assert.match(await p.textContent('[data-testid=error]'), message);
    assert.match(await p.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
    await selectByTitle(p, 'Alien');
    await p.waitForSelector('[data-testid=recommendation]');
    await context.close();
  });
}

test('an upload whose rows are all unusable is refused after the mapping, and the default stays', async () => {
  const { context, page: p } = await page();
  await openReady(p, env.site.url);
  await uploadFiles(p, hostile('all_titles_empty.csv'));
  await p.click('[data-testid=confirm-mapping]');
  await p.waitForSelector('[data-testid=error]');
  assert.match(await p.textContent('[data-testid=error]'), /no usable rows: 3 × no title.*previous catalog is still in use/);
  assert.match(await p.textContent('[data-testid=status]'), /^ready — 4,803 titles/);
  await context.close();
});

test('a crash inside the worker shows an error and the app recovers with its last good catalog', async () => {
  const { context, page: p } = await page();
  await openReady(p, env.site.url);
  await selectByTitle(p, 'Alien');
  const [worker] = p.workers();
  assert.ok(worker, 'the app runs a worker');
  // An uncaught error inside the worker is what a wasm trap looks like from the page.
  await worker.evaluate(() => { setTimeout(() => { throw new Error('simulated crash'); }, 0); });
  await p.waitForSelector('[data-testid=error]');
  assert.match(await p.textContent('[data-testid=error]'), /background worker crashed.*simulated crash.*previous catalog is still in use.*new worker/);
  assert.equal(await p.textContent('[data-testid=selected-title]'), 'Alien');
  await p.waitForSelector('[data-testid=recommendation]');
  // The replacement worker takes new work.
  await p.fill('#k', '7');
  await p.dispatchEvent('#k', 'change');
  await p.click('.tuning button[type=submit]');
  await p.waitForFunction(() => /^ready — 4,803 titles .* in 7 clusters/.test(document.querySelector('[data-testid=status]').textContent));
  await context.close();
});

test('corrupt localStorage is ignored, not fatal', async () => {
  const { context, page: p } = await page();
  await p.addInitScript(() => {
    localStorage.setItem('reelmeans.watched', '{"not": "a list"');
    localStorage.setItem('reelmeans.liked', '\u0000\u0001garbage');
  });
  await openReady(p, env.site.url);
  await selectByTitle(p, 'Alien');
  await p.waitForSelector('[data-testid=recommendation]');
  assert.equal(await p.locator('[data-testid=error]').count(), 0);
  await context.close();
});
