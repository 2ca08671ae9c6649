import { copyFile, link, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { z } from 'zod';
import type { BlockContext, ParameterProblem } from '../../../contract/block.js';
import { EnvironmentError, FlowAuthorError, KuryrError } from '../../../contract/errors.js';
import type { FileItem } from '../../../contract/files.js';
import type { FileClaim, ProcessedFile } from '../../../contract/ledger.js';
import { describeFileError } from '../../file/file-errors.js';
import { mediaTypeOf } from '../../file/media-types.js';
import { withBulkTransferHeapGrowth } from '../../../system/heap-growth.js';
import { removeAbandonedStagedFiles, stagedPathFor } from '../../file/staging.js';
import type { RemoteEntry, RemoteSession } from '../remote-session.js';
import { remotePath } from '../transfer-parameters.js';
import { reserveSavePath } from './save-names.js';
import type { ConnectionParameters, TransferRun } from '../transfer-run.js';

/** Parameters of the download operation. */
export const downloadParameters = z.object({
  folder: remotePath('Folder', 'Folder on the server to download from, e.g. /orders.'),
  pattern: z.string().min(1).default('*').meta({
    title: 'Name pattern',
    description: 'Files whose names match, with * and ?, ignoring case, e.g. *.csv; * takes all.',
    expression: true,
  }),
  minimumAgeMinutes: z.number().min(0).default(0).meta({
    title: 'Minimum age (minutes)',
    description: 'Skip files changed more recently, e.g. while the other side still writes them.',
  }),
  maximumAgeMinutes: z.number().min(0).optional().meta({
    title: 'Maximum age (minutes)',
    description: 'Skip files older than this; empty takes every age.',
  }),
  saveTo: z
    .string()
    .optional()
    .meta({
      title: 'Save to folder',
      description:
        'Folder in the data folder to save the files to, when the run succeeds; empty sends them ' +
        'only on to the next block.',
      expression: true,
      widget: 'folder',
    }),
  afterRun: z
    .enum(['keep', 'delete', 'move'])
    .default('keep')
    .meta({
      title: 'After the run',
      description:
        'What happens to each downloaded file on the server once the run succeeded: keep it, ' +
        'delete it, or move it to the folder below.',
    }),
  moveTo: z.string().optional().meta({
    title: 'Move to folder',
    description: 'Folder on the server for downloaded files when "After the run" is move.',
    expression: true,
  }),
  acceptRoutedErrors: z.boolean().default(false).meta({
    title: 'Count a run with routed errors as done',
    description:
      'Remember the files (and delete or move them) also when some errors went to error ports.',
  }),
});

type Parameters = ConnectionParameters & z.infer<typeof downloadParameters>;

/**
 * Downloads the matching files that no committed run of the flow consumed yet, each claimed
 * first so that an overlapping run of the flow skips it. Each streams to the run's
 * temporary area while its SHA-256 is computed, so no file sits whole in memory. After a
 * dropped connection the executor retries the file, and the retry resumes after the bytes that
 * arrived. At commit, after every other block published its results, the files are recorded
 * in the ledger first and only then deleted or moved on the server. So a crash in between never
 * imports a file twice.
 */
export async function download(context: BlockContext<Parameters>, run: TransferRun): Promise<void> {
  const { params } = context;
  checkParameters(params);
  const folder = params.folder;
  // Only files the pattern takes need their exact time, which may cost a command each.
  const needsDetails = (name: string) => !isUnsafeName(name) && matchesName(name, params);
  const entries = await run.session(`list ${folder}`, (session) =>
    session.list(folder, { needsDetails }),
  );
  const now = context.runStartedAt.getTime();
  warnOfUnresolvedEntries(context, entries);
  const files = entries.filter((entry) => entry.kind === 'file');
  const safe = skipUnsafeNames(context, files);
  warnOfUnknownAges(context, safe);
  const matches = safe.filter((entry) => isWanted(entry, params, now));
  const consumed: ProcessedFile[] = [];
  const alreadyProcessed: RemoteEntry[] = [];
  const claimedElsewhere: { entry: RemoteEntry; claim: FileClaim }[] = [];
  // Registered first, so that the files downloaded before a file that fails and goes to the
  // error port are still recorded and cleaned up when the run commits.
  registerCommit(context, run, consumed, alreadyProcessed);
  await recoverPendingFiles(context);
  let account = '';

  for (const entry of matches) {
    const path = context.temp.newPath(temporaryExtension(entry.name));
    let outcome: FileOutcome;
    try {
      outcome = await run.session(`download ${entry.path}`, async (session) => {
        account = session.account;
        return takeOne(context, session, entry, path);
      });
    } catch (error) {
      await unlink(path).catch(() => undefined);
      if (!isFileError(error)) throw error;
      // One unreadable file goes to the error port (or fails the block when none is wired),
      // and the other files still come.
      await context.reportItemError(error, {
        name: entry.name,
        path: entry.path,
        size: entry.size,
      });
      continue;
    }
    if (outcome.kind === 'claimed') {
      claimedElsewhere.push({ entry, claim: outcome.claim });
      continue;
    }
    if (outcome.kind === 'processed') {
      alreadyProcessed.push(entry);
      context.logger.debug('file already processed, skipped', { path: entry.path });
      continue;
    }
    const { item, saved } = await deliver(context, entry, path);
    consumed.push({
      ...versionOf(account, entry),
      checksum: outcome.checksum,
      flowId: context.flowId,
      runId: context.runId,
      ...saved,
    });
    await context.outputs.file!.send([item]);
  }
  if (alreadyProcessed.length > 0) {
    context.warn(
      'FILES_ALREADY_PROCESSED',
      `${alreadyProcessed.length} files in ${folder} were imported by an earlier run of this ` +
        `flow and skipped: ${listSome(alreadyProcessed.map((entry) => entry.name))}`,
      { folder },
    );
  }
  if (claimedElsewhere.length > 0) {
    const runs = [...new Set(claimedElsewhere.map(({ claim }) => claim.runId))];
    context.warn(
      'FILES_CLAIMED_BY_OTHER_RUN',
      `${claimedElsewhere.length} files in ${folder} are being downloaded by another run of ` +
        `this flow (${listSome(runs)}) and were skipped: ` +
        `${listSome(claimedElsewhere.map(({ entry }) => entry.name))}. A later run takes any ` +
        'that run does not commit.',
      { folder },
    );
  }
}

/** Outcome of one listed file. */
type FileOutcome =
  | { kind: 'downloaded'; checksum: string }
  | { kind: 'processed' }
  | { kind: 'claimed'; claim: FileClaim };

/**
 * Claims the file for this run, then downloads it unless an earlier run of the flow consumed it.
 * The claim comes first: a run that committed the file before this claim is seen in the ledger,
 * and a live run with the claim makes this run skip it.
 */
async function takeOne(
  context: BlockContext<Parameters>,
  session: RemoteSession,
  entry: RemoteEntry,
  path: string,
): Promise<FileOutcome> {
  const claim = await context.ledger.claim({
    server: session.account,
    path: entry.path,
    flowId: context.flowId,
    runId: context.runId,
    onTakeOver: (previous) =>
      context.warn(
        'FILE_CLAIM_TAKEN_OVER',
        `${entry.path} was claimed by run ${previous.runId} on host ${previous.host}, whose ` +
          `lease expired at ${previous.leaseExpiredAt} without renewal, so this run took it ` +
          'over. If that run is still alive, check the clocks and the load of both machines.',
        { file: entry.path },
      ),
  });
  if (claim !== undefined) return { kind: 'claimed', claim };
  if (await isProcessed(context, session, entry)) return { kind: 'processed' };
  return { kind: 'downloaded', checksum: await downloadOne(context, session, entry, path) };
}

/** Errors about one file, which leave the other files of the folder downloadable. */
const FILE_ERROR_CODES = new Set([
  'REMOTE_PATH_UNAVAILABLE',
  'REMOTE_COMMAND_REFUSED',
  'DOWNLOAD_INCOMPLETE',
]);

function isFileError(error: unknown): boolean {
  return error instanceof KuryrError && FILE_ERROR_CODES.has(error.code);
}

/**
 * Returns the extension of `name` for its temporary file. A very long extension is left off,
 * because the temporary name would exceed the file system's limit. The item keeps its name.
 */
function temporaryExtension(name: string): string {
  const extension = posix.extname(name);
  return Buffer.byteLength(extension) <= 32 ? extension : '';
}

/** Returns the first five names joined, and how many more there are. */
function listSome(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/**
 * Drops, with a warning, entries whose names could leave the save folder or the server folder:
 * empty, `.`, `..`, or with a slash, backslash or NUL. A server lists such names only by
 * mistake or in an attack.
 */
function skipUnsafeNames(context: BlockContext<Parameters>, entries: RemoteEntry[]): RemoteEntry[] {
  const unsafe = entries.filter((entry) => isUnsafeName(entry.name));
  if (unsafe.length > 0) {
    context.warn(
      'UNSAFE_FILE_NAME_SKIPPED',
      `${unsafe.length} listed names in ${context.params.folder} could lead outside the folder ` +
        `and were skipped: ${listSome(unsafe.map((entry) => JSON.stringify(entry.name)))}`,
      { folder: context.params.folder },
    );
  }
  return entries.filter((entry) => !isUnsafeName(entry.name));
}

function isUnsafeName(name: string): boolean {
  return name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name);
}

/**
 * Finds parameter combinations that the schema cannot express: "After the run" move without a
 * folder to move to. `kuryr validate` and the run use the same rule.
 */
export function checkDownloadParameters(
  params: Readonly<Record<string, unknown>>,
): ParameterProblem[] {
  const moveTo = params.moveTo;
  if (params.afterRun !== 'move' || (moveTo !== undefined && moveTo !== '')) return [];
  return [
    {
      parameter: 'moveTo',
      message: '"After the run" is move, but no folder to move to is given',
    },
  ];
}

function checkParameters(params: Parameters): void {
  const [problem] = checkDownloadParameters(params);
  if (problem === undefined) return;
  throw new FlowAuthorError('MOVE_FOLDER_MISSING', problem.message, {
    hint: 'Fill in "Move to folder", or choose keep or delete.',
    context: { parameter: problem.parameter },
  });
}

/**
 * Warns about entries the pattern takes that are neither files nor folders: symbolic links that
 * lead nowhere, links whose target an FTP server does not reveal as a file, devices and the like.
 */
function warnOfUnresolvedEntries(context: BlockContext<Parameters>, entries: RemoteEntry[]): void {
  const { params } = context;
  const names = entries
    .filter((entry) => entry.kind === 'other' && matchesName(entry.name, params))
    .map((entry) => entry.name);
  if (names.length === 0) return;
  context.warn(
    'REMOTE_ENTRY_SKIPPED',
    `${names.length} entries in ${params.folder} match the pattern but are not files that ` +
      `could be read, e.g. symbolic links to a missing file or to a folder, and were skipped: ` +
      `${listSome(names)}. Point the links at regular files, or narrow the pattern.`,
    { folder: params.folder },
  );
}

/**
 * Warns about matching files that an age filter skips because the server gives no modification
 * time for them (no full date in the listing, and MDTM refused).
 */
function warnOfUnknownAges(context: BlockContext<Parameters>, entries: RemoteEntry[]): void {
  const { params } = context;
  if (params.minimumAgeMinutes === 0 && params.maximumAgeMinutes === undefined) return;
  const undated = entries.filter(
    (entry) => entry.modifiedAt === undefined && matchesPattern(entry, params),
  );
  if (undated.length === 0) return;
  context.warn(
    'MODIFICATION_TIME_UNKNOWN',
    `${undated.length} files in ${params.folder} were skipped, because the server gives no ` +
      `modification time for them and an age filter is set: ` +
      `${listSome(undated.map((entry) => entry.name))}. Clear "Minimum age" and "Maximum age" ` +
      'to take them.',
    { folder: params.folder },
  );
}

function matchesPattern(entry: RemoteEntry, params: Parameters): boolean {
  return entry.kind === 'file' && matchesName(entry.name, params);
}

function matchesName(name: string, params: Pick<Parameters, 'pattern'>): boolean {
  // Both in NFC, because macOS clients write names decomposed (NFD), as "a" and U+0301 for
  // "á", while patterns are typed composed. The path requested stays the server's own.
  if (!globToRegExp(params.pattern.normalize('NFC')).test(name.normalize('NFC'))) return false;
  // A visible `NAME.kuryr-….part` is an upload in progress, never a file to take.
  if (/\.kuryr-[0-9a-f]{12}\.part$/.test(name) && !name.startsWith('.')) return false;
  // Hidden files, such as the `.NAME.kuryr-….part` of an upload in progress, are taken only by
  // a pattern that starts with a dot, as a shell's glob does.
  return !name.startsWith('.') || params.pattern.startsWith('.');
}

function isWanted(entry: RemoteEntry, params: Parameters, now: number): boolean {
  if (!matchesPattern(entry, params)) return false;
  if (entry.modifiedAt === undefined)
    return params.minimumAgeMinutes === 0 && params.maximumAgeMinutes === undefined;
  // A file dated ahead of this machine's clock (a server clock that runs ahead, or a wrong
  // serverTimeZone) counts as just changed, so the default minimum age of 0 still takes it.
  const ageMinutes = Math.max(0, now - entry.modifiedAt.getTime()) / 60_000;
  if (ageMinutes < params.minimumAgeMinutes) return false;
  return params.maximumAgeMinutes === undefined || ageMinutes <= params.maximumAgeMinutes;
}

/** Turns a name pattern with `*` and `?` into a case-insensitive regular expression. */
export function globToRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 'iu');
}

