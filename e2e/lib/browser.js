// Debian's Chromium driven by playwright-core. The suite never downloads a browser: CI installs the
// `chromium` package, and CHROMIUM_PATH may point at another binary.
'use strict';

const { chromium } = require('playwright-core');

const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a closed
// network refuses; the rest make a headless run quiet and repeatable.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The screen sizes the suite uses: a laptop, and a phone (390×844, an iPhone 12–15). */
const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 390, height: 844 },
};

/**
 * How a journey is run. Each variant is one kind of visitor: JavaScript on at desktop size, JavaScript
 * off (forms posted the old way, no htmx), and a phone with touch.
 */
const VARIANTS = {
  desktop: { viewport: VIEWPORTS.desktop, javaScriptEnabled: true },
  'no-js': { viewport: VIEWPORTS.desktop, javaScriptEnabled: false },
  mobile: { viewport: VIEWPORTS.mobile, javaScriptEnabled: true, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

async function launchBrowser() {
  return chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ARGS });
}

/**
 * A fresh browser context (its own cookies: one person) for `variant`, in the given IANA time zone so that
 * the browser's zone detection has something to detect.
 */
async function newPerson(browser, baseUrl, variant, timezoneId) {
  const options = VARIANTS[variant];
  if (!options) {
    throw new Error(`unknown variant ${variant}`);
  }
  const context = await browser.newContext({
    ...options,
    baseURL: baseUrl,
    timezoneId,
    locale: 'en-GB',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const problems = watchPage(page);
  const checks = variant === 'mobile' ? [fitsTheScreen] : [];
  return { context, page, problems, checks };
}

/**
 * On a phone nothing may make the whole page scroll sideways (WCAG 1.4.10, reflow); a wide table may
 * scroll inside its own box. Run after every step of a mobile journey, on the page the step ended on.
 */
async function fitsTheScreen(page, who) {
  if (page.isClosed() || page.url() === 'about:blank') {
    return;
  }
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) {
      return null;
    }
    // Elements inside a box that scrolls on its own (a wide table) are not to blame.
    const scrollsOnItsOwn = (element) => {
      for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) {
          return true;
        }
      }
      return false;
    };
    const culprits = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !scrollsOnItsOwn(element))
      .slice(-3)
      .map((element) => `<${element.tagName.toLowerCase()} class="${element.className}">`);
    return `${document.documentElement.scrollWidth}px wide in a ${width}px screen; e.g. ${culprits.join(', ')}`;
  });
  if (overflow) {
    throw new Error(`${who}'s page ${page.url()} scrolls sideways: ${overflow}`);
  }
}

/**
 * Collects what must never happen on a page: uncaught script errors and Content-Security-Policy refusals
 * (the server forbids inline scripts and styles; a template that uses one breaks silently otherwise).
 */
function watchPage(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught error on ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Refused to|Uncaught|Content Security Policy/i.test(message.text())) {
      problems.push(`console error on ${page.url()}: ${message.text()}`);
    }
  });
  return problems;
}

module.exports = { fitsTheScreen, launchBrowser, newPerson, VARIANTS, VIEWPORTS };
