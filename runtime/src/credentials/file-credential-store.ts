import { readFile } from 'node:fs/promises';
import {
  credentialSchema,
  FlowAuthorError,
  type Credential,
  type CredentialStore,
} from '@kuryr/nodes';

/** Prefix of the environment variables that hold one credential each, as JSON. */
export const CREDENTIAL_ENV_PREFIX = 'KURYR_CREDENTIAL_';

/**
 * Credentials for `kuryr run`: a JSON file `{ "NAME": { "host": ..., ... } }` given with
 * `--credentials`, and environment variables `KURYR_CREDENTIAL_<NAME>` holding one credential's
 * JSON each (NAME upper-cased, every character other than a letter or digit as `_`). A variable
 * wins over the file. Values are checked when a block asks for them, and no message ever
 * repeats a secret.
 */
export async function createFileCredentialStore(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CredentialStore> {
  const fromFile = file === undefined ? {} : await readCredentialFile(file);
  return {
    async get(name) {
      const variable = CREDENTIAL_ENV_PREFIX + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      const raw = env[variable];
      if (raw !== undefined) return parseCredential(name, parseJson(raw, variable), variable);
      if (Object.hasOwn(fromFile, name)) return parseCredential(name, fromFile[name], file!);
      throw new FlowAuthorError('CREDENTIAL_MISSING', `no credential named "${name}" was given`, {
        hint: `Add "${name}" to the file given with --credentials, or set ${variable} to its JSON.`,
      });
    },
  };
}

async function readCredentialFile(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new FlowAuthorError(
      'CREDENTIALS_UNREADABLE',
      `cannot read the credentials file ${file} (${error.code ?? error.message})`,
    );
  });
  const value = parseJson(text, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FlowAuthorError(
      'CREDENTIALS_INVALID',
      `${file} must hold a JSON object of credentials by name`,
    );
  }
  return value as Record<string, unknown>;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message may quote the text, which holds secrets.
    throw new FlowAuthorError('CREDENTIALS_INVALID', `${source} does not hold valid JSON`);
  }
}

function parseCredential(name: string, value: unknown, source: string): Credential {
  const result = credentialSchema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(root)'],
  );
  throw new FlowAuthorError(
    'CREDENTIALS_INVALID',
    `credential "${name}" in ${source} has invalid fields: ${[...new Set(fields)].join(', ')}`,
    { hint: `Allowed fields: ${Object.keys(credentialSchema.shape).join(', ')}.` },
  );
}
