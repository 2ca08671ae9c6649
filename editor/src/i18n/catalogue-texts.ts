import type { CatalogBlock, PortSpec } from '../api/types.js';
import { blocksCs, categoriesCs, errorPortLabelCs, type BlockTexts } from './catalogue-cs.js';
import type { Language } from './i18n.js';

/** Name of the error output that the runtime adds to every block. */
const ERROR_PORT = 'error';

function localizePort(port: PortSpec, texts: BlockTexts): PortSpec {
  const label = port.name === ERROR_PORT ? errorPortLabelCs : texts.ports[port.name];
  return label === undefined ? port : { ...port, label };
}

function localizeBlock(block: CatalogBlock): CatalogBlock {
  const texts = blocksCs[block.type];
  if (texts === undefined) return block;
  const properties = Object.fromEntries(
    Object.entries(block.parameters.properties ?? {}).map(([name, schema]) => {
      const parameter = texts.parameters[name];
      if (parameter === undefined) return [name, schema];
      return [
        name,
        {
          ...schema,
          title: parameter.title,
          description: parameter.description ?? schema.description,
        },
      ];
    }),
  );
  return {
    ...block,
    title: texts.title,
    category: categoriesCs[block.category] ?? block.category,
    help: {
      summary: texts.summary,
      inputs: { ...block.help.inputs, ...texts.inputs },
      outputs: { ...block.help.outputs, ...texts.outputs },
    },
    inputs: block.inputs.map((port) => localizePort(port, texts)),
    outputs: block.outputs.map((port) => localizePort(port, texts)),
    parameters: { ...block.parameters, properties },
  };
}

/**
 * Returns the catalogue with its texts in `language`. The runtime sends English; a Czech text
 * that is missing leaves the English one in place, which the catalogue-texts unit test rejects.
 */
export function localizeCatalog(blocks: CatalogBlock[], language: Language): CatalogBlock[] {
  return language === 'en' ? blocks : blocks.map(localizeBlock);
}

/** Lists the texts of a catalogue block that have no Czech translation, as readable paths. */
export function missingCzechTexts(block: CatalogBlock): string[] {
  const missing: string[] = [];
  const texts = blocksCs[block.type];
  if (texts === undefined) return [`${block.type}: the whole block`];
  if (categoriesCs[block.category] === undefined) missing.push(`category ${block.category}`);
  for (const name of Object.keys(block.help.inputs ?? {})) {
    if (texts.inputs?.[name] === undefined) missing.push(`${block.type}: help of input ${name}`);
  }
  for (const name of Object.keys(block.help.outputs ?? {})) {
    if (texts.outputs?.[name] === undefined) missing.push(`${block.type}: help of output ${name}`);
  }
  for (const port of [...block.inputs, ...block.outputs]) {
    if (port.name !== ERROR_PORT && texts.ports[port.name] === undefined) {
      missing.push(`${block.type}: label of port ${port.name}`);
    }
  }
  for (const [name, schema] of Object.entries(block.parameters.properties ?? {})) {
    const parameter = texts.parameters[name];
    if (parameter === undefined) missing.push(`${block.type}: parameter ${name}`);
    else if (schema.description !== undefined && parameter.description === undefined) {
      missing.push(`${block.type}: description of parameter ${name}`);
    }
  }
  return missing;
}

/** Lists Czech texts whose block, port or parameter the catalogue no longer has. */
export function staleCzechTexts(blocks: CatalogBlock[]): string[] {
  const stale: string[] = [];
  const byType = new Map(blocks.map((block) => [block.type, block]));
  for (const [type, texts] of Object.entries(blocksCs)) {
    const block = byType.get(type);
    if (block === undefined) {
      stale.push(`${type}: no such block`);
      continue;
    }
    const ports = new Set([...block.inputs, ...block.outputs].map((port) => port.name));
    for (const name of Object.keys(texts.ports)) {
      if (!ports.has(name)) stale.push(`${type}: no port ${name}`);
    }
    const parameters = block.parameters.properties ?? {};
    for (const name of Object.keys(texts.parameters)) {
      if (!(name in parameters)) stale.push(`${type}: no parameter ${name}`);
    }
  }
  return stale;
}
