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
