// Shapes of the runtime's API as the editor consumes them. The editor never runs runtime or
// block code: these imports are type-only and vanish from the bundle. Types declared here are
// the JSON forms that have no TypeScript type in the runtime (JSON Schema, requests whose
// defaulted fields may be left out, the catalogue as GET /nodes sends it).
import type { BlockDefinition, CredentialKind, PortKind, PortSpec } from '@kuryr/nodes';
import type {
  BlockCounts,
  BlockReport,
  BlockStatus,
  ErrorReport,
  ExpressionReport,
  RunEvent as ExecutorRunEvent,
  RunPolicy,
  RunStatus,
  SnapshotMessage,
  WarningSummary,
} from '@kuryr/runtime';

export type {
  BlockCounts,
  BlockReport,
  BlockStatus,
  ErrorReport,
  ExpressionReport,
  PortKind,
  PortSpec,
  RunStatus,
  SnapshotMessage,
  WarningSummary,
};

/** JSON Schema of one parameter, with the editor hints the node contract adds. */
export type ParameterSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  /** Label of each `enum` value in the editor's language; the editor adds it to the catalogue. */
  enumLabels?: Record<string, string>;
  items?: ParameterSchema;
  /** Fields of an object, e.g. of each item of a list of objects. */
  properties?: Record<string, ParameterSchema>;
  required?: string[];
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

/** One block type of the runtime's catalogue, as GET /nodes sends it. */
export type CatalogBlock = Pick<
  BlockDefinition,
  'type' | 'version' | 'title' | 'category' | 'icon' | 'help' | 'inputs' | 'outputs'
> & {
  /** The parameters' JSON Schema, with the editor hints. */
  parameters: ParameterObjectSchema;
  credentials: readonly CredentialKind[];
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

/** A trigger of a flow, as the flow file has it; the runtime fills in the defaults. */
export type FlowTrigger =
  | { type: 'manual' }
  | { type: 'schedule'; cron: string; timeZone: string }
  | {
      type: 'folder';
      path: string;
      pattern?: string;
      stableSeconds?: number;
      archivePath?: string;
      fileVariable?: string;
    };

/** A flow document as it is stored, schema version 1. */
export type FlowDocument = {
  schemaVersion: 1;
  id: string;
  name: string;
  description?: string;
  variables: Record<string, { description: string; default?: string }>;
  credentials: string[];
  triggers?: FlowTrigger[];
  /** Policy for overlapping, long and missed runs. The runtime fills in the defaults. */
  runPolicy?: Partial<RunPolicy>;
  blocks: FlowBlock[];
  wires: { from: WireEnd; to: WireEnd }[];
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

/** Messages of the live WebSocket: the executor's run events and the snapshots. */
export type RunEvent = ExecutorRunEvent | SnapshotMessage;

/** One entry of a data-folder listing. */
export type DataEntry = { name: string; kind: 'file' | 'folder'; size?: number };

/**
 * A problem the runtime found in a flow, with the block and the field it concerns (a
 * parameter, a port or a field of the flow itself).
 */
export type FlowProblem = {
  block?: string;
  field?: string;
  code?: string;
  params?: Record<string, unknown>;
  message: string;
};

/** JSON Schema of one credential field, with the hints of the runtime's credential schema. */
export type CredentialFieldSchema = {
  type?: string;
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  /** Write-only: asked for in a password field and never shown again. */
  secret?: boolean;
  /** Text of several lines, such as a PEM certificate or key. */
  multiline?: boolean;
};

/** One credential kind with its fields, as GET /credential-kinds sends it. */
export type CredentialKindSchema = {
  kind: string;
  schema: { properties: Record<string, CredentialFieldSchema>; required?: string[] };
};
