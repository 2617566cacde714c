// What the benchmarks measure a browser with: its processes' memory.
import { execFileSync } from 'node:child_process';
import { launch } from './harness.mjs';

/**
 * Resident memory (KB) of a browser: all its processes, and the largest
 * renderer, which is the tab (Chromium runs a page and its dedicated workers
 * in one renderer process).
 */
export function browserRss(pid) {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss=,args=']).toString().trim().split('\n').map((l) => {
    const [p, pp, r, ...args] = l.trim().split(/\s+/);
    return { pid: Number(p), ppid: Number(pp), rss: Number(r), renderer: args.join(' ').includes('--type=renderer') };
  });
  const children = new Map();
  for (const p of out) children.set(p.ppid, [...(children.get(p.ppid) || []), p]);
  let total = 0;
  let tab = 0;
  const stack = out.filter((p) => p.pid === pid);
  while (stack.length) {
    const p = stack.pop();
    total += p.rss;
    if (p.renderer) tab = Math.max(tab, p.rss);
    stack.push(...(children.get(p.pid) || []));
  }
  return { total, tab };
}

/** A browser whose process tree can be found (a switch Chromium ignores marks it). */
export async function launchMeasured() {
  const marker = `--reelmeans-bench=${process.pid}`;
  const browser = await launch([marker]);
  const browserPid = Number(execFileSync('pgrep', ['-o', '-f', '--', marker]).toString().trim());
  return { browser, browserPid };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Records main-thread long tasks into `window.__long` from the page's first load. */
export async function recordLongTasks(page) {
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  });
}

/**
 * Watches a build from now: long tasks start afresh, every status update is
 * recorded in `window.__updates` ([time, text]), and the browser's memory is
 * sampled every 200 ms. `stop()` ends the sampling and returns the peak.
 */
export async function watchBuild(page, browserPid) {
  const baseline = browserRss(browserPid);
  await page.evaluate(() => {
    window.__long = [];
    window.__updates = [];
    new MutationObserver(() => window.__updates.push([performance.now(), document.querySelector('.status').textContent])).observe(document.querySelector('.status'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const peak = { ...baseline };
  const sample = () => {
    const now = browserRss(browserPid);
    peak.total = Math.max(peak.total, now.total);
    peak.tab = Math.max(peak.tab, now.tab);
  };
  const sampler = setInterval(sample, 200);
  return {
    baseline,
    stop() {
      clearInterval(sampler);
      sample();
      return peak;
    },
  };
}

/**
 * Select → recommendations rendered, `n` times, each clicking the first
 * recommendation and waiting for its card (by index: titles may repeat).
 */
export async function selectTimes(page, n = 5) {
  const times = [];
  for (let i = 0; i < n; i++) {
    times.push(await page.evaluate(async () => {
      const selected = () => document.querySelector('[data-testid=selected-title]').dataset.index;
      const first = document.querySelector('[data-testid=recommendation]');
      const target = first.dataset.index;
      const t = performance.now();
      first.click();
      while (selected() !== target || !document.querySelector('[data-testid=recommendation]')) {
        await new Promise((r) => requestAnimationFrame(r));
      }
      return performance.now() - t;
    }));
  }
  return times;
}

/** Keystroke → suggestions rendered for each query (the list says which query it answers). */
export async function keyTimes(page, queries) {
  const times = [];
  for (const q of queries) {
    times.push(await page.evaluate(async (q) => {
      const input = document.querySelector('[data-testid=search-input]');
      const t = performance.now();
      input.value = q;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      const ok = () => [...document.querySelectorAll(`#suggestions[data-query=${JSON.stringify(q)}] :is([data-testid=search-result], .hint)`)].length > 0;
      while (!ok()) await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t;
    }, q));
  }
  return times;
}
