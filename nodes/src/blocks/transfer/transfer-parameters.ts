import { z } from 'zod';
import { codePages } from '../../codepages/code-page.js';
import { networkParameters } from '../../contract/network.js';
import { isValidTimeZone } from '../../text/time-zone.js';

/** Parameters of every FTP and SFTP block: the account and how hard to try. */
export const connectionParameters = z.object({
  credential: z.string().min(1).meta({
    title: 'Credential',
    description: 'Name of the credential with the server, account and password or key.',
    widget: 'credential',
  }),
  connectionsPerHost: z.number().int().min(1).max(10).default(2).meta({
    title: 'Connections per server',
    description: 'At most this many connections to one server at a time, shared by the run.',
  }),
  // The executor's retry settings, with the timeout redefined: the sessions end a call that
  // stays silent this long, whereas a whole transfer may take longer.
  ...networkParameters.shape,
  timeoutSeconds: z.number().min(1).max(3600).default(30).meta({
    title: 'Timeout (seconds)',
    description: 'A connection, command or transfer that stays silent this long fails.',
  }),
});

/** Parameters of the FTP blocks only. */
export const ftpParameters = z.object({
  security: z
    .enum(['none', 'explicit', 'implicit'])
    .default('explicit')
    .meta({
      title: 'Security',
      description:
        'explicit: FTPS after AUTH TLS, usually on port 21; implicit: FTPS from the first byte, ' +
        'usually on port 990; none: plain FTP, which sends the password readable.',
    }),
  transferMode: z
    .enum(['auto', 'epsv', 'pasv', 'active'])
    .default('auto')
    .meta({
      title: 'Transfer mode',
      description:
        'How data connections open. auto tries passive EPSV and falls back to PASV when its ' +
        'data connection fails (logged); epsv or pasv use only that command; active lets the ' +
        'server connect back to this machine (EPRT, or PORT for servers without EPRT), for ' +
        'servers that allow no passive mode.',
    }),
  fileNameEncoding: z
    .enum(codePages)
    .default('utf-8')
    .meta({
      title: 'File name encoding',
      description:
        'Code page of the file and folder names on the server. Older Windows servers and NAS ' +
        'boxes that do not speak UTF-8 send Czech names in 1250 (Windows-1250) or 852.',
      widget: 'codepage',
    }),
  serverTimeZone: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, {
      error: (issue) =>
        `unknown time zone "${String(issue.input)}"; use an IANA name such as Europe/Prague, or UTC`,
    })
    .meta({
      title: 'Server time zone',
      description:
        'IANA time zone of the times in listings that give no zone, such as the MS-DOS format ' +
        'of IIS, e.g. Europe/Prague. MLSD and MDTM times are UTC and stay so.',
    }),
});

/** Text parameter for a path on the server, which may be an expression. */
export function remotePath(title: string, description: string) {
  return z.string().min(1).meta({ title, description, expression: true });
}
