import type { KuryrError, PortKind, WarningDetails } from '@kuryr/nodes';
import { isFileItem, sampleFile } from './file-sample.js';
import type { OnRunEvent } from './run-events.js';
import {
  reportError,
  type BlockCounts,
  type BlockReport,
  type BlockStatus,
  type ErrorReport,
  type ExpressionReport,
  type WarningSummary,
} from './run-report.js';

export type TrackerOptions = {
  runId: string;
  id: string;
  name: string;
  type: string;
  onEvent: OnRunEvent;
  /** Items kept per output port; default 20. */
  sampleSize: number;
  /** Minimum time between progress events of one block; default 100 ms. */
  progressIntervalMs: number;
  /** Examples kept per warning code; default 5. */
  warningExamples: number;
};

/** Warning events sent per code and block; later ones are only counted, so floods stay cheap. */
const WARNING_EVENTS_PER_CODE = 20;

/** Counts, warnings, samples and status of one block in one run; emits its events. */
export class BlockTracker {
  readonly counts: BlockCounts = {
    recordsIn: 0,
    recordsOut: 0,
    filesIn: 0,
    filesOut: 0,
    errors: 0,
  };
  status: BlockStatus = 'pending';
  error: ErrorReport | undefined;
  private startedAt: number | undefined;
  private finishedAt: number | undefined;
  private lastProgressAt = 0;
  private readonly warnings = new Map<string, WarningSummary>();
  private readonly samples: Record<string, unknown[]> = {};
  /** The last item each output port sent; copied only when a progress event goes out. */
  private readonly latest: Record<string, unknown> = {};
  /** True when a port sent items after the last progress event. */
  private latestUnsent = false;
  private readonly routedErrors: ErrorReport[] = [];
  private readonly expressions: ExpressionReport[] = [];

  constructor(private readonly options: TrackerOptions) {}

  start(): void {
    this.status = 'running';
    this.startedAt = Date.now();
    this.emit({ type: 'block.started', at: new Date(this.startedAt).toISOString() });
  }

  countIn(kind: PortKind, items: number): void {
    if (kind === 'records') this.counts.recordsIn += items;
    else this.counts.filesIn += items;
    this.maybeEmitProgress();
  }

  countOut(port: string, kind: PortKind, items: readonly unknown[]): void {
    if (kind === 'records') this.counts.recordsOut += items.length;
    else this.counts.filesOut += items.length;
    this.keepSample(port, items);
    if (items.length > 0) {
      this.latest[port] = items[items.length - 1];
      this.latestUnsent = true;
    }
    this.maybeEmitProgress();
  }

  /** Counts an error sent to the error port and keeps the first few for the report. */
  countError(error: KuryrError): void {
    this.counts.errors++;
    if (this.routedErrors.length < this.options.warningExamples)
      this.routedErrors.push(reportError(error));
  }

  warn(code: string, message: string, details?: WarningDetails): void {
    let summary = this.warnings.get(code);
    if (summary === undefined) {
      summary = { code, count: 0, examples: [] };
      this.warnings.set(code, summary);
    }
    summary.count++;
    if (summary.examples.length < this.options.warningExamples) {
      summary.examples.push(details === undefined ? { message } : { message, details });
    }
    if (summary.count <= WARNING_EVENTS_PER_CODE) {
      this.emit({ type: 'block.warning', code, message, ...(details ? { details } : {}) });
    }
  }

  /** Records whether one of the block's expressions runs compiled. */
  noteExpression(plan: ExpressionReport): void {
    const { parameter, isCompiled, reason } = plan;
    this.expressions.push(
      reason === undefined ? { parameter, isCompiled } : { parameter, isCompiled, reason },
    );
  }

  succeed(): void {
    this.flushProgress();
    this.finish('succeeded');
    this.emit({
      type: 'block.finished',
      counts: { ...this.counts },
      rate: this.rate(),
      elapsedMs: this.elapsed(),
    });
  }

  fail(error: KuryrError, routed: boolean): void {
    this.flushProgress();
    this.error = reportError(error);
    this.finish(error.code === 'RUN_ABORTED' ? 'cancelled' : 'failed');
    this.emit({
      type: 'block.failed',
      error: this.error,
      routed,
      counts: { ...this.counts },
      elapsedMs: this.elapsed(),
    });
  }

  report(): BlockReport {
    const { id, name, type } = this.options;
    return {
      id,
      name,
      type,
      status: this.status,
      ...this.counts,
      ...(this.startedAt === undefined
        ? {}
        : { startedAt: new Date(this.startedAt).toISOString() }),
      ...(this.finishedAt === undefined
        ? {}
        : { finishedAt: new Date(this.finishedAt).toISOString() }),
      ...(this.startedAt === undefined ? {} : { durationMs: this.elapsed() }),
      warnings: [...this.warnings.values()],
      routedErrors: this.routedErrors,
      ...(this.error === undefined ? {} : { error: this.error }),
      samples: this.samples,
      expressions: this.expressions,
    };
  }

  private finish(status: BlockStatus): void {
    this.status = status;
    this.finishedAt = Date.now();
  }

  private elapsed(): number {
    if (this.startedAt === undefined) return 0;
    return (this.finishedAt ?? Date.now()) - this.startedAt;
  }

  /** Items per second: the larger of what came in and what went out, records before files. */
  private rate(): number {
    const { recordsIn, recordsOut, filesIn, filesOut } = this.counts;
    const items = Math.max(recordsIn, recordsOut) || Math.max(filesIn, filesOut);
    const seconds = this.elapsed() / 1000;
    return seconds > 0 ? Math.round(items / seconds) : 0;
  }

  private keepSample(port: string, items: readonly unknown[]): void {
    const sample = (this.samples[port] ??= []);
    const room = this.options.sampleSize - sample.length;
    if (room <= 0) return;
    for (const item of items.slice(0, room)) sample.push(toSample(item));
  }

  private maybeEmitProgress(): void {
    if (Date.now() - this.lastProgressAt < this.options.progressIntervalMs) return;
    this.emitProgress();
  }

  /**
   * Sends the progress that the interval held back when a port sent items since the last one, so
   * that the live state has each port's last item when the block ends.
   */
  private flushProgress(): void {
    if (this.latestUnsent) this.emitProgress();
  }

  private emitProgress(): void {
    this.lastProgressAt = Date.now();
    this.latestUnsent = false;
    this.emit({
      type: 'block.progress',
      counts: { ...this.counts },
      rate: this.rate(),
      elapsedMs: this.elapsed(),
      latest: Object.fromEntries(
        Object.entries(this.latest).map(([port, item]) => [port, toSample(item)]),
      ),
    });
  }

  private emit(event: Record<string, unknown> & { type: string }): void {
    this.options.onEvent({
      ...event,
      runId: this.options.runId,
      blockId: this.options.id,
    } as never);
  }
}

/**
 * Samples of file items already taken. A port's latest item goes out with every progress event
 * until the next one replaces it, and a file's sample reads from disk, so it is taken once.
 */
const fileSamples = new WeakMap<object, unknown>();

/** Copies an item for the sample; a file item becomes its description and its first bytes. */
function toSample(item: unknown): unknown {
  if (!isFileItem(item)) return structuredClone(item);
  let sample = fileSamples.get(item);
  if (sample === undefined) {
    sample = sampleFile(item);
    fileSamples.set(item, sample);
  }
  return sample;
}
