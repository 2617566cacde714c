// The release build under the same response headers as the CloudFront policy
// (CSP without inline scripts, COOP + COEP, nosniff, ...), served from a sub-path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openReady, selectByTitle, cloudFrontHeaders, useBrowser } from './harness.mjs';

const headers = cloudFrontHeaders();

const env = useBrowser(headers);

test('the headers under test are the template\'s', () => {
  assert.match(headers['Content-Security-Policy'], /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';/);
  assert.equal(headers['Cross-Origin-Opener-Policy'], 'same-origin');
  assert.equal(headers['Cross-Origin-Embedder-Policy'], 'require-corp');
});

test('under the CloudFront headers the app is ready, cross-origin isolated, recommends, and logs no violation', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openReady(page, env.site.url);
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
  await selectByTitle(page, 'Alien');
  await page.waitForSelector('[data-testid=recommendation]');
  await page.evaluate(() => document.querySelector('.explorer').scrollIntoView());
  await page.waitForTimeout(1500); // charts and the elbow curve render
  assert.ok(await page.locator('.explorer canvas').count() >= 2);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);
  await context.close();
});
