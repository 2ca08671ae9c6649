import { isIP } from 'node:net';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import {
  Client,
  FileType,
  enterPassiveModeIPv4,
  enterPassiveModeIPv6,
  type FileInfo,
  type TransferStrategy,
} from 'basic-ftp';
import type { CodePage } from '../../codepages/code-page.js';
import { encodeText } from '../../codepages/codec.js';
import type { BlockContext } from '../../contract/block.js';
import type { Credential } from '../../contract/credentials.js';
import type { Logger } from '../../contract/logger.js';
import { DownloadTarget } from './download-target.js';
import { enterActiveMode } from './ftp-active-mode.js';
import { FtpFileNames } from './ftp-file-names.js';
import { describeListingError, parseFtpListing } from './ftp-listing-format.js';
import { uploadKeepingReply } from './ftp-storage-reply.js';
import { parseDosListingDate } from './listing-dates.js';
import {
  accountName,
  type ListOptions,
  type RemoteEntry,
  type RemoteSession,
} from './remote-session.js';
import { describeTransferError } from './transfer-errors.js';

/** FTP security: plain, explicit TLS after AUTH TLS (port 21), or implicit TLS (port 990). */
export type FtpSecurity = 'none' | 'explicit' | 'implicit';

/**
 * How data connections open: `auto` tries EPSV and falls back to PASV for good when the EPSV
 * data connection fails (a firewall that passes only PASV); `epsv` and `pasv` use one; `active`
 * lets the server connect back to this machine (EPRT, or PORT when the server lacks EPRT).
 */
export type FtpTransferMode = 'auto' | 'epsv' | 'pasv' | 'active';

export type FtpSessionOptions = {
  credential: Credential;
  security: FtpSecurity;
  transferMode: FtpTransferMode;
  /** Code page of the names on the server; UTF-8 when omitted. */
  fileNameEncoding?: CodePage;
  /** IANA time zone of listing times without a zone (MS-DOS format); UTC when omitted. */
  serverTimeZone?: string;
  timeoutMs: number;
  logger: Logger;
  warn: BlockContext<unknown>['warn'];
};

/**
 * How long a failed upload waits for the server's reply on the control connection, e.g. the 552
 * of a full quota, which pure-ftpd sends just after it resets the data connection.
 * NOTE: an estimate; a reply slower than this leaves the failure a retried network error.
 */
const STORAGE_REPLY_WAIT_MS = 2000;

/** Opens a logged-in FTP session with basic-ftp; the certificate is verified by default. */
export async function openFtpSession(options: FtpSessionOptions): Promise<RemoteSession> {
  const { credential, security, timeoutMs, logger } = options;
  const host = credential.host ?? '';
  const port = credential.port ?? (security === 'implicit' ? 990 : 21);
  const server = `ftp://${host}:${port}`;
  const user = credential.user ?? 'anonymous';
  const names = new FtpFileNames(options.fileNameEncoding ?? 'utf-8', server);
  const client = new Client(timeoutMs);
  client.ftp.encoding = names.socketEncoding;
  const tls: ConnectionOptions = {
    rejectUnauthorized: credential.verifyCertificate !== false,
    ...(credential.caCertificate === undefined ? {} : { ca: credential.caCertificate }),
    // SNI carries host names only; Node.js warns when it is given an IP address.
    ...(isIP(host) === 0 ? { servername: host } : {}),
  };
  try {
    await client.access({
      host,
      port,
      user: names.toWire(user),
      // A character the code page lacks becomes "?", and the server then refuses the login.
      password: toWirePassword(credential.password ?? '', names),
      secure: security === 'none' ? false : security === 'implicit' ? 'implicit' : true,
      secureOptions: tls,
    });
  } catch (error) {
    client.close();
    throw describeTransferError(error, { server, action: 'connect', user });
  }
  client.prepareTransfer = transferStrategy(options, server);
  client.parseList = parseFtpListing;
  logger.debug('ftp connected', { server, security, transferMode: options.transferMode });
  return new FtpSession(
    client,
    server,
    accountName('ftp', user, host, port),
    names,
    options.warn,
    options.serverTimeZone ?? 'UTC',
  );
}

