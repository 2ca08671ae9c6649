import { describe, expect, it } from 'vitest';
import { catalogues, detectLanguage, translate } from './i18n.js';

describe('i18n', () => {
  it('has the same keys in Czech and English', () => {
    expect(Object.keys(catalogues.cs).sort()).toEqual(Object.keys(catalogues.en).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{(\w+(?:\|\w+)?)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogues.en) as (keyof typeof catalogues.en)[]) {
      expect(placeholders(catalogues.cs[key]), key).toEqual(placeholders(catalogues.en[key]));
    }
  });

  it('picks Czech from the browser languages', () => {
    expect(detectLanguage(['cs-CZ', 'en'])).toBe('cs');
    expect(detectLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(detectLanguage(['de'])).toBe('en');
  });

  it('translates a grouped placeholder', () => {
    const params = {
      output: 'Soubor',
      outputKind: 'files',
      input: 'Záznamy',
      inputKind: 'records',
    };
    expect(translate('cs', 'wire.kindMismatch', params)).toBe(
      'Spojení odmítnuto: výstup Soubor nese soubory, ale vstup Záznamy přijímá záznamy.',
    );
  });

  it('fills placeholders', () => {
    expect(translate('cs', 'login.failed', { message: 'špatné heslo' })).toBe(
      'Přihlášení selhalo: špatné heslo',
    );
  });

  it('puts Czech counts after their noun', () => {
    // "0 vstup · 25 výstup" would need the plural after a number; the noun first needs none.
    expect(translate('cs', 'block.counts', { in: 0, out: 25 })).toBe('vstup 0 · výstup 25');
  });
});
