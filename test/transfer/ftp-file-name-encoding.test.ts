import { Buffer } from 'node:buffer';
import { chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { startFtpServer } from '../../scripts/test-servers.mjs';
import { ftpAccount, useTransferServer } from '../support/transfer-run.js';

// pure-ftpd without a file-system charset passes name bytes through unchanged, so a file whose
// name is stored in Windows-1250 bytes is listed and served as a Czech Windows server would.
const env = useTransferServer(startFtpServer);

const czechName = 'Objednávka č.1.csv';

/** Path of `name` in the server's folder `folder`, as Windows-1250 bytes. */
function windows1250Path(folder: string, name: string): Buffer {
  return Buffer.concat([
    Buffer.from(join(env.server.root, folder) + '/'),
    iconv.encode(name, 'windows-1250'),
  ]);
}

/** Creates `folder` in the server's root, owned like the root so the server's user may change it. */
async function serverFolder(folder: string): Promise<void> {
  const { uid, gid } = await stat(env.server.root);
  await mkdir(join(env.server.root, folder), { recursive: true });
  await chown(join(env.server.root, folder), uid, gid);
}

async function serveWindows1250(folder: string, name: string, content: string): Promise<void> {
  const { uid, gid } = await stat(env.server.root);
  await serverFolder(folder);
  const path = windows1250Path(folder, name);
  await writeFile(path, content);
  await chown(path, uid, gid);
}

const download = (params: Record<string, unknown>) =>
  ['get', 'ftp.download', { credential: 'shop', folder: '/orders', saveTo: 'in/', ...params }] as [
    string,
    string,
    Record<string, unknown>,
  ];

describe('FTP file name encoding', () => {
  it('downloads a Windows-1250 name with fileNameEncoding 1250', async () => {
    await serveWindows1250('orders', czechName, 'kód;množství\r\n');

    const report = await env.work.run(
      [download({ fileNameEncoding: '1250', afterRun: 'delete' })],
      [],
      ftpAccount(env.server),
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    expect(await readdir(join(env.work.data, 'in'))).toEqual([czechName]);
    expect(await readFile(join(env.work.data, 'in', czechName), 'utf8')).toBe('kód;množství\r\n');
    // The delete at commit sent the name in the server's bytes too.
    expect(await readdir(join(env.server.root, 'orders'))).toEqual([]);
  });

  it('warns that names are not UTF-8 when the encoding is left at utf-8', async () => {
    await serveWindows1250('orders', czechName, 'x');

    const report = await env.work.run([download({ pattern: '*.txt' })], [], ftpAccount(env.server));

    const warnings = report.blocks[0]!.warnings;
    const warning = warnings.find((entry) => entry.code === 'REMOTE_NAME_NOT_UTF8');
    expect(warning).toBeDefined();
    expect(warning?.examples[0]?.message).toContain('fileNameEncoding');
  });

  it('uploads under a Windows-1250 name with fileNameEncoding 1250', async () => {
    await serverFolder('import');
    await writeFile(join(env.work.data, 'Ceník žluťoučký.csv'), 'kód;cena\r\n');

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: 'Ceník žluťoučký.csv' }],
        ['put', 'ftp.upload', { credential: 'shop', folder: '/import', fileNameEncoding: '1250' }],
      ],
      ['read.file>put.file'],
      ftpAccount(env.server),
    );

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    const names = await readdir(join(env.server.root, 'import'), { encoding: 'buffer' });
    expect(names).toEqual([iconv.encode('Ceník žluťoučký.csv', 'windows-1250')]);
    expect(await readFile(windows1250Path('import', 'Ceník žluťoučký.csv'), 'utf8')).toBe(
      'kód;cena\r\n',
    );
  });

  it('rejects a name the code page lacks, naming the characters', async () => {
    await serverFolder('import');
    await writeFile(join(env.work.data, 'price €.csv'), 'x');

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: 'price €.csv' }],
        ['put', 'ftp.upload', { credential: 'shop', folder: '/import', fileNameEncoding: '852' }],
      ],
      ['read.file>put.file'],
      ftpAccount(env.server),
    );

    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('REMOTE_NAME_UNENCODABLE');
    expect(report.error?.message).toContain('"€"');
    expect(await readdir(join(env.server.root, 'import'))).toEqual([]);
  });

  it('rejects a line break in a name before sending it', async () => {
    await serverFolder('import');
    await writeFile(join(env.work.data, 'nl\nname.csv'), 'x');

    const report = await env.work.run(
      [
        ['read', 'file.read', { path: 'nl\nname.csv' }],
        ['put', 'ftp.upload', { credential: 'shop', folder: '/import' }],
      ],
      ['read.file>put.file'],
      ftpAccount(env.server),
    );

    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('REMOTE_NAME_INVALID');
    expect(report.error?.message).toContain('nl\\nname.csv');
    const put = report.blocks.find((block) => block.id === 'put')!;
    expect(put.warnings.map((warning) => warning.code)).not.toContain('EPSV_FALLBACK');
    expect(put.warnings.map((warning) => warning.code)).not.toContain('NETWORK_RETRY');
    expect(await readdir(join(env.server.root, 'import'))).toEqual([]);
  });

  it('matches a decomposed (NFD) name with a composed pattern', async () => {
    const decomposed = czechName.normalize('NFD');
    await env.server.put(`orders/${decomposed}`, 'nfd');

    const report = await env.work.run(
      [download({ pattern: 'Objednávka*' })],
      [],
      ftpAccount(env.server),
    );

    expect(report.status).toBe('succeeded');
    // The file keeps the server's own name, which the download requested.
    expect(await readdir(join(env.work.data, 'in'))).toEqual([decomposed]);
  });
});