class FtpSession implements RemoteSession {
  // RNTO over an existing file replaces it on Unix servers; IIS refuses, and then the upload
  // fails with the server's reply rather than deleting the old file first.
  readonly replacesOnRename = true;

  constructor(
    private readonly client: Client,
    readonly server: string,
    readonly account: string,
    private readonly names: FtpFileNames,
    private readonly warn: FtpSessionOptions['warn'],
    private readonly serverTimeZone: string,
  ) {}

  /** Set once the session warned that a listing contained names that are not UTF-8. */
  private warnedAboutEncoding = false;

  get isUsable(): boolean {
    return !this.client.closed;
  }

  async list(folder: string, options: ListOptions = {}): Promise<RemoteEntry[]> {
    const infos = await this.call('list', folder, () => this.listInfos(folder));
    // basic-ftp falls back to LIST when MLSD fails, and servers such as pure-ftpd reply to LIST
    // of a missing folder with an empty listing. Entering the folder distinguishes the two.
    if (infos.length === 0) await this.call('list', folder, () => this.visitFolder(folder, false));
    const entries: RemoteEntry[] = [];
    const needsDetails = options.needsDetails ?? (() => true);
    for (const info of infos) entries.push(await this.toEntry(folder, info, needsDetails));
    this.warnOnReplacementCharacters(folder, entries);
    return entries;
  }

  private async listInfos(folder: string): Promise<FileInfo[]> {
    try {
      return await this.client.list(this.names.toWire(folder));
    } catch (error) {
      const decode = (wire: string) => this.names.fromWire(wire);
      throw describeListingError(error, this.server, folder, decode);
    }
  }

  download(path: string, target: string, offset: number): Promise<string> {
    return this.call('download', path, async () => {
      // REST is an extension (RFC 3659); without it the download starts over.
      const start = offset > 0 && (await this.client.features()).has('REST') ? offset : 0;
      const file = await DownloadTarget.open(target, start);
      try {
        await this.client.downloadTo(file.writable(), this.names.toWire(path), start);
      } catch (error) {
        await file.abort();
        throw error;
      }
      return file.finish();
    });
  }

  upload(source: Readable, path: string): Promise<void> {
    return this.call('upload', path, () =>
      uploadKeepingReply(
        this.client,
        () => this.client.uploadFrom(source, this.names.toWire(path)),
        STORAGE_REPLY_WAIT_MS,
      ),
    );
  }

  async size(path: string): Promise<number | undefined> {
    try {
      return await this.client.size(this.names.toWire(path));
    } catch (error) {
      if (isMissingFileReply(error)) return undefined;
      throw describeTransferError(error, { server: this.server, path, action: 'size' });
    }
  }

  rename(from: string, to: string): Promise<void> {
    return this.call('rename', from, async () => {
      await this.client.rename(this.names.toWire(from), this.names.toWire(to));
    });
  }

  delete(path: string): Promise<void> {
    return this.call('delete', path, async () => {
      await this.client.remove(this.names.toWire(path));
    });
  }

  makeFolder(path: string): Promise<void> {
    // ensureDir leaves the session in the new folder, which would move every relative path.
    return this.call('make folder', path, () => this.visitFolder(path, true));
  }

  /**
   * Enters `folder`, created first with its parents when `create`, and returns to the folder
   * before. Fails with the server's reply when the folder is missing or is a file.
   */
  private async visitFolder(folder: string, create: boolean): Promise<void> {
    const wireFolder = this.names.toWire(folder);
    // The working folder stays in the server's bytes, as pwd returns it.
    const previous = await this.client.pwd();
    try {
      if (create) await this.client.ensureDir(wireFolder);
      else await this.client.cd(wireFolder);
    } finally {
      await this.client.cd(previous);
    }
  }

  abort(): void {
    // basic-ftp rejects the task in progress and closes the control and data sockets.
    this.client.close();
  }

  async close(): Promise<Error | undefined> {
    if (this.client.closed) return undefined;
    await this.client.send('QUIT').catch(() => undefined);
    this.client.close();
    return undefined;
  }

