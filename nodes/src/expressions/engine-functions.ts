import { formatIsoMillis } from './compiler/functions.js';
import { defineFunction, type CompiledFunction } from './compiler/signature.js';
import { fallBack } from './compiler/values.js';
import { addVat, moneyFunctions, roundMoney } from './money.js';

type Amount = number | null | undefined;

/**
 * The money functions for compiled expressions, with the argument checks of their JSONata
 * signatures; arguments that the signatures reject fall back to the library.
 */
export const compiledMoneyFunctions: Record<string, CompiledFunction> = {
  addVat: defineFunction('NNn?', (price: Amount, vat: Amount, places: number | undefined) =>
    addVat(price, vat, places),
  ),
  roundMoney: defineFunction('Nn?', (value: Amount, places: number | undefined) =>
    roundMoney(value, places),
  ),
  formatDecimal: defineFunction('Nxs?', (value: Amount, places: unknown, separator: unknown) => {
    const isPlaces = places == null || typeof places === 'number' || typeof places === 'string';
    if (!isPlaces) fallBack();
    return moneyFunctions.formatDecimal!.implementation(value, places, separator);
  }),
};

/**
 * The run-bound functions of one compiled expression: `$now()` and `$millis()` return the run's
 * start, and `$warn(message)` hands its message to `onWarning` and returns false. `$now` with a
 * picture or time zone is left to the library.
 */
export function createRunFunctions(
  runStartMillis: number,
  onWarning: (message: string) => void,
): Record<string, CompiledFunction> {
  let now: string | undefined;
  return {
    now: defineFunction('', () => (now ??= formatIsoMillis(runStartMillis))),
    millis: defineFunction('', () => runStartMillis),
    // `$warn` is bound as a plain function without a signature, so it takes any arguments.
    warn: {
      minArgs: 0,
      maxArgs: Infinity,
      usesContext: false,
      call: ([message]) => {
        onWarning(String(message));
        return false;
      },
    },
  };
}
