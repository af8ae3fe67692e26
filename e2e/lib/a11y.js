// The accessibility audit of one page: axe-core (WCAG 2.x A and AA rules plus axe's best practices) and a
// few structural checks axe leaves to judgement — one h1, the landmarks every page shares, and the live
// region that announces flash messages.
//
// axe is evaluated in the page through the DevTools protocol, which the page's Content-Security-Policy
// (script-src 'self') does not apply to, so the audit sees the page exactly as users get it.
'use strict';

const fs = require('node:fs');

const { artifactPath, slug } = require('./artifacts');
const { assert } = require('./expect');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const BLOCKING = new Set(['serious', 'critical']);

const AXE_TIMEOUT_MS = 60_000;

async function runAxe(page) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      `axe did not finish within ${AXE_TIMEOUT_MS} ms on ${page.url()} (it needs a context with JavaScript enabled)`,
    )), AXE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([evaluateAxe(page), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function evaluateAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
}

function describeViolation(violation) {
  const targets = violation.nodes.slice(0, 4).map((node) => node.target.join(' ')).join(' | ');
  return `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.length}×, e.g. ${targets})`;
}

/**
 * Audits the page; writes the full axe report to artifacts/axe/<name>.json. Fails on any serious or critical
 * violation; returns the lesser ones (moderate, minor) as lines for the test's diagnostics.
 */
async function auditPage(page, name) {
  const results = await runAxe(page);
  fs.writeFileSync(artifactPath(`axe/${slug(name)}.json`), JSON.stringify(results.violations, null, 2));
  const blocking = results.violations.filter((violation) => BLOCKING.has(violation.impact));
  assert.equal(
    blocking.length,
    0,
    `axe found serious or critical problems on ${name} (${page.url()}):\n  ${blocking.map(describeViolation).join('\n  ')}`,
  );
  await checkStructure(page, name);
  return results.violations.map(describeViolation);
}

/** What every Coffeechat page has: one h1, banner/navigation/main/contentinfo landmarks, a flash live region. */
async function checkStructure(page, name) {
  const facts = await page.evaluate(() => {
    const count = (selector) => document.querySelectorAll(selector).length;
    const flash = document.querySelector('.flash-area');
    return {
      h1: count('h1'),
      banner: count('body > header, [role="banner"]'),
      nav: count('nav[aria-label="Main"]'),
      main: count('main'),
      contentinfo: count('body > footer, [role="contentinfo"]'),
      title: document.title,
      lang: document.documentElement.lang,
      flashRole: flash && (flash.getAttribute('role') || ''),
      flashLive: flash && (flash.getAttribute('aria-live') || ''),
    };
  });
  assert.equal(facts.h1, 1, `${name} has exactly one h1`);
  assert.equal(facts.banner, 1, `${name} has one banner (site header)`);
  assert.equal(facts.nav, 1, `${name} has the main navigation`);
  assert.equal(facts.main, 1, `${name} has one main landmark`);
  assert.equal(facts.contentinfo, 1, `${name} has one contentinfo (site footer)`);
  assert.match(facts.title, /\S+ · Coffeechat$/, `${name} has a page title naming the page`);
  assert.equal(facts.lang, 'en', `${name} declares its language`);
  assert.ok(
    facts.flashRole === 'status' || facts.flashLive === 'polite',
    `${name} announces flash messages through a live region`,
  );
}

module.exports = { auditPage, runAxe };
