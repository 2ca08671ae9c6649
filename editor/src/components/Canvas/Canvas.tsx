import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, type DragEvent } from 'react';
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

// Built once at module level: React Flow re-renders every node when this object changes.
const nodeTypes: NodeTypes = { block: BlockNode };

/** The flow canvas: blocks, wires, minimap, zoom controls and a snapping grid. */
export function Canvas() {
  const { nodes, edges, onNodesChange, onEdgesChange } = useEditor((state) => ({
    nodes: state.nodes,
    edges: state.edges,
    onNodesChange: state.onNodesChange,
    onEdgesChange: state.onEdgesChange,
  }));
  const { screenToFlowPosition } = useReactFlow();
  useFitOnLoad();

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
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        snapToGrid
        snapGrid={GRID}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        minZoom={0.1}
      >
        <Background gap={GRID[0]} />
        <MiniMap pannable zoomable />
        <Controls />
      </ReactFlow>
    </div>
  );
}
