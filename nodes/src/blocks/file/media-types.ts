import { extname } from 'node:path';

const mediaTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.dbf': 'application/dbase',
  '.slk': 'application/x-sylk',
  '.sylk': 'application/x-sylk',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gpg': 'application/pgp-encrypted',
  '.pgp': 'application/pgp-encrypted',
};

/** Guesses a media type from a file name's extension; unknown ones are binary. */
export function mediaTypeOf(fileName: string): string {
  return mediaTypes[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}
