import type { CatalogBlock, ParameterSchema, PortSpec } from '../api/types.js';
import {
  blocksCs,
  categoriesCs,
  errorPortLabelCs,
  type BlockTexts,
  type ParameterTexts,
} from './catalogue-cs.js';
import { valueLabelsEn } from './catalogue-en.js';
import type { Language } from './i18n.js';

/** Name of the error output that the runtime adds to every block. */
const ERROR_PORT = 'error';

/** Fields nested in a parameter: an object's properties, or those of each item of a list. */
function nestedProperties(schema: ParameterSchema): Record<string, ParameterSchema> {
  return schema.properties ?? schema.items?.properties ?? {};
}

/** Returns `schema` with its nested fields replaced by `visit` of each, keeping the shape. */
function withNested(
  schema: ParameterSchema,
  visit: (name: string, field: ParameterSchema) => ParameterSchema,
): ParameterSchema {
  const map = (properties: Record<string, ParameterSchema>) =>
    Object.fromEntries(
      Object.entries(properties).map(([name, field]) => [name, visit(name, field)]),
    );
  if (schema.properties !== undefined) return { ...schema, properties: map(schema.properties) };
  if (schema.items?.properties !== undefined) {
    return { ...schema, items: { ...schema.items, properties: map(schema.items.properties) } };
  }
  return schema;
}

/** Lists every parameter of a block at any depth with its dotted path, e.g. `fields.type`. */
function parameterPaths(block: CatalogBlock): { path: string; schema: ParameterSchema }[] {
  const found: { path: string; schema: ParameterSchema }[] = [];
  const visit = (path: string, schema: ParameterSchema) => {
    found.push({ path, schema });
    for (const [name, field] of Object.entries(nestedProperties(schema))) {
      visit(`${path}.${name}`, field);
    }
  };
  for (const [name, schema] of Object.entries(block.parameters.properties ?? {})) {
    visit(name, schema);
  }
  return found;
}

/** Returns the Czech texts of a parameter path such as `layouts.columns.type`. */
function czechTextsAt(texts: BlockTexts, path: string): ParameterTexts | undefined {
  const [first, ...rest] = path.split('.');
  let found = texts.parameters[first!];
  for (const name of rest) found = found?.fields?.[name];
  return found;
}

function localizeParameter(
  schema: ParameterSchema,
  texts: ParameterTexts | undefined,
): ParameterSchema {
  if (texts === undefined) return schema;
  const localized: ParameterSchema = {
    ...schema,
    title: texts.title,
    description: texts.description ?? schema.description,
    ...(texts.values === undefined ? {} : { enumLabels: texts.values }),
  };
  return withNested(localized, (name, field) => localizeParameter(field, texts.fields?.[name]));
}

function localizePort(port: PortSpec, texts: BlockTexts): PortSpec {
  const label = port.name === ERROR_PORT ? errorPortLabelCs : texts.ports[port.name];
  return label === undefined ? port : { ...port, label };
}

