// Shapes of the runtime's API as the editor consumes them. The editor never imports the
// runtime or the blocks; these types mirror the JSON that `kuryr start` sends.

/** Kind of item a port carries; a wire connects only ports of the same kind. */
export type PortKind = 'records' | 'files';

/** A named input or output of a block type. */
export type PortSpec = {
  name: string;
  kind: PortKind;
  label: string;
  help?: string;
  optional?: boolean;
};

/** JSON Schema of one parameter, with the editor hints the node contract adds. */
export type ParameterSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: ParameterSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  /** The value may be `{ "expression": "..." }`, evaluated when the block starts. */
  expression?: boolean;
  widget?: 'jsonata' | 'file' | 'folder' | 'codepage' | 'cron' | 'credential' | 'variable';
  /** Credential kind for a `credential` widget. */
  credentialKind?: string;
};

/** JSON Schema of a block's parameter object. */
export type ParameterObjectSchema = {
  type?: string;
  properties?: Record<string, ParameterSchema>;
  required?: string[];
};

/** One block type of the runtime's catalogue. */
export type CatalogBlock = {
  type: string;
  version: number;
  title: string;
  category: string;
  icon: string;
  help: { summary: string; inputs?: Record<string, string>; outputs?: Record<string, string> };
  inputs: PortSpec[];
  outputs: PortSpec[];
  parameters: ParameterObjectSchema;
  credentials?: string[];
};

/** A parameter value given as a JSONata expression. */
export type ExpressionValue = { expression: string };

/** One block of a saved flow. */
export type FlowBlock = {
  id: string;
  type: string;
  version: number;
  name: string;
  position: { x: number; y: number };
  parameters: Record<string, unknown>;
};

/** One end of a wire. */
export type WireEnd = { block: string; port: string };

/** A flow document as it is stored, schema version 1. */
export type FlowDocument = {
  schemaVersion: 1;
  id: string;
  name: string;
  description?: string;
  variables: Record<string, { description: string; default?: string }>;
  credentials: string[];
  blocks: FlowBlock[];
  wires: { from: WireEnd; to: WireEnd }[];
};

export type RunStatus = 'succeeded' | 'failed' | 'completed_with_errors' | 'cancelled';

export type BlockStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export type BlockCounts = {
  recordsIn: number;
  recordsOut: number;
  filesIn: number;
  filesOut: number;
  errors: number;
};

export type ErrorReport = {
  code: string;
  kind: string;
  message: string;
  hint?: string;
  context: Record<string, unknown>;
  item?: unknown;
};

export type WarningSummary = {
  code: string;
  count: number;
  examples: { message: string; details?: Record<string, unknown> }[];
};

/** One block of a run's report. */
export type BlockReport = BlockCounts & {
  id: string;
  name: string;
  type: string;
  status: BlockStatus;
  durationMs?: number;
  warnings: WarningSummary[];
  error?: ErrorReport;
  /** The first items each output port sent, capped. */
  samples: Record<string, unknown[]>;
};

/** A run as the run history returns it. */
export type RunReport = {
  runId: string;
  flowId: string;
  status: RunStatus | 'running';
  trigger?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: ErrorReport;
  blocks: BlockReport[];
};

/** Events of a run, as the executor emits them and the WebSocket streams them. */
export type RunEvent =
  | { type: 'run.started'; runId: string; flowId: string; at: string }
  | { type: 'block.started'; runId: string; blockId: string; at: string }
  | {
      type: 'block.progress' | 'block.finished';
      runId: string;
      blockId: string;
      counts: BlockCounts;
      rate: number;
      elapsedMs: number;
      /** The latest item per output port. */
      latest?: Record<string, unknown>;
    }
  | {
      type: 'block.warning';
      runId: string;
      blockId: string;
      code: string;
      message: string;
      details?: Record<string, unknown>;
    }
  | {
      type: 'block.sample';
      runId: string;
      blockId: string;
      port: string;
      items: unknown[];
    }
  | {
      type: 'block.failed';
      runId: string;
      blockId: string;
      error: ErrorReport;
      routed: boolean;
      counts: BlockCounts;
      elapsedMs: number;
    }
  | {
      type: 'run.finished';
      runId: string;
      status: RunStatus;
      durationMs: number;
      error?: ErrorReport;
    }
  | {
      /** The state of every running run, sent first and after a client fell behind. */
      type: 'snapshot';
      runs: { runId: string; flowId: string; blocks: (BlockReport & { rate: number })[] }[];
    };

/** One entry of a data-folder listing. */
export type DataEntry = { name: string; kind: 'file' | 'folder'; size?: number };

/** A problem the runtime found in a flow, per block and parameter. */
export type FlowProblem = { block?: string; parameter?: string; code?: string; message: string };
