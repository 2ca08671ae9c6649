import { fallBack, isDeepEqual, isNumeric, toJsonataString } from './values.js';

type BinaryOperator = (left: unknown, right: unknown) => unknown;

function arithmetic(compute: (left: number, right: number) => number): BinaryOperator {
  return (left, right) => {
    if (left !== undefined && !isNumeric(left)) fallBack();
    if (right !== undefined && !isNumeric(right)) fallBack();
    if (left === undefined || right === undefined) return undefined;
    const result = compute(left as number, right as number);
    // jsonata raises D1001 as soon as an infinite result is used; the library reports it.
    return Number.isFinite(result) ? result : fallBack();
  };
}

function comparison(compare: (left: string | number, right: string | number) => boolean) {
  return ((left, right) => {
    const leftType = typeof left;
    const rightType = typeof right;
    const isLeftComparable =
      leftType === 'undefined' || leftType === 'string' || leftType === 'number';
    const isRightComparable =
      rightType === 'undefined' || rightType === 'string' || rightType === 'number';
    if (!isLeftComparable || !isRightComparable) fallBack();
    if (left === undefined || right === undefined) return undefined;
    if (leftType !== rightType) fallBack();
    if (Number.isNaN(left) || Number.isNaN(right)) fallBack();
    return compare(left as string | number, right as string | number);
  }) satisfies BinaryOperator;
}

const operators: Record<string, BinaryOperator> = {
  '+': arithmetic((a, b) => a + b),
  '-': arithmetic((a, b) => a - b),
  '*': arithmetic((a, b) => a * b),
  '/': arithmetic((a, b) => a / b),
  '%': arithmetic((a, b) => a % b),
  '=': (left, right) => left !== undefined && right !== undefined && isDeepEqual(left, right),
  '!=': (left, right) => left !== undefined && right !== undefined && !isDeepEqual(left, right),
  '<': comparison((a, b) => a < b),
  '<=': comparison((a, b) => a <= b),
  '>': comparison((a, b) => a > b),
  '>=': comparison((a, b) => a >= b),
  '&': (left, right) => (toJsonataString(left) ?? '') + (toJsonataString(right) ?? ''),
  in: (left, right) => {
    if (left === undefined || right === undefined) return false;
    return (Array.isArray(right) ? right : [right]).some((member) => member === left);
  },
};

/** Returns the implementation of a binary operator, or undefined for one left to jsonata. */
export function compileOperator(operator: string): BinaryOperator | undefined {
  return operators[operator];
}
