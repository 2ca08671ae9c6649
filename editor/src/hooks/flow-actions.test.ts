import { describe, expect, it } from 'vitest';
import { describeProblem, flowIdFromName } from './useFlowActions.js';

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
    expect(describeProblem(problem)).toBe('read-items parameters.path: missing');
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
      'blok csv vstup „records“: K tomuto vstupu nevede žádné spojení, takže by blok nic nedostal.',
    );
    expect(describeProblem(problem, 'en')).toBe(
      'csv input "records": nothing is wired to this input, so the block would receive nothing',
    );
  });

  it('fills Czech problem values', () => {
    const problem = {
      block: 'a',
      code: 'WIRES_CYCLE',
      params: { cycle: 'a → b → a' },
      message: 'wires form a cycle: a → b → a',
    };
    expect(describeProblem(problem, 'cs')).toBe('blok a: Spojení tvoří cyklus: a → b → a.');
  });

  it('keeps an uncoded message in Czech', () => {
    const problem = { block: 'map', field: 'parameter "batchSize"', message: 'Too small' };
    expect(describeProblem(problem, 'cs')).toBe('blok map parametr „batchSize“: Too small');
  });
});
