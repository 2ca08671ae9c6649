import { FlowAuthorError } from './errors.js';

/**
 * The fields of a named credential, as a block receives them at run time. A flow names the
 * credential; the secret itself lives outside the flow (a vault, a file, the environment).
 */
export type Credential = {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  /** PEM or OpenSSH private key, for SFTP. */
  privateKey?: string;
  /** Passphrase of `privateKey`, when it is encrypted. */
  passphrase?: string;
  /**
   * Expected SSH host key, as OpenSSH prints it: `SHA256:` and base64 without padding, e.g.
   * `SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8`.
   */
  hostKeyFingerprint?: string;
  /** Verify the server's TLS certificate (default true); false accepts any certificate. */
  verifyCertificate?: boolean;
  /** Extra trusted CA certificates in PEM, e.g. a server's own self-signed certificate. */
  caCertificate?: string;
};

/** Resolves the credentials a flow names. */
export interface CredentialStore {
  /**
   * Returns the fields of the credential `name`. Throws a FlowAuthorError when no credential
   * has that name or, in the service, when the flow does not list it. The fields are secrets:
   * never log them, emit them or put them in an error message.
   */
  get(name: string): Promise<Credential>;
}

/** A store without credentials, for runs that were given none. */
export const emptyCredentialStore: CredentialStore = {
  async get(name) {
    throw new FlowAuthorError('CREDENTIAL_MISSING', `no credential named "${name}" was given`, {
      hint: 'Give the credential to the run, e.g. kuryr run --credentials FILE.',
    });
  },
};
