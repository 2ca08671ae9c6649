import {
  AbortedError,
  EnvironmentError,
  FlowAuthorError,
  type ErrorContext,
  type ErrorParams,
  type KuryrError,
} from '@kuryr/nodes';

/** Final state of a run; `completed_with_errors` means some failures went to wired error ports. */
export type RunStatus = 'succeeded' | 'failed' | 'completed_with_errors' | 'cancelled';

export type BlockStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Party that must act on an error: the flow author, the environment (a retry may help) or the developers. */
export type ErrorKind = 'flow' | 'environment' | 'internal';

/** An error as reports, events and the JSON summary carry it. */
export type ErrorReport = {
  code: string;
  kind: ErrorKind;
  message: string;
  hint?: string;
  /** Values the message was built from, for clients that word the error in another language. */
  params?: ErrorParams;
  context: ErrorContext;
  /** The record (or file description) the error is about. */
  item?: unknown;
};

/** Warnings of one code: how many there were and the first few. */
export type WarningSummary = {
  code: string;
  count: number;
  examples: { message: string; details?: Record<string, unknown> }[];
};

/** Item counts of a block; records and files are counted apart. */
export type BlockCounts = {
  recordsIn: number;
  recordsOut: number;
  filesIn: number;
  filesOut: number;
  /** Items sent to the error port. */
  errors: number;
};

export type BlockReport = BlockCounts & {
  id: string;
  name: string;
  type: string;
  status: BlockStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  warnings: WarningSummary[];
  /** The first errors this block sent to its error port. */
  routedErrors: ErrorReport[];
  error?: ErrorReport;
  /** The first items each output port sent, capped. */
  samples: Record<string, unknown[]>;
  /** How each of the block's expressions ran: compiled, or on the jsonata library and why. */
  expressions: ExpressionReport[];
};

export type ExpressionReport = { parameter: string; isCompiled: boolean; reason?: string };

export type RunReport = {
  runId: string;
  flowId: string;
  flowName: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** The error that failed the run. */
  error?: ErrorReport;
  blocks: BlockReport[];
  /** Absolute paths of the files the run produced. */
  artifacts: string[];
};

/** Turns an error into its report form. */
export function reportError(error: KuryrError): ErrorReport {
  let kind: ErrorKind = 'internal';
  if (error instanceof FlowAuthorError) kind = 'flow';
  if (error instanceof EnvironmentError || error instanceof AbortedError) kind = 'environment';
  return {
    code: error.code,
    kind,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.params === undefined ? {} : { params: error.params }),
    context: error.context,
    ...(error.item === undefined ? {} : { item: error.item }),
  };
}
