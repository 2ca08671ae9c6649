import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/kuryr.js';

// The bin script, copied into a folder tree of the same shape with two entry modules that print
// which of them ran, so the choice can be checked without building the real ones.
let work: string;
const bin = () => join(work, 'runtime/bin/kuryr.js');

/** Returns the source of an entry module whose main prints `name` and its arguments. */
const entryModuleSource = (name: string) =>
  `export async function main(args) { console.log('${name} ' + args.join(' ')); return 0; }\n`;

async function setModifiedTime(path: string, secondsAgo: number): Promise<void> {
  const time = new Date(Date.now() - secondsAgo * 1000);
  await utimes(join(work, path), time, time);
}

async function runBin(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [bin(), ...args]);
  return stdout.trim();
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kuryr-bin-'));
  for (const folder of ['runtime/bin', 'runtime/dist/cli', 'runtime/dist/cli-bundle', 'nodes']) {
    await mkdir(join(work, folder), { recursive: true });
  }
  await cp(join(repositoryRoot, 'runtime/bin/kuryr.js'), bin());
  await cp(join(repositoryRoot, 'runtime/package.json'), join(work, 'runtime/package.json'));
  await writeFile(join(work, 'runtime/dist/cli/main.js'), entryModuleSource('compiled'));
  await writeFile(join(work, 'runtime/dist/cli-bundle/main.js'), entryModuleSource('bundle'));
  await writeFile(join(work, 'runtime/tsconfig.tsbuildinfo'), '{}');
  await writeFile(join(work, 'nodes/tsconfig.tsbuildinfo'), '{}');
  await setModifiedTime('runtime/tsconfig.tsbuildinfo', 60);
  await setModifiedTime('nodes/tsconfig.tsbuildinfo', 60);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('kuryr bin script', () => {
  it('runs run and validate from a fresh bundle', async () => {
    expect(await runBin('run', 'flow.json')).toBe('bundle run flow.json');
    expect(await runBin('validate', 'flow.json')).toBe('bundle validate flow.json');
  });

  it('runs other commands from the compiled modules', async () => {
    expect(await runBin('start')).toBe('compiled start');
    expect(await runBin('--version')).toBe('compiled --version');
  });

  it('skips a bundle older than either build', async () => {
    await setModifiedTime('runtime/dist/cli-bundle/main.js', 30);
    await setModifiedTime('runtime/tsconfig.tsbuildinfo', 0);
    expect(await runBin('run', 'flow.json')).toBe('compiled run flow.json');

    await setModifiedTime('runtime/tsconfig.tsbuildinfo', 60);
    await setModifiedTime('nodes/tsconfig.tsbuildinfo', 0);
    expect(await runBin('run', 'flow.json')).toBe('compiled run flow.json');
  });

  it('falls back without a bundle', async () => {
    await rm(join(work, 'runtime/dist/cli-bundle'), { recursive: true });
    expect(await runBin('run', 'flow.json')).toBe('compiled run flow.json');
  });
});
