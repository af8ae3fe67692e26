// The people of a test run: a host and a seeker per journey variant, with data that is easy to find again
// (a unique employer to search for) and time zones far apart, so a time shown in the wrong zone shows.
'use strict';

const { newPerson } = require('./browser');

const PASSWORD = 'correct horse battery staple';

/** The host of a variant: meets in Berlin time, works for an employer nobody else has. */
function hostData(variant) {
  const tag = variant.replace(/[^a-z]/g, '');
  return {
    variant,
    role: 'host',
    roles: ['host'],
    name: `Hanna Vogel ${tag}`,
    email: `hanna.${tag}@e2e.coffeechat.test`,
    password: PASSWORD,
    zone: 'Europe/Berlin',
    handle: `hanna-${tag}`,
    headline: 'Nurse turned health-data analyst',
    role_title: 'Health data analyst',
    employer: `Quillmere ${tag}`,
    industry: 'Healthcare',
    skills: 'SQL, statistics, patient care',
    careerPath: 'Eight years on a cardiology ward.\n\nThen evening classes in statistics, and a move into analytics.',
  };
}

/** The seeker of a variant: lives in São Paulo (UTC−3), four hours behind Berlin in November. */
function seekerData(variant) {
  const tag = variant.replace(/[^a-z]/g, '');
  return {
    variant,
    role: 'seeker',
    roles: ['seeker'],
    name: `Sam Costa ${tag}`,
    email: `sam.${tag}@e2e.coffeechat.test`,
    password: PASSWORD,
    zone: 'America/Sao_Paulo',
  };
}

/** Opens a browser context for `data` (its own cookies, the browser set to the person's time zone). */
async function openPerson(browser, baseUrl, data, variant = data.variant) {
  const opened = await newPerson(browser, baseUrl, variant, data.zone);
  return { ...data, ...opened, javaScript: variant !== 'no-js' };
}

module.exports = { hostData, seekerData, openPerson, PASSWORD };
