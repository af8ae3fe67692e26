// What people do on Coffeechat, as browser actions: sign up, fill in a profile, book a time, answer a
// request. Elements are found the way a person (or a screen reader) finds them — by role, label and
// visible text — so the tests also check that those names exist, and survive markup changes that keep them.
// Every helper works with JavaScript on (htmx swaps) and off (plain form posts and redirects).
'use strict';

const fs = require('node:fs');

const { artifactPath, slug } = require('./artifacts');
const { assert, eventually, expectText, expectValue, expectUrl, expectVisible } = require('./expect');

const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An accessible name that says the date, the time and the zone: "… Tue 24 Nov 2026, 05:00 (America/Sao_Paulo)…". */
function slotNamePattern(zone) {
  return new RegExp(`\\b${DAY} \\d{1,2} ${MONTH} \\d{4}\\b.*\\b\\d{2}:\\d{2}\\b.*${escapeRegExp(zone)}`);
}

/** "05:00": an instant's wall-clock time in `zone`, as the pages write it. */
function wallClock(instant, zone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(instant));
}

/** "20261124T080000Z": an instant as iCalendar writes UTC times. */
function icsUtc(instant) {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Waits until app.js is done with time zones: a page that showed times in a fallback zone reloads itself once
 * with `?tz=<the browser's zone>` (see `data-detect-zone="navigate"`). For pages with JavaScript on (without
 * it nothing reloads, and there is nothing to wait for).
 */
async function zoneSettled(page) {
  await page.waitForLoadState('load');
  await page.waitForFunction(() => {
    const marker = document.querySelector('[data-detect-zone="navigate"]');
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return document.readyState === 'complete'
      && (!marker || new URL(window.location.href).searchParams.has('tz') || marker.value === zone);
  }, null, { timeout: 10_000 });
  await page.waitForLoadState('load');
}

function flash(page) {
  return page.locator('.flash-area');
}

function mainNav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Follows a link of the main navigation, as a person would (the header wraps on a phone, but stays). */
async function navigate(person, linkName, expectedPath) {
  await mainNav(person.page).getByRole('link', { name: linkName, exact: true }).click();
  await expectUrl(person.page, expectedPath);
}

// -------------------------------------------------------------------------------------------------------
// Accounts

async function signUp(person) {
  const { page } = person;
  await page.goto(person.role === 'host' ? '/signup?role=host' : '/signup');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('checkbox', { name: /\(seeker\)/ }).setChecked(person.roles.includes('seeker'));
  await page.getByRole('checkbox', { name: /\(host\)/ }).setChecked(person.roles.includes('host'));
  const zone = page.getByLabel('Your time zone');
  if (person.javaScript) {
    // app.js switches a blank form to the browser's zone; the context runs in the person's zone.
    await expectValue(zone, person.zone);
  } else {
    await zone.selectOption(person.zone);
  }
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectUrl(page, person.role === 'host' ? '/settings/profile' : '/hosts');
  await expectText(flash(page), 'Welcome to Coffeechat');
  await expectText(mainNav(page), person.name);
}

async function logOut(person) {
  const { page } = person;
  await mainNav(page).getByRole('button', { name: 'Log out' }).click();
  await expectUrl(page, /\/$/);
  await expectText(flash(page), "You're logged out");
  await expectVisible(mainNav(page).getByRole('link', { name: 'Log in' }));
}

async function fillLogin(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function logIn(person) {
  const { page } = person;
  if (!/\/login/.test(page.url())) {
    await navigate(person, 'Log in', '/login');
  }
  await fillLogin(page, person.email, person.password);
  await expectUrl(page, person.roles.includes('seeker') ? '/hosts' : '/dashboard');
  await expectText(flash(page), `Welcome back, ${person.name}`);
}

// -------------------------------------------------------------------------------------------------------
// Host settings

async function fillProfile(page, host) {
  await page.getByLabel('Handle', { exact: true }).fill(host.handle);
  await page.getByLabel('Name', { exact: true }).fill(host.name);
  await page.getByLabel(/^Headline/).fill(host.headline);
  await page.getByLabel('Current role').fill(host.role_title);
  await page.getByLabel(/^Employer/).fill(host.employer);
  await page.getByLabel('Industry', { exact: true }).fill(host.industry);
  await page.getByRole('textbox', { name: /^Skills/ }).fill(host.skills);
  await page.getByLabel(/^Your career path/).fill(host.careerPath);
  await page.getByRole('checkbox', { name: 'Career path', exact: true }).check();
  await page.getByRole('checkbox', { name: 'A day in the role', exact: true }).check();
  await page.getByRole('textbox', { name: /^Other topics/ }).fill('Night shifts, retraining');
}

async function setProfile(host) {
  const { page } = host;
  await navigate(host, 'Settings', '/settings/profile');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Profile', exact: true }).click();
  await expectUrl(page, '/settings/profile');
  await fillProfile(page, host);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expectUrl(page, '/settings/profile');
  await expectText(flash(page), `Profile saved. Your public page is /h/${host.handle}`);
}

/**
 * Availability: Berlin time, 30-minute conversations, mornings on Monday, Wednesday and Friday (added in
 * the empty window rows) beside the starter windows, little notice, room for a few conversations.
 */
async function setPolicy(host) {
  const { page } = host;
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Availability' }).click();
  await expectUrl(page, '/settings/policy');
  await page.getByLabel('Your time zone').selectOption(host.zone);
  const days = ['mon', 'wed', 'fri'];
  const daySelects = page.getByLabel(/^Window \d+: day$/);
  const rows = await daySelects.count();
  for (let index = 0; index < rows && days.length; index += 1) {
    const select = daySelects.nth(index);
    if ((await select.inputValue()) !== '') {
      continue;
    }
    const label = (await select.getAttribute('id')).replace(/-weekday$/, '');
    await select.selectOption(days.shift());
    await page.locator(`#${label}-start`).fill('09:00');
    await page.locator(`#${label}-end`).fill('12:00');
  }
  assert.equal(days.length, 0, 'the availability form offers three empty window rows');
  await page.getByRole('checkbox', { name: '30 minutes', exact: true }).check();
  await page.getByLabel('Conversations per month, at most').fill('10');
  await page.getByLabel('Minimum notice, in hours').fill('2');
  await page.getByLabel('I am accepting requests').check();
  await page.getByRole('button', { name: 'Save availability' }).click();
  await expectUrl(page, '/settings/policy');
  await expectVisible(page.locator('.flash-area .flash-success'));
}

/** The host opens their own public page and sees free times (not as links: hosts don't book themselves). */
async function checkOwnPage(host) {
  const { page } = host;
  await page.getByRole('link', { name: 'your public page' }).click();
  await expectUrl(page, `/h/${host.handle}`);
  await expectText(page.getByRole('heading', { level: 1 }), host.name);
  await expectText(page.locator('main'), 'This is your public page');
  await expectText(page.locator('.zone-caption'), host.zone);
  const slots = page.locator('#slots .slot');
  await eventually(async () => assert.ok((await slots.count()) > 0, 'the host page lists free times'));
  assert.equal(await page.locator('#slots a.slot').count(), 0, 'a host cannot book their own times');
}

// -------------------------------------------------------------------------------------------------------
// Seeker: search, pick, ask

async function findHost(seeker, host) {
  const { page } = seeker;
  await navigate(seeker, 'Find people', '/hosts');
  const search = page.getByRole('search', { name: 'Hosts' });
  await search.getByLabel('Search', { exact: true }).fill(host.employer);
  await search.getByRole('button', { name: 'Search' }).click();
  await expectText(page.locator('#result-count'), '1 person found');
  const results = page.locator('#results');
  await expectText(results, host.employer);
  await results.getByRole('link', { name: host.name }).click();
  await expectUrl(page, `/h/${host.handle}`);
  await expectText(page.getByRole('heading', { level: 1 }), host.name);
}

/**
 * Every free time's accessible name says the date, the time and the zone: the links of a host page, or
 * the checkboxes of the request form (`'#slot-choices', 'checkbox'`).
 */
async function checkSlotNames(page, zone, container = '#slots', role = 'link') {
  const total = await page.locator(container).getByRole(role).count();
  assert.ok(total > 0, `${container} offers free times`);
  const named = await page.locator(container).getByRole(role, { name: slotNamePattern(zone) }).count();
  assert.equal(named, total, `every free time (${role}) names its date, time and ${zone}`);
  return total;
}

/**
 * On a host's page: the first free time of the `dayIndex`-th day (different days for different requests,
 * so an accepted one's buffer never hides the next). Checks the time shown is the instant in the seeker's
 * zone, then follows the link. Returns the instant (RFC 3339).
 */
async function pickSlot(seeker, host, dayIndex) {
  const { page } = seeker;
  await expectText(page.locator('.zone-caption'), seeker.zone);
  await checkSlotNames(page, seeker.zone);
  const link = page.locator('#slots .slot-day').nth(dayIndex).locator('a.slot').first();
  const href = await link.getAttribute('href');
  const start = new URL(href, 'http://x').searchParams.get('start');
  assert.ok(start, `the free-time link ${href} carries its start`);
  assert.equal((await link.innerText()).trim(), wallClock(start, seeker.zone), 'the time is shown in the seeker zone');
  await link.click();
  await expectUrl(page, `/h/${host.handle}/request`);
  return start;
}

/** Three prepared, specific questions: hosts ask for at least three by default, and these pass the etiquette check. */
const PREPARED_QUESTIONS = [
  'What does a normal week look like for you?',
  'Which course helped you most when you moved into analytics?',
  'What would you learn first if you were starting again today?',
];

/** On the request form: the picked time is ticked; write purpose, topics and questions; send. */
async function sendRequest(seeker, host, start, { purpose, questions }) {
  const { page } = seeker;
  await expectText(page.getByRole('heading', { level: 1 }), `Ask ${host.name}`);
  await checkSlotNames(page, seeker.zone, '#slot-choices', 'checkbox');
  assert.ok(await page.locator(`input[name="proposed_starts"][value="${start}"]`).isChecked(), 'the picked time is ticked');
  // Without JavaScript the form needs a button to show times for another length; htmx makes it redundant.
  assert.equal(
    await page.getByRole('button', { name: 'Show times for this length' }).isVisible(),
    !seeker.javaScript,
    `the "Show times for this length" button shows exactly when JavaScript is off (${seeker.javaScript ? 'on' : 'off'} here)`,
  );
  await page.getByLabel("Why you're asking").fill(purpose);
  // Topics come from the question bank; the host asks for at least three prepared questions by default.
  await page.getByRole('group', { name: /^Topics/ }).getByRole('checkbox', { name: 'Career path', exact: true }).check();
  await page.getByLabel('Your questions').fill(questions.join('\n'));
  await page.getByRole('button', { name: 'Send request' }).click();
  await expectUrl(page, /\/requests\/[^/?#]+$/);
  await expectText(flash(page), `Your request is on its way to ${host.name}`);
  await expectText(page.locator('main'), purpose);
  return page.url().split('/').pop();
}

/** The seeker finds the host and asks for the first time of the `dayIndex`-th day. Returns {id, start}. */
async function requestConversation(seeker, host, dayIndex, purpose) {
  await findHost(seeker, host);
  const start = await pickSlot(seeker, host, dayIndex);
  const id = await sendRequest(seeker, host, start, { purpose, questions: PREPARED_QUESTIONS });
  return { id, start };
}

// -------------------------------------------------------------------------------------------------------
// Host: the inbox

async function openInboxCard(host, seeker, requestId) {
  const { page } = host;
  await navigate(host, 'Inbox', '/inbox');
  const card = page.locator(`#request-${requestId}`);
  await expectVisible(card);
  await expectText(card.getByRole('heading').first(), seeker.name);
  return card;
}

/** Accepts the proposed time; ends on the interview's page. Returns the interview's URL path. */
async function acceptRequest(host, seeker, request) {
  const { page } = host;
  const card = await openInboxCard(host, seeker, request.id);
  const radios = card.getByRole('radio');
  assert.equal(
    await card.getByRole('radio', { name: slotNamePattern(host.zone) }).count(),
    await radios.count(),
    'every proposed time the host can accept names its date, time and zone',
  );
  await card.locator(`input[type="radio"][value="${request.start}"]`).check();
  await card.getByRole('button', { name: 'Accept this time' }).click();
  if (host.javaScript) {
    // htmx swaps the card in place; its link leads to the interview.
    const swapped = page.locator(`#request-${request.id}`);
    await expectText(swapped, `You accepted ${seeker.name}'s request`);
    await swapped.getByRole('link', { name: 'See the interview' }).click();
  }
  await expectUrl(page, /\/interviews\/[^/?#]+$/);
  await expectText(page.getByRole('heading', { level: 1 }), `Conversation with ${seeker.name}`);
  return new URL(page.url()).pathname;
}

async function declineRequest(host, seeker, request, note) {
  const { page } = host;
  const card = await openInboxCard(host, seeker, request.id);
  await card.getByLabel('Reason', { exact: true }).selectOption({ index: 1 });
  await card.getByLabel(/^A few words of your own/).fill(note);
  await card.getByRole('button', { name: 'Decline' }).click();
  const place = host.javaScript ? page.locator(`#request-${request.id}`) : page.locator('main');
  await expectText(host.javaScript ? place : flash(page), `You declined ${seeker.name}'s request`);
  await expectText(place, 'Declined');
}

// -------------------------------------------------------------------------------------------------------
// Interviews and calendar files

/**
 * On an interview's page: its times in both people's zones (the viewer's first), the wrap-up cue five minutes
 * before the end, and the meeting clock — its times readable without JavaScript, a countdown only with it.
 */
async function checkInterviewTimes(person, other, start) {
  const { page } = person;
  const when = page.getByRole('region', { name: 'When', exact: true });
  await expectVisible(when);
  const text = await when.innerText();
  const mine = text.indexOf(`(${person.zone})`);
  const theirs = text.indexOf(`(${other.zone})`);
  assert.ok(mine >= 0 && theirs > mine, `the times name ${person.zone} first, then ${other.zone}:\n${text}`);
  assert.ok(text.includes(wallClock(start, person.zone)) && text.includes(wallClock(start, other.zone)),
    'the start is shown in both zones');
  const clock = page.locator('[data-meeting-clock]');
  const instant = async (selector) => clock.locator(selector).getAttribute('datetime');
  assert.equal(Date.parse(await instant('[data-clock-start]')), Date.parse(start), 'the clock starts at the start');
  const wrapUp = await instant('[data-clock-wrap-up]');
  const end = await instant('[data-clock-end]');
  assert.equal(Date.parse(end) - Date.parse(wrapUp), 5 * 60_000, 'the wrap-up cue is five minutes before the end');
  for (const [selector, at] of [['[data-clock-start]', start], ['[data-clock-wrap-up]', wrapUp], ['[data-clock-end]', end]]) {
    await expectText(clock.locator(selector), wallClock(at, person.zone));
  }
  await expectText(when, `Wrap-up cue (your time)`);
  const countdown = clock.locator('[data-clock-left]');
  if (person.javaScript) {
    await expectText(countdown, /^Starts in \S/);
  } else {
    assert.equal(await countdown.isVisible(), false, 'without JavaScript there is no countdown, only the times');
  }
}

/** Downloads the interview's .ics from its page; returns the file's text (also kept in artifacts/ics/). */
async function downloadIcs(person, label) {
  const { page } = person;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Add to calendar (.ics)' }).first().click(),
  ]);
  assert.match(download.suggestedFilename(), /\.ics$/, 'the calendar file ends in .ics');
  const file = artifactPath(`ics/${slug(label)}.ics`);
  await download.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}

/** The parts of a calendar file both sides must agree on. */
function readIcs(text, start) {
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  assert.match(unfolded, /^BEGIN:VCALENDAR\r?\n/, 'a calendar file');
  assert.match(unfolded, /BEGIN:VEVENT/);
  assert.match(unfolded, new RegExp(`^DTSTART(;[^:]*)?:${icsUtc(start)}\\r?$`, 'm'), 'the start in UTC');
  assert.match(unfolded, /^ORGANIZER[;:]/m, 'names the organiser');
  assert.match(unfolded, /^ATTENDEE[;:]/m, 'names the attendee');
  const uid = unfolded.match(/^UID:(.+?)\r?$/m);
  assert.ok(uid, 'has a UID');
  return { uid: uid[1] };
}

module.exports = {
  PREPARED_QUESTIONS,
  acceptRequest,
  checkInterviewTimes,
  checkOwnPage,
  checkSlotNames,
  declineRequest,
  downloadIcs,
  fillLogin,
  fillProfile,
  findHost,
  flash,
  logIn,
  logOut,
  mainNav,
  navigate,
  pickSlot,
  readIcs,
  requestConversation,
  sendRequest,
  setPolicy,
  setProfile,
  signUp,
  slotNamePattern,
  wallClock,
  zoneSettled,
};