/**
 * Resolves the pending records of this flow's runs that died while committing, before this run
 * stages anything. A file still at its staged path was never published, so the staged file is
 * removed and the file imported again. A file that left its staged path was renamed into
 * saveTo, where a consumer may already have taken it, so it counts as processed. A file that
 * was not saved into the data folder is imported again, because what the other blocks of that
 * run published cannot be checked. Records of a live run, which keeps its claim, are left alone.
 *
 * NOTE: a write into the same saveTo folder by another flow removes staged files of dead
 * processes, and a file removed that way counts as processed although it was never published.
 */
async function recoverPendingFiles(context: BlockContext<Parameters>): Promise<void> {
  const { ledger, flowId, runId } = context;
  for (const file of await ledger.pendingFiles(flowId)) {
    const holder = await ledger.claim({ server: file.server, path: file.path, flowId, runId });
    if (holder !== undefined) continue;
    const staged = file.stagedPath;
    const published =
      staged !== undefined &&
      !(await stat(staged).then(
        () => true,
        () => false,
      ));
    if (published) {
      await ledger.markProcessed([file]);
    } else {
      if (staged !== undefined) await unlink(staged).catch(() => undefined);
      await ledger.discardPending({ files: [file] });
    }
    context.logger.info('pending file of an interrupted run resolved', {
      path: file.path,
      runId: file.runId,
      published,
    });
  }
}

