import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../scripts/test-servers.mjs';

/** Faults the proxy injects into plain FTP between the blocks and a real server. */
export type FtpFaults = {
  /** Answer EPSV with a port where nothing listens, as a firewall that passes only PASV. */
  epsvUnreachable?: boolean;
  /** Reply 500 to EPRT, as a server that supports only PORT does. */
  eprtUnknown?: boolean;
  /** Cut this many data connections after `cutAfterBytes` bytes each. */
  cutDataConnections?: number;
  cutAfterBytes?: number;
  /** Never forward a command with this verb (e.g. DELE); `held` resolves when one arrives. */
  holdCommand?: string;
};

export type FtpFaultProxy = {
  port: number;
  faults: FtpFaults;
  /** Data connections cut so far. */
  cuts: number;
  /** EPSV commands answered with an unreachable port. */
  epsvRefused: number;
  /** EPRT commands rejected with 500. */
  eprtRejected: number;
  /** Commands forwarded to the server, by verb. */
  commands: Map<string, number>;
  /** Control connections accepted so far. */
  connections: number;
  /** Resolves with the held command line. */
  held: Promise<string>;
  stop(): Promise<void>;
};

/**
 * A proxy for plain FTP on 127.0.0.1 that relays the control connection line by line and every
 * data connection through its own listeners (rewriting the EPSV and PASV replies), so that a
 * test can cut a transfer in the middle, block EPSV data connections or hold a command, all
 * in front of a real FTP server.
 */
export async function startFtpFaultProxy(
  target: number,
  faults: FtpFaults,
): Promise<FtpFaultProxy> {
  const sockets = new Set<Socket>();
  const servers = new Set<Server>();
  let onHeld: (line: string) => void = () => {};
  const proxy: FtpFaultProxy = {
    port: 0,
    faults,
    cuts: 0,
    epsvRefused: 0,
    eprtRejected: 0,
    commands: new Map(),
    connections: 0,
    held: new Promise((resolve) => (onHeld = resolve)),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        [...servers].map((server) => new Promise((resolve) => server.close(resolve))),
      );
    },
  };
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };

  const relayData = async (dataPort: number): Promise<number> => {
    const listener = createServer((client) => {
      track(client);
      const upstream = track(connect(dataPort, '127.0.0.1'));
      let bytes = 0;
      const count = (chunk: Buffer) => {
        bytes += chunk.length;
        const isDue = bytes >= (faults.cutAfterBytes ?? 0) && !client.destroyed;
        if (isDue && proxy.cuts < (faults.cutDataConnections ?? 0)) {
          proxy.cuts++;
          client.destroy();
          upstream.destroy();
        }
      };
      client.on('data', count);
      upstream.on('data', count);
      client.pipe(upstream);
      upstream.pipe(client);
      listener.close();
    });
    servers.add(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return (listener.address() as { port: number }).port;
  };

  const control = createServer((client) => {
    proxy.connections++;
    track(client);
    const upstream = track(connect(target, '127.0.0.1'));
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    forwardLines(client, (line) => {
      const verb = line.split(' ')[0]!.toUpperCase();
      if (faults.holdCommand !== undefined && verb === faults.holdCommand) return onHeld(line);
      if (faults.eprtUnknown && verb === 'EPRT') {
        proxy.eprtRejected++;
        client.write('500 Unknown command\r\n');
        return;
      }
      proxy.commands.set(verb, (proxy.commands.get(verb) ?? 0) + 1);
      upstream.write(line + '\r\n');
    });
    forwardLines(upstream, async (line) => {
      client.write((await rewriteReply(line)) + '\r\n');
    });
  });
  servers.add(control);

  const rewriteReply = async (line: string): Promise<string> => {
    const epsv = /^229 (.*)\(\|\|\|(\d+)\|\)/.exec(line);
    if (epsv !== null) {
      if (faults.epsvUnreachable) {
        proxy.epsvRefused++;
        return `229 ${epsv[1]}(|||${await freePort()}|)`;
      }
      return `229 ${epsv[1]}(|||${await relayData(Number(epsv[2]))}|)`;
    }
    const pasv = /^227 (.*)\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(line);
    if (pasv !== null) {
      const port = await relayData(Number(pasv[6]) * 256 + Number(pasv[7]));
      return `227 ${pasv[1]}(127,0,0,1,${port >> 8},${port & 255})`;
    }
    return line;
  };

  proxy.port = await new Promise<number>((resolve) =>
    control.listen(0, '127.0.0.1', () => resolve((control.address() as { port: number }).port)),
  );
  return proxy;
}

/** Calls `onLine` for each CRLF-terminated line, in order, one at a time. */
export function forwardLines(socket: Socket, onLine: (line: string) => unknown): void {
  let buffer = '';
  let queue = Promise.resolve();
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      queue = queue.then(() => onLine(line)).then(() => undefined);
    }
  });
}
