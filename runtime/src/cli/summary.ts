import { relative } from 'node:path';
import type { BlockReport, ErrorReport, RunReport } from '../executor/run-report.js';

/** The `--json` summary: the run report without samples, with paths relative to the data folder. */
export type JsonSummary = Omit<RunReport, 'blocks' | 'artifacts'> & {
  exitCode: number;
  dataDir: string;
  artifacts: { path: string; absolutePath: string }[];
  blocks: Omit<BlockReport, 'samples'>[];
};

export function toJsonSummary(report: RunReport, exitCode: number, dataDir: string): JsonSummary {
  return {
    ...report,
    exitCode,
    dataDir,
    artifacts: report.artifacts.map((path) => ({
      path: relative(dataDir, path),
      absolutePath: path,
    })),
    blocks: report.blocks.map(({ samples: _samples, ...block }) => block),
  };
}

/** Formats an error for a person: the block, the message, where, and what to do. */
export function formatError(error: ErrorReport, blocks: readonly BlockReport[] = []): string {
  const { block: blockId, file, offset, record, field } = error.context;
  const block = blocks.find((candidate) => candidate.id === blockId);
  const blockLabel =
    blockId === undefined
      ? ''
      : `block "${blockId}"${block && block.name !== blockId ? ` (${block.name})` : ''}: `;
  const where = [
    file === undefined ? undefined : `file ${file}`,
    offset === undefined ? undefined : `byte offset ${offset}`,
    record === undefined ? undefined : `record ${record}`,
    field === undefined ? undefined : `field ${field}`,
  ].filter(Boolean);
  const lines = [`error: ${blockLabel}${error.message}`];
  if (where.length > 0) lines.push(`  at ${where.join(', ')}`);
  if (error.item !== undefined)
    lines.push(
      `  ${record === undefined ? 'item' : 'record'}: ${abbreviate(JSON.stringify(error.item))}`,
    );
  if (error.hint !== undefined) lines.push(`  hint: ${error.hint}`);
  return lines.join('\n');
}

/** Formats the summary printed on stdout after a run. */
export function formatSummary(report: RunReport, dataDir: string): string {
  const seconds = (report.durationMs / 1000).toFixed(2);
  const title = report.flowName || report.flowId;
  const status = report.status.replaceAll('_', ' ');
  const lines = [`Flow "${title}" ${status} in ${seconds} s (run ${report.runId}).`];
  for (const path of report.artifacts) lines.push(`Wrote ${relative(dataDir, path)} (${path})`);
  for (const block of report.blocks) {
    for (const warning of block.warnings) {
      const example = warning.examples[0];
      const at =
        example?.details?.record === undefined
          ? ''
          : ` (first at record ${example.details.record})`;
      const times = warning.count > 1 ? ` ×${warning.count}` : '';
      lines.push(
        `Warning in block "${block.id}": ${example?.message ?? warning.code}${times}${at}`,
      );
    }
    for (const routed of block.routedErrors) {
      lines.push(`Error sent to the error port of block "${block.id}": ${describeRouted(routed)}`);
    }
    if (block.errors > block.routedErrors.length) {
      lines.push(
        `  … and ${block.errors - block.routedErrors.length} more from block "${block.id}"`,
      );
    }
  }
  if (report.status === 'completed_with_errors') {
    const routed = report.blocks.reduce((sum, block) => sum + block.errors, 0);
    lines.push(`${routed} error${routed === 1 ? '' : 's'} went to error ports.`);
  }
  return lines.join('\n') + '\n';
}

function describeRouted(error: ErrorReport): string {
  const record = error.context.record === undefined ? '' : ` (record ${error.context.record})`;
  return `${error.message}${record}`;
}

/** Maximum length of the item text shown in an error message. */
const MAX_ITEM_TEXT = 300;

function abbreviate(text: string): string {
  return text.length <= MAX_ITEM_TEXT ? text : `${text.slice(0, MAX_ITEM_TEXT)}…`;
}
