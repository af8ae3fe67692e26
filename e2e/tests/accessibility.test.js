// The accessibility audit of every main page, as a visitor, a seeker and a host see it: axe-core at desktop
// and phone size (no serious or critical violation), the structure every page shares, a screenshot at both
// sizes (artifacts/pages/), and the live regions that announce what htmx changes in place.
'use strict';

const { after, before } = require('node:test');

const { artifactPath, slug } = require('../lib/artifacts');
const { auditPage } = require('../lib/a11y');
const { fitsTheScreen, launchBrowser, VIEWPORTS } = require('../lib/browser');
const { assert, expectText, expectUrl, expectVisible, eventually } = require('../lib/expect');
const flows = require('../lib/flows');
const { journey } = require('../lib/journey');
const { hostData, openPerson, seekerData } = require('../lib/people');
const { startServer } = require('../lib/server');

const env = {};

before(async () => {
  env.server = await startServer('accessibility');
  env.browser = await launchBrowser();
  const open = (data) => openPerson(env.browser, env.server.baseUrl, data, 'desktop');
  env.host = await open(hostData('audit'));
  env.seeker = await open(seekerData('audit'));
  env.visitor = await open({ ...seekerData('visitor'), zone: 'Asia/Tokyo' });
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const everyone = () => ({ host: env.host, seeker: env.seeker, visitor: env.visitor });
const SET_UP = 'set-up: a host with availability, a seeker with an interview and a pending request';

journey(SET_UP, { actors: everyone }, async (j) => {
  const { host, seeker } = env;
  await j.step('host signs up and publishes profile and availability', async () => {
    await flows.signUp(host);
    await flows.setProfile(host);
    await flows.setPolicy(host);
  });
  // One pending request per host (issue 4): the second is sent once the host has answered the first.
  await j.step('seeker signs up and sends a request', async () => {
    await flows.signUp(seeker);
    env.accepted = await flows.requestConversation(seeker, host, 0, 'How did you move from the ward into analytics?');
  });
  await j.step('host accepts it', async () => {
    env.interviewPath = await flows.acceptRequest(host, seeker, env.accepted);
  });
  await j.step('seeker sends a second request, which stays pending', async () => {
    env.pending = await flows.requestConversation(seeker, host, 1, 'What does a health-data analyst do all day?');
  });
});

/** Opens a page as someone, by address or by a function that gets there (e.g. by sending a bad form). */
const PAGES = [
  ['home', 'visitor', '/'],
  ['log in', 'visitor', '/login'],
  ['sign up', 'visitor', '/signup'],
  ['sign up refused (email in use)', 'visitor', async ({ page }) => {
    await page.goto('/signup');
    await page.getByLabel('Your name').fill('Someone Else');
    await page.getByLabel('Email').fill(env.seeker.email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectVisible(page.locator('#email-error'));
  }],
  ['log in refused (wrong password)', 'visitor', async ({ page }) => {
    await page.goto('/login');
    await flows.fillLogin(page, env.seeker.email, 'wrong password!');
    await expectVisible(page.getByRole('alert'));
  }],
  ['directory (visitor)', 'visitor', '/hosts'],
  ['host page (visitor)', 'visitor', async ({ page }) => {
    // A visitor's times start in the host's zone; app.js switches them to the browser's (Tokyo here).
    await page.goto(`/h/${env.host.handle}`);
    await flows.zoneSettled(page);
    await expectText(page.locator('.zone-caption'), 'Asia/Tokyo');
    await flows.checkSlotNames(page, 'Asia/Tokyo');
  }],
  ['page not found', 'visitor', '/h/nobody-by-this-name'],
  ['directory search (seeker)', 'seeker', () => `/hosts?q=${encodeURIComponent(env.host.employer)}`],
  ['host page (seeker)', 'seeker', () => `/h/${env.host.handle}`],
  ['request form', 'seeker', async (seeker) => {
    await flows.findHost(seeker, env.host);
    await flows.pickSlot(seeker, env.host, 2);
  }],
  ['request form refused (no time chosen)', 'seeker', async (seeker) => {
    const { page } = seeker;
    await page.goto(`/h/${env.host.handle}/request`);
    await page.getByLabel("Why you're asking").fill('A purpose, but no time.');
    await page.getByRole('button', { name: 'Send request' }).click();
    await expectVisible(page.locator('#proposed_starts-error'));
  }],
  ['request (seeker)', 'seeker', () => `/requests/${env.pending.id}`],
  ['dashboard (seeker)', 'seeker', '/dashboard'],
  ['interview (seeker)', 'seeker', () => env.interviewPath],
  ['inbox', 'host', '/inbox'],
  ['request (host)', 'host', () => `/requests/${env.pending.id}`],
  ['dashboard (host)', 'host', '/dashboard'],
  ['interview (host)', 'host', () => env.interviewPath],
  ['own host page', 'host', () => `/h/${env.host.handle}`],
  ['settings: profile', 'host', '/settings/profile'],
  ['settings: profile refused (bad handle)', 'host', async ({ page }) => {
    await page.goto('/settings/profile');
    await page.getByLabel('Handle', { exact: true }).fill('x');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expectVisible(page.locator('#field-handle-error'));
  }],
  ['settings: availability', 'host', '/settings/policy'],
  ['settings: availability refused (window ends before it starts)', 'host', async ({ page }) => {
    await page.goto('/settings/policy');
    const blank = page.locator('select[name$=".weekday"]').last();
    const row = (await blank.getAttribute('id')).replace(/-weekday$/, '');
    await blank.selectOption('sat');
    await page.locator(`#${row}-start`).fill('12:00');
    await page.locator(`#${row}-end`).fill('09:00');
    await page.getByRole('button', { name: 'Save availability' }).click();
    await expectVisible(page.getByRole('alert'));
  }],
  ['settings: account (seeker)', 'seeker', '/settings/account'],
  ['settings: account (host)', 'host', '/settings/account'],
  ['settings: days off and special hours', 'host', '/settings/overrides'],
  ['settings: calendars', 'host', '/settings/calendars'],
  ['settings: calendar feed', 'seeker', '/settings/feed'],
  ['talent pool', 'host', '/talent-pool'],
  ['programs', 'seeker', '/programs'],
  ['notifications (seeker)', 'seeker', '/notifications'],
  ['notifications (host)', 'host', '/notifications'],
  ['request composer: bank and etiquette check', 'seeker', async ({ page }) => {
    await page.goto(`/h/${env.host.handle}/request`);
    await page.getByRole('checkbox', { name: 'Career path', exact: true }).check();
    await page.getByLabel("Why you're asking").fill('I would like to learn about your work. Attached is my résumé.');
    await page.getByRole('button', { name: 'Show questions for these topics' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Ideas from the question bank' }));
    await page.getByRole('button', { name: 'Check my request' }).click();
    await expectVisible(page.locator('.check-results'));
  }],
  ['programs refused (no name)', 'seeker', async ({ page }) => {
    await page.goto('/programs');
    await page.getByRole('button', { name: 'Create the program' }).click();
    await expectVisible(page.locator('#field-name-error'));
  }],
  ['program and round review (admin)', 'seeker', async ({ page }) => {
    await page.goto('/programs');
    await page.getByLabel('Name', { exact: true }).fill('Audit cohort');
    await page.getByRole('button', { name: 'Create the program' }).click();
    const programPath = new URL(page.url()).pathname;
    await page.getByLabel('Who the link is for').selectOption('');
    await page.getByRole('button', { name: 'Make an invitation link' }).click();
    const joinPath = new URL(await page.locator('#new-link').inputValue()).pathname;
    for (const member of [page, env.host.page]) {
      await member.goto(joinPath);
      await member.getByRole('button', { name: /^Join / }).click();
    }
    await page.goto(programPath);
    await page.getByRole('button', { name: 'Propose a round' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Pairs' }));
  }],
  ['settings: seeker profile', 'seeker', '/settings/seeker-profile'],
  ['settings: seeker profile refused (no target)', 'seeker', async ({ page }) => {
    await page.goto('/settings/seeker-profile');
    await page.getByLabel('Roles you are aiming for').fill('');
    await page.getByLabel('Industries you are aiming for').fill('');
    await page.getByRole('button', { name: 'Save and see suggestions' }).click();
    await expectVisible(page.locator('#field-target-roles-error'));
  }],
  ['people to talk to (recommendations)', 'seeker', async ({ page }) => {
    await page.goto('/settings/seeker-profile');
    await page.getByLabel('Roles you are aiming for').fill('Data scientist');
    await page.getByLabel('Industries you are aiming for').fill('Healthcare, Software');
    await page.getByRole('button', { name: 'Save and see suggestions' }).click();
    await expectVisible(page.getByRole('heading', { name: 'People to talk to', level: 1 }));
  }],
];

for (const [name, who, target] of PAGES) {
  journey(`page: ${name}`, { actors: () => ({ [who]: env[who] }), needs: [SET_UP] }, async (j) => {
    const person = env[who];
    const { page } = person;
    await j.step(`${who} opens the page`, async () => {
      const resolved = typeof target === 'function' ? await target(person) : target;
      if (typeof resolved === 'string') {
        await page.goto(resolved);
      }
      // app.js may reload a page once with the browser's zone: let that settle before auditing.
      await flows.zoneSettled(page);
    });
    await j.step('axe finds nothing serious or critical at desktop size; landmarks, h1 and live region present', async () => {
      const lesser = await auditPage(page, `${name} desktop`);
      for (const line of lesser) {
        j.t.diagnostic(`axe (desktop, not blocking): ${line}`);
      }
      await page.screenshot({ path: artifactPath(`pages/${slug(name)}-desktop.png`), fullPage: true });
    });
    await j.step('at phone size (390×844) nothing scrolls sideways and axe finds nothing serious or critical', async () => {
      await page.setViewportSize(VIEWPORTS.mobile);
      try {
        await fitsTheScreen(page, who);
        const lesser = await auditPage(page, `${name} mobile`);
        for (const line of lesser) {
          j.t.diagnostic(`axe (mobile, not blocking): ${line}`);
        }
        await page.screenshot({ path: artifactPath(`pages/${slug(name)}-mobile.png`), fullPage: true });
      } finally {
        await page.setViewportSize(VIEWPORTS.desktop);
      }
    });
  });
}

// -------------------------------------------------------------------------------------------------------
// Live regions: what htmx changes in place is announced, and focus never falls off the page.

/**
 * Marks the live regions on the page now. Screen readers announce changes to regions that were already on
 * the page, not regions that arrive with new content, so only marked regions count in `announced`.
 */
function markLiveRegions(page) {
  return page.evaluate(() => document.querySelectorAll('[role="status"], [role="alert"], [aria-live]')
    .forEach((region) => region.setAttribute('data-e2e-live', '')));
}

/** The text of the live regions marked earlier that are still on the page, joined. */
function announced(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('[data-e2e-live]'))
    .filter((region) => region.getAttribute('aria-live') !== 'off')
    .map((region) => region.textContent.replace(/\s+/g, ' ').trim())
    .join(' | '));
}

journey(
  'live search in the directory announces how many people match',
  { actors: everyone, needs: [SET_UP] },
  async (j) => {
    const { page } = env.visitor;
    await j.step('visitor opens the directory', async () => {
      await page.goto('/hosts');
      await flows.zoneSettled(page);
    });
    await j.step('typing a search updates the count in a live region that was already on the page', async () => {
      const count = page.locator('#result-count');
      const region = await count.elementHandle();
      assert.equal(await count.getAttribute('role'), 'status', 'the result count is a status live region');
      await page.getByRole('search', { name: 'Hosts' }).getByLabel('Search', { exact: true }).fill(env.host.employer);
      await expectText(count, '1 person found');
      assert.ok(await region.evaluate((node) => node.isConnected), 'the live region was updated, not replaced');
    });
  },
);

journey(
  'changing the length on a host page or the request form announces the new times',
  { actors: everyone, needs: [SET_UP] },
  async (j) => {
    const { page } = env.seeker;
    await j.step('seeker opens the host page', async () => {
      await page.goto(`/h/${env.host.handle}?length=20`);
    });
    await j.step('choosing 30 minutes swaps the times and says so in a live region', async () => {
      await markLiveRegions(page);
      await page.getByLabel('Length').focus();
      await page.getByLabel('Length').selectOption('30');
      await expectText(page.locator('#slots .zone-caption'), '30-minute');
      await eventually(async () => assert.match(await announced(page), /30-minute/, 'a live region names the new length'));
      assert.match(await page.locator(':focus').evaluate((node) => node.id), /^length$/, 'focus stays on the select');
    });
    await j.step('on the request form too, another length swaps the times, says so, and keeps what was typed', async () => {
      await page.goto(`/h/${env.host.handle}/request?length=20`);
      const purpose = page.getByLabel("Why you're asking");
      await purpose.fill('Typed before changing the length.');
      await markLiveRegions(page);
      await page.getByLabel('Length', { exact: true }).focus();
      await page.getByLabel('Length', { exact: true }).selectOption('30');
      await expectText(page.locator('#slot-choices .zone-caption'), '30-minute');
      await eventually(async () => assert.match(await announced(page), /30-minute/, 'a live region names the length'));
      assert.equal(await purpose.inputValue(), 'Typed before changing the length.');
    });
  },
);

journey(
  'answering a request in the inbox announces the result and keeps focus',
  { actors: everyone, needs: [SET_UP] },
  async (j) => {
    const { host, seeker } = env;
    const { page } = host;
    await j.step('host opens the pending request in the inbox', async () => {
      await flows.navigate(host, 'Inbox', '/inbox');
      await expectVisible(page.locator(`#request-${env.pending.id}`));
    });
    await j.step('declining with the keyboard swaps the card in place, announces it, and focuses the card', async () => {
      const card = page.locator(`#request-${env.pending.id}`);
      await card.getByLabel('Reason', { exact: true }).selectOption({ index: 1 });
      await card.getByRole('button', { name: 'Decline' }).focus();
      await markLiveRegions(page);
      await page.keyboard.press('Enter');
      await expectText(card, `You declined ${seeker.name}'s request`);
      await expectUrl(page, '/inbox');
      await eventually(async () => assert.match(await announced(page), /You declined/, 'a live region announces it'));
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      assert.equal(focused, `request-${env.pending.id}`, 'focus moves to the answered card instead of the page');
    });
  },
);

journey(
  'the audit itself catches a known problem (so a green audit means something)',
  { actors: everyone, needs: [SET_UP] },
  async (j) => {
    const { page } = env.visitor;
    await j.step('an unlabelled field and an image without text make the audit fail', async () => {
      await page.goto('/');
      await page.evaluate(() => {
        const main = document.querySelector('main');
        main.appendChild(document.createElement('input'));
        const image = document.createElement('img');
        image.src = '/assets/missing.png';
        main.appendChild(image);
      });
      await assert.rejects(auditPage(page, 'home with planted problems'), /critical (label|image-alt)/);
    });
  },
);
