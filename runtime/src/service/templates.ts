import { parameterMeta } from '@kuryr/nodes';
import { z } from 'zod';
import type { BlockCatalog } from '../catalog.js';
import { flowSchema, type Flow } from '../flow/flow-schema.js';
import type { ServiceContext } from './context.js';
import { HttpError } from './http-error.js';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name');

export const exportRequestSchema = z.strictObject({
  /** Literal parameters to turn into variables, so the next customer gives their own value. */
  parameters: z
    .array(
      z.strictObject({
        block: z.string(),
        parameter: z.string(),
        variable: variableName,
        description: z.string().optional(),
      }),
    )
    .default([]),
});

/** A flow prepared for the next customer: its values to fill in and the credentials it needs. */
export const templateSchema = z.strictObject({
  format: z.literal('kuryr-template'),
  version: z.literal(1),
  flow: flowSchema,
});
export type Template = z.infer<typeof templateSchema>;

export const importRequestSchema = z.strictObject({
  template: templateSchema,
  /** Id of the new flow; default the template's. */
  id: z.string().optional(),
  name: z.string().optional(),
  /** Values of the template's variables, stored as the new flow's own values. */
  variables: z.record(variableName, z.string()).default({}),
  /** Credentials to create for the names the flow uses; a name already stored is refused. */
  credentials: z
    .record(
      z.string(),
      z.strictObject({ kind: z.string().min(1), values: z.record(z.string(), z.string()) }),
    )
    .default({}),
});

/**
 * Turns a flow into a template. Each chosen parameter becomes `{ "expression": "$vars.NAME" }`
 * with a declared variable without default, so its value stays with the old customer. A flow
 * contains credential names only, never secrets, and the service's stored variable values are not
 * part of a template.
 */
export function exportTemplate(
  flow: Flow,
  request: z.infer<typeof exportRequestSchema>,
  catalog: BlockCatalog,
): Template {
  const copy = structuredClone(flow);
  for (const choice of request.parameters) {
    const block = copy.blocks.find((candidate) => candidate.id === choice.block);
    if (block === undefined) throw HttpError.badRequest(`the flow has no block "${choice.block}"`);
    const definition = catalog.get(block.type);
    const meta = definition === undefined ? undefined : parameterMeta(definition, choice.parameter);
    if (meta?.expression !== true) {
      throw HttpError.badRequest(
        `parameter "${choice.parameter}" of block "${block.id}" cannot become a variable`,
        'Only parameters that accept an expression can take a variable.',
      );
    }
    if (Object.hasOwn(copy.variables, choice.variable)) {
      throw HttpError.badRequest(`the flow already declares the variable ${choice.variable}`);
    }
    block.parameters[choice.parameter] = { expression: `$vars.${choice.variable}` };
    copy.variables[choice.variable] = {
      description:
        choice.description ??
        `${meta.title ?? choice.parameter} of block "${block.name || block.id}"`,
    };
  }
  return { format: 'kuryr-template', version: 1, flow: copy };
}

/**
 * Builds a new flow from a template: checks that every variable without default has a value and
 * every credential exists or is given (never both), then creates the given credentials and stores the values.
 * `check` validates the flow; the caller saves it.
 */
export async function importTemplate(
  context: ServiceContext,
  request: z.infer<typeof importRequestSchema>,
  check: (candidate: unknown) => Promise<Flow>,
): Promise<Flow> {
  const flow = await check({
    ...request.template.flow,
    ...(request.id === undefined ? {} : { id: request.id }),
    ...(request.name === undefined ? {} : { name: request.name }),
  });
  if (await context.flows.exists(flow.id)) {
    throw new HttpError(409, 'FLOW_EXISTS', `a flow "${flow.id}" exists already`, {
      hint: 'Give the imported flow another id.',
    });
  }
  const undeclared = Object.keys(request.variables).filter(
    (name) => !Object.hasOwn(flow.variables, name),
  );
  if (undeclared.length > 0) {
    throw HttpError.badRequest(`the template does not declare ${undeclared.join(', ')}`);
  }
  const missingValues = Object.entries(flow.variables)
    .filter(
      ([name, declaration]) => declaration.default === undefined && !(name in request.variables),
    )
    .map(([name]) => name);
  const missingCredentials: string[] = [];
  const storedAlready: string[] = [];
  for (const name of flow.credentials) {
    const stored = await context.credentials.exists(name);
    if (name in request.credentials && stored) storedAlready.push(name);
    if (!(name in request.credentials) && !stored) missingCredentials.push(name);
  }
  if (storedAlready.length > 0) throw credentialExists(storedAlready);
  if (missingValues.length > 0 || missingCredentials.length > 0) {
    const parts = [
      missingValues.length > 0 ? `variables ${missingValues.join(', ')}` : '',
      missingCredentials.length > 0 ? `credentials ${missingCredentials.join(', ')}` : '',
    ].filter(Boolean);
    throw HttpError.badRequest(
      `the template needs values for ${parts.join(' and ')}`,
      'Give them in "variables" and "credentials" of the import request.',
    );
  }

  for (const [name, credential] of Object.entries(request.credentials)) {
    if (!flow.credentials.includes(name)) continue;
    // A credential created by someone else since the check above is refused the same way.
    if (!(await context.credentials.create(name, credential.kind, credential.values))) {
      throw credentialExists([name]);
    }
    context.logger.info('credential created', { credential: name, kind: credential.kind });
  }
  await context.variables.replace(flow.id, request.variables);
  return flow;
}

/** Given values for a stored credential would be dropped silently; the caller must choose. */
function credentialExists(names: string[]): HttpError {
  return new HttpError(
    409,
    'CREDENTIAL_EXISTS',
    `the service already stores the credential ${names.join(', ')}`,
    {
      hint: 'Leave it out of "credentials" to use the stored one, or rename it in the template.',
    },
  );
}
