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
// the same file, k and seed (the same work: k-means alone, as many threads as
// shards). Twice, side by side: with one shard (`?shards=1`) and with the
// default of one shard per core, each in a browser of its own.
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
const count = rows.toLocaleString('en-US');

const site = await serve(cloudFrontHeaders());

/** One upload of `csv` on a page opened with `query`, in a browser of its own, measured. */
async function measure(query) {
  const { browser, browserPid } = await launchMeasured();
  const page = await browser.newPage();
  await recordLongTasks(page);
  await openReady(page, site.url + query);
  const watch = await watchBuild(page, browserPid);
  const { baseline } = watch;

  const start = Date.now();
  const startInPage = await page.evaluate(() => performance.now());
  await uploadFiles(page, csv);
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 120_000 });
  const previewMs = Date.now() - start;
  await page.click('[data-testid=confirm-mapping]');
  await page.waitForFunction((n) => document.querySelector('[data-testid=status]')?.textContent.startsWith(`ready — ${n} titles`), count, { timeout: 600_000 });
  const readyMs = Date.now() - start;
  const peak = watch.stop();

  // Gaps count from the first update after the upload: before it, the harness
  // is still handing the file to the page (Playwright copies it over CDP; a
  // user's file input needs no copy).
  const { gaps, longestAfter, longTasks, longestTaskDuring, steps, first } = await page.evaluate(([t0, n]) => {
    const updates = window.__updates.filter(([t]) => t >= t0);
    const gaps = updates.slice(1).map(([t], i) => t - updates[i][0]);
    const longest = gaps.indexOf(Math.max(...gaps));
    const tasks = window.__long.filter(([t]) => t >= t0);
    const [start] = tasks.reduce((a, b) => (b[1] > a[1] ? b : a), [t0, 0]);
    const during = [...updates].reverse().find(([t]) => t <= start);
    // Seconds from the upload to the first status naming each step.
    // (The status line also holds the notes of the catalog before, so steps are matched by their own words.)
    const steps = ['reading the file', 'parsing the catalog', 'scaling features', 'encoding features', 'seeding k-means++', 'clustering: iteration', 'projecting', 'indexing titles', 'describing the clusters', 'ready'];
    const first = steps.map((step) => (updates.find(([, text]) => (step === 'ready' ? text.trim().startsWith(`ready — ${n} titles`) : text.includes(step))) || [NaN])[0] - t0);
    return { gaps, longestAfter: updates[longest][1], longTasks: tasks.map(([, d]) => d), longestTaskDuring: during ? during[1] : 'the upload', steps, first };
  }, [startInPage, count]);
  const notes = await page.locator('.status .note').allTextContents();
  const note = notes.join(' ').match(/k-means: ([0-9.]+) s \(k = (\d+), seed (\d+)\): (\d+) iterations, inertia ([0-9.]+), (\d+) shards? on (\d+) workers?; seeding ([0-9.]+) s/);
  if (!note) throw new Error(`no k-means note: ${notes.join(' | ')}`);
  const [, kmeans, k, seed, iterations, inertia, shards, workers, seeding] = note;

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
  return {
    previewMs, readyMs, peak, baseline, gaps, longestAfter, longTasks, longestTaskDuring, selects, keys, scatterPoints, steps, first,
    kmeans: Number(kmeans), seeding: Number(seeding), k, seed, iterations: Number(iterations), inertia: Number(inertia),
    shards: Number(shards), workers: Number(workers),
  };
}

// One shard (the k-means of one worker), then the default (one shard per core).
const one = await measure('?shards=1');
const all = await measure('');
site.server.close();

