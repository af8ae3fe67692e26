// Issue 5 for a seeker, in the browser: the seeker profile (a settings tab) and "People to talk to", which
// ranks hosts with free time by how well they fit and says why; a host the seeker already has a request with
// is left out. With JavaScript on and off.
'use strict';

const { after, before } = require('node:test');

const { launchBrowser } = require('../lib/browser');
const { assert, expectCount, expectText, expectUrl, expectValue, expectVisible } = require('../lib/expect');
const flows = require('../lib/flows');
const { journey } = require('../lib/journey');
const { hostData, openPerson, seekerData } = require('../lib/people');
const { startServer } = require('../lib/server');

const env = {};

before(async () => {
  env.server = await startServer('recommendations');
  env.browser = await launchBrowser();
  env.host = await openPerson(env.browser, env.server.baseUrl, hostData('matching'), 'desktop');
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const HOST_READY = 'a host publishes a profile and availability (set-up)';

journey(HOST_READY, { actors: () => ({ host: env.host }) }, async (j) => {
  await j.step('host signs up', () => flows.signUp(env.host));
  await j.step('host fills in the profile', () => flows.setProfile(env.host));
  await j.step('host sets availability', () => flows.setPolicy(env.host));
});

for (const [variant, tag] of [['desktop', 'matchjs'], ['no-js', 'matchnojs']]) {
  const seeker = {};
  journey(`[${variant}] a seeker describes where they want to go and is shown who to talk to, and why`, {
    actors: () => ({ seeker }),
    needs: [HOST_READY],
  }, async (j) => {
    const { host } = env;
    Object.assign(seeker, await openPerson(env.browser, env.server.baseUrl, { ...seekerData(tag), variant }));
    const { page } = seeker;

    await j.step('seeker signs up; "People to talk to" first asks for a seeker profile', async () => {
      await flows.signUp(seeker);
      await flows.navigate(seeker, 'People to talk to', '/recommendations');
      await page.getByRole('link', { name: 'Fill in your seeker profile' }).click();
      await expectUrl(page, '/settings/seeker-profile');
      const tab = page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Seeker profile' });
      assert.equal(await tab.getAttribute('aria-current'), 'page', 'the "Seeker profile" settings tab is the open one');
    });

    await j.step('seeker fills in target role, industry, current role and skills, and saves', async () => {
      await page.getByLabel('Roles you are aiming for').fill(host.role_title);
      await page.getByLabel(/^Industries you are aiming for/).fill(host.industry);
      await page.getByLabel(/^What you do now/).fill('Nurse');
      await page.getByLabel(/^Skills/).fill('statistics, patient care');
      await page.getByRole('button', { name: 'Save and see suggestions' }).click();
      await expectVisible(page.getByRole('heading', { name: 'People to talk to', level: 1 }));
    });

    await j.step('the host is recommended as free to talk now, with a score and reasons in words', async () => {
      const now = page.getByRole('region', { name: 'Free to talk now' });
      const card = now.getByRole('article').filter({ hasText: host.name });
      await expectVisible(card);
      await expectText(card, /Match: \d+ of 100/);
      const reasons = card.getByRole('list', { name: `Why ${host.name}` });
      await expectVisible(reasons);
      assert.match((await reasons.innerText()).toLowerCase(), /health data analyst|statistics|healthcare/,
        'a reason names what matched');
    });

    await j.step('Settings, then the "Seeker profile" tab, shows what was saved', async () => {
      await flows.navigate(seeker, 'Settings', '/settings/account');
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Seeker profile' }).click();
      await expectUrl(page, '/settings/seeker-profile');
      await expectValue(page.getByLabel('Roles you are aiming for'), host.role_title);
    });

    await j.step('after sending the host a request, the host is left out of the recommendations', async () => {
      await flows.requestConversation(seeker, host, variant === 'desktop' ? 0 : 1, 'How did you move from the ward into analytics?');
      await flows.navigate(seeker, 'People to talk to', '/recommendations');
      await expectVisible(page.getByRole('heading', { name: 'People to talk to', level: 1 }));
      await expectCount(page.getByRole('article').filter({ hasText: host.name }), 0);
    });
  });
}
