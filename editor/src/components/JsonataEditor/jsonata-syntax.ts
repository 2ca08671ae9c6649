import jsonata from 'jsonata';
import type { Language } from '../../i18n/i18n.js';
import { jsonataSyntaxMessagesCs } from './jsonata-messages-cs.js';

/** The position and message of a JSONata syntax error, or undefined for a valid expression. */
export type SyntaxProblem = {
  from: number;
  to: number;
  position: number;
  message: string;
  /** jsonata's error code, e.g. `S0202`. */
  code?: string;
  token?: unknown;
  value?: unknown;
};

/** Returns a syntax error's message in `language`; jsonata's English text when none exists. */
export function syntaxMessage(problem: SyntaxProblem, language: Language): string {
  const template = language === 'cs' ? jsonataSyntaxMessagesCs[problem.code ?? ''] : undefined;
  if (template === undefined) return problem.message;
  return template
    .replace('{{token}}', String(problem.token ?? ''))
    .replace('{{value}}', String(problem.value ?? ''));
}

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
    const { position, message, token, code, value } = error as {
      position?: number;
      message: string;
      token?: string;
      code?: string;
      value?: unknown;
    };
    const end = Math.min(Math.max(position ?? source.length, 0), source.length);
    const length = typeof token === 'string' && token.length > 0 ? token.length : 1;
    const from = Math.max(0, end - length);
    return {
      from,
      to: Math.max(end, from + 1) > source.length ? source.length : Math.max(end, from + 1),
      position: end,
      message,
      code,
      token,
      value,
    };
  }
}
