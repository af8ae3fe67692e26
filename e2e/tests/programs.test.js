// Issue 5 for a program, in the browser: an admin creates a program, invites a host and a seeker by link, proposes
// a matching round (pairs with their reasons), publishes it, and the host finds the request in the inbox while
// the seeker sees it waiting on the dashboard. The admin with JavaScript, the members without.
'use strict';

const { after, before } = require('node:test');

const { launchBrowser } = require('../lib/browser');
const { expectText, expectUrl, expectVisible } = require('../lib/expect');
const flows = require('../lib/flows');
const { journey } = require('../lib/journey');
const { hostData, openPerson, seekerData } = require('../lib/people');
const { startServer } = require('../lib/server');

const PROGRAM = 'Ward to data cohort';
const env = {};

before(async () => {
  env.server = await startServer('programs');
  env.browser = await launchBrowser();
  const open = (data, variant) => openPerson(env.browser, env.server.baseUrl, data, variant);
  env.host = await open(hostData('program'), 'no-js');
  env.seeker = await open(seekerData('program'), 'no-js');
  env.admin = await open({ ...seekerData('programadmin'), name: 'Ada Admin', zone: 'Europe/London' }, 'desktop');
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const everyone = () => ({ admin: env.admin, host: env.host, seeker: env.seeker });
const READY = 'set-up: a host with availability, a seeker, and a program admin sign up';
const JOINED = 'the admin creates a program and invites a host and a seeker, who join by link';

journey(READY, { actors: everyone }, async (j) => {
  await j.step('host signs up and publishes profile and availability', async () => {
    await flows.signUp(env.host);
    await flows.setProfile(env.host);
    await flows.setPolicy(env.host);
  });
  await j.step('seeker and admin sign up', async () => {
    await flows.signUp(env.seeker);
    await flows.signUp(env.admin);
  });
});

/** The admin makes an invitation link for `role` on the program page and returns its path. */
async function invitationPath(page, roleLabel) {
  await page.getByLabel('Who the link is for').selectOption({ label: roleLabel });
  await page.getByRole('button', { name: 'Make an invitation link' }).click();
  return new URL(await page.getByLabel(/^Your new link for/).inputValue()).pathname;
}

async function join(person, path) {
  const { page } = person;
  await page.goto(path);
  await page.getByRole('button', { name: `Join ${PROGRAM}` }).click();
  await expectText(flows.flash(page), PROGRAM);
}

journey(JOINED, { actors: everyone, needs: [READY] }, async (j) => {
  const { page } = env.admin;
  await j.step('admin creates the program from "Programs"', async () => {
    await flows.navigate(env.admin, 'Programs', '/programs');
    await page.getByLabel('Name', { exact: true }).fill(PROGRAM);
    await page.getByRole('button', { name: 'Create the program' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), PROGRAM);
    env.programPath = new URL(page.url()).pathname;
  });
  await j.step('a link for hosts and one for seekers; each joins with theirs', async () => {
    await join(env.host, await invitationPath(page, 'Hosts'));
    await page.goto(env.programPath);
    await join(env.seeker, await invitationPath(page, 'Seekers'));
  });
  await j.step('the program page lists them as members', async () => {
    await page.goto(env.programPath);
    const members = page.getByRole('region', { name: 'Members' });
    await expectText(members, env.host.name);
    await expectText(members, env.seeker.name);
  });
});

journey('the admin proposes a round, publishes it, and the request reaches the host', {
  actors: everyone,
  needs: [JOINED],
}, async (j) => {
  const { page } = env.admin;
  await j.step('"Propose a round" shows the pair, its score and why', async () => {
    await page.goto(env.programPath);
    await page.getByRole('button', { name: 'Propose a round' }).click();
    await expectUrl(page, /\/rounds\/\d+$/);
    const pairs = page.getByRole('region', { name: 'Pairs' });
    const row = pairs.getByRole('row').filter({ hasText: env.seeker.name });
    await expectText(row, env.host.name);
    await expectVisible(row.getByRole('button', { name: `Pin ${env.seeker.name} with ${env.host.name}` }));
  });
  await j.step('publishing sends the request', async () => {
    await page.getByRole('button', { name: /^Publish: send 1 request/ }).click();
    await expectText(page.locator('main'), /Published .*1 requests? (was|were) sent/);
  });
  await j.step('the host finds it in the inbox, from the seeker', async () => {
    await flows.navigate(env.host, 'Inbox', '/inbox');
    const pending = env.host.page.locator('section[aria-labelledby="pending-title"]');
    await expectText(pending, env.seeker.name);
  });
  await j.step('the seeker sees it waiting for an answer on the dashboard', async () => {
    await flows.navigate(env.seeker, 'Dashboard', '/dashboard');
    const requests = env.seeker.page.getByRole('region', { name: 'My requests' });
    await expectText(requests, env.host.name);
    await expectText(requests, 'Waiting for an answer');
  });
});
