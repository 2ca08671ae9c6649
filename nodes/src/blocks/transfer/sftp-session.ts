import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Client, ServerHostKeyAlgorithm, SFTPWrapper } from 'ssh2';
import type SftpClient from 'ssh2-sftp-client';
import type { Credential } from '../../contract/credentials.js';
import {
  AbortedError,
  EnvironmentError,
  FlowAuthorError,
  KuryrError,
} from '../../contract/errors.js';
import { accountName, type RemoteEntry, type RemoteSession } from './remote-session.js';
import { DownloadTarget } from './download-target.js';
import { readPipelined, writePipelined } from './sftp-pipelined.js';
import { describeTransferError } from './transfer-errors.js';
import type { SessionEnvironment } from './transfer-run.js';

/**
 * Returns the OpenSSH fingerprint of a raw host key: `SHA256:` and the unpadded base64 of its
 * SHA-256, as `ssh-keygen -lf` prints it.
 */
export function hostKeyFingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/**
 * Opens a logged-in SFTP session with ssh2-sftp-client. The server's host key must match the
 * credential's fingerprint; a mismatch or a missing fingerprint is rejected, naming both.
 */
export async function openSftpSession(
  credential: Credential,
  environment: SessionEnvironment,
): Promise<RemoteSession> {
  const host = credential.host ?? '';
  const port = credential.port ?? 22;
  const server = `sftp://${host}:${port}`;
  if (credential.password === undefined && credential.privateKey === undefined) {
    throw new FlowAuthorError(
      'CREDENTIAL_INCOMPLETE',
      `the credential for ${server} gives neither a password nor a privateKey`,
      { hint: 'Add the password or the private key of the account to the credential.' },
    );
  }
  const account = accountName('sftp', credential.user ?? '', host, port);
  // Loaded on first use: ssh2 takes about a tenth of a second to load, which every run of a
  // flow without SFTP blocks would otherwise pay at start-up.
  const { default: SftpClientClass } = await import('ssh2-sftp-client');
  const pinned = normalizeFingerprint(credential.hostKeyFingerprint);
  // A server has several host keys and offers one. When it is not the pinned one, the
  // handshake is repeated with each other key type, because the pinned key may be another.
  const offeredKeys: string[] = [];
  const triedTypes = new Set<string>();
  let onlyType: ServerHostKeyAlgorithm | undefined;
  for (;;) {
    const session = new SftpSession(SftpClientClass, server, account, environment.timeoutMs);
    if (credential.password !== undefined) answerWithPassword(session.client, credential.password);
    let offered: { type: string; fingerprint: string } | undefined;
    try {
      await session.client.connect({
        host,
        port,
        username: credential.user,
        password: credential.password,
        privateKey: credential.privateKey,
        passphrase: credential.passphrase,
        // Servers that take passwords only through keyboard-interactive, e.g. sshd with
        // PasswordAuthentication off and PAM behind KbdInteractiveAuthentication.
        tryKeyboard: credential.password !== undefined,
        readyTimeout: environment.timeoutMs,
        // A silent connection is found dead after three missed keep-alives.
        keepaliveInterval: Math.max(1000, Math.floor(environment.timeoutMs / 3)),
        keepaliveCountMax: 3,
        ...(onlyType === undefined ? {} : { algorithms: { serverHostKey: [onlyType] } }),
        hostVerifier: (key: Buffer) => {
          offered = { type: hostKeyType(key), fingerprint: hostKeyFingerprint(key) };
          return offered.fingerprint === pinned;
        },
      });
      environment.logger.debug('sftp connected', { server });
      return session;
    } catch (error) {
      if (onlyType !== undefined) triedTypes.add(onlyType);
      // Either the pinned key was accepted and something else failed, or the first attempt
      // failed before the key. A later attempt without an offered key lacked that key type.
      const isOtherFailure =
        offered === undefined ? onlyType === undefined : offered.fingerprint === pinned;
      if (isOtherFailure) {
        throw describeTransferError(error, { server, action: 'connect', user: credential.user });
      }
      if (offered !== undefined) {
        if (pinned === undefined) throw hostKeyError(server, undefined, offered.fingerprint);
        offeredKeys.push(`${offered.fingerprint} (${offered.type})`);
        triedTypes.add(signatureAlgorithmOf(offered.type));
      }
      onlyType = HOST_KEY_ALGORITHMS.find((algorithm) => !triedTypes.has(algorithm));
      if (onlyType === undefined) {
        throw hostKeyError(server, credential.hostKeyFingerprint, offeredKeys.join(', '));
      }
    }
  }
}

