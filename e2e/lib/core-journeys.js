// The core journeys of issue 7, declared for one variant (desktop, no-js, mobile). Each variant's test file
// calls `coreJourneys(variant)`: it gets its own server, database, browser, host and seeker.
'use strict';

const { after, before } = require('node:test');

const { launchBrowser } = require('./browser');
const { assert, expectCount, expectText, expectUrl, expectValue, expectVisible } = require('./expect');
const flows = require('./flows');
const { journey } = require('./journey');
const { hostData, openPerson, seekerData } = require('./people');
const { startServer } = require('./server');

function coreJourneys(variant) {
  const env = {};
  const people = () => ({ host: env.host, seeker: env.seeker });
  const title = (text) => `[${variant}] ${text}`;

  before(async () => {
    env.server = await startServer(`journeys-${variant}`);
    env.browser = await launchBrowser();
    env.host = await openPerson(env.browser, env.server.baseUrl, hostData(variant));
    env.seeker = await openPerson(env.browser, env.server.baseUrl, seekerData(variant));
  });

  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });

  const HOST_READY = title('host signs up, fills in profile and availability, and sees their public page');
  const REQUESTED = title('seeker signs up, searches, opens the host, picks a time in their zone and sends a request');
  const ACCEPTED = title('host accepts; both see the interview and download the same calendar file');

  journey(HOST_READY, { actors: people }, async (j) => {
    const { host } = env;
    await j.step('host signs up as a host, in Berlin time', () => flows.signUp(host));
    await j.step('host fills in the public profile', () => flows.setProfile(host));
    await j.step('host sets availability: Berlin mornings, 30 minutes, a monthly cap', () => flows.setPolicy(host));
    await j.step('host opens their public page and sees free times in Berlin time', () => flows.checkOwnPage(host));
  });

  journey(REQUESTED, { actors: people, needs: [HOST_READY] }, async (j) => {
    const { host, seeker } = env;
    await j.step('seeker signs up; the browser zone (São Paulo) is preselected', () => flows.signUp(seeker));
    await j.step('seeker searches the directory for the host', () => flows.findHost(seeker, host));
    await j.step('seeker picks the first free time, shown in São Paulo time and named in full', async () => {
      env.firstStart = await flows.pickSlot(seeker, host, 0);
    });
    await j.step('seeker writes purpose, topics and questions and sends the request', async () => {
      const id = await flows.sendRequest(seeker, host, env.firstStart, {
        purpose: 'I am a nurse thinking about moving into health data, and would love to hear how you did it.',
        questions: flows.PREPARED_QUESTIONS,
      });
      env.accepted = { id, start: env.firstStart };
    });
    await j.step('the request is pending on the seeker dashboard', async () => {
      await flows.navigate(seeker, 'Dashboard', '/dashboard');
      const item = seeker.page.locator(`#request-${env.accepted.id}`);
      await expectText(item, host.name);
      await expectText(item, 'Waiting for an answer');
    });
  });

  journey(ACCEPTED, { actors: people, needs: [REQUESTED] }, async (j) => {
    const { host, seeker } = env;
    await j.step('host reads the request in the inbox and accepts the proposed time', async () => {
      env.interviewPath = await flows.acceptRequest(host, seeker, env.accepted);
    });
    await j.step('host sees the interview in Berlin time (and São Paulo time), the wrap-up cue and the clock', () =>
      flows.checkInterviewTimes(host, seeker, env.accepted.start));
    await j.step('host downloads its calendar file', async () => {
      env.hostIcs = flows.readIcs(await flows.downloadIcs(host, `${variant}-host`), env.accepted.start);
    });
    await j.step('host dashboard lists it as upcoming', async () => {
      await flows.navigate(host, 'Dashboard', '/dashboard');
      await expectText(host.page.locator('section[aria-labelledby="upcoming-title"]'), seeker.name);
    });
    await j.step('seeker sees the interview as upcoming on the dashboard, in São Paulo time', async () => {
      await flows.navigate(seeker, 'Dashboard', '/dashboard');
      const upcoming = seeker.page.locator('section[aria-labelledby="upcoming-title"]');
      await expectText(upcoming, host.name);
      await expectText(upcoming, seeker.zone);
      await upcoming.getByRole('link', { name: host.name }).first().click();
      await expectUrl(seeker.page, env.interviewPath);
      await flows.checkInterviewTimes(seeker, host, env.accepted.start);
    });
    await j.step('seeker downloads the same calendar event (same UID, same UTC start)', async () => {
      const seekerIcs = flows.readIcs(await flows.downloadIcs(seeker, `${variant}-seeker`), env.accepted.start);
      assert.equal(seekerIcs.uid, env.hostIcs.uid, 'both sides get the same event');
    });
  });

  journey(
    title('host declines a request; the seeker reads the kind answer'),
    { actors: people, needs: [REQUESTED] },
    async (j) => {
      const { host, seeker } = env;
      let request;
      await j.step('seeker asks for a time on another day', async () => {
        request = await flows.requestConversation(seeker, host, 1, 'Curious how analysts and clinicians work together.');
      });
      await j.step('host declines with a reason and a note', () =>
        flows.declineRequest(host, seeker, request, 'I am travelling these weeks — please ask again in January.'));
      await j.step('seeker sees it declined, with the kind message and the note', async () => {
        await flows.navigate(seeker, 'Dashboard', '/dashboard');
        const item = seeker.page.locator(`#request-${request.id}`);
        await expectText(item, 'Declined');
        await expectText(item, 'please ask again in January');
      });
    },
  );

  journey(title('seeker withdraws a pending request'), { actors: people, needs: [REQUESTED] }, async (j) => {
    const { host, seeker } = env;
    let request;
    await j.step('seeker asks for a time on a third day', async () => {
      request = await flows.requestConversation(seeker, host, 2, 'Would like to hear about night shifts and retraining.');
    });
    await j.step('seeker withdraws it from the dashboard', async () => {
      await flows.navigate(seeker, 'Dashboard', '/dashboard');
      const item = seeker.page.locator(`#request-${request.id}`);
      await item.getByRole('button', { name: 'Withdraw' }).click();
      await expectUrl(seeker.page, '/dashboard');
      await expectText(flows.flash(seeker.page), `You withdrew your request to ${host.name}`);
      await expectText(seeker.page.locator(`#request-${request.id}`), 'Withdrawn');
    });
    await j.step('the request no longer waits in the host inbox', async () => {
      await flows.navigate(host, 'Inbox', '/inbox');
      await expectCount(host.page.locator(`section[aria-labelledby="pending-title"] #request-${request.id}`), 0);
    });
  });

  journey(
    title('seeker changes the length on the request form; the times change and what was typed stays'),
    { actors: people, needs: [REQUESTED] },
    async (j) => {
      const { host, seeker } = env;
      const { page } = seeker;
      const purpose = 'Typed before changing the length.';
      await j.step('seeker opens the request form from a 20-minute time and types a purpose', async () => {
        await page.goto(`/h/${host.handle}?length=20`);
        await flows.pickSlot(seeker, host, 3);
        await expectText(page.locator('#slot-choices .zone-caption'), '20-minute');
        await page.getByLabel("Why you're asking").fill(purpose);
      });
      await j.step('choosing 30 minutes shows 30-minute times (without JavaScript, with "Show times")', async () => {
        await page.getByLabel('Length', { exact: true }).selectOption('30');
        if (!seeker.javaScript) {
          await page.getByRole('button', { name: 'Show times for this length' }).click();
        }
        await expectText(page.locator('#slot-choices .zone-caption'), '30-minute');
        await flows.checkSlotNames(page, seeker.zone, '#slot-choices', 'checkbox');
        await expectValue(page.getByLabel("Why you're asking"), purpose);
      });
    },
  );

  journey(
    title('seeker logs out, mistypes the password, and logs back in'),
    { actors: people, needs: [REQUESTED] },
    async (j) => {
      const { seeker } = env;
      const { page } = seeker;
      await j.step('seeker logs out', () => flows.logOut(seeker));
      await j.step('a wrong password is refused with a message; the email stays typed', async () => {
        await flows.navigate(seeker, 'Log in', '/login');
        await flows.fillLogin(page, seeker.email, 'not the right password');
        await expectText(page.getByRole('alert'), "don't match an account");
        await expectValue(page.getByLabel('Email'), seeker.email);
        await expectValue(page.getByLabel('Password'), '');
        assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
        await expectVisible(flows.mainNav(page).getByRole('link', { name: 'Log in' }));
      });
      await j.step('the right password logs the seeker in', () => flows.logIn(seeker));
    },
  );

  journey(
    title('forms with bad input show the field message and keep what was typed'),
    { actors: people, needs: [REQUESTED] },
    async (j) => {
      const { host, seeker } = env;
      await j.step('sign-up with an email already in use names the email field and keeps the name', async () => {
        const visitor = await openPerson(env.browser, env.server.baseUrl, { ...seekerData(variant), zone: 'UTC' });
        j.actors.visitor = visitor;
        const { page } = visitor;
        await page.goto('/signup');
        await page.getByLabel('Your name').fill('Second Sam');
        await page.getByLabel('Email').fill(seeker.email);
        await page.getByLabel('Password').fill('another long password');
        await page.getByRole('button', { name: 'Create account' }).click();
        await expectText(page.locator('#email-error'), /email/i);
        assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
        await expectValue(page.getByLabel('Your name'), 'Second Sam');
        await expectValue(page.getByLabel('Email'), seeker.email);
        await expectVisible(page.getByRole('alert').getByRole('link', { name: /email/i }));
        await visitor.context.close();
        delete j.actors.visitor;
      });
      await j.step('a request without any time names the times and keeps purpose, topic and questions', async () => {
        const { page } = seeker;
        const questions = flows.PREPARED_QUESTIONS.join('\n');
        await flows.findHost(seeker, host);
        const start = await flows.pickSlot(seeker, host, 0);
        await page.locator(`input[name="proposed_starts"][value="${start}"]`).uncheck();
        await page.getByLabel("Why you're asking").fill('Purpose typed before the mistake.');
        await page.getByRole('checkbox', { name: 'A day in the role', exact: true }).check();
        await page.getByLabel('Your questions').fill(questions);
        await page.getByRole('button', { name: 'Send request' }).click();
        await expectUrl(page, `/h/${host.handle}/request`);
        await expectVisible(page.locator('#proposed_starts-error'));
        await expectText(page.getByRole('alert'), /time|slot/i);
        await expectValue(page.getByLabel("Why you're asking"), 'Purpose typed before the mistake.');
        assert.ok(await page.getByRole('checkbox', { name: 'A day in the role', exact: true }).isChecked(), 'the topic stays ticked');
        await expectValue(page.getByLabel('Your questions'), questions);
      });
      await j.step('a profile with a too-short handle names the handle and keeps the other fields', async () => {
        const { page } = host;
        await flows.navigate(host, 'Settings', '/settings/profile');
        await page.getByLabel('Handle', { exact: true }).fill('x');
        await page.getByLabel(/^Headline/).fill('Headline typed before the mistake');
        await page.getByRole('button', { name: 'Save profile' }).click();
        await expectVisible(page.locator('#field-handle-error'));
        assert.equal(await page.getByLabel('Handle', { exact: true }).getAttribute('aria-invalid'), 'true');
        await expectValue(page.getByLabel('Handle', { exact: true }), 'x');
        await expectValue(page.getByLabel(/^Headline/), 'Headline typed before the mistake');
        await expectValue(page.getByLabel('Current role'), host.role_title);
      });
    },
  );
}

module.exports = { coreJourneys };
