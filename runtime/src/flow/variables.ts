import { FlowAuthorError } from '@kuryr/nodes';
import type { Flow } from './flow-schema.js';

/**
 * Combines the values given for a run with the flow's declared defaults. Rejects a value for a
 * variable the flow does not declare (it catches typos) and a declared variable left without a
 * value and without a default, before anything runs.
 */
export function resolveVariables(
  flow: Flow,
  given: Readonly<Record<string, string>>,
): Record<string, string> {
  const declared = flow.variables;
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(declared, name));
  if (unknown.length > 0) {
    const names = Object.keys(declared).join(', ') || 'none';
    throw new FlowAuthorError(
      'VARIABLE_UNDECLARED',
      `the flow does not declare the variable${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      { hint: `Check the spelling; the flow declares: ${names}.` },
    );
  }

  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declared)) {
    const value = given[name] ?? declaration.default;
    if (value === undefined) missing.push(name);
    else values[name] = value;
  }
  if (missing.length > 0) {
    const described = missing.map((name) => {
      const description = declared[name]?.description;
      return description ? `${name} (${description})` : name;
    });
    throw new FlowAuthorError('VARIABLE_MISSING', `no value for ${described.join(', ')}`, {
      hint: `Give each with --var NAME=VALUE, e.g. --var ${missing[0]}=...`,
    });
  }
  return values;
}
