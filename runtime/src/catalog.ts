import { blockDefinitions, type BlockDefinition } from '@kuryr/nodes';

/** Block definitions by type id. */
export type BlockCatalog = ReadonlyMap<string, BlockDefinition>;

/** Builds a catalogue; the default holds every block of `@kuryr/nodes`. */
export function createCatalog(
  definitions: readonly BlockDefinition[] = blockDefinitions,
): BlockCatalog {
  return new Map(definitions.map((definition) => [definition.type, definition]));
}
