import { defineFunction, type CompiledFunction } from './signature.js';
import { fallBack, toCodePoints, toJsonataString } from './values.js';

type Text = string | undefined;
type Count = number | undefined;

function substring(text: string, start: number, length: Count): string {
  const characters = toCodePoints(text);
  const from = characters.length + start < 0 ? 0 : start;
  if (length === undefined) return characters.slice(from).join('');
  if (length <= 0) return '';
  const end = from >= 0 ? from + length : characters.length + from + length;
  return characters.slice(from, end).join('');
}

function pad(text: string, width: number, padding: Text): string {
  const fill = padding === undefined || padding.length === 0 ? ' ' : padding;
  const target = Math.trunc(width);
  const count = Math.abs(target) - toCodePoints(text).length;
  if (!(count > 0)) return text;
  let filler = new Array(count + 1).join(fill);
  if (fill.length > 1) filler = substring(filler, 0, count);
  return target > 0 ? text + filler : filler + text;
}

function trim(text: string): string {
  let result = text.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}

/** Replaces a literal pattern up to `limit` times; the replacement is inserted as it is. */
function replaceText(text: string, pattern: string, replacement: string, limit: Count): string {
  let result = '';
  let position = 0;
  let count = 0;
  let index = text.indexOf(pattern, position);
  while (index !== -1 && (limit === undefined || count < limit)) {
    result += text.substring(position, index) + replacement;
    position = index + pattern.length;
    count++;
    index = text.indexOf(pattern, position);
  }
  return result + text.substring(position);
}

/** A function of one string that returns undefined for undefined, e.g. `$uppercase`. */
function mapString(transform: (text: string) => unknown): CompiledFunction {
  return defineFunction('s-', (text: Text) => (text === undefined ? undefined : transform(text)));
}

/** Returns the separator of $substringBefore and $substringAfter, or falls back without one. */
function requireText(value: Text): string {
  return value === undefined ? fallBack() : value;
}

/** The string functions of jsonata 2.2, for literal (not regular-expression) patterns. */
export const stringFunctions: Record<string, CompiledFunction> = {
  string: defineFunction('x-b?', (value: unknown, prettify: boolean | undefined) =>
    toJsonataString(value, prettify === true),
  ),
  substring: defineFunction('s-nn?', (text: Text, start: number, length: Count) =>
    text === undefined ? undefined : substring(text, start, length),
  ),
  substringBefore: defineFunction('s-s', (text: Text, separator: Text) => {
    const position = text?.indexOf(requireText(separator)) ?? -1;
    return position > -1 ? text!.slice(0, position) : text;
  }),
  substringAfter: defineFunction('s-s', (text: Text, separator: Text) => {
    const part = requireText(separator);
    const position = text?.indexOf(part) ?? -1;
    return position > -1 ? text!.slice(position + part.length) : text;
  }),
  lowercase: mapString((text) => text.toLowerCase()),
  uppercase: mapString((text) => text.toUpperCase()),
  length: mapString((text) => toCodePoints(text).length),
  trim: mapString(trim),
  pad: defineFunction('s-ns?', (text: Text, width: Count, padding: Text) => {
    if (text === undefined) return undefined;
    return width === undefined ? fallBack() : pad(text, width, padding);
  }),
  contains: defineFunction('s-s', (text: Text, token: Text) =>
    text === undefined || token === undefined ? undefined : text.includes(token),
  ),
  split: defineFunction('s-sn?', (text: Text, separator: Text, limit: Count) => {
    if (text === undefined) return undefined;
    if (separator === undefined || (limit !== undefined && limit < 0)) return fallBack();
    if (limit !== undefined && !(limit > 0)) return [];
    return text.split(separator, limit);
  }),
  join: defineFunction('as?', (texts: unknown[] | undefined, separator: Text) => {
    if (texts === undefined) return undefined;
    if (!texts.every((item) => typeof item === 'string')) fallBack();
    return texts.join(separator ?? '');
  }),
  replace: defineFunction(
    's-ssn?',
    (text: Text, pattern: Text, replacement: Text, limit: Count) => {
      if (text === undefined) return undefined;
      if (pattern === undefined || replacement === undefined) return fallBack();
      if (pattern === '' || (limit !== undefined && limit < 0)) return fallBack();
      if (limit === 0) return text;
      return replaceText(text, pattern, replacement, limit);
    },
  ),
  encodeUrlComponent: mapString(encodeURIComponent),
  encodeUrl: mapString(encodeURI),
  decodeUrlComponent: mapString(decodeURIComponent),
  decodeUrl: mapString(decodeURI),
  base64encode: mapString((text) => Buffer.from(text, 'binary').toString('base64')),
  base64decode: mapString((text) => Buffer.from(text, 'base64').toString('binary')),
};
