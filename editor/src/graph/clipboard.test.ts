import { describe, expect, it } from 'vitest';
import { CLIPBOARD_FORMAT, parseClipboard, pasteBlocks } from './clipboard.js';

const block = { id: 'a', type: 'dbf.read', version: 1, name: 'A', position: { x: 1, y: 2 } };

function clipboardText(content: Record<string, unknown>): string {
  return JSON.stringify({ format: CLIPBOARD_FORMAT, version: 1, ...content });
}

describe('parseClipboard', () => {
  it('reads blocks and wires', () => {
    const wire = { from: { block: 'a', port: 'records' }, to: { block: 'b', port: 'records' } };
    const content = parseClipboard(clipboardText({ blocks: [block], wires: [wire] }));
    expect(content?.blocks).toHaveLength(1);
    expect(content?.wires).toEqual([wire]);
  });

  it('fills in missing parameters and name', () => {
    const content = parseClipboard(
      clipboardText({ blocks: [{ id: 'a', type: 'dbf.read', position: { x: 0, y: 0 } }] }),
    );
    expect(content?.blocks[0]?.parameters).toEqual({});
    expect(content?.blocks[0]?.name).toBe('');
    expect(content?.blocks[0]?.version).toBe(1);
  });

  it.each([
    ['a block without a position', { blocks: [{ id: 'a', type: 'dbf.read' }] }],
    ['a null block', { blocks: [null] }],
    ['a block without a type', { blocks: [{ id: 'a', position: { x: 0, y: 0 } }] }],
    ['a text position', { blocks: [{ ...block, position: { x: '1', y: 2 } }] }],
    ['parameters as a list', { blocks: [{ ...block, parameters: [] }] }],
    ['wires that are no list', { blocks: [block], wires: 'none' }],
    ['a wire without ends', { blocks: [block], wires: [{ from: 'a' }] }],
  ])('ignores %s', (_case, content) => {
    expect(parseClipboard(clipboardText(content))).toBeUndefined();
  });

  it('ignores text that is not Kurýr blocks', () => {
    expect(parseClipboard('Sklad;Cena')).toBeUndefined();
    expect(parseClipboard('{"blocks":[]}')).toBeUndefined();
  });

  it('pastes what it accepted', () => {
    const content = parseClipboard(clipboardText({ blocks: [block] }));
    if (content === undefined) throw new Error('the clipboard text was not accepted');
    const pasted = pasteBlocks(content, new Set(['a']), { x: 40, y: 40 });
    expect(pasted.nodes[0]?.position).toEqual({ x: 41, y: 42 });
    expect(pasted.nodes[0]?.id).not.toBe('a');
  });
});
