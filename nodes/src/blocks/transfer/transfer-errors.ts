import {
  EnvironmentError,
  FlowAuthorError,
  KuryrError,
  type ErrorContext,
} from '../../contract/errors.js';

/** Where a remote call failed, for the message and the error's context. */
export type TransferErrorPlace = {
  server: string;
  action: string;
  path?: string;
  /** The account that logs in, named in a refused login (a user name is no secret). */
  user?: string;
};

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Turns an error of basic-ftp, ssh2 or the network into a KuryrError that names the server and
 * path: a refused login, certificate or missing file is for the flow author to fix; a dropped
 * connection, a timeout or a busy server is a retryable EnvironmentError.
 * Messages never contain a password or key.
 */
export function describeTransferError(error: unknown, place: TransferErrorPlace): KuryrError {
  const context: ErrorContext = place.path === undefined ? {} : { file: place.path };
  if (error instanceof KuryrError) return error.withContext(context);
  const cause = error as { code?: unknown; message?: string; level?: string };
  const reason = cause.message ?? String(error);
  const where = `${place.action} ${place.path ?? ''} on ${place.server}`.replace('  ', ' ');
  const options = { cause: error, context };

  // ssh2-sftp-client rewraps ssh2's errors, keeping the message but not the `level` field.
  const isSshLoginRefused = /all configured authentication methods failed/i.test(reason);
  if (cause.code === 530 || cause.level === 'client-authentication' || isSshLoginRefused) {
    const account = place.user === undefined ? '' : ` of user "${place.user}"`;
    const message = `${place.server} refused the login${account}: ${reason}`;
    return new FlowAuthorError('LOGIN_FAILED', message, {
      ...options,
      hint: 'Check the user name, password or key in the credential.',
    });
  }
  if (cause.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new FlowAuthorError(
      'CERTIFICATE_REJECTED',
      `the TLS certificate of ${place.server} is for other host names: ${reason}`,
      {
        ...options,
        hint: 'Set host in the credential to a name that the certificate lists.',
      },
    );
  }
  if (typeof cause.code === 'string' && CERTIFICATE_CODES.has(cause.code)) {
    return new FlowAuthorError(
      'CERTIFICATE_REJECTED',
      `the TLS certificate of ${place.server} was not trusted (${cause.code})`,
      {
        ...options,
        hint:
          'Give the server certificate or its CA as caCertificate in the credential; set ' +
          'verifyCertificate to false only for a server you trust by other means.',
      },
    );
  }
  if (cause.code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return new FlowAuthorError(
      'TLS_NOT_STARTED',
      `${place.server} did not answer with TLS: it expects plain text first on this port`,
      {
        ...options,
        hint:
          'Set security to explicit for FTPS on port 21, or use the implicit FTPS port ' +
          '(usually 990).',
      },
    );
  }
  if (/Cannot parse privateKey/i.test(reason)) {
    return new FlowAuthorError(
      'CREDENTIAL_INVALID',
      `the private key of the credential for ${place.server} could not be read: ${reason}`,
      {
        ...options,
        hint:
          'Give the key in OpenSSH or PEM format with its line breaks (\\n in JSON), and its ' +
          'passphrase when the key is encrypted.',
      },
    );
  }
  // SFTP status codes: 2 no such file, 3 permission denied; ssh2-sftp-client's own path check.
  const isMissingPath = cause.code === 550 || cause.code === 2 || cause.code === 'ENOENT';
  if (isMissingPath || cause.code === 3 || cause.code === 'ERR_BAD_PATH') {
    return new FlowAuthorError('REMOTE_PATH_UNAVAILABLE', `${where} failed: ${reason}`, {
      ...options,
      hint: 'Check that the path exists on the server and that the account may use it.',
    });
  }
  // 552: exceeded storage allocation, 452: insufficient storage space (RFC 959). A full disk or
  // quota rarely clears within the retries, so the run fails at once.
  if (cause.code === 552 || cause.code === 452) {
    return new EnvironmentError(
      'REMOTE_STORAGE_FULL',
      `${where} failed: the server's storage is full or the account's quota is exceeded ` +
        `(${reason})`,
      {
        ...options,
        hint: 'Free space on the server or raise the quota of the account, then run the flow again.',
      },
    );
  }
  // FTP replies from 500 up, and SFTP status 4 (failure) and 8 (unsupported), which a server
  // sends on a live connection when it refuses the request itself.
  const isSftpRefusal = cause.code === 4 || cause.code === 8;
  if ((typeof cause.code === 'number' && cause.code >= 500) || isSftpRefusal) {
    return new FlowAuthorError('REMOTE_COMMAND_REFUSED', `${where} failed: ${reason}`, {
      ...options,
      hint: 'The server refused the request; check the path, e.g. whether it is a folder.',
    });
  }
  // NOTE: an SFTP server over quota or with a full disk sends status 4 (failure) at best, as
  // SFTP version 3 has no code for it, so the refusal above names no quota.
  const code = /timeout|timed out/i.test(reason) ? 'REMOTE_TIMEOUT' : 'REMOTE_CONNECTION_FAILED';
  return new EnvironmentError(code, `${where} failed: ${reason}`, {
    ...options,
    hint: 'The server or the network failed; a later attempt or run may succeed.',
    retryable: true,
  });
}
