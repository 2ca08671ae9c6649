/** True when `name` is an IANA time zone that this Node.js supports, e.g. `Europe/Prague`. */
export function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
