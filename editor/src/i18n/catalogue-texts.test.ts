import { blockDefinitions } from '@kuryr/nodes';
import { describeBlock } from '@kuryr/runtime';
import { describe, expect, it } from 'vitest';
import type { CatalogBlock } from '../api/types.js';
import { localizeCatalog, missingCzechTexts, staleCzechTexts } from './catalogue-texts.js';

// The catalogue as GET /nodes sends it, built from the real block definitions.
const catalog = blockDefinitions.map(describeBlock) as CatalogBlock[];

describe('catalogue texts', () => {
  it('has a Czech text for every block, port and parameter', () => {
    expect(catalog.length).toBeGreaterThan(0);
    expect(catalog.flatMap(missingCzechTexts)).toEqual([]);
  });

  it('has no Czech text for what the catalogue lacks', () => {
    expect(staleCzechTexts(catalog)).toEqual([]);
  });

  it('replaces every English text in Czech', () => {
    const czech = localizeCatalog(catalog, 'cs');
    czech.forEach((block, index) => {
      const english = catalog[index]!;
      expect(block.title, block.type).not.toBe(english.title);
      expect(block.help.summary, block.type).not.toBe(english.help.summary);
      for (const [name, schema] of Object.entries(block.parameters.properties ?? {})) {
        const source = english.parameters.properties![name]!;
        if (source.description !== undefined) {
          expect(schema.description, `${block.type} ${name}`).not.toBe(source.description);
        }
      }
    });
    const errorPort = czech[0]!.outputs.find((port) => port.name === 'error');
    expect(errorPort?.label).toBe('Chyby');
  });

  it('keeps the English catalogue as it is', () => {
    expect(localizeCatalog(catalog, 'en')).toBe(catalog);
  });

  it('reports a block without Czech texts', () => {
    const unknown = { ...catalog[0]!, type: 'example.unknown' };
    expect(missingCzechTexts(unknown)).toEqual(['example.unknown: the whole block']);
  });
});
