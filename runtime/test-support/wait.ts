import type { LogFields, Logger } from '@kuryr/nodes';

/**
 * Lets pending callbacks run until `condition` holds; fails after `rounds` event-loop turns, so a
 * test never waits for a fixed time.
 */
export async function waitUntil(condition: () => boolean, rounds = 10_000): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`condition not met after ${rounds} event-loop turns`);
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
