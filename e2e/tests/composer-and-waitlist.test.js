// Issue 4 in the browser: the request composer (topics from the question bank, "add" buttons, the "fits the
// length" indicator, the etiquette check before sending, the preparation gate), one pending request per host,
// and a full host's waitlist (joining, one's place, leaving, and the opening offered to the first in line when
// the host resumes). With JavaScript on (htmx swaps the composer) and off (every step a form post).
'use strict';

const { after, before } = require('node:test');

const { auditPage } = require('../lib/a11y');
const { launchBrowser } = require('../lib/browser');
const { assert, eventually, expectText, expectUrl, expectValue, expectVisible } = require('../lib/expect');
const flows = require('../lib/flows');
const { journey } = require('../lib/journey');
const { hostData, openPerson, seekerData } = require('../lib/people');
const { startServer } = require('../lib/server');

const env = {};

before(async () => {
  env.server = await startServer('composer');
  env.browser = await launchBrowser();
  env.host = await openPerson(env.browser, env.server.baseUrl, hostData('composer'), 'desktop');
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const HOST_READY = 'a host publishes a profile and availability (set-up)';
/** A purpose whose second sentence hands over a résumé: the etiquette check flags it as pitching. */
const PITCHING_PURPOSE = 'I would like to learn how you moved from the ward into analytics. Attached is my résumé.';
const PITCH = 'Attached is my résumé.';

journey(HOST_READY, { actors: () => ({ host: env.host }) }, async (j) => {
  await j.step('host signs up', () => flows.signUp(env.host));
  await j.step('host fills in the profile', () => flows.setProfile(env.host));
  await j.step('host sets availability', () => flows.setPolicy(env.host));
});

/** The composer's "Add" buttons of one topic's bank section; returns the question the first one adds. */
async function addFromBank(page, topic) {
  const button = page.getByRole('region', { name: topic, exact: true }).getByRole('button', { name: /^Add: / }).first();
  const question = (await button.getAttribute('aria-label')).replace(/^Add: /, '');
  await button.click();
  await eventually(async () => {
    const value = await page.getByLabel('Your questions').inputValue({ timeout: 1_000 });
    assert.ok(value.split('\n').includes(question), `the questions hold "${question}": ${JSON.stringify(value)}`);
  });
  return question;
}

/** Switches "I am accepting requests" on the availability page and saves. */
async function setAccepting(host, accepting) {
  const { page } = host;
  await page.goto('/settings/policy');
  await page.getByLabel('I am accepting requests').setChecked(accepting);
  await page.getByRole('button', { name: 'Save availability' }).click();
  await expectUrl(page, '/settings/policy');
  await expectVisible(page.locator('.flash-area .flash-success'));
}

for (const [variant, tag, dayIndex] of [
  ['desktop', 'composerjs', 0],
  ['no-js', 'composernojs', 1],
]) {
  const seeker = {};
  const state = {};
  const COMPOSED = `[${variant}] seeker prepares a request in the composer: question bank, fit, etiquette check, gate`;

  journey(COMPOSED, { actors: () => ({ seeker }), needs: [HOST_READY] }, async (j) => {
    const { host } = env;
    Object.assign(seeker, await openPerson(env.browser, env.server.baseUrl, { ...seekerData(tag), variant }));
    const { page } = seeker;

    await j.step('seeker signs up, finds the host and picks a time', async () => {
      await flows.signUp(seeker);
      await flows.findHost(seeker, host);
      state.start = await flows.pickSlot(seeker, host, dayIndex);
      await expectText(page.locator('#questions-hint'), 'asks for at least 3; you have 0');
    });

    await j.step('ticking a topic and "Show questions for these topics" lists the bank with hints', async () => {
      await page.getByRole('group', { name: /^Topics/ }).getByRole('checkbox', { name: 'Career path', exact: true }).check();
      await page.getByRole('button', { name: 'Show questions for these topics' }).click();
      await expectVisible(page.getByRole('heading', { name: 'Ideas from the question bank' }));
      const section = page.getByRole('region', { name: 'Career path', exact: true });
      assert.ok((await section.getByRole('button', { name: /^Add: / }).count()) >= 3, 'the bank offers several questions');
      assert.ok(await page.getByRole('checkbox', { name: 'Career path', exact: true }).isChecked(), 'the topic stays ticked');
      assert.ok(await page.locator(`input[name="proposed_starts"][value="${state.start}"]`).isChecked(), 'the time stays ticked');
    });

    await j.step('"Add" puts a bank question in the list; the count and the fit indicator follow', async () => {
      state.questions = [await addFromBank(page, 'Career path')];
      await expectText(page.locator('#questions-hint'), 'you have 1');
      await expectText(page.locator('#fit'), /1 question needs about 3–4 minutes/);
      await expectVisible(page.getByRole('region', { name: 'Career path', exact: true }).getByText('Added', { exact: true }));
    });

    await j.step('"Check my request" shows the sentence a host would object to, why, and what to say instead', async () => {
      await page.getByLabel("Why you're asking").fill(PITCHING_PURPOSE);
      await page.getByRole('button', { name: 'Check my request' }).click();
      const results = page.locator('.check-results');
      await expectText(results, '1 sentence to reconsider');
      await expectText(results.locator('q'), PITCH);
      await expectText(results, 'Pitching yourself');
      await expectText(results, 'Try instead:');
      state.suggestion = (await results.locator('.suggestion').innerText()).replace(/^Try instead:\s*/, '').trim();
      await expectValue(page.getByLabel("Why you're asking"), PITCHING_PURPOSE);
    });

    await j.step('sending one question is refused: the host asks for three; what was typed stays', async () => {
      await page.getByRole('button', { name: 'Send request' }).click();
      await expectUrl(page, `/h/${host.handle}/request`);
      await expectText(page.locator('#questions-error'), /at least 3/);
      assert.equal(await page.getByLabel('Your questions').getAttribute('aria-invalid'), 'true');
      await expectVisible(page.getByRole('alert').getByRole('link', { name: /at least 3 prepared questions/ }));
      await expectValue(page.getByLabel("Why you're asking"), PITCHING_PURPOSE);
      await expectValue(page.getByLabel('Your questions'), state.questions[0]);
      assert.ok(await page.locator(`input[name="proposed_starts"][value="${state.start}"]`).isChecked(), 'the time stays ticked');
    });

    await j.step('two more from the bank make three, which fit the length', async () => {
      await page.getByRole('button', { name: 'Show questions for these topics' }).click();
      state.questions.push(await addFromBank(page, 'Career path'));
      state.questions.push(await addFromBank(page, 'Career path'));
      await expectText(page.locator('#questions-hint'), 'you have 3');
      await expectText(page.locator('#fit'), /3 questions need about 9–12 minutes: they fit/);
    });

    await j.step('the request is sent (the host warns, not blocks) and says the host sees the check\'s notes', async () => {
      await page.getByRole('button', { name: 'Send request' }).click();
      await expectUrl(page, /\/requests\/[^/?#]+$/);
      await expectText(flows.flash(page), `Your request is on its way to ${host.name}`);
      await expectText(flows.flash(page), "The host will also see the etiquette check's notes");
      state.id = page.url().split('/').pop();
      for (const question of state.questions) {
        await expectText(page.locator('main'), question);
      }
    });
  });

  journey(`[${variant}] the host reads the etiquette check's note on the request`, {
    actors: () => ({ host: env.host }),
    needs: [COMPOSED],
  }, async (j) => {
    const { page } = env.host;
    await j.step('host opens the request: the flagged sentence, the rule and the suggestion are there', async () => {
      await page.goto(`/requests/${state.id}`);
      const notes = page.getByRole('region', { name: 'What the etiquette check noticed' });
      await expectText(notes.locator('q'), PITCH);
      await expectText(notes, 'Pitching yourself');
      await expectText(notes, state.suggestion.slice(0, 60));
    });
    await j.step('the page passes the accessibility audit', async () => {
      for (const line of await auditPage(page, `request with etiquette notes (host, ${variant})`)) {
        j.t.diagnostic(`axe (not blocking): ${line}`);
      }
    });
  });

  journey(`[${variant}] one pending request per host: a second one to the same host is refused`, {
    actors: () => ({ seeker }),
    needs: [COMPOSED],
  }, async (j) => {
    const { host } = env;
    const { page } = seeker;
    await j.step('a second request to the same host while the first waits is refused, naming why', async () => {
      await page.goto(`/h/${host.handle}`);
      const link = page.locator('#slots .slot-day').nth(dayIndex + 2).locator('a.slot').first();
      await link.click();
      await expectUrl(page, `/h/${host.handle}/request`);
      await page.getByLabel("Why you're asking").fill('A second question about the same work.');
      await page.getByRole('checkbox', { name: 'A day in the role', exact: true }).check();
      await page.getByLabel('Your questions').fill(flows.PREPARED_QUESTIONS.join('\n'));
      await page.getByRole('button', { name: 'Send request' }).click();
      await expectUrl(page, `/h/${host.handle}/request`);
      const refusal = page.getByRole('alert').first();
      await expectText(refusal, `already have an open request to ${host.name}`);
      assert.doesNotMatch(await refusal.innerText(), /\b[a-z]+_[a-z_]+:/, 'the message is for people, without the rule name');
      await expectValue(page.getByLabel("Why you're asking"), 'A second question about the same work.');
    });
  });
}

const first = {};
const second = {};
const purpose = 'I am a nurse and would like to hear how you learned statistics in the evenings.';
const PAUSED = 'a paused host: seekers join the waitlist, see their place, and one leaves it';

journey(PAUSED, { actors: () => ({ host: env.host, first, second }), needs: [HOST_READY] }, async (j) => {
  const { host } = env;

  await j.step('host stops accepting requests', () => setAccepting(host, false));

  for (const [person, tag, variant, place] of [[first, 'waitfirst', 'desktop', 1], [second, 'waitsecond', 'no-js', 2]]) {
    await j.step(`seeker ${place} reads that the host is not taking requests and prepares one for the waitlist`, async () => {
      Object.assign(person, await openPerson(env.browser, env.server.baseUrl, { ...seekerData(tag), variant }));
      await flows.signUp(person);
      const { page } = person;
      await page.goto(`/h/${host.handle}`);
      await expectText(page.locator('.host-full'), /not taking requests/i);
      await page.getByRole('link', { name: 'Prepare a request for the waitlist' }).click();
      await expectUrl(page, `/h/${host.handle}/request`);
      await expectText(page.locator('#slot-choices'), 'No times to pick yet');
      await page.getByLabel("Why you're asking").fill(purpose);
      await page.getByRole('checkbox', { name: 'Skills and training', exact: true }).check();
      await page.getByLabel('Your questions').fill(flows.PREPARED_QUESTIONS.join('\n'));
    });
    await j.step(`seeker ${place} joins the waitlist and sees their place on the host page and the dashboard`, async () => {
      const { page } = person;
      await page.getByRole('button', { name: 'Join the waitlist' }).click();
      await expectUrl(page, `/h/${host.handle}`);
      await expectText(flows.flash(page), `you are on their waitlist: number ${place}`);
      await expectText(page.locator('#my-place'), `You are number ${place} on the waitlist`);
      await flows.navigate(person, 'Dashboard', '/dashboard');
      const entry = page.getByRole('region', { name: 'Waiting lists' }).getByRole('listitem').filter({ hasText: host.name });
      await expectText(entry, `Number ${place} in line`);
      person.entry = entry;
    });
  }

  await j.step('the second seeker leaves the waitlist from the dashboard', async () => {
    const { page } = second;
    await second.entry.getByRole('button', { name: 'Leave the waitlist' }).click();
    await expectUrl(page, '/dashboard');
    await expectText(flows.flash(page), `You left ${host.name}'s waitlist`);
    await page.goto(`/h/${host.handle}`);
    await expectVisible(page.getByRole('link', { name: 'Prepare a request for the waitlist' }));
  });
});

journey('the host resumes; the first in line is offered the opening and sends the prepared request', {
  actors: () => ({ host: env.host, first }),
  needs: [PAUSED],
}, async (j) => {
  const { host } = env;
  const { page } = first;
  await j.step('host starts accepting requests again', () => setAccepting(host, true));
  await j.step('the first in line finds the offer in their notifications, with a link to the prepared form', async () => {
    await flows.navigate(first, /^Notifications/, '/notifications');
    const notice = page.locator('.notification-list > li').filter({ hasText: `An opening with ${host.name} is kept for you` });
    await expectVisible(notice);
    await notice.getByRole('button', { name: 'Open' }).click();
    await expectUrl(page, `/h/${host.handle}/request`);
    await expectText(page.locator('main'), `An opening with ${host.name} is kept for you`);
    await expectValue(page.getByLabel("Why you're asking"), purpose);
    await expectValue(page.getByLabel('Your questions'), flows.PREPARED_QUESTIONS.join('\n'));
    assert.ok(await page.getByRole('checkbox', { name: 'Skills and training', exact: true }).isChecked(), 'the topic is kept');
  });
  await j.step('they pick a time and send: the request is on its way and the waitlist place is gone', async () => {
    await flows.checkSlotNames(page, first.zone, '#slot-choices', 'checkbox');
    await page.locator('#slot-choices input[name="proposed_starts"]').first().check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await expectUrl(page, /\/requests\/[^/?#]+$/);
    await expectText(flows.flash(page), `Your request is on its way to ${host.name}`);
    await page.goto(`/h/${host.handle}`);
    assert.equal(await page.locator('#my-place').count(), 0, 'no waitlist place any more');
  });
});
