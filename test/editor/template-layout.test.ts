// Stored flows in flows/ open on the editor's canvas at their saved positions, so no two of their
// blocks may overlap. Each block is taken at the editor's maximum width and at its full height
// for the number of ports it has.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockDefinitions } from '@kuryr/nodes';
import type { CatalogBlock } from '../../editor/src/api/types.js';
import { BLOCK_MAX_WIDTH, blockHeight } from '../../editor/src/graph/block-layout.js';
import { outputPorts } from '../../editor/src/graph/ports.js';
import { repositoryRoot } from '../support/kuryr.js';

type StoredBlock = { id: string; type: string; position?: { x: number; y: number } };
type Box = { id: string; left: number; top: number; right: number; bottom: number };

const flowsDir = join(repositoryRoot, 'flows');
const flowFiles = (await readdir(flowsDir)).filter((name) => name.endsWith('.json')).sort();

/** Returns the number of ports on the taller side of a block type, as BlockNode draws them. */
function portRows(type: string): number {
  const definition = blockDefinitions.find((candidate) => candidate.type === type);
  if (definition === undefined) throw new Error(`block type "${type}" is not in the catalogue`);
  // The editor adds the error output that every block has when the type does not list it.
  const outputs = outputPorts({ outputs: definition.outputs } as CatalogBlock);
  return Math.max(definition.inputs.length, outputs.length);
}

function boxOf(block: StoredBlock): Box {
  const { x, y } = block.position!;
  const height = blockHeight(portRows(block.type));
  return { id: block.id, left: x, top: y, right: x + BLOCK_MAX_WIDTH, bottom: y + height };
}

function overlap(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('stored flow layout', () => {
  it('finds the stored flows', () => {
    expect(flowFiles).toContain('eshop-stock-csv.json');
  });

  it.each(flowFiles)('%s has no overlapping blocks', async (file) => {
    const flow = JSON.parse(await readFile(join(flowsDir, file), 'utf8')) as {
      blocks: StoredBlock[];
    };
    const placed = flow.blocks.filter((block) => block.position !== undefined);
    const boxes = placed.map(boxOf);
    const overlapping: string[] = [];
    for (const [index, a] of boxes.entries()) {
      for (const b of boxes.slice(index + 1)) {
        if (overlap(a, b)) overlapping.push(`${a.id} and ${b.id}`);
      }
    }
    expect(overlapping).toEqual([]);
  });
});
