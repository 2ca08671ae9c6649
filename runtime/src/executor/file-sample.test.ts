import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileItem } from '@kuryr/nodes';
import { sampleFile } from './file-sample.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuryr-file-sample-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function memoryFile(data: Buffer, extra: Partial<FileItem> = {}): FileItem {
  return {
    name: 'file.txt',
    mediaType: 'text/plain',
    size: data.length,
    content: { kind: 'memory', data },
    ...extra,
  };
}

describe('sampleFile', () => {
  it('decodes the head in code page 852', () => {
    // "Žluťoučký;1\r\nkůň;2\r\n" in CP852, written byte by byte.
    const bytes = Buffer.from([
      0xa6, 0x6c, 0x75, 0x9c, 0x6f, 0x75, 0x9f, 0x6b, 0xec, 0x3b, 0x31, 0x0d, 0x0a, 0x6b, 0x85,
      0xe5, 0x3b, 0x32, 0x0d, 0x0a,
    ]);
    const sample = sampleFile(memoryFile(bytes, { encoding: 'cp852', mediaType: 'text/csv' }));

    expect(sample.head).toBe('Žluťoučký;1\nkůň;2\n');
    expect(sample.hex).toBe('a6 6c 75 9c 6f 75 9f 6b ec 3b 31 0d 0a 6b 85 e5 3b 32 0d 0a');
    expect(sample).not.toHaveProperty('content');
    expect(sample).toMatchObject({ name: 'file.txt', size: 20, encoding: 'cp852' });
  });

  it('decodes UTF-16LE and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\nč;ř', 'utf16le')]);
    const sample = sampleFile(memoryFile(bytes, { encoding: 'utf-16le' }));

    expect(sample.head).toBe('a;b\nč;ř');
  });

  it('keeps ten whole lines of a long file', async () => {
    const path = join(folder, 'long.csv');
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index};${'x'.repeat(20)}`);
    await writeFile(path, lines.join('\n'));
    const sample = sampleFile({
      name: 'long.csv',
      mediaType: 'text/csv',
      size: 0,
      content: { kind: 'temp', path },
    });

    expect(sample.head).toBe(lines.slice(0, 10).join('\n'));
    expect(sample.hex.split(' ')).toHaveLength(64);
  });

  it('gives a binary file no head', () => {
    const sample = sampleFile(
      memoryFile(Buffer.from([0x03, 0x7e, 0x01, 0x01, 0x00]), {
        name: 'items.dbf',
        mediaType: 'application/x-dbf',
        companions: [memoryFile(Buffer.from('memo'), { name: 'items.fpt' })],
      }),
    );

    expect(sample).not.toHaveProperty('head');
    expect(sample.hex).toBe('03 7e 01 01 00');
    expect(sample.companions).toEqual([{ name: 'items.fpt', mediaType: 'text/plain', size: 4 }]);
  });

  it('samples a file that is gone with an empty hex', () => {
    const sample = sampleFile({
      name: 'gone.txt',
      mediaType: 'text/plain',
      size: 3,
      content: { kind: 'temp', path: join(folder, 'gone.txt') },
    });

    expect(sample.hex).toBe('');
    expect(sample).not.toHaveProperty('head');
  });
});
