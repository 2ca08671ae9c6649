import { execFileSync } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import type { Stats as FileStats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Attributes, Connection, SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;

/** An SFTP server on 127.0.0.1 that logs in one user by password and offers no extensions. */
export type PasswordSftpServer = {
  port: number;
  user: string;
  password: string;
  /** The folder the server shows; SFTP paths are absolute paths inside it. */
  root: string;
  hostKeyFingerprint: string;
  /** Login attempts by method and outcome, e.g. `password accepted`. */
  logins: string[];
  /**
   * The one login method the server offers: `password`, or `keyboard-interactive` with one
   * password prompt, as sshd with PasswordAuthentication off and PAM behind
   * KbdInteractiveAuthentication. May change between tests.
   */
  loginMethod: 'password' | 'keyboard-interactive';
  stop(): Promise<void>;
};

/**
 * Starts ssh2's Server as a second SFTP server beside the real sshd. The sshd of the tests logs
 * in with a key only, and a password login there would need a system account with a password,
 * which a test should not create. It serves files under a temporary folder with
 * plain SFTP version 3 requests and no extensions: its RENAME fails when the target exists, as
 * on servers other than OpenSSH.
 */
export async function startPasswordSftpServer(): Promise<PasswordSftpServer> {
  const folder = await mkdtemp(join(tmpdir(), 'kuryr-sftp-password-'));
  const root = join(folder, 'files');
  await mkdir(root);
  const hostKey = join(folder, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kuryr-test', '-f', hostKey]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${hostKey}.pub`], {
    encoding: 'utf8',
  }).split(' ')[1]!;
  const user = 'orders';
  const password = 'Heslo-456';
  const logins: string[] = [];
  const clients = new Set<Connection>();
  const state = { loginMethod: 'password' } as PasswordSftpServer;

  const server = new Server({ hostKeys: [await readFile(hostKey)] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => client.end());
    client.on('authentication', (context) => {
      const method = state.loginMethod;
      const decide = (isValid: boolean) => {
        logins.push(`${method} ${isValid ? 'accepted' : 'rejected'}`);
        if (isValid) context.accept();
        else context.reject([method]);
      };
      if (context.method !== method) {
        logins.push(`${context.method} rejected`);
        context.reject([method]);
      } else if (context.method === 'password') {
        decide(context.username === user && context.password === password);
      } else if (context.method === 'keyboard-interactive') {
        context.prompt([{ prompt: 'Password: ', echo: false }], (answers) =>
          decide(context.username === user && answers[0] === password),
        );
      }
    });
    client.on('session', (accept) => {
      accept().on('sftp', (acceptSftp) => serveFiles(acceptSftp(), root));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    user,
    password,
    root,
    hostKeyFingerprint: fingerprint,
    logins,
    async stop() {
      for (const client of clients) client.end();
      await new Promise((resolve) => server.close(resolve));
      await rm(folder, { recursive: true, force: true });
    },
  });
  return state;
}

type OpenHandle =
  | { kind: 'file'; file: FileHandle; path: string }
  | { kind: 'folder'; path: string; isListed: boolean };

/** Serves SFTP requests for paths under `root`; any other request fails as unsupported. */
function serveFiles(sftp: SFTPWrapper, root: string): void {
  const handles = new Map<number, OpenHandle>();
  let nextHandle = 1;
  const local = (path: string) => join(root, path);
  const handleOf = (buffer: Buffer) => handles.get(buffer.readUInt32BE(0));
  const newHandle = (open: OpenHandle) => {
    const id = nextHandle++;
    handles.set(id, open);
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(id);
    return buffer;
  };
  const fail = (id: number) => sftp.status(id, STATUS_CODE.FAILURE);

  sftp.on('REALPATH', (id, path) => {
    const absolute = path === '.' || path === '' ? '/' : path;
    sftp.name(id, [{ filename: absolute, longname: absolute, attrs: {} as Attributes }]);
  });
  sftp.on('STAT', (id, path) => void statReply(sftp, id, local(path)));
  sftp.on('LSTAT', (id, path) => void statReply(sftp, id, local(path)));
  sftp.on('OPENDIR', (id, path) => {
    stat(local(path)).then(
      () => sftp.handle(id, newHandle({ kind: 'folder', path: local(path), isListed: false })),
      () => sftp.status(id, STATUS_CODE.NO_SUCH_FILE),
    );
  });
  sftp.on('READDIR', (id, buffer) => {
    const handle = handleOf(buffer);
    if (handle?.kind !== 'folder') return fail(id);
    if (handle.isListed) return sftp.status(id, STATUS_CODE.EOF);
    handle.isListed = true;
    void listFolder(handle.path).then(
      (entries) => sftp.name(id, entries),
      () => fail(id),
    );
  });
  sftp.on('OPEN', (id, path, flags) => {
    const { READ, WRITE, CREAT, TRUNC } = utils.sftp.OPEN_MODE;
    const mode = flags === READ ? 'r' : flags === (WRITE | CREAT | TRUNC) ? 'w' : undefined;
    if (mode === undefined) return sftp.status(id, STATUS_CODE.OP_UNSUPPORTED);
    open(local(path), mode).then(
      (file) => sftp.handle(id, newHandle({ kind: 'file', file, path: local(path) })),
      () => sftp.status(id, STATUS_CODE.NO_SUCH_FILE),
    );
  });
  sftp.on('FSTAT', (id, buffer) => {
    const handle = handleOf(buffer);
    if (handle === undefined) return fail(id);
    void statReply(sftp, id, handle.path);
  });
  sftp.on('READ', (id, buffer, offset, length) => {
    const handle = handleOf(buffer);
    if (handle?.kind !== 'file') return fail(id);
    const data = Buffer.alloc(length);
    handle.file.read(data, 0, length, offset).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) sftp.status(id, STATUS_CODE.EOF);
        else sftp.data(id, data.subarray(0, bytesRead));
      },
      () => fail(id),
    );
  });
  sftp.on('CLOSE', (id, buffer) => {
    const handle = handleOf(buffer);
    handles.delete(buffer.readUInt32BE(0));
    if (handle?.kind === 'file') void handle.file.close();
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('WRITE', (id, buffer, offset, data) => {
    const handle = handleOf(buffer);
    if (handle?.kind !== 'file') return fail(id);
    handle.file.write(data, 0, data.length, offset).then(
      () => sftp.status(id, STATUS_CODE.OK),
      () => fail(id),
    );
  });
  sftp.on('RENAME', (id, from, to) => {
    // SFTP version 3 leaves renaming onto an existing file to the server; this one refuses.
    stat(local(to)).then(
      () => fail(id),
      () =>
        rename(local(from), local(to)).then(
          () => sftp.status(id, STATUS_CODE.OK),
          () => fail(id),
        ),
    );
  });
  sftp.on('REMOVE', (id, path) => {
    unlink(local(path)).then(
      () => sftp.status(id, STATUS_CODE.OK),
      () => sftp.status(id, STATUS_CODE.NO_SUCH_FILE),
    );
  });
  for (const unsupported of ['MKDIR', 'RMDIR', 'SETSTAT', 'FSETSTAT'] as const) {
    sftp.on(unsupported as 'RMDIR', (id: number) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED));
  }
}

async function listFolder(path: string) {
  const names = await readdir(path);
  return Promise.all(
    names.map(async (name) => {
      const stats = await stat(join(path, name));
      // Clients such as ssh2-sftp-client read the entry's type from `ls -l` style longname.
      const type = stats.isDirectory() ? 'd' : stats.isFile() ? '-' : '?';
      const longname = `${type}rw-r--r-- 1 0 0 ${stats.size} Jan 1 00:00 ${name}`;
      return { filename: name, longname, attrs: attributesOf(stats) };
    }),
  );
}

async function statReply(sftp: SFTPWrapper, id: number, path: string): Promise<void> {
  try {
    sftp.attrs(id, attributesOf(await stat(path)));
  } catch {
    sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
  }
}

function attributesOf(stats: FileStats): Attributes {
  return {
    mode: stats.mode,
    uid: 0,
    gid: 0,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}
