// Accessibility: axe-core (from npm, injected into the page) audits the
// page at rest, with the suggestion list open, the mapping step of an upload
// and the users view: no serious or critical violation anywhere. The search
// box is an ARIA 1.2 combobox whose highlighted suggestion is announced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshPage, openReady, uploadFiles, fixture, repo, useBrowser } from './harness.mjs';

const env = useBrowser();
const AXE = fs.readFileSync(path.join(repo, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The serious and critical violations axe finds in the page as it is now. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 2).map((n) => n.html.slice(0, 120)).join(' | ')}`);
  });
}

test('no serious or critical accessibility violation: at rest, searching, mapping an upload, the users view', async () => {
  const { context, page, errors } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  assert.deepEqual(await audit(page), [], 'the page at rest');

  await page.fill('[data-testid=search-input]', 'godfahter');
  await page.waitForSelector('[data-testid=search-result]');
  const box = '[data-testid=search-input]';
  assert.equal(await page.getAttribute(box, 'aria-expanded'), 'true');
  assert.equal(await page.getAttribute(box, 'aria-controls'), 'suggestions');
  assert.equal(await page.getAttribute(box, 'aria-activedescendant'), 'suggestion-0');
  await page.press(box, 'ArrowDown');
  assert.equal(await page.getAttribute(box, 'aria-activedescendant'), 'suggestion-1');
  assert.equal(await page.getAttribute('#suggestion-1', 'aria-selected'), 'true');
  assert.deepEqual(await audit(page), [], 'the suggestion list open');
  await page.press(box, 'Escape');
  assert.equal(await page.getAttribute(box, 'aria-expanded'), 'false');
  assert.equal(await page.getAttribute(box, 'aria-controls'), null, 'no reference to a list that is gone');

  await uploadFiles(page, fixture('formats/movies_de.csv'));
  await page.waitForSelector('[data-testid=confirm-mapping]', { timeout: 60_000 });
  assert.deepEqual(await audit(page), [], 'the mapping step');
  await page.click('.mapping button:not(.primary)');

  const ml = (f) => path.join(repo, 'data', 'movielens', f);
  await page.setInputFiles('[data-testid=interactions-input]', [ml('ratings.csv'), ml('movies.csv')]);
  await page.waitForSelector('[data-testid=user-recommendation]', { timeout: 60_000 });
  assert.deepEqual(await audit(page), [], 'the users view');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a recommendation is a button of its own, its marks beside it, and the keyboard selects it', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  const first = page.locator('[data-testid=recommendation]').first();
  await first.waitFor();
  assert.equal(await first.locator('button.pick button').count(), 0, 'nothing interactive inside the title button');
  const title = await first.locator('.title').textContent();
  await first.locator('button.pick').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('[data-testid=selected-title]')?.textContent === t, title);
  await context.close();
});

test('on a phone every panel is one tap from the top, and the first Tab reaches the same links', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await openReady(page, env.site.url);
  const nav = await page.$eval('nav.jump', (n) => n.getBoundingClientRect().top);
  assert.ok(nav < 200, `the links sit at the top (${nav} px)`);
  for (const [name, target] of [['Tuning', '#tuning'], ['Your own catalog', '#upload'], ['Users', '#users']]) {
    await page.evaluate(() => window.scrollTo(0, 0));
    const before = await page.$eval(target, (e) => e.getBoundingClientRect().top);
    assert.ok(before > 844, `${target} starts below the first screen (${before} px)`);
    await page.click(`nav.jump >> text=${name}`);
    await page.waitForFunction((t) => { const r = document.querySelector(t).getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight; }, target);
    assert.equal(await page.evaluate(() => document.activeElement?.id), target.slice(1), `${name} takes the focus there`);
  }
  // Keyboard: from the top of the page, the first Tab lands on the first link.
  await openReady(page, env.site.url);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Find a movie');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'search');
  assert.equal(await page.url().includes('?'), false, 'a jump does not touch the movie in the URL');
  await context.close();
});

test('Re-cluster is a short keyboard trip: through the Tuning link, or from the search box', async () => {
  const { context, page } = await freshPage(env.browser);
  await openReady(page, env.site.url);
  const tabsTo = async (pattern, limit = 100) => {
    for (let i = 1; i <= limit; i++) {
      await page.keyboard.press('Tab');
      if (pattern.test(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''))) return i;
    }
    return Infinity;
  };
  assert.equal(await tabsTo(/^Tuning$/), 5, 'the fifth link');
  await page.keyboard.press('Enter');
  const viaLink = await tabsTo(/^Re-cluster/);
  await page.focus('#search');
  const fromSearch = await tabsTo(/^Re-cluster/);
  console.log(`# timing: Tab presses to Re-cluster: ${viaLink} after the Tuning link, ${fromSearch} from the search box`);
  assert.ok(viaLink <= 12, `${viaLink} Tabs after the Tuning link`);
  assert.ok(fromSearch <= 40, `${fromSearch} Tabs from the search box`);
  await context.close();
});
