// Where the suite writes what a person looks at afterwards: screenshots (of failures and of every main
// page), downloaded calendar files and server logs. The folder is git-ignored.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ARTIFACTS_DIR = path.resolve(__dirname, '..', 'artifacts');

/** Absolute path of `relative` inside artifacts/, its folders created. */
function artifactPath(relative) {
  const full = path.join(ARTIFACTS_DIR, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  return full;
}

/** A file-name-safe form of a journey or step name. */
function slug(text) {
  return String(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

module.exports = { ARTIFACTS_DIR, artifactPath, slug };
