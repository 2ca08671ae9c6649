import { describe, expect, it } from 'vitest';
import { buildFlow } from '../../test-support/blocks.js';
import { resolveVariables } from './variables.js';

const flow = buildFlow([], [], {
  SOURCE: { description: 'items table' },
  TARGET: { description: 'stock file', default: 'out/stock.csv' },
});

describe('resolveVariables', () => {
  it('takes given values and defaults', () => {
    expect(resolveVariables(flow, { SOURCE: 'items.dbf' })).toEqual({
      SOURCE: 'items.dbf',
      TARGET: 'out/stock.csv',
    });
  });

  it('rejects an undeclared variable', () => {
    expect(() => resolveVariables(flow, { SOURCE: 'a', SORCE: 'b' })).toThrow(
      'the flow does not declare the variable SORCE',
    );
  });

  it('rejects a declared variable without value or default', () => {
    expect(() => resolveVariables(flow, {})).toThrow('no value for SOURCE (items table)');
  });
});
