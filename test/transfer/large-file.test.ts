import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '@kuryr/nodes';
import { buildFlow } from '../../runtime/test-support/blocks.js';
import { repositoryRoot } from '../support/kuryr.js';
import {
  startFtpServer,
  startSftpServer,
  type FtpServer,
  type SftpServer,
} from '../../scripts/test-servers.mjs';

const SIZE = 200 * 1024 * 1024;
/** Well below the file's size: a run that held the file in memory would pass it. */
const PEAK_RSS_LIMIT = 160 * 1024 * 1024;

let ftp: FtpServer;
let sftp: SftpServer;
let work: string;
let source: string;
let sourceHash: string;

beforeAll(async () => {
  [ftp, sftp] = await Promise.all([startFtpServer(), startSftpServer()]);
  work = await mkdtemp(join(tmpdir(), 'kuryr-large-'));
  source = join(work, 'large.bin');
  await writeRandomFile(source, SIZE);
  sourceHash = await hashFile(source);
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await Promise.all([ftp?.stop(), sftp?.stop()]);
});

async function writeRandomFile(path: string, size: number): Promise<void> {
  const chunk = randomBytes(1024 * 1024);
  async function* chunks() {
    for (let written = 0; written < size; written += chunk.length) yield chunk;
  }
  await pipeline(chunks(), createWriteStream(path));
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Runs a flow through the `kuryr` command with the source file linked into its data folder, and
 * returns its exit code and peak resident set size, which the child reports when it exits.
 */
async function runMeasured(
  name: string,
  blocks: Parameters<typeof buildFlow>[0],
  wires: string[],
  credential: Credential,
): Promise<{ code: number | null; peakRss: number; data: string; stderr: string }> {
  const folder = join(work, name);
  const data = join(folder, 'data');
  await mkdir(data, { recursive: true });
  await link(source, join(data, 'large.bin'));
  await writeFile(join(folder, 'flow.json'), JSON.stringify(buildFlow(blocks, wires)));
  await writeFile(join(folder, 'credentials.json'), JSON.stringify({ shop: credential }));
  const usageFile = join(folder, 'usage.json');
  const reporter = join(repositoryRoot, 'scripts/bench/report-resource-usage.mjs');
  const args = [
    ...['--import', reporter, join(repositoryRoot, 'runtime/bin/kuryr.js')],
    ...['run', join(folder, 'flow.json')],
    ...['--data-dir', data, '--state-dir', join(folder, 'state')],
    ...['--credentials', join(folder, 'credentials.json')],
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, KURYR_BENCH_USAGE_FILE: usageFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as { maxRssKiB: number };
  return { code, peakRss: usage.maxRssKiB * 1024, data, stderr };
}

type Case = {
  protocol: 'ftp' | 'sftp';
  account: () => Credential;
  /** Folder for the file on the server: as the block names it, and on this machine. */
  remoteFolder: () => string;
  localFolder: () => string;
};

const cases: Case[] = [
  {
    protocol: 'ftp',
    account: () => ({
      host: '127.0.0.1',
      port: ftp.port,
      user: ftp.user,
      password: ftp.password,
      caCertificate: ftp.certificate,
    }),
    remoteFolder: () => '/',
    localFolder: () => ftp.root,
  },
  {
    protocol: 'sftp',
    account: () => ({
      host: '127.0.0.1',
      port: sftp.port,
      user: sftp.user,
      privateKey: sftp.privateKey,
      hostKeyFingerprint: sftp.hostKeyFingerprint,
    }),
    remoteFolder: () => sftp.root,
    localFolder: () => sftp.root,
  },
];

describe('a 200 MB file streamed through the transfer blocks', { timeout: 300_000 }, () => {
  for (const { protocol, account, remoteFolder, localFolder } of cases) {
    it(`goes up and down over ${protocol} with flat memory and arrives intact`, async () => {
      const folder = remoteFolder();
      const up = await runMeasured(
        `${protocol}-up`,
        [
          ['read', 'file.read', { path: 'large.bin' }],
          ['put', `${protocol}.upload`, { credential: 'shop', folder }],
        ],
        ['read.file>put.file'],
        account(),
      );
      expect(up.stderr).not.toMatch(/warning|error/i);
      expect(up.code).toBe(0);
      expect(await hashFile(join(localFolder(), 'large.bin'))).toBe(sourceHash);
      expect(up.peakRss).toBeLessThan(PEAK_RSS_LIMIT);

      const down = await runMeasured(
        `${protocol}-down`,
        [['get', `${protocol}.download`, { credential: 'shop', folder, saveTo: 'in/' }]],
        [],
        account(),
      );
      expect(down.code).toBe(0);
      expect(await hashFile(join(down.data, 'in/large.bin'))).toBe(sourceHash);
      expect(down.peakRss).toBeLessThan(PEAK_RSS_LIMIT);
      await rm(join(localFolder(), 'large.bin'));
    });
  }
});
