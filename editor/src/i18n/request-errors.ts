import { ApiError } from '../api/client.js';
import type { FlowProblem } from '../api/types.js';
import { translate, type Language, type MessageKey } from './i18n.js';
import { flowLabels, type FlowLabels } from './flow-labels.js';
import { describeRuntimeMessage, runtimeMessageLine } from './runtime-texts.js';
import { editorStore } from '../store/index.js';

/** Returns the editor's language now, for wording a failure when it arrives. */
export function currentLanguage(): Language {
  return editorStore.getState().language;
}

/** Returns the labels of the blocks on the canvas now, for wording a failure when it arrives. */
export function currentFlowLabels(): FlowLabels {
  return flowLabels(editorStore.getState());
}

/**
 * Field formats of the service's flow problems, the message that words each, and the label that
 * replaces the port or parameter name of the problem's block.
 */
const PROBLEM_FIELDS: [RegExp, MessageKey, keyof Omit<FlowLabels, 'blockName'> | undefined][] = [
  [/^parameter "(.*)"$/, 'problem.parameter', 'parameterTitle'],
  [/^input "(.*)"$/, 'problem.input', 'portLabel'],
  [/^wire (\d+) \((.*)\)$/, 'problem.wire', undefined],
];

function describeProblemField(
  problem: FlowProblem & { field: string },
  language: Language,
  labels: FlowLabels | undefined,
): string {
  for (const [format, key, label] of PROBLEM_FIELDS) {
    const match = format.exec(problem.field);
    if (match === null) continue;
    const name = match[1]!;
    const labelled =
      label === undefined || problem.block === undefined
        ? undefined
        : labels?.[label](problem.block, name);
    return translate(language, key, { name: labelled ?? name, wire: match[2] ?? '' });
  }
  return problem.field;
}

/**
 * Formats a problem of the service's flow check as `block "Map" parameters.path: message`, in
 * `language`, and words a coded problem by its Czech text in Czech. A problem without a code,
 * worded by a schema library, keeps its English message. With `labels`, the block shows by its
 * name and its port or parameter by its label. An id that `labels` does not know stays as it is.
 */
export function describeProblem(
  problem: FlowProblem,
  language: Language = 'en',
  labels?: FlowLabels,
): string {
  const block =
    problem.block === undefined ? undefined : (labels?.blockName(problem.block) ?? problem.block);
  const where = [
    block === undefined ? undefined : translate(language, 'runtime.problemBlock', { block }),
    problem.field === undefined
      ? undefined
      : describeProblemField({ ...problem, field: problem.field }, language, labels),
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

/**
 * Words a failed request in `language`: the flow's problems, or the API error's code text, with
 * blocks named through `labels`, by default those on the canvas now.
 */
export function describeRequestError(
  error: unknown,
  language: Language,
  labels: FlowLabels = currentFlowLabels(),
): string {
  if (error instanceof ApiError && error.problems.length > 0) {
    return error.problems.map((problem) => describeProblem(problem, language, labels)).join('; ');
  }
  if (error instanceof ApiError) {
    return runtimeMessageLine(
      language,
      { code: error.code, message: error.message, params: error.params, context: error.context },
      labels,
    );
  }
  return (error as Error).message;
}
