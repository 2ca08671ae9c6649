import { isCalendarDate } from '../dbf/calendar.js';

/**
 * A number written the Czech way: an optional minus, a decimal comma, and groups of three digits
 * split by a space, a no-break space or a dot, e.g. `-21.419,06` or `1 234,5`. One kind of
 * separator per number. A leading zero before another digit (a code such as `0123`) does not match.
 */
const CZECH_NUMBER = /^(-?)(0|[1-9]\d{0,2}(?:([ \u00a0.])\d{3})(?:\3\d{3})*|[1-9]\d*)(?:,(\d+))?$/;

/** Digits that a double keeps exactly; longer digit strings stay text. */
const MAX_EXACT_DIGITS = 15;

/** Returns the value of a Czech number, or undefined when `text` is not one. */
export function parseCzechNumber(text: string): number | undefined {
  const match = CZECH_NUMBER.exec(text);
  if (match === null) return undefined;
  const integer = match[3] === undefined ? match[2]! : match[2]!.split(match[3]).join('');
  const fraction = match[4] ?? '';
  if (integer.length + fraction.length > MAX_EXACT_DIGITS) return undefined;
  return Number(`${match[1]}${integer}${fraction === '' ? '' : '.' + fraction}`);
}

/** A compiled date format: the pattern and where each part sits in its groups. */
type DatePattern = { regex: RegExp; parts: ('d' | 'M' | 'y' | 'yy')[] };

const patterns = new Map<string, DatePattern>();

const DATE_TOKENS: Readonly<Record<string, { part: DatePattern['parts'][number]; regex: string }>> =
  {
    yyyy: { part: 'y', regex: '(\\d{4})' },
    yy: { part: 'yy', regex: '(\\d{2})' },
    MM: { part: 'M', regex: '(\\d{2})' },
    M: { part: 'M', regex: '(\\d{1,2})' },
    dd: { part: 'd', regex: '(\\d{2})' },
    d: { part: 'd', regex: '(\\d{1,2})' },
  };

const TOKEN = /yyyy|yy|MM|M|dd|d/g;

function compileDateFormat(format: string): DatePattern {
  let pattern = patterns.get(format);
  if (pattern !== undefined) return pattern;
  const parts: DatePattern['parts'] = [];
  let source = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    source += escapeRegex(format.slice(last, match.index));
    const token = DATE_TOKENS[match[0]]!;
    source += token.regex;
    parts.push(token.part);
    last = match.index + match[0].length;
  }
  source += escapeRegex(format.slice(last));
  pattern = { regex: new RegExp(`^${source}$`), parts };
  patterns.set(format, pattern);
  return pattern;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Returns the ISO date (`yyyy-MM-dd`) of `text` written in `format`, or undefined when it does
 * not match or names no calendar day. Tokens: `d`/`dd` day, `M`/`MM` month, `yy`/`yyyy` year;
 * other characters must appear as written. A two-digit year is 2000 to 2069 below 70, else 19xx.
 *
 * @example parseDate('8.1.2024', 'd.M.yyyy') // '2024-01-08'
 */
export function parseDate(text: string, format: string): string | undefined {
  const { regex, parts } = compileDateFormat(format);
  const match = regex.exec(text);
  if (match === null) return undefined;
  let year = 0;
  let month = 0;
  let day = 0;
  parts.forEach((part, index) => {
    const value = Number(match[index + 1]);
    if (part === 'd') day = value;
    else if (part === 'M') month = value;
    else if (part === 'y') year = value;
    else year = value < 70 ? 2000 + value : 1900 + value;
  });
  if (!isCalendarDate(year, month, day)) return undefined;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Writes an ISO date (`yyyy-MM-dd`) in `format`. A longer ISO timestamp is cut to its date, and
 * text that is not an ISO date of a calendar day (`2024-13-45`) returns undefined.
 */
export function formatDate(iso: string, format: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isCalendarDate(year, month, day)) return undefined;
  return format.replace(TOKEN, (token) => {
    switch (token) {
      case 'yyyy':
        return pad(year, 4);
      case 'yy':
        return pad(year % 100, 2);
      case 'MM':
        return pad(month, 2);
      case 'M':
        return String(month);
      case 'dd':
        return pad(day, 2);
      default:
        return String(day);
    }
  });
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** True when `format` has a day, a month and a year token. */
export function isValidDateFormat(format: string): boolean {
  const parts = new Set(
    compileDateFormat(format).parts.map((part) => (part === 'yy' ? 'y' : part)),
  );
  return parts.size === 3 && compileDateFormat(format).parts.length === 3;
}
