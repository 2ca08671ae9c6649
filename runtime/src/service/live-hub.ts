import type { WebSocket } from 'ws';
import type { RunEvent } from '../executor/run-events.js';
import type { LiveRunState } from './live-run.js';

/** Message sent to a client first and after it fell behind: the state of every running run. */
export type SnapshotMessage = {
  type: 'snapshot';
  runs: LiveRunState[];
  /** Events this client missed so far because it read too slowly. */
  dropped: number;
};

export type LiveHubOptions = {
  /** Current state of the running runs, for snapshots. */
  runningStates(): LiveRunState[];
  /** Time between deliveries to a client; default 100 ms, so about ten updates a second. */
  flushIntervalMs?: number;
  /** Discrete events a client may have waiting; more make it resynchronise; default 1000. */
  maxQueuedEvents?: number;
  /** Bytes in a socket's send buffer above which nothing more is sent to it; default 1 MiB. */
  maxBufferedBytes?: number;
};

/** The part of a WebSocket the hub uses, so tests can pass a socket that reads slowly. */
export type LiveSocket = Pick<WebSocket, 'send' | 'bufferedAmount' | 'readyState'>;

const OPEN = 1;

/**
 * Streams run events to WebSocket clients without ever slowing a run. Each client has its own
 * bounded outbox: progress events replace the waiting progress of the same block (only the
 * latest counts matter), and other events queue up to a limit. A client that falls further
 * behind loses its queue and gets a fresh snapshot instead, so memory per client stays bounded
 * however slowly it reads.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: LiveHubOptions) {
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 100);
    this.timer.unref();
  }

  /** Adds a client; it first receives the current state of the running runs. */
  add(socket: LiveSocket): LiveClient {
    const client = new LiveClient(socket, this.options);
    this.clients.add(client);
    client.sendSnapshot();
    return client;
  }

  remove(client: LiveClient): void {
    this.clients.delete(client);
  }

  publish(event: RunEvent): void {
    for (const client of this.clients) client.enqueue(event);
  }

  /** Delivers what each client has waiting, as far as its socket can take it. */
  flush(): void {
    for (const client of this.clients) client.flush();
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.clients.clear();
  }
}

/** One connected client and its bounded outbox. */
export class LiveClient {
  /** Waiting events in order, up to maxQueuedEvents. */
  private queue: RunEvent[] = [];
  /** Position in the queue of each block's waiting progress event, by run and block. */
  private readonly progressAt = new Map<string, number>();
  private needsSnapshot = false;
  /** Events dropped because the client fell behind; reported with the next snapshot. */
  dropped = 0;

  constructor(
    private readonly socket: LiveSocket,
    private readonly options: LiveHubOptions,
  ) {}

  enqueue(event: RunEvent): void {
    if (this.needsSnapshot) {
      this.dropped++;
      return;
    }
    if (event.type === 'block.progress') {
      // A newer progress replaces the waiting one in place: only the latest counts matter.
      const key = `${event.runId}/${event.blockId}`;
      const at = this.progressAt.get(key);
      if (at !== undefined) {
        this.queue[at] = event;
        return;
      }
      this.progressAt.set(key, this.queue.length);
    }
    if (this.queue.length >= (this.options.maxQueuedEvents ?? 1000)) {
      // The snapshot sent once the socket drains replaces everything waiting.
      this.dropped += this.queue.length + 1;
      this.queue = [];
      this.progressAt.clear();
      this.needsSnapshot = true;
      return;
    }
    this.queue.push(event);
  }

  /** Number of events waiting; never more than maxQueuedEvents. */
  get waiting(): number {
    return this.queue.length;
  }

  flush(): void {
    if (this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > (this.options.maxBufferedBytes ?? 1 << 20)) return;
    if (this.needsSnapshot) {
      this.needsSnapshot = false;
      this.sendSnapshot();
      return;
    }
    const events = this.queue;
    this.queue = [];
    this.progressAt.clear();
    for (const event of events) this.socket.send(JSON.stringify(event));
  }

  sendSnapshot(): void {
    const message: SnapshotMessage = {
      type: 'snapshot',
      runs: this.options.runningStates(),
      dropped: this.dropped,
    };
    this.socket.send(JSON.stringify(message));
  }
}