/**
 * Looks the file up in the flow's ledger under the account's name, and under the bare server
 * name that older versions of these blocks recorded, so an upgrade does not import those files
 * again.
 */
async function isProcessed(
  context: BlockContext<Parameters>,
  session: RemoteSession,
  entry: RemoteEntry,
): Promise<boolean> {
  const { flowId } = context;
  if (await context.ledger.isProcessed(versionOf(session.account, entry), flowId)) return true;
  return context.ledger.isProcessed(versionOf(session.server, entry), flowId);
}

function versionOf(server: string, entry: RemoteEntry) {
  return {
    server,
    path: entry.path,
    size: entry.size,
    modifiedAt: entry.modifiedAt?.toISOString() ?? null,
  };
}

/**
 * Downloads one file into the temporary file `path` and returns its SHA-256. When an earlier
 * attempt of this run left part of the file there, the download resumes after it.
 */
async function downloadOne(
  context: BlockContext<Parameters>,
  session: RemoteSession,
  entry: RemoteEntry,
  path: string,
): Promise<string> {
  const offset = await stat(path).then(
    (local) => (local.size <= entry.size ? local.size : 0),
    () => 0,
  );
  if (offset > 0) {
    context.logger.info('resuming download', { path: entry.path, offset, bytes: entry.size });
  }
  const checksum = await withBulkTransferHeapGrowth(() =>
    session.download(entry.path, path, offset),
  );
  const { size } = await stat(path);
  if (size !== entry.size) {
    // A data connection that closed early leaves fewer bytes, which the next attempt keeps and
    // resumes after. More bytes mean the file grew on the server, so the next one starts over.
    if (size > entry.size) await unlink(path).catch(() => undefined);
    const message =
      size > entry.size
        ? `${entry.path} changed while it was downloaded: listed with ${entry.size} bytes, ` +
          `${size} arrived`
        : `${entry.path}: received ${size} of ${entry.size} bytes`;
    throw new EnvironmentError('DOWNLOAD_INCOMPLETE', message, {
      context: { file: entry.path },
      hint:
        'A file that the other side still writes is taken by a later run; set "Minimum age" ' +
        'to wait until it is complete.',
      retryable: true,
    });
  }
  context.logger.debug('file downloaded', { path: entry.path, bytes: entry.size });
  return checksum;
}

