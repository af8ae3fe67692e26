// Journeys and their steps on top of node's test runner.
//
// A journey is one `test()`; each step is a subtest with a name a person can read ("seeker picks the first
// free time"). The first failing step stops the journey (later steps are reported as skipped), takes a
// screenshot of every page the journey drives, and fails with a message naming the journey, the step and
// the screenshot files. Journeys of a file can depend on earlier ones (the seeker needs the host's page):
// a journey whose dependency failed is skipped with the reason, instead of failing confusingly.
'use strict';

const { test } = require('node:test');

const { artifactPath, slug } = require('./artifacts');

const CALL_LOG_LINES = 8;

/** Playwright's "Call log:" lists every retry of an action; its first lines say enough. */
function shortenCallLog(text) {
  return text.replace(/(Call log:\n)((?:.*\n?)*?)(?=\n\s*at |$)/, (_, head, body) => {
    const lines = body.split('\n');
    if (lines.length <= CALL_LOG_LINES) {
      return `${head}${body}`;
    }
    return `${head}${lines.slice(0, CALL_LOG_LINES).join('\n')}\n  … (${lines.length - CALL_LOG_LINES} more lines)`;
  });
}

/** Outcome of every journey run so far in this process, by title. */
const outcomes = new Map();

class Journey {
  constructor(t, title, actors) {
    this.t = t;
    this.title = title;
    /** name → { page, problems } of the people (browser contexts) this journey drives. */
    this.actors = actors;
    this.failed = false;
    /** What failed and where its screenshots are, once a step failed. */
    this.failure = null;
  }

  /** Runs one step; after a failure the remaining steps are skipped. */
  async step(name, body) {
    if (this.failed) {
      await this.t.test(name, { skip: 'an earlier step of this journey failed' }, () => {});
      return;
    }
    await this.t.test(name, async () => {
      const before = this.problemCounts();
      try {
        await body();
        this.assertNoNewProblems(before);
        for (const [who, actor] of Object.entries(this.actors)) {
          for (const check of actor.checks || []) {
            await check(actor.page, who);
          }
        }
      } catch (error) {
        this.failed = true;
        const screenshots = await this.screenshots(name);
        const where = `Journey "${this.title}" failed at step "${name}".`;
        const shots = screenshots.length ? `\nScreenshot: ${screenshots.join('\nScreenshot: ')}` : '';
        this.failure = `${where}${shots}`;
        // The reporter prints the stack, which carries its own copy of the message: prefix both.
        const stack = shortenCallLog(error.stack || String(error));
        error.message = `${this.failure}\n${shortenCallLog(String(error.message))}`;
        error.stack = `${this.failure}\n${stack}`;
        delete error.log;
        throw error;
      }
    });
  }

  problemCounts() {
    return Object.values(this.actors).map((actor) => (actor.problems || []).length);
  }

  assertNoNewProblems(before) {
    const fresh = Object.values(this.actors)
      .flatMap((actor, index) => (actor.problems || []).slice(before[index] || 0));
    if (fresh.length) {
      throw new Error(`the browser reported problems:\n  ${fresh.join('\n  ')}`);
    }
  }

  async screenshots(stepName) {
    const files = [];
    for (const [who, actor] of Object.entries(this.actors)) {
      if (!actor.page || actor.page.isClosed()) {
        continue;
      }
      const file = artifactPath(`failures/${slug(this.title)}--${slug(stepName)}--${slug(who)}.png`);
      try {
        await actor.page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        files.push(`${file} (${who} at ${actor.page.url()})`);
      } catch (error) {
        files.push(`(no screenshot of ${who}: ${error.message.split('\n')[0]})`);
      }
    }
    return files;
  }
}

/**
 * Declares a journey. `actors()` is called when the journey starts and returns the people it drives;
 * `needs` lists titles of journeys that must have passed first.
 */
function journey(title, { actors, needs = [] }, body) {
  test(title, async (t) => {
    const missing = needs.filter((need) => outcomes.get(need) !== 'passed');
    if (missing.length) {
      outcomes.set(title, 'skipped');
      t.skip(`needs ${missing.map((need) => `"${need}"`).join(' and ')}, which did not pass`);
      return;
    }
    const run = new Journey(t, title, actors());
    let passed = false;
    try {
      await body(run);
      passed = !run.failed;
    } finally {
      outcomes.set(title, passed ? 'passed' : 'failed');
    }
    if (run.failed) {
      // The failing step has already reported why; this marks the journey itself as failed too.
      const error = new Error(run.failure);
      error.stack = run.failure;
      throw error;
    }
  });
}

module.exports = { journey };
