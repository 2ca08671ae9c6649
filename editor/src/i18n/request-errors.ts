import { ApiError } from '../api/client.js';
import type { FlowProblem } from '../api/types.js';
import { translate, type Language, type MessageKey } from './i18n.js';
import { describeRuntimeMessage, runtimeMessageLine } from './runtime-texts.js';
import { editorStore } from '../store/index.js';

/** Returns the editor's language now, for wording a failure when it arrives. */
export function currentLanguage(): Language {
  return editorStore.getState().language;
}

/** Field formats of the service's flow problems, and the message that words each. */
const PROBLEM_FIELDS: [RegExp, MessageKey][] = [
  [/^parameter "(.*)"$/, 'problem.parameter'],
  [/^input "(.*)"$/, 'problem.input'],
  [/^wire (\d+) \((.*)\)$/, 'problem.wire'],
];

function describeProblemField(field: string, language: Language): string {
  for (const [format, key] of PROBLEM_FIELDS) {
    const match = format.exec(field);
    if (match !== null) return translate(language, key, { name: match[1]!, wire: match[2] ?? '' });
  }
  return field;
}

/**
 * Formats a problem of the service's flow check as `map parameters.path: message`, in
 * `language`. Czech puts `blok` before the block's name and words a coded problem by its Czech
 * text. A problem without a code, worded by a schema library, keeps its English message.
 */
export function describeProblem(problem: FlowProblem, language: Language = 'en'): string {
  const where = [
    problem.block === undefined
      ? undefined
      : translate(language, 'runtime.problemBlock', { block: problem.block }),
    problem.field === undefined ? undefined : describeProblemField(problem.field, language),
  ]
    .filter((part) => part !== undefined)
    .join(' ');
  const message =
    problem.code === undefined
      ? problem.message
      : describeRuntimeMessage(language, {
          code: problem.code,
          message: problem.message,
          ...(problem.params === undefined ? {} : { params: problem.params }),
        }).text;
  return where === '' ? message : `${where}: ${message}`;
}

/** Words a failed request in `language`: the flow's problems, or the API error's code text. */
export function describeRequestError(error: unknown, language: Language): string {
  if (error instanceof ApiError && error.problems.length > 0) {
    return error.problems.map((problem) => describeProblem(problem, language)).join('; ');
  }
  if (error instanceof ApiError) {
    return runtimeMessageLine(language, {
      code: error.code,
      message: error.message,
      params: error.params,
      context: error.context,
    });
  }
  return (error as Error).message;
}
