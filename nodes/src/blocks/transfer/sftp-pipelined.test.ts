import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSftpServer, type SftpServer } from '../../../../scripts/test-servers.mjs';
import { readPipelined, requestBytes, writePipelined } from './sftp-pipelined.js';

let server: SftpServer;
let client: SftpClient;
let sftp: SFTPWrapper;

beforeAll(async () => {
  server = await startSftpServer();
  client = new SftpClient();
  await client.connect({
    host: '127.0.0.1',
    port: server.port,
    username: server.user,
    privateKey: server.privateKey,
  });
  sftp = (client as unknown as { sftp: SFTPWrapper }).sftp;
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
});

// Compared by SHA-256, because a deep comparison of megabytes takes vitest half a minute.
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function openRemote(path: string, flags: 'r' | 'w'): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    sftp.open(path, flags, (error, handle) => (error ? reject(error) : resolve(handle))),
  );
}

function closeRemote(handle: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.close(handle, (error) => (error ? reject(error) : resolve())),
  );
}

describe('pipelined SFTP requests', () => {
  it('uses the limits OpenSSH states', () => {
    // OpenSSH 8.6 and later states 261,120 bytes for reads and writes (sftp-server.c).
    expect(requestBytes(sftp, 'read')).toBe(261_120);
    expect(requestBytes(sftp, 'write')).toBe(261_120);
  });

  it('round-trips a file of uneven size', async () => {
    // Several windows of requests and a last request shorter than the others.
    const content = randomBytes(5 * 1024 * 1024 + 12_345);
    const path = join(server.root, 'uneven.bin');

    const writeHandle = await openRemote(path, 'w');
    let confirmed = 0;
    await writePipelined(sftp, writeHandle, Readable.from([content]), () => confirmed++);
    await closeRemote(writeHandle);
    expect(confirmed).toBe(Math.ceil(content.length / 261_120));
    expect(sha256(await readFile(path))).toBe(sha256(content));

    const start = 1000;
    const chunks: Buffer[] = [];
    const readHandle = await openRemote(path, 'r');
    await readPipelined(sftp, readHandle, start, content.length, async (chunk) => {
      // The piece's memory is reused later, so it is copied here.
      chunks.push(Buffer.from(chunk));
    });
    await closeRemote(readHandle);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(content.subarray(start)));
  });

  it('sends full requests from chunks of any size', async () => {
    const content = randomBytes(5 * 1024 * 1024 + 12_345);
    // Each 1 MiB chunk would end in a 4 KiB request. The other sizes split and join requests.
    for (const sourceChunkBytes of [1024 * 1024, 100_000, 261_120, 400_000]) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < content.length; offset += sourceChunkBytes) {
        chunks.push(content.subarray(offset, offset + sourceChunkBytes));
      }
      const path = join(server.root, `chunked-${sourceChunkBytes}.bin`);

      const handle = await openRemote(path, 'w');
      let confirmed = 0;
      await writePipelined(sftp, handle, Readable.from(chunks), () => confirmed++);
      await closeRemote(handle);

      expect(confirmed, `source chunks of ${sourceChunkBytes} bytes`).toBe(
        Math.ceil(content.length / 261_120),
      );
      expect(sha256(await readFile(path)), `source chunks of ${sourceChunkBytes} bytes`).toBe(
        sha256(content),
      );
    }
  });

  it('fails when the file is shorter than stated', async () => {
    const path = join(server.root, 'short.bin');
    await writeFile(path, randomBytes(300_000));
    const handle = await openRemote(path, 'r');
    try {
      await expect(readPipelined(sftp, handle, 0, 400_000, async () => undefined)).rejects.toThrow(
        'the file ended at byte 300000 of 400000',
      );
    } finally {
      await closeRemote(handle);
    }
  });
});
