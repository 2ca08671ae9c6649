/**
 * Tells whether a JSONata result counts as true, by the rules of JSONata's `$boolean`. Undefined,
 * null, false, 0, '', empty arrays and objects, and functions are false. An array is true when
 * any member is.
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    if (value.length === 1) return isTruthy(value[0]);
    return value.some((member) => isTruthy(member));
  }
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'object':
      return value !== null && Object.keys(value).length > 0;
    default:
      return false;
  }
}