/**
 * Makes the file item, and stages the file in the data folder when the flow saves it there.
 * Returns the item and, for a saved file, its staged path and the path it is published to.
 */
async function deliver(
  context: BlockContext<Parameters>,
  entry: RemoteEntry,
  spooled: string,
): Promise<{ item: FileItem; saved: { stagedPath?: string; targetPath?: string } }> {
  const item: FileItem = {
    name: entry.name,
    mediaType: mediaTypeOf(entry.name),
    size: entry.size,
    content: { kind: 'temp', path: spooled },
  };
  const { saveTo } = context.params;
  if (!saveTo) return { item, saved: {} };

  const relative = posix.join(saveTo, entry.name);
  const target = await context.files.resolve(relative, 'write');
  await mkdir(dirname(target), { recursive: true }).catch((error: unknown) => {
    throw describeFileError(error, relative, 'write');
  });
  await reserveSavePath(context, target, relative, entry.path);
  await removeAbandonedStagedFiles(dirname(target));
  const staged = stagedPathFor(target);
  // A hard link costs nothing for a large file; the temporary area and the data folder may lie
  // on different disks, and then the file is copied. Blocks only read the spooled file.
  await link(spooled, staged)
    .catch(() => copyFile(spooled, staged))
    .catch((error: unknown) => {
      throw describeFileError(error, relative, 'write');
    });
  const discard = () => unlink(staged).catch(() => undefined);
  context.transaction.onRollback(discard);
  context.transaction.onCommit(async (outcome) => {
    // The same rule as for the ledger: a file that will be downloaded again by the next run is
    // not published by this one.
    if (outcome.status !== 'succeeded' && !context.params.acceptRoutedErrors) {
      await discard();
      return;
    }
    await rename(staged, target).catch(async (error: unknown) => {
      await discard();
      throw describeFileError(error, relative, 'write');
    });
    context.reportArtifact(target);
  });
  return { item, saved: { stagedPath: staged, targetPath: target } };
}

