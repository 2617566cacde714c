// Start-up benchmark (not a test): navigation → `ready` measured inside the
// page (performance.now() at the first animation frame whose status line
// says ready), for the release build in dist/, over several fresh pages.
//
//   node tests/e2e/startup.mjs [RUNS] [--compare-catalog OTHER.csv] [--compare-dist OTHER_DIST]
//
// With --compare-catalog, the same build is also served with OTHER.csv as
// its catalog, and the two are loaded alternately (so a busy moment of this
// shared machine falls on both): the ratio is the cost of the difference
// between the catalogs, for example the default catalog's taste factors
// (`reelmeans prepare data/tmdb5000/tmdb_5000_movies.csv --out OTHER.csv`
// writes it without them). With --compare-dist, another build (an earlier
// commit's `trunk build --release`) is served beside this one the same way:
// the ratio is what the code between them costs at start-up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, dist } from './harness.mjs';

const args = process.argv.slice(2);
const flag = args.indexOf('--compare-catalog');
const other = flag >= 0 ? args.splice(flag, 2)[1] : null;
const distFlag = args.indexOf('--compare-dist');
const otherDist = distFlag >= 0 ? args.splice(distFlag, 2)[1] : null;
const runs = Number(args[0] || 9);

const sites = [['dist/catalog.csv', await serve()]];
let copy = null;
if (other) {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'reelmeans-startup-'));
  fs.cpSync(dist, copy, { recursive: true });
  fs.copyFileSync(other, path.join(copy, 'catalog.csv'));
  sites.push([other, await serve({}, copy)]);
}
if (otherDist) sites.push([otherDist, await serve({}, otherDist)]);
const browser = await launch();
const times = sites.map(() => []);
for (let i = 0; i < runs; i++) {
  for (const [s, [, site]] of sites.entries()) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const check = () => {
        if (document.querySelector('[data-testid=status]')?.textContent.startsWith('ready')) {
          window.readyAt = performance.now();
          return;
        }
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    await page.goto(site.url);
    await page.waitForFunction(() => window.readyAt !== undefined, null, { timeout: 60_000 });
    times[s].push(await page.evaluate(() => window.readyAt));
    await context.close();
  }
}
await browser.close();
if (copy) fs.rmSync(copy, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [s, [name]] of sites.entries()) {
  const xs = times[s];
  console.log(`${name}: navigation → ready median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} (${xs.length} loads)`);
}
for (const [s, [name]] of sites.entries()) {
  if (s > 0) console.log(`ratio of medians, dist/catalog.csv / ${name}: ${(median(times[0]) / median(times[s])).toFixed(2)}`);
}
process.exit(0);
