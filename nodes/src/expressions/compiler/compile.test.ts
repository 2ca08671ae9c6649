import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { installLimits } from '../engine.js';
import { compileAst, UnsupportedExpression, type AstNode } from './compile.js';
import { loadSuiteCases, normalize, type SuiteCase } from './jsonata-suite.test-support.js';
import { FALLBACK } from './values.js';

type Outcome = { value: unknown } | { code: string };

function sortedForUnordered(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => JSON.stringify(item)).sort();
}

async function evaluateWithLibrary(testCase: SuiteCase): Promise<Outcome> {
  try {
    const expression = jsonata(testCase.expression);
    const guard = testCase.limits ? installLimits(expression, testCase.limits) : undefined;
    guard?.reset();
    return { value: await expression.evaluate(testCase.input, testCase.bindings) };
  } catch (error) {
    return { code: String((error as { code?: string }).code) };
  }
}

/** Evaluates compiled; undefined when the case falls outside the compiled subset. */
function evaluateCompiled(testCase: SuiteCase): Outcome | 'unsupported' | 'fell back' {
  let program;
  try {
    const ast = jsonata(testCase.expression).ast() as AstNode;
    program = compileAst(ast, { functions: {} });
  } catch (error) {
    if (error instanceof UnsupportedExpression) return 'unsupported';
    return { code: String((error as { code?: string }).code) };
  }
  try {
    return {
      value: program(testCase.input, Object.assign(Object.create(null), testCase.bindings)),
    };
  } catch (error) {
    if (error === FALLBACK) return 'fell back';
    throw error;
  }
}

function expectOutcome(outcome: Outcome, testCase: SuiteCase) {
  const { expected } = testCase;
  if (expected.kind === 'error') {
    expect(outcome).toEqual({ code: expected.code });
  } else if (expected.kind === 'undefined') {
    expect(outcome).toEqual({ value: undefined });
  } else if (expected.unordered) {
    expect('value' in outcome && sortedForUnordered(normalize(outcome.value))).toEqual(
      sortedForUnordered(expected.value),
    );
  } else {
    expect('value' in outcome && normalize(outcome.value)).toEqual(expected.value);
  }
}

const cases = loadSuiteCases();
const tally = { compiled: 0, fellBack: 0, unsupported: 0 };

describe('compiled expressions against the JSONata test suite', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const compiled = evaluateCompiled(testCase);
      const library = await evaluateWithLibrary(testCase);
      expectOutcome(library, testCase);
      if (compiled === 'unsupported') {
        tally.unsupported++;
        return;
      }
      if (compiled === 'fell back') {
        tally.fellBack++;
        return;
      }
      tally.compiled++;
      expectOutcome(compiled, testCase);
    },
  );

  it('runs at least half of the suite compiled', () => {
    console.log(tally, cases.length);
    expect(tally.compiled + tally.fellBack + tally.unsupported).toBe(cases.length);
    expect(tally.compiled).toBeGreaterThanOrEqual(cases.length / 2);
  });
});