/**
 * Answers keyboard-interactive prompts with the password. ssh2 emits the prompts on its own
 * client, which ssh2-sftp-client creates in its constructor and keeps as `client`.
 * NOTE: every prompt gets the password, so a login that also asks for a one-time code fails.
 */
function answerWithPassword(sftpClient: SftpClient, password: string): void {
  const { client } = sftpClient as unknown as { client: Client };
  client.on('keyboard-interactive', (_name, _instructions, _language, prompts, finish) =>
    finish(prompts.map(() => password)),
  );
}

/** Host key algorithms to ask for one by one, one per key type. */
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
];

/** Returns the key type that a raw SSH public key names first, e.g. `ssh-ed25519`. */
function hostKeyType(key: Buffer): string {
  return key.subarray(4, 4 + key.readUInt32BE(0)).toString('latin1');
}

/** Returns the host key algorithm of a key type: RSA keys are asked for as rsa-sha2-512. */
function signatureAlgorithmOf(keyType: string): string {
  return keyType === 'ssh-rsa' ? 'rsa-sha2-512' : keyType;
}

/**
 * Writes a SHA-256 fingerprint as `hostKeyFingerprint` compares it: `SHA256:` and unpadded
 * base64. Accepts it with `=` padding, without the prefix, or after a key type and size as
 * WinSCP and PuTTY show it (`ssh-ed25519 255 jKSg…`). Other text is returned unchanged.
 */
export function normalizeFingerprint(fingerprint: string | undefined): string | undefined {
  if (fingerprint === undefined) return undefined;
  const base64 = fingerprint
    .trim()
    .split(/\s+/)
    .pop()!
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');
  return /^[A-Za-z0-9+/]{43}$/.test(base64) ? `SHA256:${base64}` : fingerprint;
}

function hostKeyError(server: string, expected: string | undefined, offered: string) {
  if (expected === undefined) {
    return new FlowAuthorError(
      'HOST_KEY_UNKNOWN',
      `the credential gives no host key fingerprint for ${server}, which offers ${offered}`,
      {
        hint: `Check the fingerprint with the server's administrator, then add "hostKeyFingerprint": "${offered}" to the credential.`,
      },
    );
  }
  return new FlowAuthorError(
    'HOST_KEY_MISMATCH',
    `the host key of ${server} does not match: expected ${expected}, the server offered ${offered}`,
    {
      hint: 'The server was reinstalled or this is not the server you meant. Ask its administrator before changing the fingerprint in the credential.',
    },
  );
}

class SftpSession implements RemoteSession {
  /**
   * True when the server offers OpenSSH's posix-rename, which replaces an existing target in
   * one step. A plain SFTP version 3 RENAME fails when the target exists.
   */
  get replacesOnRename(): boolean {
    const sftp = (this.client as unknown as { sftp?: { _extensions?: Record<string, unknown> } })
      .sftp;
    return sftp?._extensions?.['posix-rename@openssh.com'] !== undefined;
  }
  readonly client: SftpClient;
  private broken = false;
  private closing = false;
  private closeProblem: Error | undefined;
  /** Fails the call in progress; a write stream does not fail by itself on a lost connection. */
  private failCall: ((error: Error) => void) | undefined;

  constructor(
    SftpClientClass: typeof SftpClient,
    readonly server: string,
    readonly account: string,
    private readonly timeoutMs: number,
  ) {
    // The library's default listeners write to the console; these keep the facts instead.
    this.client = new SftpClientClass('kuryr', {
      error: (error: unknown) => this.onConnectionEnd(error as Error),
      end: () => this.onConnectionEnd(undefined),
      close: () => this.onConnectionEnd(undefined),
    });
  }

  get isUsable(): boolean {
    return !this.broken;
  }

  /** Lists the folder; the SFTP attributes carry the times, so `needsDetails` is not used. */
  async list(folder: string): Promise<RemoteEntry[]> {
    const infos = await this.call('list', folder, () => this.client.list(folder));
    const entries: RemoteEntry[] = [];
    for (const info of infos) {
      const path = posix.join(folder, info.name);
      // A symbolic link is listed with its own attributes; stat follows it to the target.
      const target = info.type === 'l' ? await this.statLink(path) : undefined;
      let kind = kindOf(info.type);
      if (target?.isFile) kind = 'file';
      if (target?.isDirectory) kind = 'folder';
      const size = target?.size ?? info.size;
      const modifyTime = target?.modifyTime ?? info.modifyTime;
      entries.push({
        name: info.name,
        path,
        kind,
        size,
        // SFTP attributes are optional; a server may send no modification time.
        modifiedAt: Number.isFinite(modifyTime) ? new Date(modifyTime) : undefined,
      });
    }
    return entries;
  }

