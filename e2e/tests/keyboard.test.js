// Booking with the keyboard alone (Tab, Shift+Tab, Enter, Space, and typing into text fields), with
// JavaScript on and off: focus is visible at every stop, and each free time's accessible name says its
// date, time and zone.
'use strict';

const { after, before } = require('node:test');

const { launchBrowser } = require('../lib/browser');
const { assert, expectText, expectUrl } = require('../lib/expect');
const flows = require('../lib/flows');
const { journey } = require('../lib/journey');
const { assertFocusVisible, tabTo } = require('../lib/keyboard');
const { hostData, openPerson, seekerData } = require('../lib/people');
const { startServer } = require('../lib/server');

const env = {};
/** Hosts ask for at least three prepared questions by default. */
const QUESTIONS = ['What surprised you most?', 'What would you learn first?', 'Which habit helps you most at work?'];

before(async () => {
  env.server = await startServer('keyboard');
  env.browser = await launchBrowser();
  env.host = await openPerson(env.browser, env.server.baseUrl, hostData('keyboard'), 'desktop');
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const HOST_READY = 'a host publishes a profile and availability (set-up, with the mouse)';

journey(HOST_READY, { actors: () => ({ host: env.host }) }, async (j) => {
  await j.step('host signs up', () => flows.signUp(env.host));
  await j.step('host fills in the profile', () => flows.setProfile(env.host));
  await j.step('host sets availability', () => flows.setPolicy(env.host));
});

for (const [variant, tag, dayIndex] of [
  ['desktop', 'keyboardjs', 0],
  ['no-js', 'keyboardnojs', 1],
]) {
  const seeker = {};
  journey(`[${variant}] seeker books a time and sends a request with the keyboard alone`, {
    actors: () => ({ seeker }),
    needs: [HOST_READY],
  }, async (j) => {
    const { host } = env;
    let start;
    let second;

    await j.step('seeker signs up (set-up, with the mouse)', async () => {
      Object.assign(seeker, await openPerson(env.browser, env.server.baseUrl, { ...seekerData(tag), variant }));
      await flows.signUp(seeker);
    });

    await j.step("the first Tab shows the skip link; Enter jumps to the host page's content", async () => {
      await seeker.page.goto(`/h/${host.handle}`);
      await seeker.page.keyboard.press('Tab');
      const state = await assertFocusVisible(seeker.page);
      assert.match(state.text, /Skip to main content/, `the first Tab stop is the skip link, not ${state.what}`);
      await seeker.page.keyboard.press('Enter');
      await expectUrl(seeker.page, /#main$/);
    });

    await j.step('Tab reaches the first free time of a day; its name says date, time and zone', async () => {
      const { page } = seeker;
      const days = page.locator('#slots .slot-day');
      const target = await days.nth(dayIndex).locator('a.slot').first().getAttribute('href');
      const { state } = await tabTo(page, 'the chosen free time', (s) => s.href === target);
      start = new URL(target, 'http://x').searchParams.get('start');
      const snapshot = await page.locator(':focus').ariaSnapshot();
      assert.match(snapshot, /^- link "/, `the free time is a link: ${snapshot}`);
      assert.match(snapshot, flows.slotNamePattern(seeker.zone), `its accessible name: ${snapshot}`);
      assert.ok(state.visible);
    });

    await j.step('Enter opens the request form with that time ticked', async () => {
      await seeker.page.keyboard.press('Enter');
      await expectUrl(seeker.page, `/h/${host.handle}/request`);
      assert.ok(await seeker.page.locator(`input[name="proposed_starts"][value="${start}"]`).isChecked());
    });

    await j.step('Tab to another free time; Space ticks it; its name says date, time and zone', async () => {
      const { page } = seeker;
      const { state } = await tabTo(page, 'an unticked free time', (s) => s.name === 'proposed_starts' && !s.checked);
      await page.keyboard.press('Space');
      second = await page.locator(':focus').getAttribute('value');
      assert.ok(await page.locator(':focus').isChecked(), `Space ticks ${state.what}`);
      const snapshot = await page.locator(':focus').ariaSnapshot();
      assert.match(snapshot, /^- checkbox "/, `a checkbox: ${snapshot}`);
      assert.match(snapshot, flows.slotNamePattern(seeker.zone), `its accessible name: ${snapshot}`);
      await assertFocusVisible(page);
    });

    await j.step('Tab to the purpose and type it', async () => {
      await tabTo(seeker.page, 'the purpose', (s) => s.id === 'purpose');
      await seeker.page.keyboard.type('I want to hear how a nurse becomes a data analyst.');
    });

    await j.step('Tab to a topic; Space ticks it', async () => {
      const { page } = seeker;
      await tabTo(page, 'the first topic', (s) => s.name === 'topics' && !s.checked);
      await page.keyboard.press('Space');
      assert.ok(await page.locator(':focus').isChecked(), 'Space ticks the topic');
    });

    await j.step('Tab to the questions and type three, one per line', async () => {
      const { page } = seeker;
      await tabTo(page, 'the questions', (s) => s.id === 'questions');
      for (const [index, question] of QUESTIONS.entries()) {
        if (index > 0) {
          await page.keyboard.press('Enter');
        }
        await page.keyboard.type(question);
      }
    });

    await j.step('Tab to "Send request"; Enter sends it', async () => {
      const { page } = seeker;
      await tabTo(page, 'the send button', (s) => s.tag === 'button' && s.text === 'Send request');
      await page.keyboard.press('Enter');
      await expectUrl(page, /\/requests\/[^/?#]+$/);
      await expectText(flows.flash(page), `Your request is on its way to ${host.name}`);
    });

    await j.step('the request holds both times, the topic and the three questions', async () => {
      const main = seeker.page.locator('main');
      for (const instant of [start, second]) {
        await expectText(main, flows.wallClock(instant, seeker.zone));
      }
      await expectText(main, 'Career path');
      for (const question of QUESTIONS) {
        await expectText(main, question);
      }
    });
  });
}


journey(
  'the focus check itself notices a focus ring that is taken away',
  { actors: () => ({ host: env.host }), needs: [HOST_READY] },
  async (j) => {
    const { page } = env.host;
    await j.step('with the outline removed from a focused link, the check fails', async () => {
      await page.goto('/');
      await page.keyboard.press('Tab');
      await assertFocusVisible(page);
      // Set through the CSS object model, which the Content-Security-Policy allows (unlike a <style> element).
      await page.evaluate(() => document.activeElement.style.setProperty('outline', 'none', 'important'));
      await assert.rejects(assertFocusVisible(page), /focus is not visible/);
    });
  },
);
