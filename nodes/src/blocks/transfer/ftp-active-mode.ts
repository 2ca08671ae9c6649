import { createServer, isIPv6, Socket, type AddressInfo, type Server } from 'node:net';
import { connect as connectTls, TLSSocket } from 'node:tls';
import { FTPError, type FTPContext, type FTPResponse } from 'basic-ftp';

/**
 * Prepares an active-mode data connection for basic-ftp, which opens only passive ones itself.
 * It listens on the control connection's local address and sends that address to the server
 * with EPRT (RFC 2428), or with PORT (RFC 959) when the server rejects EPRT. It accepts the
 * server's connection once the transfer command is sent. On FTPS the client stays the TLS
 * client of the data connection (RFC 4217), reusing the control connection's TLS session.
 *
 * basic-ftp expects a data socket before it sends the transfer command, and the server connects
 * only after that command. So a placeholder socket stands in until then, and the transfer's
 * 150/125 reply reaches basic-ftp only after the accepted socket replaced the placeholder.
 */
export async function enterActiveMode(ftp: FTPContext): Promise<FTPResponse> {
  const localAddress = ftp.socket.localAddress?.replace(/^::ffff:/i, '');
  const serverAddress = ftp.socket.remoteAddress?.replace(/^::ffff:/i, '');
  if (localAddress === undefined || serverAddress === undefined) {
    throw new Error('cannot open an active data connection: the control connection is closed');
  }
  const listener = createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, localAddress, () => resolve());
  });
  const { port } = listener.address() as AddressInfo;
  let response: FTPResponse;
  try {
    response = await sendDataAddress(ftp, localAddress, port);
  } catch (error) {
    listener.close();
    throw error;
  }
  const accepted = acceptDataConnection(ftp, listener, serverAddress);
  // A transfer that fails before the server connects never reads `accepted`.
  accepted.catch(() => undefined);
  ftp.dataSocket = new Socket();
  deliverAfterConnection(ftp, accepted, () => listener.close());
  return response;
}

/** Sends EPRT, and PORT when the server rejects EPRT as unknown or its address family. */
async function sendDataAddress(ftp: FTPContext, host: string, port: number): Promise<FTPResponse> {
  const family = isIPv6(host) ? 2 : 1;
  try {
    return await ftp.request(`EPRT |${family}|${host}|${port}|`);
  } catch (error) {
    // 500/502: command unknown or not implemented; 522: address family not supported.
    const isUnsupported = error instanceof FTPError && [500, 502, 522].includes(error.code);
    if (!isUnsupported || family === 2) throw error;
  }
  const portBytes = [Math.floor(port / 256), port % 256];
  return ftp.request(`PORT ${[...host.split('.'), ...portBytes].join(',')}`);
}

/**
 * Resolves with the first connection from the FTP server's address, upgraded to TLS on FTPS.
 * Connections from other addresses are closed, so no other host can take over the transfer.
 */
function acceptDataConnection(
  ftp: FTPContext,
  listener: Server,
  serverAddress: string,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.close();
      reject(
        new Error(
          `the server did not open the active data connection within ${ftp.timeout / 1000} s; ` +
            'a firewall may block connections to this machine, so try a passive transfer mode',
        ),
      );
    }, ftp.timeout || 30_000);
    listener.on('connection', (socket) => {
      if (socket.remoteAddress?.replace(/^::ffff:/i, '') !== serverAddress) {
        socket.destroy();
        return;
      }
      clearTimeout(timer);
      listener.close();
      if (!(ftp.socket instanceof TLSSocket)) {
        resolve(socket);
        return;
      }
      const tlsSocket = connectTls({
        ...ftp.tlsOptions,
        socket,
        session: ftp.tlsSessionStore ?? ftp.socket.getSession(),
      });
      // TLS 1.3 issues single-use tickets: the next data connection needs the newest one.
      tlsSocket.on('session', (session: Buffer) => (ftp.tlsSessionStore = session));
      resolve(tlsSocket);
    });
    listener.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

type ResponseHandler = Parameters<FTPContext['handle']>[1];

/**
 * Wraps the handler of the next task, the transfer command, so that its 150/125 reply and every
 * later reply reach basic-ftp, in order, only once the data connection is in place.
 */
function deliverAfterConnection(
  ftp: FTPContext,
  accepted: Promise<Socket>,
  stopListening: () => void,
): void {
  const handle = ftp.handle;
  ftp.handle = (command: string, responseHandler: ResponseHandler) => {
    ftp.handle = handle;
    let queue: Promise<void> = Promise.resolve();
    let hasConnection = false;
    return handle.call(ftp, command, (response, task) => {
      if (response instanceof Error) {
        stopListening();
        void accepted.then((socket) => {
          if (!hasConnection) socket.destroy();
        });
        responseHandler(response, task);
        return;
      }
      const isTransferStart = response.code === 150 || response.code === 125;
      if (isTransferStart && !hasConnection) {
        queue = accepted.then(
          (socket) => {
            hasConnection = true;
            ftp.dataSocket = socket;
            responseHandler(response, task);
          },
          (error: Error) => responseHandler(error, task),
        );
        return;
      }
      queue = queue.then(() => responseHandler(response, task));
    });
  };
}
