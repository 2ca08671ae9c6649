import { translate, type Language, type MessageKey } from './i18n.js';
import type { FlowLabels } from './flow-labels.js';
import { runtimeTextsCs, type RuntimeText } from './runtime-texts-cs.js';

/**
 * An error or warning as the runtime sends it: a run or block error, a block warning (its
 * details as `context`) or an HTTP API error body.
 */
export type RuntimeMessage = {
  code: string;
  message: string;
  hint?: string;
  params?: Readonly<Record<string, unknown>>;
  context?: Readonly<Record<string, unknown>>;
};

/** One entry of an error's location as label and value, e.g. `soubor` and `data/items.dbf`. */
export type ContextLine = { label: string; value: string };

/** A runtime message in the editor's language. */
export type DescribedMessage = {
  text: string;
  hint?: string;
  where: ContextLine[];
  /** The runtime's English message, shown as the technical detail when `text` replaces it. */
  detail?: string;
};

/**
 * Context keys the editor labels, in the order it shows them. `blockType` is left out because the
 * canvas shows each block's type already.
 */
const CONTEXT_KEYS = [
  'flow',
  'block',
  'parameter',
  'file',
  'record',
  'line',
  'offset',
  'field',
] as const;

/** Error codes of the operating system that the runtime passes through, e.g. ENOENT. */
const OS_ERROR_CODE = /^E[A-Z]+$/;

function isShownValue(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Returns a context value as the editor shows it: a block by its name and a parameter by its
 * title when `labels` contains them, any other value as the runtime sent it.
 */
function contextValue(
  key: (typeof CONTEXT_KEYS)[number],
  context: Readonly<Record<string, unknown>>,
  labels: FlowLabels | undefined,
): string {
  const value = String(context[key]);
  const block = typeof context.block === 'string' ? context.block : undefined;
  if (key === 'block') return labels?.blockName(value) ?? value;
  if (key === 'parameter' && block !== undefined) {
    return labels?.parameterTitle(block, value) ?? value;
  }
  return value;
}

/**
 * Lists the known context entries of a message with their labels in `language`, naming blocks
 * and parameters through `labels` when given.
 */
export function contextLines(
  language: Language,
  context: Readonly<Record<string, unknown>> = {},
  labels?: FlowLabels,
): ContextLine[] {
  return CONTEXT_KEYS.filter((key) => isShownValue(context[key])).map((key) => ({
    label: translate(language, `context.${key}` as MessageKey),
    value: contextValue(key, context, labels),
  }));
}

function formatValue(value: unknown): string | undefined {
  if (isShownValue(value)) return String(value);
  if (Array.isArray(value) && value.every(isShownValue)) return value.join(', ');
  return undefined;
}

/** Fills `{name}` placeholders, or returns undefined when a value is missing. */
function fillTemplate(template: string, values: Readonly<Record<string, unknown>>) {
  let complete = true;
  const text = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = formatValue(values[name]);
    if (value === undefined) complete = false;
    return value ?? '';
  });
  return complete ? text : undefined;
}

function czechText(code: string): RuntimeText | undefined {
  const text = runtimeTextsCs[code];
  if (text !== undefined || !OS_ERROR_CODE.test(code)) return text;
  return { text: translate('cs', 'runtime.osError', { code }) };
}

/**
 * Words a runtime message in `language`. English shows the runtime's own message and hint. Czech
 * shows the Czech text of the code, filled with values from the params or the context when it
 * has them, and keeps the English message as the detail. A code without a Czech text keeps the
 * English message; the runtime-texts unit test rejects that for every code the runtime raises.
 * The location names blocks through `labels` when given.
 */
export function describeRuntimeMessage(
  language: Language,
  message: RuntimeMessage,
  labels?: FlowLabels,
): DescribedMessage {
  const where = contextLines(language, message.context, labels);
  const czech = language === 'cs' ? czechText(message.code) : undefined;
  if (czech === undefined) {
    return {
      text: message.message,
      ...(message.hint === undefined ? {} : { hint: message.hint }),
      where,
    };
  }
  const values = { ...message.context, ...message.params };
  const withValues =
    czech.withValues === undefined ? undefined : fillTemplate(czech.withValues, values);
  // NOTE: a code whose hint differs per raising site (HINT_PER_SITE in runtime-texts.test.ts,
  // e.g. BAD_REQUEST, CREDENTIALS_INVALID with the allowed fields) has no Czech hint, so the
  // runtime's English hint is shown.
  const hint = message.hint === undefined ? undefined : (czech.hint ?? message.hint);
  return {
    text: withValues ?? czech.text,
    ...(hint === undefined ? {} : { hint }),
    where,
    detail: message.message,
  };
}

/**
 * Words a runtime message as one line, e.g. for a notice: the text, where it happened, and the
 * runtime's English message as the detail when the text replaces it.
 */
export function runtimeMessageLine(
  language: Language,
  message: RuntimeMessage,
  labels?: FlowLabels,
): string {
  const described = describeRuntimeMessage(language, message, labels);
  const where = described.where.map((line) => `${line.label} ${line.value}`).join(', ');
  const line = where === '' ? described.text : `${described.text} (${where})`;
  if (described.detail === undefined) return line;
  return `${line} ${translate(language, 'runtime.detailsLine', { detail: described.detail })}`;
}
