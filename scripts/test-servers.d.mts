/** A pure-ftpd server on 127.0.0.1 with one virtual user and FTPS, started for a test file. */
export type FtpServer = {
  port: number;
  /** Process id of the listening pure-ftpd; each connection runs in a process below it. */
  pid: number;
  user: string;
  /** Another account with the same password and home folder. */
  secondUser: string;
  password: string;
  /** The user's home folder: what the server shows as `/`. */
  root: string;
  /** The server's self-signed certificate in PEM. */
  certificate: string;
  /** Writes a file into the server's folder as the server's user, as another program would. */
  put(path: string, content: Buffer | string): Promise<void>;
  stop(): Promise<void>;
};

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
  /** The fingerprint of the server's second host key, an RSA key. */
  rsaHostKeyFingerprint: string;
  /** Process id of the listening sshd; each connection runs in processes below it. */
  pid: number;
  stop(): Promise<void>;
};

export declare function freePort(): Promise<number>;
export declare function freePortRange(count: number): Promise<number>;
export declare function waitForPort(port: number, timeoutMs?: number): Promise<void>;
export declare function startFtpServer(options?: {
  /** Reject PASV and EPSV, so only active mode (EPRT, PORT) can transfer. */
  activeOnly?: boolean;
  /** Answer 421 to a connection beyond this many from one address. */
  maxClientsPerIp?: number;
  /** At most this many files and megabytes per account; a STOR beyond fails with 552. */
  quota?: { files: number; megabytes: number };
  /** Reject writing a file whose name starts with a dot. */
  prohibitDotFiles?: boolean;
  /** Move at most this many KiB per second in each transfer, up and down. */
  kilobytesPerSecond?: number;
}): Promise<FtpServer>;
export declare function startSftpServer(): Promise<SftpServer>;
/**
 * vsftpd on 127.0.0.1 with implicit FTPS; `user` is `anonymous` with an empty password, and
 * `secondUser` is not available. The account may write only in `remoteRoot`, which is `root`.
 */
export declare function startImplicitFtpsServer(): Promise<
  Omit<FtpServer, 'secondUser'> & {
    remoteRoot: string;
    /** The arguments of each command with this verb that the server received, from its log. */
    commands(verb: string): Promise<string[]>;
  }
>;
export declare function writeOwnedBy(
  root: string,
  path: string,
  content: Buffer | string,
  uid: number,
): Promise<void>;
