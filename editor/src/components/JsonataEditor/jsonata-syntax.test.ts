import { describe, expect, it } from 'vitest';
import { findSyntaxError, syntaxMessage } from './jsonata-syntax.js';

describe('findSyntaxError', () => {
  it('accepts a valid expression', () => {
    expect(findSyntaxError('{ "code": CODE, "price": $addVat(PRICE, VAT) }')).toBeUndefined();
  });

  it('marks an unclosed object at its position', () => {
    const problem = findSyntaxError('{ "code": CODE, ');
    expect(problem).toBeDefined();
    expect(problem?.position).toBeGreaterThan(0);
    expect(problem?.position).toBeLessThanOrEqual(16);
  });

  it('marks an unknown operator token', () => {
    const source = 'STOCK > 0 and ) ';
    const problem = findSyntaxError(source);
    expect(problem?.message).toMatch(/\)/);
    expect(source.slice(problem?.from, problem?.to)).toBe(')');
  });

  it('gives the message in Czech', () => {
    const problem = findSyntaxError('STOCK > 0 and ) ')!;
    expect(problem.code).toBe('S0211');
    expect(syntaxMessage(problem, 'cs')).toBe('Symbol ) nelze použít jako unární operátor');
    expect(syntaxMessage(problem, 'en')).toBe(problem.message);
  });

  it('fills the expected value in Czech', () => {
    const problem = findSyntaxError('$sum(PRICE')!;
    expect(problem.code).toBe('S0203');
    expect(syntaxMessage(problem, 'cs')).toBe('Očekáváno ) před koncem výrazu');
  });
});
