import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDataFolder,
  createFileCredentialStore,
  createProcessedFileLedger,
  openDatabase,
  runFlow,
  type LedgerOptions,
  type ServiceDatabase,
} from '@kuryr/runtime';
import type { Credential, Logger } from '@kuryr/nodes';
import type { FtpServer } from '../../scripts/test-servers.mjs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildFlow, collected, testCatalog } from '../../runtime/test-support/blocks.js';

/** Log lines a test captured, as `message` and fields. */
export type LogLine = { level: string; message: string; fields: Record<string, unknown> };

/** A logger that keeps every line, for tests that check what a block logged. */
export function captureLogger(lines: LogLine[], bound: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields: { ...bound, ...fields } });
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    child: (fields) => captureLogger(lines, { ...bound, ...fields }),
  };
}

/** A data folder, a state folder with the runtime's database, and runs of test flows. */
export class TransferWorkspace {
  readonly logs: LogLine[] = [];

  private constructor(
    readonly folder: string,
    readonly data: string,
    readonly state: string,
    readonly database: ServiceDatabase,
  ) {}

  static async create(): Promise<TransferWorkspace> {
    const folder = await mkdtemp(join(tmpdir(), 'kuryr-transfer-'));
    const data = join(folder, 'data');
    const state = join(folder, 'state');
    await mkdir(data);
    await mkdir(state);
    return new TransferWorkspace(folder, data, state, await openDatabase(state));
  }

  /**
   * Runs a flow built from blocks and wires with the credential `shop`, as flow `flowId`
   * (default `test`). `signal` cancels the run, and `ledger` sets the claims' host, lease and clock.
   */
  async run(
    blocks: Parameters<typeof buildFlow>[0],
    wires: string[],
    credential: Credential,
    {
      flowId = 'test',
      signal,
      ledger,
    }: { flowId?: string; signal?: AbortSignal; ledger?: LedgerOptions } = {},
  ) {
    const credentials = await createFileCredentialStore(undefined, {
      KURYR_CREDENTIAL_SHOP: JSON.stringify(credential),
    });
    return runFlow({
      flow: { ...buildFlow(blocks, wires), id: flowId },
      catalog: testCatalog,
      variables: {},
      dataFolder: await createDataFolder(this.data, this.state),
      tempParent: join(this.state, 'tmp'),
      credentials,
      ledger: createProcessedFileLedger(this.database, ledger),
      logger: captureLogger(this.logs),
      signal,
    });
  }

  /** The ledger's rows: which server and account, and the SHA-256 it recorded per file. */
  processedFiles() {
    return this.database
      .selectFrom('processed_files')
      .select(['server', 'path', 'checksum'])
      .execute();
  }

  async remove(): Promise<void> {
    await this.database.destroy();
    await rm(this.folder, { recursive: true, force: true });
  }
}

/**
 * Registers the hooks of a transfer test file: one server for the file, and for each test a
 * fresh workspace, no collected records and an empty server folder.
 */
export function useTransferServer<S extends { root: string; stop(): Promise<void> }>(
  start: () => Promise<S>,
): { readonly server: S; readonly work: TransferWorkspace } {
  const state = {} as { server: S; work: TransferWorkspace };
  beforeAll(async () => {
    state.server = await start();
  });
  afterAll(async () => {
    await state.work?.remove();
    await state.server?.stop();
  });
  beforeEach(async () => {
    await state.work?.remove();
    state.work = await TransferWorkspace.create();
    collected.clear();
    const { root } = state.server;
    for (const name of await readdir(root)) await rm(join(root, name), { recursive: true });
  });
  return state;
}

/** The FTPS account of a test server, trusting its self-signed certificate. */
export function ftpAccount(
  server: Pick<FtpServer, 'port' | 'user' | 'password' | 'certificate'>,
  extra: Partial<Credential> = {},
): Credential {
  return {
    host: '127.0.0.1',
    port: server.port,
    user: server.user,
    password: server.password,
    caCertificate: server.certificate,
    ...extra,
  };
}
