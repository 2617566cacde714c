// The whole of IMDb in one tab (not a test: it prints figures).
//
//   node tests/e2e/imdb_bench.mjs [DIR]    (needs dist/ and the release CLI)
//
// Uploads a full-size stand-in for IMDb's dumps, DIR/title.basics.tsv.gz and
// DIR/title.ratings.tsv.gz (written by `cargo run --release --example
// imdb_standin -- DIR` when missing: 11 million titles, seeded), together, to the release build in
// headless Chromium, with the default filter (movies, at least 1,000 votes),
// and prints: upload → ready, peak memory of the tab, main-thread long tasks,
// the longest gap between progress updates, select and keystroke times on
// the IMDb catalog beside the default catalog's in the same run, and the
// gzip inflate of the browser's own DecompressionStream on the same basics
// file beside our worker's whole filtered read. Natively: `reelmeans cluster`
// on the same pair, k = 40, with its peak RSS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, openReady, selectByTitle, uploadFiles, repo, cloudFrontHeaders } from './harness.mjs';
import { keyTimes, launchMeasured, median, recordLongTasks, selectTimes, watchBuild } from './measure.mjs';

const dir = process.argv[2] || path.join(os.tmpdir(), 'reelmeans-imdb-standin');
const cli = path.join(repo, 'target', 'release', 'reelmeans');
if (!fs.existsSync(cli)) throw new Error('build the CLI first: cargo build --release --bin reelmeans');
const basics = path.join(dir, 'title.basics.tsv.gz');
const ratings = path.join(dir, 'title.ratings.tsv.gz');
if (!fs.existsSync(basics) || !fs.existsSync(ratings)) {
  console.log(`writing the stand-in to ${dir} (a few minutes)…`);
  execFileSync('cargo', ['run', '--release', '--example', 'imdb_standin', '--', dir], { cwd: repo, stdio: 'inherit' });
}

const site = await serve(cloudFrontHeaders());
const { browser, browserPid } = await launchMeasured();
const page = await browser.newPage();
await recordLongTasks(page);
await openReady(page, site.url);
const queries = ['t', 'th', 'the', 'the n', 'night', 'x', 'zur', 'nigth', 'retrun of'];

// The default catalog first, in this run, as the yardstick.
await selectByTitle(page, 'Alien');
await page.waitForSelector('[data-testid=recommendation]');
const defaultSelects = await selectTimes(page);
const defaultKeys = await keyTimes(page, queries);

const watch = await watchBuild(page, browserPid);
const { baseline } = watch;
const start = Date.now();
const startInPage = await page.evaluate(() => performance.now());
await uploadFiles(page, [basics, ratings]);
await page.waitForSelector('[data-testid=imdb-filter]', { timeout: 120_000 });
const previewMs = Date.now() - start;
const confirmInPage = await page.evaluate(() => performance.now());
await page.click('[data-testid=confirm-mapping]');
await page.waitForFunction(() => /^ready — .* from title\.basics/.test(document.querySelector('[data-testid=status]')?.textContent)
  || document.querySelector('[data-testid=error]'), null, { timeout: 900_000 });
const error = await page.$('[data-testid=error]');
if (error) throw new Error(`the build failed: ${await error.textContent()}`);
const readyMs = Date.now() - start;
const peak = watch.stop();
const status = await page.textContent('[data-testid=status]');

const { gaps, longestAfter, longTasks, readMs } = await page.evaluate(([t0, confirm]) => {
  const updates = window.__updates.filter(([t]) => t >= t0);
  const gaps = updates.slice(1).map(([t], i) => t - updates[i][0]);
  const longest = gaps.indexOf(Math.max(...gaps));
  const reading = updates.filter(([, s]) => /reading IMDb titles/.test(s));
  const after = updates.find(([t, s]) => t > (reading.at(-1)?.[0] ?? 0) && !/reading IMDb titles/.test(s));
  return {
    gaps,
    longestAfter: updates[longest]?.[1] ?? '',
    longTasks: window.__long.filter(([t]) => t >= t0).map(([, d]) => d),
    // The worker's whole filtered read: confirm → the first stage after it.
    readMs: reading.length && after ? after[0] - confirm : NaN,
  };
}, [startInPage, confirmInPage]);
const notes = await page.locator('.status .note').allTextContents();

