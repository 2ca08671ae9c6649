import { FlowAuthorError, type Credential, type CredentialStore } from '@kuryr/nodes';
import type { Flow } from '../flow/flow-schema.js';

/** Opens a stored credential by name; undefined when there is none. */
export type OpenCredential = (name: string) => Promise<Record<string, string> | undefined>;

/**
 * Gives the blocks of one run the credentials that the flow lists, and no others, so that a flow
 * cannot read a credential of the vault that it does not declare. The vault keeps every value as
 * text; the port and the certificate check are turned back into their types here.
 */
export function createCredentialAccess(flow: Flow, open: OpenCredential): CredentialStore {
  return {
    async get(name) {
      if (!flow.credentials.includes(name)) {
        throw new FlowAuthorError(
          'CREDENTIAL_UNDECLARED',
          `the flow does not list the credential "${name}"`,
          { hint: `Add "${name}" to the flow's "credentials".` },
        );
      }
      const values = await open(name);
      if (values === undefined) {
        throw new FlowAuthorError('CREDENTIAL_NOT_FOUND', `no credential "${name}" is stored`, {
          hint: 'Create it with POST /api/v1/credentials.',
        });
      }
      return Object.freeze(toCredential(values));
    },
  };
}

function toCredential(values: Record<string, string>): Credential {
  const { port, verifyCertificate, ...text } = values;
  const credential: Credential = { ...text };
  if (port !== undefined && port !== '') credential.port = Number(port);
  if (verifyCertificate !== undefined) credential.verifyCertificate = verifyCertificate !== 'false';
  return credential;
}
