// Big-catalog benchmark in headless Chromium (not a test: it prints figures).
//
//   node tests/e2e/bench.mjs [ROWS]        (default 1,000,000; needs dist/ and the release CLI)
//
// Generates ROWS titles by jittered replication of the default catalog
// (scripts/make_big_catalog.py, seeded), uploads them to the release build
// served under the CloudFront headers, and prints: upload → ready, the longest
// gap between progress updates, main-thread long tasks, peak memory of the
// browser's processes, select → recommendations, keystroke → suggestions, the
// scatter's point count, and k-means in the browser against the native CLI on
// the same file, k and seed (the same work: k-means alone, one thread each).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, openReady, selectByTitle, uploadFiles, repo, cloudFrontHeaders } from './harness.mjs';
import { keyTimes, launchMeasured, median, recordLongTasks, selectTimes, watchBuild } from './measure.mjs';

const rows = Number(process.argv[2] || 1_000_000);
const csv = path.join(os.tmpdir(), `reelmeans-bench-${rows}.csv`);
if (!fs.existsSync(csv)) execFileSync('python3', [path.join(repo, 'scripts', 'make_big_catalog.py'), String(rows), csv]);
const cli = path.join(repo, 'target', 'release', 'reelmeans');
if (!fs.existsSync(cli)) throw new Error('build the CLI first: cargo build --release --bin reelmeans');

const site = await serve(cloudFrontHeaders());
const { browser, browserPid } = await launchMeasured();
const page = await browser.newPage();
await recordLongTasks(page);
await openReady(page, site.url);
const watch = await watchBuild(page, browserPid);
const { baseline } = watch;

const start = Date.now();
const startInPage = await page.evaluate(() => performance.now());
await uploadFiles(page, csv);
await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 120_000 });
const previewMs = Date.now() - start;
await page.click('[data-testid=confirm-mapping]');
const count = rows.toLocaleString('en-US');
await page.waitForFunction((n) => document.querySelector('[data-testid=status]')?.textContent.startsWith(`ready — ${n} titles`), count, { timeout: 600_000 });
const readyMs = Date.now() - start;
const peak = watch.stop();

// Gaps count from the first update after the upload: before it, the harness
// is still handing the file to the page (Playwright copies it over CDP; a
// user's file input needs no copy).
const { gaps, longestAfter, longTasks, longestTaskDuring } = await page.evaluate((t0) => {
  const updates = window.__updates.filter(([t]) => t >= t0);
  const gaps = updates.slice(1).map(([t], i) => t - updates[i][0]);
  const longest = gaps.indexOf(Math.max(...gaps));
  const tasks = window.__long.filter(([t]) => t >= t0);
  const [start] = tasks.reduce((a, b) => (b[1] > a[1] ? b : a), [t0, 0]);
  const during = [...updates].reverse().find(([t]) => t <= start);
  return { gaps, longestAfter: updates[longest][1], longTasks: tasks.map(([, d]) => d), longestTaskDuring: during ? during[1] : 'the upload' };
}, startInPage);
const notes = await page.locator('.status .note').allTextContents();
const wasmKmeans = Number((notes.join(' ').match(/k-means: ([0-9.]+) s \(k = (\d+), seed (\d+)\)/) || [])[1]);
const [, k, seed] = notes.join(' ').match(/k = (\d+), seed (\d+)/) || [];

await selectByTitle(page, 'Alien #3');
await page.waitForSelector('[data-testid=recommendation]');
const selects = await selectTimes(page);
const keys = await keyTimes(page, ['t', 'th', 'the', 'the d', 'the da', 'x', 'xe', 'godfahter', 'shawshank redemtion']);
const scatterPoints = await page.evaluate(() => {
  const charts = Object.values(window.Chart?.instances || {});
  const scatter = charts.find((c) => c.config.type === 'scatter');
  return scatter ? scatter.data.datasets.reduce((n, d) => n + d.data.length, 0) : null;
});
await browser.close();
site.server.close();

// The same work on both sides: k-means from its first seeding report to the
// projection, one thread (the worker's), the same file, k and seed. The
// native run on every core is printed beside it.
const nativeRun = (threads) => JSON.parse(execFileSync(cli, ['cluster', csv, '--k', k, '--seed', seed, '--threads', String(threads), '--json'], { maxBuffer: 1 << 26 }).toString());
const native = nativeRun(1);
const nativeAll = nativeRun(os.cpus().length);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const rowsOut = [
  ['titles', count, ''],
  ['upload → preview (column roles)', fmt(previewMs), ''],
  ['upload → ready (parse, scale, k-means, PCA, render)', fmt(readyMs), 'target < 4 s at 1M'],
  ['longest gap between progress updates', `${fmt(Math.max(...gaps))} (after “${longestAfter.replace(/\s+/g, ' ').slice(0, 70)}”)`, 'target ≤ 500 ms'],
  ['main-thread long tasks > 100 ms (longest)', `${longTasks.filter((d) => d > 100).length} (${fmt(Math.max(0, ...longTasks))}, after “${longestTaskDuring.replace(/\s+/g, ' ').slice(0, 60)}”)`, 'target: none'],
  ['peak memory of the tab (its renderer process: page and workers, RSS)', `${mb(peak.tab)} (${mb(baseline.tab)} before upload)`, 'target < 1.5 GB'],
  ['peak memory, all browser processes (RSS)', `${mb(peak.total)} (${mb(baseline.total)} before upload)`, ''],
  ['select → recommendations rendered (median of 5)', fmt(median(selects)), 'target < 50 ms'],
  ['keystroke → suggestions rendered (median of 9, two of them typos; max)', `${fmt(median(keys))}; ${fmt(Math.max(...keys))}`, 'target < 30 ms'],
  ['scatter points drawn (evenly sampled)', String(scatterPoints), 'stays interactive'],
  [`k-means k = ${k}, one thread: browser (wasm) / native`, `${wasmKmeans.toFixed(2)} s / ${native.kmeans_seconds.toFixed(2)} s = ${(wasmKmeans / native.kmeans_seconds).toFixed(2)}`, 'target ≤ 1.5'],
  [`native k-means on all ${nativeAll.threads} cores (1 thread: ${native.kmeans_seconds.toFixed(2)} s)`, `${nativeAll.kmeans_seconds.toFixed(2)} s, speed-up ${(native.kmeans_seconds / nativeAll.kmeans_seconds).toFixed(2)}; same clusters: ${native.inertia === nativeAll.inertia && native.iterations === nativeAll.iterations}`, ''],
];
console.log(`\n| ${rows.toLocaleString('en-US')} titles | measured | target |\n|---|---|---|`);
for (const [a, b, c] of rowsOut) console.log(`| ${a} | ${b} | ${c} |`);
