import { Buffer } from 'node:buffer';
import type { CodePage } from '../../codepages/code-page.js';
import { decodeText, encodeText } from '../../codepages/codec.js';
import { FlowAuthorError } from '../../contract/errors.js';

/**
 * Converts file names between text and the form that basic-ftp sends and receives. basic-ftp
 * accepts only Node.js encodings, so for a code page other than UTF-8 its control connection
 * and listings run in latin1, which maps each byte to the character of the same number. The
 * name's bytes then pass through basic-ftp unchanged, and this class transcodes them.
 */
export class FtpFileNames {
  constructor(
    readonly codePage: CodePage,
    private readonly server: string,
  ) {}

  /** The encoding to give basic-ftp's control connection. */
  get socketEncoding(): 'utf8' | 'latin1' {
    return this.codePage === 'utf-8' ? 'utf8' : 'latin1';
  }

  /**
   * Returns `text` as basic-ftp must send it. Fails when it contains a line break or NUL, which
   * an FTP command cannot carry, or a character that the code page lacks.
   */
  toWire(text: string): string {
    if (/[\r\n\0]/.test(text)) {
      throw new FlowAuthorError(
        'REMOTE_NAME_INVALID',
        `${JSON.stringify(text)} cannot be sent to ${this.server}: FTP commands cannot carry ` +
          'a line break or NUL in a name',
        {
          context: { file: text },
          hint: 'Rename the file without line breaks, or transfer it over SFTP.',
        },
      );
    }
    if (this.codePage === 'utf-8') return text;
    const { bytes, unmappable } = encodeText(text, this.codePage);
    if (unmappable.length > 0) {
      const characters = unmappable.map((character) => `"${character}"`).join(', ');
      throw new FlowAuthorError(
        'REMOTE_NAME_UNENCODABLE',
        `"${text}" cannot be sent to ${this.server}: code page ${this.codePage} has no byte ` +
          `for ${characters}`,
        {
          context: { file: text },
          hint:
            'Rename the file, or set fileNameEncoding to the code page the server uses ' +
            '(utf-8 when it supports UTF-8 names).',
        },
      );
    }
    return bytes.toString('latin1');
  }

  /** Returns the text of a name that basic-ftp received. */
  fromWire(wire: string): string {
    if (this.codePage === 'utf-8') return wire;
    return decodeText(Buffer.from(wire, 'latin1'), this.codePage);
  }
}
