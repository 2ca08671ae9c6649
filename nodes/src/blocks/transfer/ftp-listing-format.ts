import { parseList, type FileInfo } from 'basic-ftp';
import { FlowAuthorError } from '../../contract/errors.js';

/** A listing that basic-ftp cannot read, with the first line that no parser of it accepts. */
class UnreadableListingError extends Error {
  constructor(
    readonly line: string,
    options: ErrorOptions,
  ) {
    super(`unreadable listing line: ${line}`, options);
  }
}

/**
 * Parses a LIST or MLSD reply with basic-ftp's parsers (Unix, MS-DOS, MLSD). When none of them
 * reads the listing, throws an UnreadableListingError with the first line that none reads on
 * its own, as basic-ftp's own error names no line.
 */
export function parseFtpListing(raw: string): FileInfo[] {
  try {
    return parseList(raw);
  } catch (error) {
    const lines = raw.split(/\r?\n/).filter((line) => line.trim() !== '');
    const unreadable = lines.find((line) => !isReadableLine(line)) ?? lines.at(-1) ?? '';
    throw new UnreadableListingError(unreadable, { cause: error });
  }
}

function isReadableLine(line: string): boolean {
  try {
    parseList(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns an UnreadableListingError into the error for the flow author, naming the server, the
 * folder and the line, which `decode` turns from the server's code page into text. Returns
 * other errors as they are.
 */
export function describeListingError(
  error: unknown,
  server: string,
  folder: string,
  decode: (wire: string) => string,
): unknown {
  if (!(error instanceof UnreadableListingError)) return error;
  return new FlowAuthorError(
    'LISTING_FORMAT_UNSUPPORTED',
    `${server} listed ${folder} in a format that is not Unix, MS-DOS or MLSD; the first line ` +
      `that could not be read: "${decode(error.line)}"`,
    {
      cause: error,
      context: { file: folder },
      hint:
        'Set the server to Unix-style listings if it offers them (on IIS, the directory ' +
        'listing style UNIX), or use SFTP if the server has it.',
    },
  );
}