await page.fill('[data-testid=search-input]', 'Night');
await page.waitForSelector('[data-testid=search-result]');
await page.click('[data-testid=search-result]');
await page.waitForSelector('[data-testid=recommendation]');
const imdbSelects = await selectTimes(page);
const imdbKeys = await keyTimes(page, queries);

// The browser's own gzip inflate on the same file, in a worker, doing
// nothing else with the bytes (on a blank page: the site's CSP allows no
// workers but its own).
const bare = await browser.newPage();
await bare.setContent('<input type="file" id="f">');
await bare.setInputFiles('#f', basics);
const inflate = await bare.evaluate(async () => {
  const file = document.querySelector('#f').files[0];
  const code = `onmessage = async (e) => {
    const t = performance.now();
    const reader = e.data.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    let bytes = 0;
    for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.length; }
    postMessage({ ms: performance.now() - t, bytes });
  };`;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
  return new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); worker.postMessage(file); });
});
await browser.close();
site.server.close();

const native = JSON.parse(execFileSync(cli, ['cluster', basics, '--ratings', ratings, '--k', '40', '--json'], { maxBuffer: 1 << 26 }).toString());
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const size = (f) => `${(fs.statSync(f).size / 1048576).toFixed(0)} MB`;
const rowsOut = [
  ['files', `title.basics.tsv.gz ${size(basics)} (${(inflate.bytes / 1048576).toFixed(0)} MB of text), title.ratings.tsv.gz ${size(ratings)}`, ''],
  ['catalog kept', status.replace(/\s+/g, ' ').trim(), ''],
  ['upload → preview (column roles, filter)', fmt(previewMs), ''],
  ['upload → ready (read, filter, join, scale, k-means, index, render)', s(readyMs), 'target < 30 s'],
  ['the worker\'s filtered read (inflate, split, filter, join): confirm → next stage', s(readMs), ''],
  ['the browser\'s DecompressionStream alone on the same basics file, in a worker', s(inflate.ms), ''],
  ['peak memory of the tab (its renderer process: page and workers, RSS)', `${mb(peak.tab)} (${mb(baseline.tab)} before upload)`, 'target < 1.5 GB'],
  ['peak memory, all browser processes (RSS)', `${mb(peak.total)} (${mb(baseline.total)} before upload)`, ''],
  ['main-thread long tasks > 100 ms (longest)', `${longTasks.filter((d) => d > 100).length} (${fmt(Math.max(0, ...longTasks))})`, 'target: none'],
  ['longest gap between progress updates', `${fmt(Math.max(...gaps))} (after “${longestAfter.replace(/\s+/g, ' ').slice(0, 70)}”)`, 'target ≤ 500 ms'],
  ['select → recommendations (median of 5): IMDb / default catalog', `${fmt(median(imdbSelects))} / ${fmt(median(defaultSelects))}`, 'as fast'],
  [`keystroke → suggestions (median of ${queries.length}, two typos): IMDb / default catalog`, `${fmt(median(imdbKeys))} / ${fmt(median(defaultKeys))}`, 'as fast'],
  ['native: reelmeans cluster on the pair, k = 40 (read / whole run / peak RSS)', `${native.read_seconds.toFixed(1)} s / ${(native.read_seconds + native.seconds).toFixed(1)} s / ${native.peak_rss_mb} MB`, ''],
];
console.log('\n| the IMDb stand-in pair | measured | target |\n|---|---|---|');
for (const [a, b, c] of rowsOut) console.log(`| ${a} | ${b} | ${c} |`);
console.log(`\nnotes: ${notes.join(' | ')}`);
