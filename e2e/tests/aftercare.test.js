// Issue 4 after the meeting, in the browser, on the demo data (`coffeechat serve --demo`: conversations that
// already took place, written relative to now): the seeker thanks the host and the host reads it, once is
// enough (no second request to someone you have met), the host's debrief and follow-up invitation, and the
// talent pool of consenting seekers. Sam and Maya with JavaScript (axe needs it), Hannah without.
'use strict';

const { after, before } = require('node:test');

const { auditPage } = require('../lib/a11y');
const { launchBrowser } = require('../lib/browser');
const { assert, expectCount, expectText, expectUrl, expectValue, expectVisible } = require('../lib/expect');
const flows = require('../lib/flows');
const { journey } = require('../lib/journey');
const { openPerson } = require('../lib/people');
const { startServer } = require('../lib/server');

const DEMO_PASSWORD = 'coffeechat-demo';
const demoPerson = (name, zone, variant) => ({
  variant,
  name,
  email: `${name.toLowerCase().replace(/ /g, '.')}@demo.coffeechat.test`,
  password: DEMO_PASSWORD,
  zone,
});

const env = {};
const sam = {};
const hannah = {};
const maya = {};

before(async () => {
  env.server = await startServer('aftercare', { demo: true });
  env.browser = await launchBrowser();
  const open = (data) => openPerson(env.browser, env.server.baseUrl, data);
  Object.assign(sam, await open(demoPerson('Sam Lee', 'America/Vancouver', 'desktop')));
  Object.assign(hannah, await open(demoPerson('Hannah Becker', 'Europe/Berlin', 'no-js')));
  Object.assign(maya, await open(demoPerson('Maya Okafor', 'Europe/London', 'desktop')));
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

async function logIn(person) {
  const { page } = person;
  await page.goto('/login');
  await flows.fillLogin(page, person.email, person.password);
  await expectText(flows.flash(page), `Welcome back, ${person.name}`);
}

/** From the dashboard's "Past and cancelled" list, opens the conversation with `other` that took place. */
async function openPastConversation(person, other) {
  const { page } = person;
  await flows.navigate(person, 'Dashboard', '/dashboard');
  const item = page.locator('li').filter({ has: page.getByRole('link', { name: other, exact: true }) })
    .filter({ hasText: 'Took place' });
  await item.getByRole('link', { name: other, exact: true }).first().click();
  await expectUrl(page, /\/interviews\/\d+$/);
  await expectText(page.getByRole('heading', { level: 1 }), `Conversation with ${other}`);
  return new URL(page.url()).pathname;
}

const NOTE = 'Thank you for the forty-five minutes: your advice on take-home exercises changed my plan for the month.';
const THANKED = 'the seeker thanks the host after their conversation, and the host reads it';

journey(THANKED, { actors: () => ({ sam, hannah }) }, async (j) => {
  await j.step('Sam logs in and opens the conversation with Hannah Becker that took place', async () => {
    await logIn(sam);
    env.interviewPath = await openPastConversation(sam, 'Hannah Becker');
    await flows.zoneSettled(sam.page);
    await expectText(sam.page.getByRole('region', { name: 'When', exact: true }), '(America/Vancouver)');
    await expectText(sam.page.getByRole('region', { name: 'When', exact: true }), '(Europe/Berlin)');
  });
  await j.step('Sam writes a thank-you note and sends it; the page shows it sent', async () => {
    const { page } = sam;
    const thanks = page.getByRole('region', { name: 'Thank-you note' });
    await thanks.getByLabel('Your note to Hannah Becker').fill(NOTE);
    await thanks.getByRole('button', { name: 'Send thank-you note' }).click();
    await expectUrl(page, env.interviewPath);
    await expectText(thanks, 'You thanked Hannah Becker');
    await expectText(thanks, NOTE);
    await expectCount(thanks.getByRole('button', { name: 'Send thank-you note' }), 0);
  });
  await j.step('the interview page after the meeting passes the accessibility audit (seeker)', async () => {
    for (const line of await auditPage(sam.page, 'past interview (seeker, after thanks)')) {
      j.t.diagnostic(`axe (not blocking): ${line}`);
    }
  });
  await j.step('Hannah Becker logs in (without JavaScript) and reads the note on the conversation page', async () => {
    await logIn(hannah);
    await hannah.page.goto(env.interviewPath);
    const thanks = hannah.page.getByRole('region', { name: 'Thank-you note' });
    await expectText(thanks, 'Sam Lee thanked you');
    await expectText(thanks, NOTE);
  });
});

journey('once is enough: the seeker cannot ask a host they have already met again', {
  actors: () => ({ sam }),
  needs: [THANKED],
}, async (j) => {
  const { page } = sam;
  await j.step('Sam prepares a new request to Hannah Becker and sends it', async () => {
    await page.goto(env.interviewPath);
    await page.getByRole('link', { name: 'Hannah Becker’s page' }).click();
    await expectUrl(page, /\/h\/[^/?#]+/);
    const handle = new URL(page.url()).pathname.split('/')[2];
    await page.goto(`/h/${handle}/request`);
    await page.getByLabel("Why you're asking").fill('I would like to hear more about the first year in product.');
    await page.getByRole('checkbox', { name: 'A day in the role', exact: true }).check();
    await page.getByLabel('Your questions').fill(flows.PREPARED_QUESTIONS.join('\n'));
    const time = page.locator('#slot-choices input[name="proposed_starts"]').first();
    if (await time.count()) {
      await time.check();
    }
    await page.getByRole('button', { name: /^(Send request|Join the waitlist)$/ }).click();
    await expectUrl(page, `/h/${handle}/request`);
  });
  await j.step('it is refused, saying they have met and that the host can invite a follow-up', async () => {
    const refusal = page.getByRole('alert').first();
    await expectText(refusal, 'already met Hannah Becker');
    await expectText(refusal, 'follow-up');
    await expectValue(page.getByLabel("Why you're asking"), 'I would like to hear more about the first year in product.');
  });
});

journey('the host writes a debrief, invites a follow-up, and sees their talent pool', { actors: () => ({ maya }) }, async (j) => {
  const { page } = maya;
  await j.step('Maya logs in and opens the conversation with Esra Ibrahim that took place', async () => {
    await logIn(maya);
    env.mayaPath = await openPastConversation(maya, 'Esra Ibrahim');
    await expectText(page.getByRole('region', { name: 'Thank-you note' }), 'Esra Ibrahim thanked you');
  });
  await j.step('Maya updates the debrief: would meet again, a colleague to refer to; it is saved and shown', async () => {
    const debrief = page.getByRole('region', { name: 'Your debrief' });
    await debrief.getByRole('checkbox', { name: 'I would meet them again' }).check();
    await debrief.getByLabel(/^A colleague to refer them to/).fill('Jonas Weber');
    await debrief.getByRole('button', { name: 'Save debrief' }).click();
    await expectUrl(page, env.mayaPath);
    await expectText(page.getByRole('region', { name: 'Your debrief' }), 'last saved');
    assert.ok(await page.getByRole('checkbox', { name: 'I would meet them again' }).isChecked(), 'the answer is kept');
    await expectValue(page.getByLabel(/^A colleague to refer them to/), 'Jonas Weber');
    await expectText(page.getByRole('region', { name: 'Your debrief' }), 'waiting for Esra Ibrahim’s answer');
  });
  await j.step('Maya invites Esra to a follow-up with one click', async () => {
    const followUp = page.getByRole('region', { name: 'Follow-up' });
    await followUp.getByRole('button', { name: 'Invite a follow-up' }).click();
    await expectUrl(page, env.mayaPath);
    await expectText(page.getByRole('region', { name: 'Follow-up' }), 'You invited Esra Ibrahim to a follow-up');
  });
  await j.step('the interview page after the meeting passes the accessibility audit (host)', async () => {
    for (const line of await auditPage(page, 'past interview (host, debrief)')) {
      j.t.diagnostic(`axe (not blocking): ${line}`);
    }
  });
  await j.step('the talent pool lists the seeker who agreed, with the debrief', async () => {
    await flows.navigate(maya, 'Talent pool', '/talent-pool');
    await expectVisible(page.getByRole('heading', { name: 'Andrei Murphy' }));
    await expectText(page.locator('main'), 'Jonas Weber');
    await expectCount(page.getByRole('heading', { name: 'Esra Ibrahim' }), 0);
  });
});
