import { connect, createServer, type Socket } from 'node:net';

/** Faults injected into a TCP connection, e.g. to an SFTP server. */
export type TcpFaults = {
  /** Cut this many connections with a reset once `cutAfterBytes` bytes went either way. */
  cutConnections?: number;
  cutAfterBytes?: number;
  /** Answer the client's orderly close with a TCP reset, as Windows OpenSSH sometimes does. */
  resetOnClientClose?: boolean;
  /**
   * Stop forwarding either way, leaving the connection open, once `stallAfterBytes` bytes went
   * either way on the first connection: a server that hangs in the middle of a transfer, until
   * `resume()` is called.
   */
  stallAfterBytes?: number;
};

/** A TCP proxy on 127.0.0.1 in front of a real server that injects faults. */
export async function startTcpFaultProxy(target: number, faults: TcpFaults) {
  const sockets = new Set<Socket>();
  const state = { port: 0, faults, cuts: 0, resets: 0, connections: 0 };
  let markStalled = () => {};
  let resumeStalled = () => {};
  /** Resolves when the first connection stalled. */
  const stalled = new Promise<void>((resolve) => (markStalled = resolve));
  const server = createServer((client) => {
    const isFirst = state.connections++ === 0;
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    let bytes = 0;
    const count = (chunk: Buffer) => {
      bytes += chunk.length;
      const isDue = bytes >= (faults.cutAfterBytes ?? Infinity) && !client.destroyed;
      if (isDue && state.cuts < (faults.cutConnections ?? 0)) {
        state.cuts++;
        client.resetAndDestroy();
        upstream.destroy();
      }
      if (isFirst && bytes >= (faults.stallAfterBytes ?? Infinity)) stall();
    };
    let isStalled = false;
    const stall = () => {
      if (isStalled) return;
      isStalled = true;
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
      resumeStalled = () => {
        client.pipe(upstream);
        upstream.pipe(client);
      };
      markStalled();
    };
    client.on('data', count);
    upstream.on('data', count);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('end', () => {
      if (!faults.resetOnClientClose) return;
      state.resets++;
      client.resetAndDestroy();
      upstream.destroy();
    });
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  return {
    ...state,
    stalled,
    /** Forwards the data buffered on the stalled connection and all data after it. */
    resume() {
      resumeStalled();
    },
    get cuts() {
      return state.cuts;
    },
    get resets() {
      return state.resets;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