function localizeBlock(block: CatalogBlock): CatalogBlock {
  const texts = blocksCs[block.type];
  if (texts === undefined) return block;
  const properties = Object.fromEntries(
    Object.entries(block.parameters.properties ?? {}).map(([name, schema]) => [
      name,
      localizeParameter(schema, texts.parameters[name]),
    ]),
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

function labelEnglishParameter(
  schema: ParameterSchema,
  path: string,
  labels: Record<string, Record<string, string>>,
): ParameterSchema {
  const enumLabels = labels[path];
  const labelled = enumLabels === undefined ? schema : { ...schema, enumLabels };
  return withNested(labelled, (name, field) =>
    labelEnglishParameter(field, `${path}.${name}`, labels),
  );
}

/** Adds the English labels of the allowed values; every English text stays as the runtime sent it. */
function labelEnglishBlock(block: CatalogBlock): CatalogBlock {
  const labels = valueLabelsEn[block.type];
  if (labels === undefined) return block;
  const properties = Object.fromEntries(
    Object.entries(block.parameters.properties ?? {}).map(([name, schema]) => [
      name,
      labelEnglishParameter(schema, name, labels),
    ]),
  );
  return { ...block, parameters: { ...block.parameters, properties } };
}

/**
 * Returns the catalogue in `language`: the runtime sends English texts, to which the editor adds
 * the labels of allowed values (`enumLabels`); Czech replaces the texts at every depth of the
 * parameters. A missing Czech text leaves the English one in place, which the catalogue-texts
 * unit test rejects.
 */
export function localizeCatalog(blocks: CatalogBlock[], language: Language): CatalogBlock[] {
  return blocks.map(language === 'en' ? labelEnglishBlock : localizeBlock);
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
  for (const { path, schema } of parameterPaths(block)) {
    const parameter = czechTextsAt(texts, path);
    if (parameter === undefined) {
      missing.push(`${block.type}: parameter ${path}`);
      continue;
    }
    if (schema.description !== undefined && parameter.description === undefined) {
      missing.push(`${block.type}: description of parameter ${path}`);
    }
    for (const value of schema.enum ?? []) {
      if (parameter.values?.[String(value)] === undefined) {
        missing.push(`${block.type}: label of value ${String(value)} of parameter ${path}`);
      }
    }
  }
  return missing;
}

/** Lists the allowed values of a catalogue block that have no English label. */
export function missingEnglishLabels(block: CatalogBlock): string[] {
  const missing: string[] = [];
  for (const { path, schema } of parameterPaths(block)) {
    for (const value of schema.enum ?? []) {
      if (valueLabelsEn[block.type]?.[path]?.[String(value)] === undefined) {
        missing.push(`${block.type}: English label of value ${String(value)} of parameter ${path}`);
      }
    }
  }
  return missing;
}

/** Lists labels of values that `schema` does not allow. */
function staleValues(labels: Record<string, string> | undefined, schema: ParameterSchema) {
  const allowed = new Set((schema.enum ?? []).map(String));
  return Object.keys(labels ?? {}).filter((value) => !allowed.has(value));
}

/** Lists Czech texts of nested fields and values that `schema` no longer has, at any depth. */
function staleParameterTexts(texts: ParameterTexts, schema: ParameterSchema, where: string) {
  const stale = staleValues(texts.values, schema).map((value) => `${where}: no value ${value}`);
  const fields = nestedProperties(schema);
  for (const [name, nested] of Object.entries(texts.fields ?? {})) {
    const field = fields[name];
    if (field === undefined) stale.push(`${where}: no field ${name}`);
    else stale.push(...staleParameterTexts(nested, field, `${where}.${name}`));
  }
  return stale;
}

/** Lists Czech texts whose block, port, parameter, field or value the catalogue no longer has. */
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
    for (const [name, parameter] of Object.entries(texts.parameters)) {
      const schema = parameters[name];
      if (schema === undefined) stale.push(`${type}: no parameter ${name}`);
      else stale.push(...staleParameterTexts(parameter, schema, `${type}: ${name}`));
    }
  }
  return stale;
}

/** Lists English value labels whose block, parameter or value the catalogue no longer has. */
export function staleEnglishLabels(blocks: CatalogBlock[]): string[] {
  const stale: string[] = [];
  const byType = new Map(blocks.map((block) => [block.type, block]));
  for (const [type, parameters] of Object.entries(valueLabelsEn)) {
    const block = byType.get(type);
    if (block === undefined) {
      stale.push(`${type}: no such block`);
      continue;
    }
    const schemas = new Map(parameterPaths(block).map(({ path, schema }) => [path, schema]));
    for (const [path, labels] of Object.entries(parameters)) {
      const schema = schemas.get(path);
      if (schema === undefined) stale.push(`${type}: no parameter ${path}`);
      else
        stale.push(
          ...staleValues(labels, schema).map((value) => `${type}: ${path}: no value ${value}`),
        );
    }
  }
  return stale;
}