  /** Returns the attributes of a link's target, or undefined when the link leads nowhere. */
  private async statLink(path: string): Promise<SftpClient.FileStats | undefined> {
    try {
      return await this.call('stat', path, () => this.client.stat(path));
    } catch (error) {
      if (error instanceof KuryrError && error.retryable) throw error;
      return undefined;
    }
  }

  download(path: string, target: string, offset: number): Promise<string> {
    let progress = () => {};
    return this.call(
      'download',
      path,
      () =>
        this.withHandle(path, 'r', async (sftp, handle) => {
          const { size } = await promisify(sftp.fstat.bind(sftp))(handle);
          const start = Math.min(offset, size);
          const file = await DownloadTarget.open(target, start);
          try {
            await readPipelined(sftp, handle, start, size, (chunk) => {
              progress();
              return file.write(chunk);
            });
          } catch (error) {
            await file.abort();
            throw error;
          }
          return file.finish();
        }),
      (onProgress) => (progress = onProgress),
    );
  }

  upload(source: Readable, path: string): Promise<void> {
    let progress = () => {};
    return this.call(
      'upload',
      path,
      () =>
        this.withHandle(path, 'w', (sftp, handle) =>
          writePipelined(sftp, handle, source, () => progress()),
        ),
      (onProgress) => (progress = onProgress),
    );
  }

  /** Opens the remote file, runs `use` with its handle, and closes it. */
  private async withHandle<T>(
    path: string,
    flags: 'r' | 'w',
    use: (sftp: SFTPWrapper, handle: Buffer) => Promise<T>,
  ): Promise<T> {
    const sftp = (this.client as unknown as { sftp: SFTPWrapper | undefined }).sftp;
    if (sftp === undefined) throw new Error('the SFTP channel is closed');
    // ssh2 creates files with mode 0666, and OpenSSH applies no umask to it: 0644 is what
    // OpenSSH's own sftp client gives a new file.
    const openFile = promisify(
      (mode: number, done: (error: Error | undefined, handle: Buffer) => void) =>
        sftp.open(path, flags, { mode }, done),
    );
    const handle = await openFile(0o644);
    try {
      return await use(sftp, handle);
    } finally {
      await promisify(sftp.close.bind(sftp))(handle).catch(() => undefined);
    }
  }

  async size(path: string): Promise<number | undefined> {
    const kind = await this.call('size', path, () => this.client.exists(path));
    if (kind === false) return undefined;
    return (await this.call('size', path, () => this.client.stat(path))).size;
  }

  rename(from: string, to: string): Promise<void> {
    return this.call('rename', from, async () => {
      if (this.replacesOnRename) await this.client.posixRename(from, to);
      else await this.client.rename(from, to);
    });
  }

  delete(path: string): Promise<void> {
    return this.call('delete', path, async () => void (await this.client.delete(path)));
  }

  makeFolder(path: string): Promise<void> {
    return this.call('make folder', path, async () => void (await this.client.mkdir(path, true)));
  }

  async close(): Promise<Error | undefined> {
    this.closing = true;
    await this.client.end().catch((error: Error) => (this.closeProblem ??= error));
    this.broken = true;
    return this.closeProblem;
  }

  abort(): void {
    this.broken = true;
    this.failCall?.(new AbortedError());
    void this.client.end().catch(() => undefined);
  }

  private onConnectionEnd(error: Error | undefined): void {
    this.broken = true;
    if (this.closing && error !== undefined) this.closeProblem ??= error;
    const reason = error?.message ?? 'the server closed the connection';
    this.failCall?.(
      new EnvironmentError('REMOTE_CONNECTION_LOST', `${this.server}: ${reason}`, {
        retryable: true,
      }),
    );
  }

  /**
   * Runs a call, failing it when it stays silent longer than the timeout. A transfer reports its
   * progress through `watchProgress`, so a large file never times out while it moves.
   */
  private async call<T>(
    action: string,
    path: string,
    run: () => Promise<T>,
    watchProgress?: (onProgress: () => void) => void,
  ): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const expire = () => {
        this.broken = true;
        void this.client.end().catch(() => undefined);
        const message = `${action} ${path} on ${this.server} timed out`;
        reject(new EnvironmentError('REMOTE_TIMEOUT', message, { retryable: true }));
      };
      timer = setTimeout(expire, this.timeoutMs);
      watchProgress?.(() => timer?.refresh());
      this.failCall = reject;
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      if (error instanceof EnvironmentError || isConnectionError(error)) this.broken = true;
      throw describeTransferError(error, { server: this.server, path, action });
    } finally {
      clearTimeout(timer);
      this.failCall = undefined;
    }
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ENOENT';
}

function kindOf(type: string): RemoteEntry['kind'] {
  if (type === '-') return 'file';
  if (type === 'd') return 'folder';
  return 'other';
}
