import type { Flow } from '../flow/flow-schema.js';
import type { RunEvent } from '../executor/run-events.js';
import type { BlockCounts } from '../executor/run-report.js';

type Line = {
  id: string;
  label: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  counts: BlockCounts;
  rate: number;
  elapsedMs: number;
  warnings: number;
  printedAt: number;
};

const marks: Record<Line['state'], string> = {
  pending: ' ',
  running: '…',
  succeeded: '✔',
  failed: '✖',
  cancelled: '-',
};

const numberFormat = new Intl.NumberFormat('en-US');

/** Interval of redraws on a terminal, and of repeated lines elsewhere (ms). */
const TERMINAL_REDRAW_MS = 100;
const LOG_REPEAT_MS = 2000;

/**
 * Draws one line per block on stderr. On a terminal the lines are redrawn in place while blocks
 * run. Elsewhere (a log file, CI), a block's line is printed at most every two seconds while it
 * runs, and once when it ends.
 */
export class ProgressView {
  private readonly lines: Line[];
  private drawnLines = 0;
  private lastDraw = 0;

  constructor(
    flow: Flow,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly isTerminal = Boolean(process.stderr.isTTY),
  ) {
    const width = Math.max(...flow.blocks.map((block) => (block.name || block.id).length));
    this.lines = flow.blocks.map((block) => ({
      id: block.id,
      label: (block.name || block.id).padEnd(width),
      state: 'pending',
      counts: { recordsIn: 0, recordsOut: 0, filesIn: 0, filesOut: 0, errors: 0 },
      rate: 0,
      elapsedMs: 0,
      warnings: 0,
      printedAt: 0,
    }));
  }

  /** Updates the view from a run event. */
  handle(event: RunEvent): void {
    if (event.type === 'run.started' || event.type === 'run.finished') {
      if (event.type === 'run.finished' && this.isTerminal) this.redraw();
      return;
    }
    const line = this.lines.find((candidate) => candidate.id === event.blockId);
    if (line === undefined) return;
    const before = line.state;
    this.apply(line, event);
    if (this.isTerminal) {
      if (Date.now() - this.lastDraw >= TERMINAL_REDRAW_MS || line.state !== before) this.redraw();
      return;
    }
    const due = Date.now() - line.printedAt >= LOG_REPEAT_MS;
    const ended = line.state !== before && line.state !== 'running';
    if (ended || (event.type === 'block.progress' && due)) this.print(line);
  }

  private apply(
    line: Line,
    event: Exclude<RunEvent, { type: 'run.started' | 'run.finished' }>,
  ): void {
    switch (event.type) {
      case 'block.started':
        line.state = 'running';
        return;
      case 'block.warning':
        line.warnings++;
        return;
      case 'block.progress':
      case 'block.finished':
        line.counts = event.counts;
        line.rate = event.rate;
        line.elapsedMs = event.elapsedMs;
        if (event.type === 'block.finished') line.state = 'succeeded';
        return;
      case 'block.failed':
        line.counts = event.counts;
        line.elapsedMs = event.elapsedMs;
        line.state = event.error.code === 'RUN_ABORTED' ? 'cancelled' : 'failed';
        return;
    }
  }

  private print(line: Line): void {
    line.printedAt = Date.now();
    // Log lines carry the local time, so that runs interleaved in one log can be distinguished.
    const time = new Date(line.printedAt).toTimeString().slice(0, 8);
    this.stream.write(`${time} ${formatLine(line)}\n`);
  }

  private redraw(): void {
    this.lastDraw = Date.now();
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
    // A line that wraps would take two rows and break the cursor movement above, so cut it.
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const body = this.lines
      .map((line) => `\x1b[2K${[...formatLine(line)].slice(0, width).join('')}`)
      .join('\n');
    this.stream.write(`${up}${body}\n`);
    this.drawnLines = this.lines.length;
  }
}

function formatLine(line: Line): string {
  const { recordsIn, recordsOut, filesIn, filesOut, errors } = line.counts;
  const count = (records: number, files: number) =>
    files > 0 ? `${files} file${files === 1 ? '' : 's'}` : numberFormat.format(records);
  const parts = [
    `${marks[line.state]} ${line.label}`,
    `in ${count(recordsIn, filesIn).padStart(7)}`,
    `out ${count(recordsOut, filesOut).padStart(7)}`,
  ];
  if (line.rate > 0 && recordsIn + recordsOut > 0) {
    parts.push(`${numberFormat.format(line.rate)}/s`);
  }
  if (line.state !== 'pending') parts.push(`${(line.elapsedMs / 1000).toFixed(1)} s`);
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (line.warnings > 0) parts.push(plural(line.warnings, 'warning'));
  return parts.join('  ');
}

function plural(count: number, noun: string): string {
  return `${numberFormat.format(count)} ${noun}${count === 1 ? '' : 's'}`;
}
