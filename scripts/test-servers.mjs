// Real servers on 127.0.0.1 for the transfer tests and the transfer benchmark: Debian's
// pure-ftpd with FTPS and OpenSSH's sshd, each with its own configuration, keys and folders in a
// temporary folder, on free ports. The system's services are never touched.
import { execFileSync, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { extractedToolPath, requireSystemTool } from './system-packages.mjs';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Returns the first of `count` consecutive free ports, e.g. for an FTP passive range. */
export async function freePortRange(count) {
  for (let tries = 0; tries < 50; tries++) {
    const first = 20_000 + Math.floor(Math.random() * 40_000);
    const ports = Array.from({ length: count }, (_, i) => first + i);
    const free = await Promise.all(ports.map((port) => isFree(port)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Waits until something accepts connections on `port`, or throws after `timeoutMs`. */
export async function waitForPort(port, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on port ${port}`);
    await delay(50);
  }
}

const NOBODY = 65534;

/**
 * Starts Debian's pure-ftpd on a free port with its own virtual-user database, certificate and
 * passive port range in a temporary folder; the system's FTP service is never touched. With
 * `activeOnly`, the server rejects PASV and EPSV (pure-ftpd's NAT mode, `-N`). With
 * `maxClientsPerIp`, it replies 421 to a connection beyond that many from one address (`-C`).
 * With `quota`, each account may store at most that many files and megabytes (`-n`). With
 * `prohibitDotFiles`, it rejects writing a file whose name starts with a dot (`-x`). With
 * `kilobytesPerSecond`, each transfer moves at most that many KiB per second (`-T`).
 */
export async function startFtpServer({
  activeOnly = false,
  maxClientsPerIp,
  quota,
  prohibitDotFiles = false,
  kilobytesPerSecond,
} = {}) {
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
  // A second account with the same home folder, for tests of two accounts on one server.
  const secondUser = 'kuryr-second';
  await writeFile(
    join(folder, 'passwd'),
    [user, secondUser]
      .map((name) => `${name}:${hash}:${NOBODY}:${NOBODY}::${root}/./::::::::::::\n`)
      .join(''),
  );
  execFileSync('pure-pw', ['mkdb', join(folder, 'users.pdb'), '-f', join(folder, 'passwd')]);
  const { key, cert } = makeCertificate(folder);

  const port = await freePort();
  const passive = await freePortRange(40);
  const child = spawn(
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
      ...(activeOnly ? ['-N'] : []),
      ...(maxClientsPerIp === undefined ? [] : ['-C', String(maxClientsPerIp)]),
      ...(quota === undefined ? [] : ['-n', `${quota.files}:${quota.megabytes}`]),
      ...(prohibitDotFiles ? ['-x'] : []),
      ...(kilobytesPerSecond === undefined ? [] : ['-T', String(kilobytesPerSecond)]),
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port);
  return {
    port,
    pid: child.pid,
    user,
    secondUser,
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

/** Debian's `daemon` account (uid 1), whose home folder exists, so vsftpd can log in as it. */
const DAEMON = 1;

/**
 * Starts vsftpd, unpacked from Debian's package (see system-packages.mjs), on a free port with
 * implicit FTPS: TLS from the first byte, as on port 990. vsftpd logs in local users through PAM
 * only, so the test account is vsftpd's anonymous login, mapped to the system account `daemon`,
 * and may upload, rename and delete in the folder `/files`. The configuration, certificate and
 * folders are in a temporary folder.
 */
export async function startImplicitFtpsServer() {
  requireSystemTool('vsftpd');
  requireSystemTool('openssl');
  const folder = await mkdtemp(join(tmpdir(), 'kuryr-vsftpd-'));
  // The logged-in process runs as daemon and must pass through to its home folder.
  await chmod(folder, 0o755);
  // vsftpd refuses a writable home folder for an anonymous login, so the account writes into
  // the folder `files` inside it.
  const home = join(folder, 'home');
  const root = join(home, 'files');
  const emptyFolder = join(folder, 'empty');
  await mkdir(root, { recursive: true });
  await mkdir(emptyFolder);
  await chown(root, DAEMON, DAEMON);
  const { key, cert } = makeCertificate(folder);

  const port = await freePort();
  const passive = await freePortRange(20);
  const config = join(folder, 'vsftpd.conf');
  await writeFile(
    config,
    [
      'listen=YES',
      'listen_ipv6=NO',
      'listen_address=127.0.0.1',
      `listen_port=${port}`,
      'background=NO',
      'anonymous_enable=YES',
      'local_enable=NO',
      'no_anon_password=YES',
      `anon_root=${home}`,
      'ftp_username=daemon',
      'nopriv_user=daemon',
      'write_enable=YES',
      'anon_upload_enable=YES',
      'anon_mkdir_write_enable=YES',
      'anon_other_write_enable=YES',
      'anon_umask=022',
      `secure_chroot_dir=${emptyFolder}`,
      'ssl_enable=YES',
      'implicit_ssl=YES',
      'allow_anon_ssl=YES',
      'force_anon_logins_ssl=YES',
      'force_anon_data_ssl=YES',
      `rsa_cert_file=${cert}`,
      `rsa_private_key_file=${key}`,
      'pasv_enable=YES',
      'pasv_address=127.0.0.1',
      `pasv_min_port=${passive}`,
      `pasv_max_port=${passive + 19}`,
      // The sandboxes need kernel features that containers often lack.
      'seccomp_sandbox=NO',
      'isolate=NO',
      'isolate_network=NO',
      // Every command and reply goes to a log, so tests can count the commands a block sent.
      'xferlog_enable=YES',
      'xferlog_std_format=NO',
      'log_ftp_protocol=YES',
      `vsftpd_log_file=${join(folder, 'vsftpd.log')}`,
      'syslog_enable=NO',
      '',
    ].join('\n'),
  );

  const child = spawn(extractedToolPath('vsftpd'), [config], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    port,
    pid: child.pid,
    user: 'anonymous',
    password: '',
    root,
    remoteRoot: '/files',
    certificate: await readFile(cert, 'utf8'),
    put: (path, content) => writeOwnedBy(root, path, content, DAEMON),
    async commands(verb) {
      const log = await readFile(join(folder, 'vsftpd.log'), 'utf8').catch(() => '');
      const pattern = new RegExp(`FTP command: Client "[^"]*", "${verb}(?: ([^"]*))?"`, 'g');
      return [...log.matchAll(pattern)].map((match) => match[1] ?? '');
    },
    async stop() {
      child.kill('SIGTERM');
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Writes a self-signed certificate for 127.0.0.1 and localhost into `folder`. */
function makeCertificate(folder) {
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
  return { key, cert };
}

/** Writes `root/path`, creating folders, all owned by `uid` so the server's user may change them. */
export async function writeOwnedBy(root, path, content, uid) {
  const target = join(root, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  let current = target;
  while (relative(root, current) !== '') {
    await chown(current, uid, uid);
    current = dirname(current);
  }
}

/**
 * Starts `/usr/sbin/sshd` in the foreground on a free port with a configuration, host key and
 * authorised key in a temporary folder; the system's SSH service is never touched. Only the
 * generated key logs in, as the user running the tests.
 */
export async function startSftpServer() {
  requireSystemTool('sshd');
  const folder = await mkdtemp(join(tmpdir(), 'kuryr-sshd-'));
  const root = join(folder, 'files');
  await mkdir(root);
  const hostKey = join(folder, 'host_ed25519');
  const clientKey = join(folder, 'client_ed25519');
  for (const key of [hostKey, clientKey]) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kuryr-test', '-f', key]);
  }
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${hostKey}.pub`], {
    encoding: 'utf8',
  });
  // A second host key of another type, as servers have, which clients see only when they ask
  // for RSA: ssh2 prefers Ed25519.
  const rsaHostKey = join(folder, 'host_rsa');
  execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', rsaHostKey]);
  const rsaFingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${rsaHostKey}.pub`], {
    encoding: 'utf8',
  });
  await writeFile(join(folder, 'authorized_keys'), await readFile(`${clientKey}.pub`));
  // sshd separates privileges through this folder, which the system's service would create.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const config = join(folder, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `HostKey ${rsaHostKey}`,
      `PidFile ${join(folder, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(folder, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'MaxStartups 100',
      'LogLevel ERROR',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    port,
    user: userInfo().username,
    root,
    privateKey: await readFile(clientKey, 'utf8'),
    hostKeyFingerprint: fingerprint.split(' ')[1],
    rsaHostKeyFingerprint: rsaFingerprint.split(' ')[1],
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await rm(folder, { recursive: true, force: true });
    },
  };
}
