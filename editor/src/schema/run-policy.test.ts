import { describe, expect, it } from 'vitest';
import { compactRunPolicy, validateRunPolicy, type RunPolicyInput } from './run-policy.js';

describe('validateRunPolicy', () => {
  it('accepts the runtime values', () => {
    expect(validateRunPolicy(undefined)).toEqual([]);
    expect(
      validateRunPolicy({ overlap: 'queue', maxRunSeconds: 90, missedRuns: 'catch-up-once' }),
    ).toEqual([]);
  });

  it('rejects a maximum run time that is not positive', () => {
    for (const maxRunSeconds of [0, -5, Number.NaN]) {
      expect(validateRunPolicy({ maxRunSeconds }), String(maxRunSeconds)).toEqual([
        { field: 'maxRunSeconds', key: 'policy.badMaxRunSeconds' },
      ]);
    }
  });

  it('rejects an unknown overlap policy', () => {
    const policy = { overlap: 'sometimes' } as unknown as RunPolicyInput;
    expect(validateRunPolicy(policy)).toEqual([{ field: 'overlap', key: 'policy.badChoice' }]);
  });

  it('drops empty fields', () => {
    expect(compactRunPolicy({ overlap: 'queue', maxRunSeconds: undefined })).toEqual({
      overlap: 'queue',
    });
    expect(compactRunPolicy({ maxRunSeconds: undefined })).toBeUndefined();
  });
});
