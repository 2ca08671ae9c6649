import { z } from 'zod';
import type { BlockDefinition } from './block.js';

/** Editor and runtime hints stored in a parameter's metadata with `.meta()`. */
export type ParameterMeta = {
  title?: string;
  description?: string;
  /** The value may be given as `{ "expression": "..." }`, evaluated when the block starts. */
  expression?: boolean;
  /** The editor widget: `jsonata` marks a JSONata source evaluated per record. */
  widget?: 'jsonata' | 'file' | 'folder' | 'codepage' | 'cron' | 'credential';
};

/** JSON Schema of a parameter object, as the editor's forms consume it. */
export type ParameterJsonSchema = {
  type?: string;
  properties?: Record<string, ParameterMeta & Record<string, unknown>>;
  required?: string[];
  [key: string]: unknown;
};

const jsonSchemas = new WeakMap<BlockDefinition, ParameterJsonSchema>();

/** Returns the JSON Schema of a block's parameters (input form: defaults are optional). */
export function parameterJsonSchema(definition: BlockDefinition): ParameterJsonSchema {
  let schema = jsonSchemas.get(definition);
  if (schema === undefined) {
    schema = z.toJSONSchema(definition.parameters, { io: 'input' }) as ParameterJsonSchema;
    jsonSchemas.set(definition, schema);
  }
  return schema;
}

/** Returns the metadata of one parameter, or undefined for an unknown name. */
export function parameterMeta(
  definition: BlockDefinition,
  name: string,
): ParameterMeta | undefined {
  return parameterJsonSchema(definition).properties?.[name];
}