/**
 * Records the files as pending before the commit publishes them. In the commit's clean-up
 * phase, after every other block published its results, records them as processed and cleans
 * them up on the server, so a run that fails at commit consumes nothing.
 */
function registerCommit(
  context: BlockContext<Parameters>,
  run: TransferRun,
  consumed: ProcessedFile[],
  alreadyProcessed: RemoteEntry[],
): void {
  const { afterRun, moveTo, acceptRoutedErrors } = context.params;
  context.transaction.onCommit(async (outcome) => {
    if (outcome.status !== 'succeeded' && !acceptRoutedErrors) return;
    await checkClaimsHeld(context, consumed);
  }, 'check');
  // Registered before any rename into saveTo, so the commit records the files as pending
  // first. A process killed during the renames leaves records the next run resolves.
  context.transaction.onCommit(async (outcome) => {
    if (outcome.status !== 'succeeded' && !acceptRoutedErrors) return;
    await context.ledger.markPending(consumed);
  });
  context.transaction.onRollback(() => context.ledger.discardPending({ runId: context.runId }));
  run.onCommit(async (outcome) => {
    if (outcome.status !== 'succeeded' && !acceptRoutedErrors) {
      context.logger.info('run had routed errors, files not marked processed', {
        files: consumed.length,
      });
      return;
    }
    await context.ledger.markProcessed(consumed);
    context.logger.debug('files marked processed', { files: consumed.length });
    const toClean = [...consumed, ...alreadyProcessed.map((entry) => versionOf('', entry))];
    if (afterRun === 'keep' || toClean.length === 0) return;
    await cleanUp(context, run, toClean, afterRun === 'move' ? moveTo! : undefined);
  }, 'clean-up');
}

/**
 * Renews the run's claims and fails the commit, before anything is published, when another run
 * took over the claim on a consumed file. That run imports the file, because this run's lease
 * expired while it was slow (or its clock was behind), so publishing here would import it twice.
 */