// The same work on both sides: k-means from the loaded matrix through
// seeding to the final labels (the browser's also starts its shard workers
// and hands them their rows), the same file, k and seed, as many threads
// as the browser had shards.
const nativeRun = (threads) => JSON.parse(execFileSync(cli, ['cluster', csv, '--k', one.k, '--seed', one.seed, '--threads', String(threads), '--json'], { maxBuffer: 1 << 26 }).toString());
const native1 = nativeRun(1);
const nativeN = nativeRun(all.shards);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const s2 = (s) => `${s.toFixed(2)} s`;
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const both = (f) => [f(one), f(all)];
const iterationsPart = (r) => r.kmeans - r.seeding;
const nativeIterations = (n) => n.kmeans_seconds - n.stage_seconds.seeding;
const rowsOut = [
  ['titles', count, count, ''],
  ['k-means shards (workers)', `${one.shards} (${one.workers})`, `${all.shards} (${all.workers})`, `one per core: ${os.cpus().length} here`],
  ['upload → preview (column roles)', ...both((r) => fmt(r.previewMs)), ''],
  ['upload → ready (parse, scale, k-means, PCA, render)', ...both((r) => fmt(r.readyMs)), 'target < 4 s at 1M'],
  ['longest gap between progress updates', ...both((r) => `${fmt(Math.max(...r.gaps))} (after “${r.longestAfter.replace(/\s+/g, ' ').slice(0, 60)}”)`), 'target ≤ 500 ms'],
  ['main-thread long tasks > 100 ms (longest)', ...both((r) => `${r.longTasks.filter((d) => d > 100).length} (${fmt(Math.max(0, ...r.longTasks))})`), 'target: none'],
  ['peak memory of the tab (its renderer process: page and workers, RSS)', ...both((r) => `${mb(r.peak.tab)} (${mb(r.baseline.tab)} before upload)`), 'target < 1.5 GB'],
  ['peak memory, all browser processes (RSS)', ...both((r) => mb(r.peak.total)), ''],
  ['select → recommendations rendered (median of 5)', ...both((r) => fmt(median(r.selects))), 'target < 50 ms'],
  ['keystroke → suggestions rendered (median of 9, two typos; max)', ...both((r) => `${fmt(median(r.keys))}; ${fmt(Math.max(...r.keys))}`), 'target < 30 ms'],
  ['each step, from the upload (s): ' + one.steps.join(', '), ...both((r) => r.first.map((ms) => (ms / 1000).toFixed(1)).join(', ')), ''],
  ['scatter points drawn (evenly sampled)', ...both((r) => String(r.scatterPoints)), 'stays interactive'],
  [`k-means k = ${one.k} in the browser: whole (seeding; iterations)`, ...both((r) => `${s2(r.kmeans)} (${s2(r.seeding)}; ${s2(iterationsPart(r))})`), ''],
  ['the same clusters', `${one.iterations} iterations, inertia ${one.inertia}`, `${all.iterations === one.iterations && all.inertia === one.inertia}`, ''],
  ['native k-means, as many threads: whole (seeding; iterations)', ...[native1, nativeN].map((n) => `${s2(n.kmeans_seconds)} (${s2(n.stage_seconds.seeding)}; ${s2(nativeIterations(n))}), ${n.threads} thread${n.threads > 1 ? 's' : ''}`), ''],
  ['browser / native k-means, same thread count', ...[[one, native1], [all, nativeN]].map(([r, n]) => (r.kmeans / n.kmeans_seconds).toFixed(2)), 'target ≤ 1.5'],
  [`speed-up from 1 to ${all.shards} shards: browser whole (seeding; iterations)`, '', `${(one.kmeans / all.kmeans).toFixed(2)} (${(one.seeding / all.seeding).toFixed(2)}; ${(iterationsPart(one) / iterationsPart(all)).toFixed(2)})`, ''],
  [`speed-up from 1 to ${all.shards} threads: native whole (seeding; iterations)`, '', `${(native1.kmeans_seconds / nativeN.kmeans_seconds).toFixed(2)} (${(native1.stage_seconds.seeding / nativeN.stage_seconds.seeding).toFixed(2)}; ${(nativeIterations(native1) / nativeIterations(nativeN)).toFixed(2)})`, ''],
];
console.log(`\n| ${rows.toLocaleString('en-US')} titles | one worker (\`?shards=1\`) | default: one shard per core | target |\n|---|---|---|---|`);
for (const [a, b, c, d] of rowsOut) console.log(`| ${a} | ${b} | ${c} | ${d} |`);
