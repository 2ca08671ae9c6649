import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { requireSystemTool } from '../../scripts/system-packages.mjs';
import { freePort, freePortRange, waitForPort } from './ports.js';

/** A pure-ftpd server on 127.0.0.1 with one virtual user and FTPS, started for a test file. */
export type FtpServer = {
  port: number;
  user: string;
  password: string;
  /** The user's home folder: what the server shows as `/`. */
  root: string;
  /** The server's self-signed certificate in PEM. */
  certificate: string;
  /** Writes a file into the server's folder as the server's user, as another program would. */
  put(path: string, content: Buffer | string): Promise<void>;
  stop(): Promise<void>;
};

const NOBODY = 65534;

/**
 * Starts Debian's pure-ftpd on a free port with its own virtual-user database, certificate and
 * passive port range in a temporary folder; the system's FTP service is never touched.
 */
export async function startFtpServer(): Promise<FtpServer> {
  requireSystemTool('pure-ftpd');
  requireSystemTool('openssl');
  const folder = await mkdtemp(join(tmpdir(), 'kuryr-ftpd-'));
  const root = join(folder, 'home');
  await mkdir(root);
  await chown(root, NOBODY, NOBODY);
  const user = 'kuryr';
  const password = 'Heslo-123';
  // pure-pw hashes with argon2id at a cost that makes each login take seconds; a SHA-512
  // crypt hash from openssl keeps logins quick, and pure-ftpd accepts it.
  const hash = execFileSync('openssl', ['passwd', '-6', password], { encoding: 'utf8' }).trim();
  await writeFile(
    join(folder, 'passwd'),
    `${user}:${hash}:${NOBODY}:${NOBODY}::${root}/./::::::::::::\n`,
  );
  execFileSync('pure-pw', ['mkdb', join(folder, 'users.pdb'), '-f', join(folder, 'passwd')]);
  const key = join(folder, 'key.pem');
  const cert = join(folder, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );

  const port = await freePort();
  const passive = await freePortRange(40);
  const child: ChildProcess = spawn(
    'pure-ftpd',
    [
      '-l',
      `puredb:${join(folder, 'users.pdb')}`,
      '-S',
      `127.0.0.1,${port}`,
      '-p',
      `${passive}:${passive + 39}`,
      // TLS optional, so the fault-injecting proxy can read plain FTP; the tests of FTPS ask for it.
      '-Y',
      '1',
      '-2',
      `${cert},${key}`,
      '-E',
      '-A',
      '-H',
      // Big uploads and the 200 MB test: no quota and no idle cut-off within a test.
      '-I',
      '15',
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port);
  return {
    port,
    user,
    password,
    root,
    certificate: await readFile(cert, 'utf8'),
    put: (path, content) => writeOwnedBy(root, path, content, NOBODY),
    async stop() {
      child.kill('SIGTERM');
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Writes `root/path`, creating folders, all owned by `uid` so the server's user may change them. */
export async function writeOwnedBy(
  root: string,
  path: string,
  content: Buffer | string,
  uid: number,
): Promise<void> {
  const target = join(root, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  let current = target;
  while (relative(root, current) !== '') {
    await chown(current, uid, uid);
    current = dirname(current);
  }
}
