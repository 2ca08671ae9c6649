import { describe, expect, it } from 'vitest';
import type { CatalogBlock } from '../api/types.js';
import type { BlockNode } from '../graph/flow-graph.js';
import { flowLabels } from '../i18n/flow-labels.js';
import { describeProblem, flowIdFromName } from './useFlowActions.js';

/** A CSV writer as the Czech catalogue describes it, with one input and one parameter. */
const csvWrite = {
  type: 'csv.write',
  inputs: [{ name: 'records', kind: 'records', label: 'Záznamy' }],
  outputs: [{ name: 'file', kind: 'files', label: 'Soubor' }],
  parameters: { type: 'object', properties: { delimiter: { type: 'string', title: 'Oddělovač' } } },
} as unknown as CatalogBlock;

const csvNode: BlockNode = {
  id: 'csv',
  type: 'block',
  position: { x: 0, y: 0 },
  data: { type: 'csv.write', version: 1, name: 'Sklad pro e-shop', parameters: {} },
};

// The runtime accepts a flow id that starts with a letter, contains only letters, digits, - and _,
// and is at most 100 characters long.
const validFlowId = /^[A-Za-z][A-Za-z0-9_-]{0,99}$/;

describe('flowIdFromName', () => {
  it('keeps the Czech name readable', () => {
    expect(flowIdFromName('Sklad pro e-shop Žďár')).toMatch(/^sklad-pro-e-shop-zdar-[0-9a-f]{4}$/);
  });

  it.each([
    ['a name that starts with a digit', '2026 sklad'],
    ['a name of 400 characters', `Sklad ${'ř'.repeat(400)}`],
    ['a name of only symbols', '<img src=x onerror=alert(1)>'],
    ['an empty name', ''],
  ])('returns a valid id for %s', (_case, name) => {
    expect(flowIdFromName(name)).toMatch(validFlowId);
  });
});

describe('describeProblem', () => {
  it('names the field of a flow problem', () => {
    const problem = { field: 'id', message: 'must be at most 100 characters' };
    expect(describeProblem(problem)).toBe('id: must be at most 100 characters');
  });

  it('names the block and its field', () => {
    const problem = { block: 'read-items', field: 'parameters.path', message: 'missing' };
    expect(describeProblem(problem)).toBe('block "read-items" parameters.path: missing');
  });

  it('keeps a message without a place', () => {
    expect(describeProblem({ message: 'the flow has a cycle' })).toBe('the flow has a cycle');
  });
  it('words a coded problem in Czech', () => {
    const problem = {
      block: 'csv',
      field: 'input "records"',
      code: 'INPUT_NOT_WIRED',
      message: 'nothing is wired to this input, so the block would receive nothing',
    };
    expect(describeProblem(problem, 'cs')).toBe(
      'blok „csv“ vstup „records“: K tomuto vstupu nevede žádné spojení, takže by blok nic nedostal.',
    );
    expect(describeProblem(problem, 'en')).toBe(
      'block "csv" input "records": nothing is wired to this input, so the block would receive nothing',
    );
  });

  it('fills Czech problem values', () => {
    const problem = {
      block: 'a',
      code: 'WIRES_CYCLE',
      params: { cycle: 'a → b → a' },
      message: 'wires form a cycle: a → b → a',
    };
    expect(describeProblem(problem, 'cs')).toBe('blok „a“: Spojení tvoří cyklus: a → b → a.');
  });

  it('keeps an uncoded message in Czech', () => {
    const problem = { block: 'map', field: 'parameter "batchSize"', message: 'Too small' };
    expect(describeProblem(problem, 'cs')).toBe('blok „map“ parametr „batchSize“: Too small');
  });

  it('names blocks and ports by their labels', () => {
    const labels = flowLabels({ nodes: [csvNode], catalogByType: { 'csv.write': csvWrite } });
    const problem = {
      block: 'csv',
      field: 'input "records"',
      code: 'INPUT_NOT_WIRED',
      message: 'nothing is wired to this input, so the block would receive nothing',
    };
    expect(describeProblem(problem, 'cs', labels)).toBe(
      'blok „Sklad pro e-shop“ vstup „Záznamy“: K tomuto vstupu nevede žádné spojení, takže by ' +
        'blok nic nedostal.',
    );
  });

  it('names a parameter by its title', () => {
    const labels = flowLabels({ nodes: [csvNode], catalogByType: { 'csv.write': csvWrite } });
    const problem = { block: 'csv', field: 'parameter "delimiter"', message: 'Too long' };
    expect(describeProblem(problem, 'cs', labels)).toBe(
      'blok „Sklad pro e-shop“ parametr „Oddělovač“: Too long',
    );
  });

  it('keeps ids the canvas does not have', () => {
    const labels = flowLabels({ nodes: [csvNode], catalogByType: { 'csv.write': csvWrite } });
    const problem = { block: 'gone', field: 'input "records"', message: 'missing' };
    expect(describeProblem(problem, 'en', labels)).toBe('block "gone" input "records": missing');
  });
});
