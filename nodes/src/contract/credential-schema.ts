import { z } from 'zod';
import type { CredentialKind } from './block.js';

/** Editor hints stored in a credential field's metadata with `.meta()`. */
export type CredentialFieldMeta = {
  title: string;
  description?: string;
  /** Write-only: the editor shows a password input for it, and no response repeats it. */
  secret?: boolean;
  /** Text of several lines, such as a PEM certificate or key. */
  multiline?: boolean;
};

const field = <T extends z.ZodType>(schema: T, meta: CredentialFieldMeta) => schema.meta(meta);

/** Every field a credential may have, as the `Credential` type lists them. */
export const credentialSchema = z.strictObject({
  host: field(z.string().min(1).optional(), {
    title: 'Server',
    description: 'Host name or IP address of the server.',
  }),
  port: field(z.number().int().min(1).max(65535).optional(), {
    title: 'Port',
    description: "Empty for the protocol's default port.",
  }),
  user: field(z.string().optional(), { title: 'User name' }),
  password: field(z.string().optional(), { title: 'Password', secret: true }),
  privateKey: field(z.string().optional(), {
    title: 'Private key',
    description: 'PEM or OpenSSH text; used instead of or with the password.',
    secret: true,
    multiline: true,
  }),
  passphrase: field(z.string().optional(), {
    title: 'Key passphrase',
    description: 'Only for an encrypted private key.',
    secret: true,
  }),
  hostKeyFingerprint: field(z.string().optional(), {
    title: 'Host key fingerprint',
    description: 'SHA256:… as ssh-keygen -lf prints it.',
  }),
  verifyCertificate: field(z.boolean().optional(), {
    title: 'Verify the certificate',
    description: 'Off accepts any server certificate.',
  }),
  caCertificate: field(z.string().optional(), {
    title: 'CA certificate',
    description: 'PEM of a CA or self-signed server certificate to trust.',
    multiline: true,
  }),
});

export type CredentialField = keyof typeof credentialSchema.shape;

/**
 * The fields that the blocks of each credential kind read, in the order a form shows them.
 * Kinds without blocks yet are left out.
 */
export const credentialKindFields: Partial<Record<CredentialKind, readonly CredentialField[]>> = {
  ftp: ['host', 'port', 'user', 'password', 'verifyCertificate', 'caCertificate'],
  sftp: ['host', 'port', 'user', 'password', 'privateKey', 'passphrase', 'hostKeyFingerprint'],
};

/** Required fields of each kind; the rest may be left empty. */
const requiredFields: Partial<Record<CredentialKind, readonly CredentialField[]>> = {
  ftp: ['host'],
  sftp: ['host', 'user', 'hostKeyFingerprint'],
};

/** Returns the JSON Schema of one credential kind's fields, or undefined for a kind without blocks. */
export function credentialKindJsonSchema(
  kind: CredentialKind,
): Record<string, unknown> | undefined {
  const fields = credentialKindFields[kind];
  if (fields === undefined) return undefined;
  const required = new Set(requiredFields[kind] ?? []);
  const all = z.toJSONSchema(credentialSchema) as { properties: Record<string, unknown> };
  const properties = Object.fromEntries(fields.map((name) => [name, all.properties[name]]));
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    required: fields.filter((name) => required.has(name)),
  };
}
