import jsonata from 'jsonata';

/** The position and message of a JSONata syntax error, or undefined for a valid expression. */
export type SyntaxProblem = { from: number; to: number; position: number; message: string };

/**
 * Parses an expression with the jsonata library and returns its first syntax error. jsonata
 * reports `position` as the offset just after the offending token.
 */
export function findSyntaxError(source: string): SyntaxProblem | undefined {
  if (source.trim() === '') return undefined;
  try {
    jsonata(source);
    return undefined;
  } catch (error) {
    const { position, message, token } = error as {
      position?: number;
      message: string;
      token?: string;
    };
    const end = Math.min(Math.max(position ?? source.length, 0), source.length);
    const length = typeof token === 'string' && token.length > 0 ? token.length : 1;
    const from = Math.max(0, end - length);
    return {
      from,
      to: Math.max(end, from + 1) > source.length ? source.length : Math.max(end, from + 1),
      position: end,
      message,
    };
  }
}
