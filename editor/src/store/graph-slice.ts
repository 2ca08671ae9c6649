import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import type { StateCreator } from 'zustand';
import type { FlowDocument } from '../api/types.js';
import { copyBlocks, parseClipboard, pasteBlocks } from '../graph/clipboard.js';
import {
  flowToGraph,
  graphToFlow,
  newBlockId,
  wireId,
  type BlockNode,
  type FlowMeta,
} from '../graph/flow-graph.js';
import { checkWire, type WireRejection } from '../graph/ports.js';
import { defaultParameters } from '../schema/widgets.js';
import type { EditorState } from './index.js';

type Snapshot = { nodes: BlockNode[]; edges: Edge[] };

/** Snapshots kept for undo; older ones are dropped. */
const HISTORY_LIMIT = 100;

/** The flow on the canvas, its undo history and the editing actions. */
export type GraphSlice = {
  meta: FlowMeta;
  nodes: BlockNode[];
  edges: Edge[];
  past: Snapshot[];
  future: Snapshot[];
  /** Whether the canvas differs from the last saved or loaded flow. */
  dirty: boolean;
  /** Whether the flow exists on the server, so saving updates it. */
  stored: boolean;
  /** Number of flows loaded so far; the canvas fits its view when it changes. */
  loads: number;
  loadFlow(flow: FlowDocument, stored: boolean): void;
  toFlow(): FlowDocument;
  /**
   * Marks the flow stored, under `id` when the save created it. `changedSince` keeps it dirty
   * when the user edited it while the save was under way.
   */
  markSaved(id?: string, changedSince?: boolean): void;
  setFlowName(name: string): void;
  /** Changes the flow's fields outside the canvas: variables, credentials, triggers. */
  updateMeta(change: Partial<FlowMeta>): void;
  /** Adds a credential name to the flow's list, which the runtime requires before a block uses it. */
  declareCredential(name: string): void;
  onNodesChange(changes: NodeChange<BlockNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  /** Adds a wire, or returns why it is rejected. */
  connect(connection: Connection): WireRejection | undefined;
  addBlock(type: string, position: { x: number; y: number }): string | undefined;
  updateBlock(id: string, change: { name?: string; parameters?: Record<string, unknown> }): void;
  deleteSelected(): void;
  selectAll(): void;
  copySelection(): string;
  cutSelection(): string;
  paste(text: string): boolean;
  undo(): void;
  redo(): void;
};

/** Returns an empty flow with the given id and name. */
export function emptyFlow(id: string, name: string): FlowDocument {
  return { schemaVersion: 1, id, name, variables: {}, credentials: [], blocks: [], wires: [] };
}

export const createGraphSlice: StateCreator<EditorState, [], [], GraphSlice> = (set, get) => {
  /**
   * Records the current canvas for undo before a change. The change also clears the status
   * bar's notice, which spoke of the canvas as it was (e.g. which blocks were invalid).
   */
  const remember = () => {
    const { nodes, edges, past } = get();
    set({
      past: [...past, { nodes, edges }].slice(-HISTORY_LIMIT),
      future: [],
      dirty: true,
      notice: undefined,
    });
  };

  return {
    meta: flowToGraph(emptyFlow('new-flow', '')).meta,
    nodes: [],
    edges: [],
    past: [],
    future: [],
    dirty: false,
    stored: false,
    loads: 0,

    loadFlow(flow, stored) {
      const { meta, nodes, edges } = flowToGraph(flow);
      set({
        meta,
        nodes,
        edges,
        past: [],
        future: [],
        dirty: false,
        stored,
        loads: get().loads + 1,
      });
    },
    toFlow: () => graphToFlow(get().meta, get().nodes, get().edges),
    markSaved: (id = get().meta.id, changedSince = false) =>
      set({ meta: { ...get().meta, id }, dirty: changedSince, stored: true }),
    setFlowName(name) {
      set({ meta: { ...get().meta, name }, dirty: true });
    },
    updateMeta(change) {
      set({ meta: { ...get().meta, ...change }, dirty: true });
    },
    declareCredential(name) {
      const { credentials } = get().meta;
      if (credentials.includes(name)) return;
      set({ meta: { ...get().meta, credentials: [...credentials, name] }, dirty: true });
    },

    onNodesChange(changes) {
      // One undo step per drag: remember when a drag starts; removals and additions are steps
      // of their own. Selection and measurement changes are not recorded.
      const startsDrag = changes.some(
        (change) =>
          change.type === 'position' &&
          change.dragging === true &&
          get().nodes.find((node) => node.id === change.id)?.dragging !== true,
      );
      if (startsDrag || changes.some((change) => change.type === 'remove')) remember();
      set({ nodes: applyNodeChanges(changes, get().nodes) });
    },
    onEdgesChange(changes) {
      if (changes.some((change) => change.type === 'remove')) remember();
      set({ edges: applyEdgeChanges(changes, get().edges) });
    },

    connect(connection) {
      const { nodes, edges, catalogByType } = get();
      const rejection = checkWire(
        {
          blockType: (id) => catalogByType[nodes.find((node) => node.id === id)?.data.type ?? ''],
          wires: edges,
        },
        connection,
      );
      if (rejection !== undefined) return rejection;
      remember();
      const edge: Edge = {
        id: wireId(
          connection.source,
          connection.sourceHandle ?? '',
          connection.target,
          connection.targetHandle ?? '',
        ),
        source: connection.source,
        sourceHandle: connection.sourceHandle,
        target: connection.target,
        targetHandle: connection.targetHandle,
      };
      set({ edges: [...get().edges, edge] });
      return undefined;
    },

    addBlock(type, position) {
      const block = get().catalogByType[type];
      if (block === undefined) return undefined;
      remember();
      const id = newBlockId(type, new Set(get().nodes.map((node) => node.id)));
      const node: BlockNode = {
        id,
        type: 'block',
        position,
        data: {
          type,
          version: block.version,
          name: block.title,
          parameters: defaultParameters(block.parameters),
        },
      };
      set({
        nodes: [
          ...get().nodes.map((other) => ({ ...other, selected: false })),
          { ...node, selected: true },
        ],
      });
      return id;
    },

    updateBlock(id, change) {
      remember();
      set({
        nodes: get().nodes.map((node) =>
          node.id === id ? { ...node, data: { ...node.data, ...change } } : node,
        ),
      });
    },

    deleteSelected() {
      const removed = new Set(
        get()
          .nodes.filter((node) => node.selected)
          .map((node) => node.id),
      );
      const edges = get().edges;
      const keptEdges = edges.filter(
        (edge) => !edge.selected && !removed.has(edge.source) && !removed.has(edge.target),
      );
      if (removed.size === 0 && keptEdges.length === edges.length) return;
      remember();
      set({ nodes: get().nodes.filter((node) => !removed.has(node.id)), edges: keptEdges });
    },

    selectAll() {
      set({
        nodes: get().nodes.map((node) => ({ ...node, selected: true })),
        edges: get().edges.map((edge) => ({ ...edge, selected: true })),
      });
    },

    copySelection: () => copyBlocks(get().nodes, get().edges),
    cutSelection() {
      const text = copyBlocks(get().nodes, get().edges);
      get().deleteSelected();
      return text;
    },

    paste(text) {
      const content = parseClipboard(text);
      if (content === undefined || content.blocks.length === 0) return false;
      remember();
      const taken = new Set(get().nodes.map((node) => node.id));
      const pasted = pasteBlocks(content, taken, { x: 40, y: 40 });
      set({
        nodes: [...get().nodes.map((node) => ({ ...node, selected: false })), ...pasted.nodes],
        edges: [...get().edges, ...pasted.edges],
      });
      return true;
    },

    undo() {
      const { past, future, nodes, edges } = get();
      const previous = past.at(-1);
      if (previous === undefined) return;
      set({
        ...previous,
        past: past.slice(0, -1),
        future: [{ nodes, edges }, ...future],
        dirty: true,
      });
    },
    redo() {
      const { past, future, nodes, edges } = get();
      const next = future[0];
      if (next === undefined) return;
      set({ ...next, past: [...past, { nodes, edges }], future: future.slice(1), dirty: true });
    },
  };
};
