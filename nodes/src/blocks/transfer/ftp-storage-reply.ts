import type { Socket } from 'node:net';
import { FTPError, type Client } from 'basic-ftp';

/** The part of basic-ftp's FtpContext that this module changes for the time of an upload. */
type ClosableContext = { socket: Socket; closeWithError(error: Error): void };

/**
 * Runs `upload` on `client` so that the server's reply explaining a broken data connection is
 * not lost. pure-ftpd 1.0 resets the data connection of a STOR over quota and only then replies
 * 552 on the control connection, whereas basic-ftp 6 closes both connections at the reset and
 * rejects with it. During the upload, a data-connection error therefore closes the client only
 * once the control connection replied or `waitMs` passed. A negative reply (4xx, 5xx) that came
 * meanwhile is thrown as an FTPError in place of the reset. basic-ftp has no option for this,
 * so the module wraps its context's `closeWithError`.
 */
export async function uploadKeepingReply(
  client: Client,
  upload: () => Promise<unknown>,
  waitMs: number,
): Promise<void> {
  const context = client.ftp as unknown as ClosableContext;
  const close = context.closeWithError;
  let reply: FTPError | undefined;
  let onReply = () => {};
  const replied = new Promise<void>((resolve) => {
    onReply = resolve;
    setTimeout(resolve, waitMs).unref();
  });
  const socket = context.socket;
  const watch = (chunk: string | Buffer) => {
    const match = /^([45]\d\d)[ -].*/m.exec(chunk.toString());
    if (match === null) return;
    reply = new FTPError({ code: Number(match[1]), message: match[0] });
    onReply();
  };
  socket.on('data', watch);
  context.closeWithError = (error: Error) => {
    if (!error.message.endsWith('(data socket)')) return close.call(context, error);
    void replied.then(() => close.call(context, error));
  };
  try {
    await upload();
  } catch (error) {
    if (error instanceof FTPError) throw error;
    await replied;
    throw reply ?? error;
  } finally {
    socket.off('data', watch);
    context.closeWithError = close;
  }
}
