// Starts `kuryr start` and Debian's Chromium for the editor's end-to-end tests and benchmark.
// Playwright's own browser downloads do not work offline, so playwright-core drives the
// system's /usr/bin/chromium over the DevTools protocol.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

const kuryrScript = fileURLToPath(new URL('../runtime/bin/kuryr.js', import.meta.url));

/** Flags that keep Chromium offline, quiet and runnable as root in a container. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Spawns `kuryr start` on 127.0.0.1 with `port` (default 0, a free port) and resolves once it
 * logs "service started", with the URL from that line. The administrator gets `password`,
 * and `args` go to `kuryr start` after the folders.
 */
export function startKuryr({
  dataDir,
  stateDir,
  password,
  port = 0,
  args = [],
  timeoutMs = 60_000,
}) {
  const child = spawn(
    process.execPath,
    [
      kuryrScript,
      'start',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--state-dir',
      stateDir,
      ...args,
    ],
    {
      env: { ...process.env, KURYR_ADMIN_PASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = [];
  child.stderr.setEncoding('utf8').on('data', (chunk) => log.push(chunk));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = async (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const stop = () => kill('SIGTERM');

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`kuryr start did not start in ${timeoutMs} ms:\n${log.join('')}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kuryr start exited with ${code} before it started:\n${log.join('')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(`${line}\n`);
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg !== 'service started') return;
      clearTimeout(timer);
      resolve({ url: entry.url, log: () => log.join(''), stop, kill });
    });
  });
}

/**
 * Launches headless Chromium with a new, empty profile folder and opens one page of the given
 * size. `close()` ends the browser and removes the profile.
 */
export async function launchChromium({ width = 1600, height = 900 } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'kuryr-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width, height },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
