import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type AriaLabelConfig,
  type Connection,
  type Edge,
  type NodeTypes,
  type XYPosition,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, type DragEvent, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../hooks/useT.js';
import { flowLabels } from '../../i18n/flow-labels.js';
import { editorStore, useEditor } from '../../store/index.js';
import { BlockNode } from '../BlockNode/BlockNode.js';

/** MIME type of a palette entry being dragged; its data is the block type id. */
export const BLOCK_DRAG_TYPE = 'application/x-kuryr-block';

const GRID: [number, number] = [20, 20];

// Fitting a flow of one or two blocks would zoom in to React Flow's maximum of 2.
const FIT_VIEW = { maxZoom: 1 };

/**
 * Fits the view to the flow each time another flow is loaded. React Flow's `fitView` prop fits
 * once, when the first nodes appear, so it would also move the view under the user's hand when
 * the first block is dropped on an empty canvas.
 */
function useFitOnLoad() {
  const loads = useEditor((state) => state.loads);
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (loads > 0) void fitView(FIT_VIEW);
  }, [loads, fitView]);
}

/**
 * React Flow's labels for screen readers and its zoom buttons, in the editor's language.
 * NOTE: @xyflow/react 12.12 hard-codes `aria-roledescription` "node" and "edge" and the
 * attribution link's label in English; this config cannot change them.
 */
function useAriaLabels(): Partial<AriaLabelConfig> {
  const t = useT();
  return useMemo(
    () => ({
      'node.a11yDescription.default': t('canvas.nodeDescription'),
      'node.a11yDescription.keyboardDisabled': t('canvas.nodeDescription'),
      'edge.a11yDescription.default': t('canvas.edgeDescription'),
      'controls.ariaLabel': t('canvas.controls'),
      'controls.zoomIn.ariaLabel': t('canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
      'controls.fitView.ariaLabel': t('canvas.fitView'),
      'controls.interactive.ariaLabel': t('canvas.interactive'),
      'minimap.ariaLabel': t('canvas.minimap'),
      'handle.ariaLabel': t('canvas.handle'),
    }),
    [t],
  );
}

/**
 * Gives each wire a label for screen readers in the editor's language, with the names of its
 * blocks and the labels of its ports. React Flow's own label is English and names blocks by id.
 * The wires keep their identity while no label changes, e.g. while a block is dragged.
 */
function useLabelledEdges(edges: Edge[]): Edge[] {
  const t = useT();
  const { nodes, catalogByType } = useEditor((state) => ({
    nodes: state.nodes,
    catalogByType: state.catalogByType,
  }));
  const keepEqual = useShallow((labels: Record<string, string>) => labels);
  const labels = keepEqual(
    useMemo(() => {
      const flow = flowLabels({ nodes, catalogByType });
      return Object.fromEntries(
        edges.map((edge) => [
          edge.id,
          t('canvas.edgeLabel', {
            from: flow.blockName(edge.source) ?? edge.source,
            output: flow.portLabel(edge.source, edge.sourceHandle ?? '') ?? edge.sourceHandle ?? '',
            to: flow.blockName(edge.target) ?? edge.target,
            input: flow.portLabel(edge.target, edge.targetHandle ?? '') ?? edge.targetHandle ?? '',
          }),
        ]),
      );
    }, [nodes, edges, catalogByType, t]),
  );
  return useMemo(
    () => edges.map((edge) => ({ ...edge, ariaLabel: labels[edge.id] })),
    [edges, labels],
  );
}

// Built once at module level: React Flow re-renders every node when this object changes.
const nodeTypes: NodeTypes = { block: BlockNode };

/**
 * The flow canvas: blocks, wires, minimap, zoom controls and a snapping grid. Shift-drag draws a
 * selection box, and Shift-, Ctrl- or Cmd-click adds a block to the selection.
 */
export function Canvas() {
  const { nodes, edges, onNodesChange, onEdgesChange } = useEditor((state) => ({
    nodes: state.nodes,
    edges: state.edges,
    onNodesChange: state.onNodesChange,
    onEdgesChange: state.onEdgesChange,
  }));
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();
  const ariaLabels = useAriaLabels();
  const labelledEdges = useLabelledEdges(edges);
  useFitOnLoad();

  // A click on the minimap centres the canvas on that point at the current zoom.
  const onMinimapClick = useCallback(
    (_event: MouseEvent, position: XYPosition) =>
      void setCenter(position.x, position.y, { zoom: getZoom() }),
    [setCenter, getZoom],
  );

  const onConnect = useCallback((connection: Connection) => {
    const store = editorStore.getState();
    const rejection = store.connect(connection);
    store.showNotice(
      rejection === undefined
        ? undefined
        : { key: rejection.key, params: rejection.params, tone: 'error' },
    );
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(BLOCK_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(BLOCK_DRAG_TYPE);
      if (type === '') return;
      event.preventDefault();
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const snapped = {
        x: Math.round(position.x / GRID[0]) * GRID[0],
        y: Math.round(position.y / GRID[1]) * GRID[1],
      };
      editorStore.getState().addBlock(type, snapped);
      editorStore.getState().setPanelTab('settings');
    },
    [screenToFlowPosition],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={labelledEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        snapToGrid
        snapGrid={GRID}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Control', 'Meta']}
        minZoom={0.1}
        ariaLabelConfig={ariaLabels}
      >
        <Background gap={GRID[0]} />
        <MiniMap pannable zoomable onClick={onMinimapClick} />
        <Controls fitViewOptions={FIT_VIEW} />
      </ReactFlow>
    </div>
  );
}
