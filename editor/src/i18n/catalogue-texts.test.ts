import { blockDefinitions } from '@kuryr/nodes';
import { describeBlock } from '@kuryr/runtime';
import { describe, expect, it } from 'vitest';
import type { CatalogBlock } from '../api/types.js';
import { blocksCs, type ParameterTexts } from './catalogue-cs.js';
import {
  localizeCatalog,
  missingCzechTexts,
  missingEnglishLabels,
  staleCzechTexts,
  staleEnglishLabels,
} from './catalogue-texts.js';

// The catalogue as GET /nodes sends it, built from the real block definitions.
const catalog = blockDefinitions.map(describeBlock) as CatalogBlock[];

/** Lists Czech descriptions that name an allowed value by its stored form, e.g. `explicit:`. */
function rawValuesInDescriptions(texts: ParameterTexts, where: string): string[] {
  const raw = Object.keys(texts.values ?? {})
    .filter((value) => texts.description?.includes(`${value}:`) === true)
    .map((value) => `${where}: ${value}`);
  for (const [name, field] of Object.entries(texts.fields ?? {})) {
    raw.push(...rawValuesInDescriptions(field, `${where}.${name}`));
  }
  return raw;
}

describe('catalogue texts', () => {
  it('names values by their Czech labels', () => {
    const raw = Object.entries(blocksCs).flatMap(([type, block]) =>
      Object.entries(block.parameters).flatMap(([name, texts]) =>
        rawValuesInDescriptions(texts, `${type} ${name}`),
      ),
    );
    expect(raw).toEqual([]);
  });

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

  it('keeps the English texts as they are', () => {
    const english = localizeCatalog(catalog, 'en');
    english.forEach((block, index) => {
      const source = catalog[index]!;
      expect(block.title).toBe(source.title);
      expect(block.help).toBe(source.help);
      expect(block.inputs).toBe(source.inputs);
      expect(block.outputs).toBe(source.outputs);
      for (const [name, schema] of Object.entries(block.parameters.properties ?? {})) {
        const original = source.parameters.properties![name]!;
        expect(schema.title, `${block.type} ${name}`).toBe(original.title);
        expect(schema.description, `${block.type} ${name}`).toBe(original.description);
      }
    });
  });

  it('has an English label for every value', () => {
    expect(catalog.flatMap(missingEnglishLabels)).toEqual([]);
  });

  it('has no English label for what the catalogue lacks', () => {
    expect(staleEnglishLabels(catalog)).toEqual([]);
  });

  it('labels values in both languages', () => {
    for (const language of ['cs', 'en'] as const) {
      const preset = localizeCatalog(catalog, language).find((block) => block.type === 'csv.write')!
        .parameters.properties!.preset!;
      expect(Object.keys(preset.enumLabels ?? {}), language).toEqual(preset.enum);
    }
    const czech = localizeCatalog(catalog, 'cs').find((block) => block.type === 'csv.read')!;
    expect(czech.parameters.properties!.wrongCellCount!.enumLabels!.skip).toBe('Přeskočit');
  });

  it('translates fields of list items at any depth', () => {
    const czech = localizeCatalog(catalog, 'cs');
    const fields = czech.find((block) => block.type === 'dbf.write')!.parameters.properties!.fields!
      .items!.properties!;
    expect(fields.type!.title).toBe('Typ');
    expect(fields.type!.enumLabels!.N).toBe('N – číslo');
    const columns = czech.find((block) => block.type === 'text.read')!.parameters.properties!
      .layouts!.items!.properties!.columns!.items!.properties!;
    expect(columns.align!.title).toBe('Zarovnání');
    expect(columns.align!.enumLabels!.right).toBe('Vpravo');
  });

  it('reports a stale value label', () => {
    const block = catalog.find((candidate) => candidate.type === 'csv.read')!;
    const header = block.parameters.properties!.header!;
    const narrowed = {
      ...block,
      parameters: {
        ...block.parameters,
        properties: { ...block.parameters.properties, header: { ...header, enum: ['yes', 'no'] } },
      },
    };
    const others = catalog.filter((candidate) => candidate.type !== 'csv.read');
    expect(staleCzechTexts([...others, narrowed])).toEqual(['csv.read: header: no value auto']);
    expect(staleEnglishLabels([...others, narrowed])).toEqual(['csv.read: header: no value auto']);
  });

  it('reports a missing nested field text', () => {
    const block = catalog.find((candidate) => candidate.type === 'dbf.write')!;
    const fields = block.parameters.properties!.fields!;
    const widened = {
      ...block,
      parameters: {
        ...block.parameters,
        properties: {
          ...block.parameters.properties,
          fields: {
            ...fields,
            items: {
              ...fields.items,
              properties: { ...fields.items!.properties, extra: { type: 'string' } },
            },
          },
        },
      },
    };
    expect(missingCzechTexts(widened)).toEqual(['dbf.write: parameter fields.extra']);
  });

  it('reports a block without Czech texts', () => {
    const unknown = { ...catalog[0]!, type: 'example.unknown' };
    expect(missingCzechTexts(unknown)).toEqual(['example.unknown: the whole block']);
  });
});
