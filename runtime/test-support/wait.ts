import type { LogFields, Logger } from '@kuryr/nodes';

/**
 * Lets pending callbacks and I/O run until `condition` holds. It fails after `timeoutMs` of real
 * time, a limit for a stuck test and not a measurement: on a loaded machine a run's file I/O can
 * take many thousands of event-loop turns. The first turns are immediate; later ones sleep 5 ms
 * so that a long wait does not spin.
 */
export async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let turn = 0; ; turn++) {
    if (condition()) return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => (turn < 1_000 ? setImmediate(resolve) : setTimeout(resolve, 5)));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** One captured log line. */
export type LogLine = { level: string; message: string; fields: LogFields };

/** Creates a logger that keeps every line, with the fields of its parents, for assertions. */
export function createCapturingLogger(
  lines: LogLine[] = [],
  base: LogFields = {},
): Logger & {
  lines: LogLine[];
} {
  const write =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      void lines.push({ level, message, fields: { ...base, ...fields } });
  return {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    trace: write('trace'),
    child: (fields) => createCapturingLogger(lines, { ...base, ...fields }),
  };
}