async function checkClaimsHeld(
  context: BlockContext<Parameters>,
  consumed: readonly ProcessedFile[],
): Promise<void> {
  if (consumed.length === 0) return;
  const stillClaimed = new Set(
    (await context.ledger.renewClaims(context.runId)).map(({ server, path }) =>
      JSON.stringify([server, path]),
    ),
  );
  const lost = consumed.filter(
    (file) => !stillClaimed.has(JSON.stringify([file.server, file.path])),
  );
  if (lost.length === 0) return;
  throw new EnvironmentError(
    'FILE_CLAIM_LOST',
    `another run of this flow took over ${listSome(lost.map((file) => file.path))} while this ` +
      'run downloaded them, because this run did not renew its claims in time; that run ' +
      'imports them, so this run publishes nothing',
    {
      context: { file: lost[0]!.path },
      hint:
        'Check the load and the clock of this machine: a run renews its claims every few ' +
        'minutes, and a clock behind the other hosts makes them look expired.',
    },
  );
}

/**
 * Deletes or moves the consumed files. A failure only warns: the ledger already remembers the
 * files, so they are not imported again, and the next run tries the clean-up once more.
 */
async function cleanUp(
  context: BlockContext<Parameters>,
  run: TransferRun,
  files: Pick<ProcessedFile, 'path' | 'size' | 'modifiedAt'>[],
  moveTo: string | undefined,
): Promise<void> {
  const { folder } = context.params;
  // A file rewritten under the same name during the run is a version no run imported yet, so
  // it stays for the next run. The listing is taken once, right before the clean-up.
  let listing: RemoteEntry[];
  try {
    const imported = new Set(files.map((file) => posix.basename(file.path)));
    listing = await run.session(`list ${folder}`, (session) =>
      session.list(folder, { needsDetails: (name) => imported.has(name) }),
    );
  } catch (error) {
    context.warn(
      'CLEAN_UP_FAILED',
      `${files.length} imported files in ${folder} were left on the server, because listing ` +
        `the folder failed: ${(error as Error).message}`,
      { folder },
    );
    return;
  }
  const current = new Map(listing.map((entry) => [entry.path, versionOf('', entry)]));
  const archived = new Set<string>();
  let archiveListed = false;
  for (const file of files) {
    const { path } = file;
    const now = current.get(path);
    if (now === undefined) continue;
    if (now.size !== file.size || now.modifiedAt !== file.modifiedAt) {
      context.warn(
        'CLEAN_UP_SKIPPED',
        `${path} changed on the server since it was imported, so it was left for the next run`,
        { file: path },
      );
      continue;
    }
    try {
      await run.session(
        moveTo === undefined ? `delete ${path}` : `move ${path} to ${moveTo}`,
        async (session) => {
          if (moveTo === undefined) return session.delete(path);
          if (!archiveListed) {
            await session.makeFolder(moveTo);
            const names = await session.list(moveTo, { needsDetails: () => false });
            for (const entry of names) archived.add(entry.name);
            archiveListed = true;
          }
          const name = archiveName(posix.basename(path), archived, context.runStartedAt);
          if (name !== posix.basename(path)) {
            context.logger.info(
              'a file of the same name is archived already, moved under a new name',
              {
                file: path,
                name,
              },
            );
          }
          await session.rename(path, posix.join(moveTo, name));
          archived.add(name);
        },
      );
    } catch (error) {
      context.warn(
        'CLEAN_UP_FAILED',
        `${path} was imported but could not be ${moveTo === undefined ? 'deleted' : 'moved'}: ${(error as Error).message}`,
        { file: path },
      );
    }
  }
}

/**
 * Returns `name`, or when the archive folder has a file of that name already, the name with the
 * run's start time before the extension (`stock.2026-12-04T203903Z.csv`) and a counter if that
 * is taken too. FTP's RNTO and SFTP's rename replace an existing file, which would lose it.
 */
function archiveName(name: string, taken: ReadonlySet<string>, runStartedAt: Date): string {
  if (!taken.has(name)) return name;
  const extension = posix.extname(name);
  const stem = name.slice(0, name.length - extension.length);
  const stamp = runStartedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '');
  for (let counter = 1; ; counter += 1) {
    const suffix = counter === 1 ? stamp : `${stamp}-${counter}`;
    const candidate = `${stem}.${suffix}${extension}`;
    if (!taken.has(candidate)) return candidate;
  }
}
