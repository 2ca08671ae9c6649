import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { requireSystemTool } from '../../scripts/system-packages.mjs';
import { freePort, waitForPort } from './ports.js';

/** OpenSSH's sshd on 127.0.0.1 serving SFTP, with its own host key and configuration. */
export type SftpServer = {
  port: number;
  user: string;
  /** A folder for the test's files; SFTP paths are absolute, e.g. `${root}/orders`. */
  root: string;
  /** The private key that may log in, in OpenSSH format. */
  privateKey: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  stop(): Promise<void>;
};

/**
 * Starts `/usr/sbin/sshd` in the foreground on a free port with a configuration, host key and
 * authorised key in a temporary folder; the system's SSH service is never touched. Only the
 * generated key logs in, as the user running the tests.
 */
export async function startSftpServer(): Promise<SftpServer> {
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
    hostKeyFingerprint: fingerprint.split(' ')[1]!,
    async stop() {
      child.kill('SIGTERM');
      await rm(folder, { recursive: true, force: true });
    },
  };
}
