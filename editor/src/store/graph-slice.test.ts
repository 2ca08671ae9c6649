import { describe, expect, it } from 'vitest';
import type { CatalogBlock } from '../api/types.js';
import { createEditorStore } from './index.js';

const records = (name: string) => ({ name, kind: 'records' as const, label: name });
const files = (name: string) => ({ name, kind: 'files' as const, label: name });

const catalog: CatalogBlock[] = [
  {
    type: 'dbf.read',
    version: 1,
    title: 'Read DBF',
    category: 'Files',
    icon: 'table',
    help: { summary: 'reads a table' },
    inputs: [],
    outputs: [records('records')],
    credentials: [],
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', minLength: 1 },
        lenient: { type: 'boolean', default: false },
      },
      required: ['path'],
    },
  },
  {
    type: 'file.write',
    version: 1,
    title: 'Write File',
    category: 'Files',
    icon: 'file-output',
    help: { summary: 'writes files' },
    inputs: [files('file')],
    outputs: [files('file')],
    credentials: [],
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    type: 'transform.map',
    version: 1,
    title: 'Map',
    category: 'Transform',
    icon: 'shuffle',
    help: { summary: 'maps records' },
    inputs: [records('records')],
    outputs: [records('records')],
    credentials: [],
    parameters: { type: 'object', properties: { expression: { type: 'string' } } },
  },
];

function storeWithCatalog() {
  const store = createEditorStore();
  store.getState().setCatalog(catalog);
  return store;
}

/** Adds Read DBF and Map, wired, and returns their ids. */
function addReaderAndMapper(store: ReturnType<typeof storeWithCatalog>) {
  const reader = store.getState().addBlock('dbf.read', { x: 0, y: 0 }) as string;
  const mapper = store.getState().addBlock('transform.map', { x: 200, y: 0 }) as string;
  store
    .getState()
    .connect({ source: reader, sourceHandle: 'records', target: mapper, targetHandle: 'records' });
  return { reader, mapper };
}

describe('graph slice', () => {
  it('adds a block with the schema defaults', () => {
    const store = storeWithCatalog();
    const id = store.getState().addBlock('dbf.read', { x: 0, y: 0 });
    const node = store.getState().nodes.find((entry) => entry.id === id);
    expect(id).toBe('dbf-read-1');
    expect(node?.data.parameters).toEqual({ lenient: false });
    expect(node?.data.name).toBe('Read DBF');
  });

  it('clears the notice about the canvas when it changes', () => {
    const store = storeWithCatalog();
    store.getState().showNotice({ key: 'save.invalid', params: { blocks: 'Map' }, tone: 'error' });
    store.getState().addBlock('transform.map', { x: 0, y: 0 });
    expect(store.getState().notice).toBeUndefined();
  });

  it('rejects records wired into a files input', () => {
    const store = storeWithCatalog();
    const reader = store.getState().addBlock('dbf.read', { x: 0, y: 0 }) as string;
    const writer = store.getState().addBlock('file.write', { x: 200, y: 0 }) as string;
    const rejection = store
      .getState()
      .connect({ source: reader, sourceHandle: 'records', target: writer, targetHandle: 'file' });
    expect(rejection?.key).toBe('wire.kindMismatch');
    expect(rejection?.params).toMatchObject({ outputKind: 'records', inputKind: 'files' });
    expect(store.getState().edges).toHaveLength(0);
  });

  it('rejects a wire that closes a loop', () => {
    const store = storeWithCatalog();
    const first = store.getState().addBlock('transform.map', { x: 0, y: 0 }) as string;
    const second = store.getState().addBlock('transform.map', { x: 200, y: 0 }) as string;
    const wire = { sourceHandle: 'records', targetHandle: 'records' };
    expect(store.getState().connect({ ...wire, source: first, target: second })).toBeUndefined();
    expect(store.getState().connect({ ...wire, source: second, target: first })?.key).toBe(
      'wire.cycle',
    );
  });

  it('undoes and redoes adding a block and a wire', () => {
    const store = storeWithCatalog();
    const { reader } = addReaderAndMapper(store);
    expect(store.getState().edges).toHaveLength(1);

    store.getState().undo();
    expect(store.getState().edges).toHaveLength(0);
    store.getState().undo();
    expect(store.getState().nodes.map((node) => node.id)).toEqual([reader]);

    store.getState().redo();
    store.getState().redo();
    expect(store.getState().nodes).toHaveLength(2);
    expect(store.getState().edges).toHaveLength(1);
  });

  it('pastes copied blocks with new ids and their wire', () => {
    const store = storeWithCatalog();
    addReaderAndMapper(store);
    store.getState().selectAll();
    const text = store.getState().copySelection();

    expect(JSON.parse(text)).toMatchObject({ format: 'kuryr/blocks', version: 1 });
    expect(store.getState().paste(text)).toBe(true);
    const ids = store.getState().nodes.map((node) => node.id);
    expect(ids).toEqual(['dbf-read-1', 'transform-map-1', 'dbf-read-2', 'transform-map-2']);
    expect(store.getState().edges.map((edge) => `${edge.source}>${edge.target}`)).toEqual([
      'dbf-read-1>transform-map-1',
      'dbf-read-2>transform-map-2',
    ]);
  });

  it('ignores pasted text that is not blocks', () => {
    const store = storeWithCatalog();
    expect(store.getState().paste('{"hello": 1}')).toBe(false);
    expect(store.getState().paste('not json')).toBe(false);
    expect(store.getState().nodes).toHaveLength(0);
  });

  it('deletes the selection with its wires', () => {
    const store = storeWithCatalog();
    const { reader } = addReaderAndMapper(store);
    store.getState().deleteSelected();
    expect(store.getState().nodes.map((node) => node.id)).toEqual([reader]);
    expect(store.getState().edges).toHaveLength(0);
  });

  it('turns the canvas back into the loaded flow', () => {
    const store = storeWithCatalog();
    const flow = {
      schemaVersion: 1 as const,
      id: 'f',
      name: 'Flow',
      variables: { A: { description: 'a' } },
      credentials: [],
      blocks: [
        {
          id: 'r',
          type: 'dbf.read',
          version: 1,
          name: 'R',
          position: { x: 1, y: 2 },
          parameters: { path: 'a.dbf' },
        },
        {
          id: 'm',
          type: 'transform.map',
          version: 1,
          name: 'M',
          position: { x: 3, y: 4 },
          parameters: {},
        },
      ],
      wires: [{ from: { block: 'r', port: 'records' }, to: { block: 'm', port: 'records' } }],
    };
    store.getState().loadFlow(flow, true);
    expect(store.getState().toFlow()).toEqual(flow);
  });

  it('stays dirty after a save overtaken by edits', () => {
    const store = storeWithCatalog();
    store.getState().setFlowName('Stock');
    store.getState().markSaved('stock-1a2b');
    expect(store.getState().dirty).toBe(false);
    expect(store.getState().stored).toBe(true);
    expect(store.getState().meta.id).toBe('stock-1a2b');

    store.getState().setFlowName('Stock 2');
    store.getState().markSaved('stock-1a2b', true);
    expect(store.getState().dirty).toBe(true);
  });
});
