// Split-catalog benchmark in headless Chromium (not a test: it prints figures).
//
//   node tests/e2e/split_bench.mjs OUT      (OUT: the Spark job's output with OUT/split/ and OUT/model.json)
//
// Stages the release build with the split catalog (deploy/stage.sh --split),
// serves it under the CloudFront headers, and prints: page open → ready
// (the title list read and indexed, no cluster loaded), peak memory of the
// tab and of all browser processes, then for titles of six clusters spread
// over the list: select → card rendered, which includes fetching that
// cluster's file from the site and encoding it with the model in the worker
// (its size is printed), and select → card within a loaded cluster.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cloudFrontHeaders, dist, repo, serve } from './harness.mjs';
import { browserRss, launchMeasured, median, selectTimes } from './measure.mjs';

const out = process.argv[2];
if (!out || !fs.existsSync(path.join(out, 'split', 'titles.csv'))) throw new Error('usage: node tests/e2e/split_bench.mjs OUT (with OUT/split/titles.csv)');
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-split-site-'));
execFileSync(path.join(repo, 'deploy', 'stage.sh'), ['--dist', dist, '--split', path.join(out, 'split'),
  '--model', path.join(out, 'model.json'), '--out', site], { stdio: ['ignore', 'pipe', 'pipe'] });

// The first title of six clusters spread over k (titles.csv: title second, cluster second to last).
const lines = fs.readFileSync(path.join(site, 'split', 'titles.csv'), 'utf8').split('\n').slice(1).filter(Boolean);
const firstOf = new Map();
for (const line of lines) {
  if (line.includes('"')) continue;
  const cells = line.split(',');
  const cluster = Number(cells[cells.length - 2]);
  if (!firstOf.has(cluster)) firstOf.set(cluster, cells[1]);
}
const k = Math.max(...firstOf.keys()) + 1;
const picks = [0, 1, 2, 3, 4, 5].map((i) => Math.floor((i * k) / 6)).filter((c) => firstOf.has(c));
const fileSize = (c) => fs.statSync(path.join(site, 'split', 'clusters', `${c}.csv`)).size;

const staged = await serve(cloudFrontHeaders(), site);
const { browser, browserPid } = await launchMeasured();
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const peak = browserRss(browserPid);
const sampler = setInterval(() => {
  const now = browserRss(browserPid);
  peak.tab = Math.max(peak.tab, now.tab);
  peak.total = Math.max(peak.total, now.total);
}, 200);
const start = Date.now();
await page.goto(staged.url);
await page.waitForFunction(() => /^ready — /.test(document.querySelector('[data-testid=status]')?.textContent), null, { timeout: 600_000 });
const readyMs = Date.now() - start;
const status = await page.textContent('[data-testid=status]');

const loads = [];
for (const c of picks) {
  const title = firstOf.get(c);
  await page.fill('[data-testid=search-input]', title);
  const list = `#suggestions[data-query=${JSON.stringify(title)}] [data-testid=search-result]`;
  await page.waitForSelector(list);
  const ms = await page.evaluate(async ([list, title]) => {
    const t = performance.now();
    document.querySelector(list).click();
    const shown = () => document.querySelector('[data-testid=selected-title]')?.textContent === title
      && document.querySelector('.selected [data-testid=recommendation]');
    while (!shown()) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  }, [list, title]);
  loads.push({ c, title, ms, bytes: fileSize(c) });
}
const within = await selectTimes(page);
clearInterval(sampler);
const now = browserRss(browserPid);
peak.tab = Math.max(peak.tab, now.tab);
peak.total = Math.max(peak.total, now.total);
await browser.close();
staged.server.close();
fs.rmSync(site, { recursive: true, force: true });

const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const titlesMb = (fs.statSync(path.join(out, 'split', 'titles.csv')).size / 1e6).toFixed(0);
console.log(`\n${status}\n`);
console.log('| split catalog | measured |\n|---|---|');
console.log(`| title list (split/titles.csv) | ${lines.length.toLocaleString('en-US')} titles, ${titlesMb} MB |`);
console.log(`| page open → ready (title list read and indexed; no cluster loaded) | ${fmt(readyMs)} |`);
console.log(`| peak memory of the tab (renderer: page and workers, RSS) | ${mb(peak.tab)} |`);
console.log(`| peak memory, all browser processes (RSS) | ${mb(peak.total)} |`);
for (const { c, title, ms, bytes } of loads) {
  console.log(`| select “${title}” → card (fetch cluster ${c + 1}'s file, ${(bytes / 1e6).toFixed(1)} MB, encode, render) | ${fmt(ms)} |`);
}
console.log(`| select → card within the loaded cluster (median of 5) | ${fmt(median(within))} |`);
console.log(`| median select → card with a cluster fetch | ${fmt(median(loads.map((l) => l.ms)))} |`);
if (errors.length) console.log(`page errors: ${errors.join(' | ')}`);
