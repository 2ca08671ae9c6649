import { z } from 'zod';
import { runPolicySchema, triggerSchema } from './trigger-schema.js';

/** Version of the flow file format that this runtime reads and writes. */
export const FLOW_SCHEMA_VERSION = 1;

const identifier = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]*$/,
    'must start with a letter and hold only letters, digits, - and _',
  )
  // A flow's id names its file, so a long one would overrun the file system's name limit.
  .max(100, 'must be at most 100 characters');

/** A parameter value computed by a JSONata expression when the block starts. */
export const expressionValueSchema = z.strictObject({ expression: z.string() });
export type ExpressionValue = z.infer<typeof expressionValueSchema>;

export const variableDeclarationSchema = z.strictObject({
  description: z.string().default(''),
  /** Used when the run gives no value; a variable without one must be given. */
  default: z.string().optional(),
});

export const flowBlockSchema = z.strictObject({
  id: identifier,
  type: z.string().min(1),
  version: z.number().int().positive().default(1),
  name: z.string().default(''),
  position: z.strictObject({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

const portReferenceSchema = z.strictObject({ block: identifier, port: z.string().min(1) });

export const wireSchema = z.strictObject({ from: portReferenceSchema, to: portReferenceSchema });

/**
 * A flow file, version 1: blocks, wires, declared variables, the credential names it uses, and
 * optionally its triggers and run policy. A flow without triggers runs only when started by hand.
 */
export const flowSchema = z.strictObject({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  id: identifier,
  name: z.string().default(''),
  description: z.string().default(''),
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), variableDeclarationSchema)
    .default({}),
  credentials: z.array(z.string()).default([]),
  blocks: z.array(flowBlockSchema),
  wires: z.array(wireSchema).default([]),
  triggers: z.array(triggerSchema).optional(),
  runPolicy: runPolicySchema.optional(),
});

export type Flow = z.infer<typeof flowSchema>;
export type FlowBlock = z.infer<typeof flowBlockSchema>;
export type Wire = z.infer<typeof wireSchema>;
export type VariableDeclaration = z.infer<typeof variableDeclarationSchema>;

/** True when a parameter value is an expression object rather than a literal. */
export function isExpressionValue(value: unknown): value is ExpressionValue {
  return expressionValueSchema.safeParse(value).success;
}
