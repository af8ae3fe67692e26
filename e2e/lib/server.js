// Starts a real `coffeechat serve` for a test file: a free port on 127.0.0.1, a fresh SQLite database in a
// temporary folder, and a bounded wait on /healthz. `stop()` ends the process and removes the folder.
//
// The binary is target/debug/coffeechat (built by `npm test`'s pretest step, or by CI before the suite);
// COFFEECHAT_BIN points elsewhere, and CARGO_TARGET_DIR is honoured like cargo does.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { artifactPath } = require('./artifacts');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const HEALTH_TIMEOUT_MS = 30_000;
const HEALTH_POLL_MS = 100;
const STOP_TIMEOUT_MS = 5_000;

function binaryPath() {
  if (process.env.COFFEECHAT_BIN) {
    return path.resolve(process.env.COFFEECHAT_BIN);
  }
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(REPO_ROOT, 'target');
  return path.join(targetDir, 'debug', 'coffeechat');
}

/** A port nobody listens on right now (the OS picks it; the server binds it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the server. `name` names its log file in artifacts/ (e.g. "journeys" → artifacts/server-journeys.log).
 * Resolves to { baseUrl, stop } once /healthz answers 200.
 */
async function startServer(name, { demo = false } = {}) {
  const binary = binaryPath();
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} does not exist: build it with \`cargo build -p coffeechat\` (npm test does).`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffeechat-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = artifactPath(`server-${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const args = ['serve', '--db', path.join(dataDir, 'coffeechat.db'), '--bind', `127.0.0.1:${port}`];
  if (demo) {
    args.push('--demo');
  }
  const child = spawn(binary, args, {
    cwd: dataDir,
    stdio: ['ignore', log, log],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', COFFEECHAT_PUBLIC_URL: baseUrl },
  });
  fs.closeSync(log);
  let exited = null;
  // Should the test process end without its `after` hook (a crash, Ctrl-C), the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exitedPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      process.off('exit', killOnExit);
      resolve();
    });
  });

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = sleep(STOP_TIMEOUT_MS).then(() => 'timeout');
      if ((await Promise.race([exitedPromise, timer])) === 'timeout') {
        child.kill('SIGKILL');
        await exitedPromise;
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`coffeechat serve exited early (${JSON.stringify(exited)}); its log (${logFile}):\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        return { baseUrl, stop, logFile };
      }
    } catch {
      // Not listening yet: poll again until the deadline.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`coffeechat serve did not answer /healthz within ${HEALTH_TIMEOUT_MS} ms; log:\n${tail(logFile)}`);
    }
    await sleep(HEALTH_POLL_MS);
  }
}

module.exports = { startServer };
