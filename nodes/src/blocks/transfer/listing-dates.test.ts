import { describe, expect, it } from 'vitest';
import { parseDosListingDate } from './listing-dates.js';

const instant = (raw: string, timeZone?: string) =>
  parseDosListingDate(raw, timeZone)?.toISOString();

describe('parseDosListingDate', () => {
  it('reads times as UTC by default', () => {
    expect(instant('12-22-25  08:21PM')).toBe('2025-12-22T20:21:00.000Z');
    expect(instant('12-22-2025  20:21', 'UTC')).toBe('2025-12-22T20:21:00.000Z');
  });

  it('reads times in the server time zone', () => {
    // Central European Time in winter (UTC+1), summer time in summer (UTC+2).
    expect(instant('01-15-26  08:00AM', 'Europe/Prague')).toBe('2026-01-15T07:00:00.000Z');
    expect(instant('07-01-26  12:00PM', 'Europe/Prague')).toBe('2026-07-01T10:00:00.000Z');
    expect(instant('07-01-26  12:00PM', 'America/New_York')).toBe('2026-07-01T16:00:00.000Z');
  });

  it('reads times around the start of summer time', () => {
    // On 2026-03-29 Prague's clocks jump from 02:00 to 03:00.
    expect(instant('03-29-26  01:59AM', 'Europe/Prague')).toBe('2026-03-29T00:59:00.000Z');
    expect(instant('03-29-26  03:00AM', 'Europe/Prague')).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 does not exist that night; it is read with the offset before the jump, as 03:30.
    expect(instant('03-29-26  02:30AM', 'Europe/Prague')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads times around the end of summer time', () => {
    // On 2026-10-25 Prague's clocks go back from 03:00 to 02:00, so 02:30 occurs twice. It is
    // read as the later one, in winter time, so that a file never looks older than it is.
    expect(instant('10-25-26  01:59AM', 'Europe/Prague')).toBe('2026-10-24T23:59:00.000Z');
    expect(instant('10-25-26  02:30AM', 'Europe/Prague')).toBe('2026-10-25T01:30:00.000Z');
    expect(instant('10-25-26  03:00AM', 'Europe/Prague')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('returns undefined for other text', () => {
    expect(instant('Dec 22 20:21', 'Europe/Prague')).toBeUndefined();
    expect(instant('13-45-25  08:21PM')).toBeUndefined();
  });
});
