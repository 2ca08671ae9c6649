const DOS_DATE = /^(\d{2})-(\d{2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})\s*([AP]M)?$/i;

const DAY_MS = 86_400_000;

/**
 * Reads the date of an MS-DOS style listing line as IIS and other Windows servers send it,
 * e.g. `12-22-25  08:21PM` or `12-22-2025  20:21`. The listing gives no time zone, and such
 * servers show their local time, so the date is read as a wall-clock time in `timeZone` (an
 * IANA name, UTC by default). basic-ftp parses these lines but leaves the date as text.
 * Returns undefined for other text.
 */
export function parseDosListingDate(raw: string | undefined, timeZone = 'UTC'): Date | undefined {
  const match = DOS_DATE.exec(raw?.trim() ?? '');
  if (match === null) return undefined;
  const [, monthText, dayText, yearText, hourText, minuteText, half] = match;
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 70 ? 2000 : 1900;
  const month = Number(monthText);
  const day = Number(dayText);
  const minute = Number(minuteText);
  let hour = Number(hourText) % (half === undefined ? 24 : 12);
  if (half?.toUpperCase() === 'PM') hour += 12;
  const wallClock = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 02-30 over into March, so a date that changed on the way is invalid.
  const check = new Date(wallClock);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || minute > 59) {
    return undefined;
  }
  return new Date(wallClockToInstant(wallClock, timeZone));
}

/**
 * Returns the instant at which clocks in `timeZone` show `wallClock` (the wall-clock time given
 * as if it were UTC, in milliseconds). A time that occurs twice, when summer time ends, is read
 * as the later instant, the `later` rule of JavaScript's Temporal. The earlier one could make a
 * file written a few minutes ago look an hour old, and pass "Minimum age" while still written.
 * A time skipped when summer time starts is read with the offset before the change, so 02:30
 * on that night is 03:30 summer time, as Temporal's `compatible` rule and RFC 5545 read it.
 * Written with Intl, as Node.js 20 has no Temporal.
 */
export function wallClockToInstant(wallClock: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallClock;
  const offsetAt = zoneOffsets(timeZone);
  // Offsets a day before and after. NOTE: this assumes at most one offset change within two
  // days, as daylight-saving rules have it, so a zone that changed twice in two days is misread.
  const offsetBefore = offsetAt(wallClock - DAY_MS);
  const offsetAfter = offsetAt(wallClock + DAY_MS);
  const candidates = [wallClock - offsetBefore, wallClock - offsetAfter].filter(
    (instant) => instant + offsetAt(instant) === wallClock,
  );
  if (candidates.length > 0) return Math.max(...candidates);
  return wallClock - offsetBefore;
}

/** Returns a function that gives the offset of `timeZone` from UTC at an instant, in ms. */
function zoneOffsets(timeZone: string): (instant: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (instant) => {
    const parts = new Map(
      format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]),
    );
    const shown = Date.UTC(
      parts.get('year')!,
      parts.get('month')! - 1,
      parts.get('day')!,
      parts.get('hour')!,
      parts.get('minute')!,
      parts.get('second')!,
    );
    return shown - (instant - (((instant % 1000) + 1000) % 1000));
  };
}
