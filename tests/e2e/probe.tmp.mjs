import { serve, launch, openReady, selectByTitle, uploadFiles } from './harness.mjs';
const site = await serve(); const b = await launch(); const p = await b.newPage();
p.on('pageerror', (e) => console.log('pageerror', String(e).slice(0, 200)));
await p.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
});
await openReady(p, site.url);
await p.evaluate(() => { window.__long = []; });
const t0 = Date.now();
await uploadFiles(p, process.argv[2]);
await p.waitForSelector('[data-testid=confirm-mapping]', { timeout: 120000 });
const t1 = Date.now();
await p.click('[data-testid=confirm-mapping]');
await p.waitForFunction((n) => new RegExp('^ready — ' + n).test(document.querySelector('[data-testid=status]')?.textContent), process.argv[3], { timeout: 300000 });
const t2 = Date.now();
console.log(`inspect ${t1 - t0} ms, confirm→ready ${t2 - t1} ms`);
console.log('long tasks (ms):', JSON.stringify(await p.evaluate(() => window.__long)));
const m = await p.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null);
console.log('main JS heap MB', m);
await selectByTitle(p, "Alien #3");
await p.waitForSelector('[data-testid=recommendation]');
console.log('recommends', await p.locator('[data-testid=recommendation]').count());
const sel = [];
for (let i = 0; i < 5; i++) {
  sel.push(await p.evaluate(async () => {
    const before = document.querySelector('[data-testid=selected-title]').textContent;
    const t = performance.now();
    document.querySelector('[data-testid=recommendation]').click();
    while (document.querySelector('[data-testid=selected-title]').textContent === before) await new Promise((r) => requestAnimationFrame(r));
    return Math.round(performance.now() - t);
  }));
}
const keys = [];
for (const q of ['t', 'th', 'the', 'the d', 'the da']) {
  keys.push(await p.evaluate(async (q) => {
    const input = document.querySelector('[data-testid=search-input]');
    const t = performance.now();
    input.value = q; input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const ok = () => document.querySelectorAll('[data-testid=search-result]').length > 0 && [...document.querySelectorAll('[data-testid=search-result] .title')].every((e) => e.textContent.toLowerCase().includes(q));
    while (!ok()) await new Promise((r) => requestAnimationFrame(r));
    return Math.round(performance.now() - t);
  }, q));
}
console.log('select→recs ms', JSON.stringify(sel), 'keystroke→suggestions ms', JSON.stringify(keys));
await b.close(); site.server.close();
