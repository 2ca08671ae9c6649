/**
 * False when Node.js runs with `--disallow-code-generation-from-strings`, where `new Function`
 * throws. specialize() then applies the factory itself, and the callers of compileGenerated take
 * their slower code written by hand.
 */
export const canGenerateCode: boolean = (() => {
  try {
    new Function('');
    return true;
  } catch {
    return false;
  }
})();

/**
 * Applies a copy of `factory` to `args`. The copy is compiled again from the factory's source
 * text, so V8 keeps separate type feedback for the closures it returns.
 *
 * V8 shares one feedback vector among all closures made from the same function literal. An
 * evaluator such as `(input, frame) => apply(left(input, frame), right(input, frame))` would
 * otherwise see the operands of every node of every expression at the same call sites, which
 * then become megamorphic: V8 inlines no call and reads properties through its global cache.
 * With a copy per node, those sites see one node's operands and stay monomorphic.
 *
 * The factory may refer only to its parameters and to globals such as `Object`, because the
 * copy is compiled in the global scope.
 * NOTE: code instrumented for test coverage refers to counters outside the factory, so its
 * copies fail with a ReferenceError.
 */
export function specialize<Args extends unknown[], Result>(
  factory: (...args: Args) => Result,
  ...args: Args
): Result {
  if (!canGenerateCode) return factory(...args);
  const copy = new Function(`return (${factory.toString()});`)() as typeof factory;
  return copy(...args);
}

/**
 * Compiles a function from generated JavaScript, given the names and values of what the code
 * refers to. Generated code can use literal property names, which V8 reads and writes as fast
 * as properties written in the source. Throws an EvalError unless canGenerateCode is true.
 */
export function compileGenerated<Result>(
  body: string,
  bindings: Readonly<Record<string, unknown>>,
): Result {
  const names = Object.keys(bindings);
  const create = new Function(...names, body) as (...values: unknown[]) => Result;
  return create(...names.map((name) => bindings[name]));
}