  private async call<T>(action: string, path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw describeTransferError(error, { server: this.server, path, action });
    }
  }

  /**
   * Makes the entry of one listed file. basic-ftp lists with MLSD where the server offers it,
   * which gives UTC times to the second, and else with LIST.
   */
  private async toEntry(
    folder: string,
    info: FileInfo,
    needsDetails: (name: string) => boolean,
  ): Promise<RemoteEntry> {
    const name = this.names.fromWire(info.name);
    const path = posix.join(folder, name);
    if (info.isSymbolicLink) {
      const target = needsDetails(name) ? await this.linkedFileSize(path) : undefined;
      if (target === undefined)
        return { name, path, kind: 'other', size: info.size, modifiedAt: undefined };
      // The listed time is the link's own, so the target's comes from MDTM.
      return {
        name,
        path,
        kind: 'file',
        size: target,
        modifiedAt: await this.modificationTime(path),
      };
    }
    const kind = info.type === FileType.File ? 'file' : info.isDirectory ? 'folder' : 'other';
    // basic-ftp sets modifiedAt only from MLSD, whose times are UTC (RFC 3659).
    let modifiedAt =
      info.modifiedAt ?? parseDosListingDate(info.rawModifiedAt, this.serverTimeZone);
    if (modifiedAt === undefined && kind === 'file' && needsDetails(name)) {
      // A Unix listing shows no year or seconds for recent files, so MDTM gives the exact time,
      // at one round trip per file.
      modifiedAt = await this.modificationTime(path);
    }
    return { name, path, kind, size: info.size, modifiedAt };
  }

  private modificationTime(path: string): Promise<Date | undefined> {
    return this.client.lastMod(this.names.toWire(path)).catch(() => undefined);
  }

  /**
   * Returns the size of the file that a symbolic link leads to, or undefined when the server
   * rejects SIZE for it, as vsftpd 3.0 does for a folder or a missing target. A listing shows
   * no type for a link's target, so the reply to SIZE separates files from the rest.
   * NOTE: a server that returns a size for a folder makes the link a file, whose RETR fails.
   */
  private async linkedFileSize(path: string): Promise<number | undefined> {
    try {
      return await this.client.size(this.names.toWire(path));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && code >= 500) return undefined;
      throw describeTransferError(error, { server: this.server, path, action: 'size' });
    }
  }

  /**
   * Warns once when a UTF-8 listing contains U+FFFD, the character that replaces bytes which are
   * not UTF-8: the server then sends names in another code page, and those files cannot be
   * fetched by name.
   */
  private warnOnReplacementCharacters(folder: string, entries: readonly RemoteEntry[]): void {
    if (this.warnedAboutEncoding || this.names.codePage !== 'utf-8') return;
    const garbled = entries.find((entry) => entry.name.includes('\uFFFD'));
    if (garbled === undefined) return;
    this.warnedAboutEncoding = true;
    this.warn(
      'REMOTE_NAME_NOT_UTF8',
      `${this.server} lists names in ${folder} that are not UTF-8, e.g. "${garbled.name}"; ` +
        'set fileNameEncoding to the code page of the server, for Czech servers usually 1250',
      { server: this.server, file: garbled.path },
    );
  }
}

function toWirePassword(password: string, names: FtpFileNames): string {
  if (names.codePage === 'utf-8') return password;
  return encodeText(password, names.codePage).bytes.toString('latin1');
}

/** The 550 reply to SIZE of a file that does not exist. */
function isMissingFileReply(error: unknown): boolean {
  return (error as { code?: unknown }).code === 550;
}

function transferStrategy(options: FtpSessionOptions, server: string): TransferStrategy {
  const { transferMode: mode, logger, warn } = options;
  if (mode === 'epsv') return enterPassiveModeIPv6;
  if (mode === 'pasv') return enterPassiveModeIPv4;
  if (mode === 'active') return enterActiveMode;
  let strategy: TransferStrategy = async (ftp) => {
    try {
      return await enterPassiveModeIPv6(ftp);
    } catch (error) {
      logger.warn('EPSV failed, falling back to PASV', {
        server,
        reason: (error as Error).message,
      });
      warn('EPSV_FALLBACK', `${server}: the EPSV data connection failed, PASV used instead`, {
        server,
      });
      strategy = enterPassiveModeIPv4;
      return enterPassiveModeIPv4(ftp);
    }
  };
  return (ftp) => strategy(ftp);
}
