// Shared set-up for the end-to-end tests: a static server for dist/ under a
// sub-path on 127.0.0.1 (it stops with the test process), and headless
// Chromium from Debian driven by playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const dist = process.env.REELMEANS_DIST || path.join(repo, 'dist');
export const PREFIX = '/some/prefix/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.csv': 'text/csv; charset=utf-8', '.json': 'application/json', '.png': 'image/png',
};

/** Serves `root` (dist/) at PREFIX; unknown paths under it get index.html (deep links), others 404. */
export async function serve(extraHeaders = {}, root = dist) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(PREFIX)) { res.writeHead(404); res.end('not found'); return; }
    let file = path.join(root, decodeURIComponent(url.pathname.slice(PREFIX.length)) || 'index.html');
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', ...extraHeaders });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { server, origin: `http://127.0.0.1:${server.address().port}`, url: `http://127.0.0.1:${server.address().port}${PREFIX}` };
}

export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/**
 * Registers a server for dist/ (with `headers`) and a browser for the test
 * file; both stop after its tests. Returns an object whose `site` and
 * `browser` are set once the tests start.
 */
export function useBrowser(headers = {}) {
  const env = {};
  before(async () => {
    env.site = await serve(headers);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.site?.server.close();
  });
  return env;
}

/** A new browser context and page, collecting page errors and console errors. */
export async function freshPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

/** Opens the app and waits for `ready`; returns the milliseconds it took. */
export async function openReady(page, url, timeout = 60_000) {
  const start = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.startsWith('ready'), null, { timeout });
  return Date.now() - start;
}

/** Types into search and clicks the first suggestion. */
export async function selectByTitle(page, query) {
  await page.fill('[data-testid=search-input]', query);
  // The list answers this query (until the worker answers, the previous list stays).
  const list = `#suggestions[data-query=${JSON.stringify(query)}]`;
  await page.waitForSelector(`${list} [data-testid=search-result]`);
  await page.click(`${list} [data-testid=search-result] >> nth=0`);
  await page.waitForSelector('[data-testid=selected-title]');
}

/** Records every status line the page shows from now on, in `window.statusLines`. */
export async function recordStatus(page) {
  await page.evaluate(() => {
    window.statusLines = [];
    new MutationObserver(() => {
      const s = document.querySelector('[data-testid=status]')?.textContent;
      if (s && window.statusLines.at(-1) !== s) window.statusLines.push(s);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export async function uploadFiles(page, files) {
  await page.setInputFiles('[data-testid=upload-input]', files);
}

export function fixture(name) {
  return path.join(repo, 'tests', 'fixtures', name);
}

/** The response headers the CloudFront policy in deploy/cloudformation.yaml sets, read from the template. */
export function cloudFrontHeaders() {
  const text = fs.readFileSync(path.join(repo, 'deploy', 'cloudformation.yaml'), 'utf8');
  const csp = text.match(/ContentSecurityPolicy: >-\n((?:\s{14}.*\n)+)/)[1].split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  const custom = {};
  for (const m of text.matchAll(/- Header: (\S+)\n\s+Value: (\S+)/g)) custom[m[1]] = m[2];
  return {
    'Content-Security-Policy': csp,
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    ...custom,
  };
}
