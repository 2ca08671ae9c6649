import { blockDefinitions, parameterJsonSchema, type BlockDefinition } from '@kuryr/nodes';
import { errorPortSpec } from './flow/validate-flow.js';

/** Block definitions by type id. */
export type BlockCatalog = ReadonlyMap<string, BlockDefinition>;

/** Builds a catalogue; the default holds every block of `@kuryr/nodes`. */
export function createCatalog(
  definitions: readonly BlockDefinition[] = blockDefinitions,
): BlockCatalog {
  return new Map(definitions.map((definition) => [definition.type, definition]));
}

/**
 * Returns one block type as GET /nodes sends it: the definition without its code, the error
 * output every block has, and the parameters' JSON Schema.
 */
export function describeBlock(definition: BlockDefinition) {
  return {
    type: definition.type,
    version: definition.version,
    title: definition.title,
    category: definition.category,
    icon: definition.icon,
    help: definition.help,
    inputs: definition.inputs,
    outputs: [...definition.outputs, errorPortSpec],
    parameters: parameterJsonSchema(definition),
    credentials: definition.credentials ?? [],
  };
}
