const DOS_DATE = /^(\d{2})-(\d{2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})\s*([AP]M)?$/i;

/**
 * Reads the date of an MS-DOS style listing line as IIS and other Windows servers send it,
 * e.g. `12-22-25  08:21PM` or `12-22-2025  20:21`, as UTC (the listing gives no time zone).
 * basic-ftp parses these lines but leaves the date as text. Returns undefined for other text.
 */
export function parseDosListingDate(raw: string | undefined): Date | undefined {
  const match = DOS_DATE.exec(raw?.trim() ?? '');
  if (match === null) return undefined;
  const [, month, day, yearText, hourText, minute, half] = match;
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 70 ? 2000 : 1900;
  let hour = Number(hourText) % (half === undefined ? 24 : 12);
  if (half?.toUpperCase() === 'PM') hour += 12;
  const date = new Date(Date.UTC(year, Number(month) - 1, Number(day), hour, Number(minute)));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
