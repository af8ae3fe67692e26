// Small waiting assertions on top of playwright-core (which, unlike @playwright/test, has no `expect`).
// Each polls until it holds or its time is up, then fails with what it saw, so a slow htmx swap or a
// redirect never makes a test flaky and a real failure still says what the page showed.
'use strict';

const assert = require('node:assert/strict');

const DEFAULT_TIMEOUT_MS = 10_000;

async function eventually(check, { timeout = DEFAULT_TIMEOUT_MS, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw lastError;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function matches(actual, expected) {
  return expected instanceof RegExp ? expected.test(actual) : actual.includes(expected);
}

/** The locator's (first match's) text contains `expected` (a string or a RegExp). */
async function expectText(locator, expected, options) {
  await eventually(async () => {
    const text = (await locator.first().innerText({ timeout: 1_000 })).replace(/\s+/g, ' ').trim();
    assert.ok(matches(text, expected), `expected ${locator} to contain ${expected}, it reads: "${text.slice(0, 400)}"`);
  }, options);
}

async function expectVisible(locator, options) {
  await eventually(async () => {
    assert.ok(await locator.first().isVisible(), `expected ${locator} to be visible`);
  }, options);
}

async function expectValue(locator, expected, options) {
  await eventually(async () => {
    const value = await locator.inputValue({ timeout: 1_000 });
    assert.equal(value, expected, `expected ${locator} to hold "${expected}", it holds "${value}"`);
  }, options);
}

async function expectUrl(page, pattern, options) {
  await eventually(async () => {
    assert.ok(matches(page.url(), pattern), `expected the address to match ${pattern}, it is ${page.url()}`);
  }, options);
}

async function expectCount(locator, count, options) {
  await eventually(async () => {
    assert.equal(await locator.count(), count, `expected ${count} of ${locator}`);
  }, options);
}

module.exports = { assert, eventually, expectText, expectVisible, expectValue, expectUrl, expectCount };
