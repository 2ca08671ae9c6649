import { specialize } from '../../generated-code.js';
import { fallBack } from './values.js';

/**
 * A function that compiled expressions may call. It receives the evaluated arguments and throws
 * FALLBACK for every argument that jsonata would reject or that it does not handle itself.
 */
export type CompiledFunction = {
  /** Fewest and most arguments, counting the one taken from the context. */
  minArgs: number;
  maxArgs: number;
  /** Whether a call with fewer than minArgs arguments takes the first from the context. */
  usesContext: boolean;
  /** Calls the function; it may overwrite `args` with the checked arguments. */
  call(args: unknown[]): unknown;
};

/**
 * Checks of one argument, by the letter that stands for its type in a signature: `s` string,
 * `n` number, `b` boolean, `N` number or null, `x` anything, `a` array (a single value becomes
 * an array of one). Undefined passes every check, as in jsonata.
 */
const checks: Record<string, (value: unknown) => unknown> = {
  s: (value) => (value === undefined || typeof value === 'string' ? value : fallBack()),
  n: (value) => (value === undefined || typeof value === 'number' ? value : fallBack()),
  b: (value) => (value === undefined || typeof value === 'boolean' ? value : fallBack()),
  N: (value) =>
    value === undefined || value === null || typeof value === 'number' ? value : fallBack(),
  x: (value) => value,
  a: (value) => (value === undefined || Array.isArray(value) ? value : [value]),
};

/**
 * Defines a compiled function from a signature in the style of jsonata's: one letter per
 * parameter, `?` after an optional one, `-` after the first when it may come from the context
 * and `+` after the last when it repeats. `'s-nn?'` is `$substring(string, number[, number])`.
 * Arguments of another type fall back to the library, which raises its own error for them.
 */
export function defineFunction(
  signature: string,
  implementation: (...args: never[]) => unknown,
): CompiledFunction {
  const params = [...signature.matchAll(/([snbNxa])([-?+]?)/g)].map(([, type, flag]) => ({
    check: checks[type!]!,
    flag,
  }));
  const isVariadic = params.at(-1)?.flag === '+';
  const minArgs = params.filter((param) => param.flag !== '?').length;
  const call = implementation as (...args: unknown[]) => unknown;
  return {
    minArgs,
    maxArgs: isVariadic ? Infinity : params.length,
    usesContext: params[0]?.flag === '-',
    call: specialize(
      (parameters: typeof params, run: typeof call) => (args: unknown[]) => {
        for (let index = 0; index < args.length; index++) {
          args[index] = parameters[Math.min(index, parameters.length - 1)]!.check(args[index]);
        }
        return run(...args);
      },
      params,
      call,
    ),
  };
}
