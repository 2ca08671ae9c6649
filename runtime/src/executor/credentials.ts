import { FlowAuthorError, type CredentialAccess } from '@kuryr/nodes';
import type { Flow } from '../flow/flow-schema.js';

/** Opens a stored credential by name; undefined when there is none. */
export type OpenCredential = (name: string) => Promise<Record<string, string> | undefined>;

/**
 * Gives the blocks of one run the credentials that the flow lists, and no others. Without
 * `open` (a `kuryr run`, which has no vault), every request fails with the reason.
 */
export function createCredentialAccess(
  flow: Flow,
  open: OpenCredential | undefined,
): CredentialAccess {
  return {
    async get(name) {
      if (!flow.credentials.includes(name)) {
        throw new FlowAuthorError(
          'CREDENTIAL_UNDECLARED',
          `the flow does not list the credential "${name}"`,
          { hint: `Add "${name}" to the flow's "credentials".` },
        );
      }
      const values = open === undefined ? undefined : await open(name);
      if (values === undefined) {
        throw new FlowAuthorError('CREDENTIAL_NOT_FOUND', `no credential "${name}" is stored`, {
          hint:
            open === undefined
              ? 'Credentials come from the vault of the service; run the flow with kuryr start.'
              : 'Create it with POST /api/v1/credentials.',
        });
      }
      return Object.freeze({ ...values });
    },
  };
}
