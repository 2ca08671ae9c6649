import { describe, expect, it } from 'vitest';
import type { ParameterObjectSchema } from '../api/types.js';
import { validateParameters } from './validate.js';

const schema: ParameterObjectSchema = {
  type: 'object',
  properties: { batchSize: { type: 'integer', minimum: 1 } },
};

describe('validateParameters', () => {
  it('gives schema details in English', () => {
    const [problem] = validateParameters(schema, { batchSize: 0 }, 'en');
    expect(problem?.key).toBe('param.invalid');
    expect(problem?.params.detail).toBe('must be >= 1');
  });

  it('gives schema details in Czech', () => {
    const [problem] = validateParameters(schema, { batchSize: 0 }, 'cs');
    expect(problem?.parameter).toBe('batchSize');
    expect(problem?.params.detail).toBe('musí být >= 1');
  });
});
