import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { comparisonKey, probeNameMatching } from './save-names.js';

const composed = '/data/in/Objedn\u00e1vka.CSV';
const decomposed = '/data/in/Objedna\u0301vka.CSV';

describe('comparisonKey', () => {
  it('keeps case and form where the file system does', () => {
    const exact = { ignoresCase: false, ignoresNormalization: false };
    expect(comparisonKey(composed, exact)).toBe(composed);
    expect(comparisonKey(decomposed, exact)).not.toBe(comparisonKey(composed, exact));
  });

  it('folds case and form where the file system does', () => {
    const folding = { ignoresCase: true, ignoresNormalization: true };
    expect(comparisonKey(decomposed, folding)).toBe(comparisonKey(composed, folding));
    expect(comparisonKey(composed, folding)).toBe(comparisonKey(composed.toLowerCase(), folding));
  });

  it('folds only case on a file system that keeps the form', () => {
    const caseOnly = { ignoresCase: true, ignoresNormalization: false };
    expect(comparisonKey(composed, caseOnly)).toBe(comparisonKey(composed.toUpperCase(), caseOnly));
    expect(comparisonKey(decomposed, caseOnly)).not.toBe(comparisonKey(composed, caseOnly));
  });
});

describe('probeNameMatching', () => {
  let folder: string | undefined;
  afterEach(async () => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  // ext4, XFS and tmpfs match names byte for byte, so the probe must find both differences.
  it.runIf(process.platform === 'linux')('finds the Linux temporary folder exact', async () => {
    folder = await mkdtemp(join(tmpdir(), 'kuryr-names-'));

    const matching = await probeNameMatching(folder);

    expect(matching.ignoresCase).toBe(false);
    expect(matching.ignoresNormalization).toBe(false);
    expect(await readdir(folder)).toEqual([]);
  });

  it('assumes folding when the folder is missing', async () => {
    folder = await mkdtemp(join(tmpdir(), 'kuryr-names-'));

    const matching = await probeNameMatching(join(folder, 'missing'));

    expect(matching).toEqual({ ignoresCase: true, ignoresNormalization: true });
  });
});
