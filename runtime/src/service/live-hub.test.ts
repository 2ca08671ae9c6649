import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../executor/run-events.js';
import { LiveHub, type LiveSocket } from './live-hub.js';

/** A socket whose send buffer the test fills and drains. */
class FakeSocket implements LiveSocket {
  readonly sent: { type: string; [key: string]: unknown }[] = [];
  bufferedAmount = 0;
  readyState = 1 as const;

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
}

const counts = { recordsIn: 0, recordsOut: 0, filesIn: 0, filesOut: 0, errors: 0 };

function progress(blockId: string, recordsOut: number): RunEvent {
  return {
    type: 'block.progress',
    runId: 'r1',
    blockId,
    counts: { ...counts, recordsOut },
    rate: 1,
    elapsedMs: 1,
    latest: { out: { n: recordsOut } },
  };
}

function warning(n: number): RunEvent {
  return { type: 'block.warning', runId: 'r1', blockId: 'a', code: 'W', message: `w${n}` };
}

function createHub(options: { maxQueuedEvents?: number } = {}) {
  return new LiveHub({ runningStates: () => [], flushIntervalMs: 60_000, ...options });
}

describe('LiveHub', () => {
  it('sends a snapshot first', () => {
    const hub = createHub();
    const socket = new FakeSocket();
    hub.add(socket);
    expect(socket.sent.map((message) => message.type)).toEqual(['snapshot']);
    hub.close();
  });

  it('coalesces progress to the latest per block', () => {
    const hub = createHub();
    const socket = new FakeSocket();
    hub.add(socket);
    hub.publish({ type: 'block.started', runId: 'r1', blockId: 'a', at: 'now' });
    for (let n = 1; n <= 100_000; n++) {
      hub.publish(progress('a', n));
      hub.publish(progress('b', n * 2));
    }
    hub.flush();
    const delivered = socket.sent.slice(1);
    expect(delivered.map((message) => message.type)).toEqual([
      'block.started',
      'block.progress',
      'block.progress',
    ]);
    expect(delivered[1]).toMatchObject({ blockId: 'a', counts: { recordsOut: 100_000 } });
    expect(delivered[2]).toMatchObject({ blockId: 'b', counts: { recordsOut: 200_000 } });
    hub.close();
  });

  it('keeps progress before the finish of its block', () => {
    const hub = createHub();
    const socket = new FakeSocket();
    hub.add(socket);
    hub.publish(progress('a', 1));
    hub.publish(progress('a', 2));
    hub.publish({
      type: 'block.finished',
      runId: 'r1',
      blockId: 'a',
      counts: { ...counts, recordsOut: 3 },
      rate: 1,
      elapsedMs: 1,
    });
    hub.flush();
    expect(socket.sent.slice(1).map((message) => message.type)).toEqual([
      'block.progress',
      'block.finished',
    ]);
    hub.close();
  });

  it('bounds what a slow client has waiting and resynchronises it', () => {
    const hub = createHub({ maxQueuedEvents: 100 });
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    hub.add(slow);
    hub.add(fast);
    slow.bufferedAmount = 10 << 20;
    const clients = [...(hub as unknown as { clients: Set<{ waiting: number }> }).clients];

    for (let n = 0; n < 10_000; n++) {
      hub.publish(warning(n));
      if (n % 50 === 0) hub.flush();
      expect(clients[0]!.waiting).toBeLessThanOrEqual(100);
    }
    hub.flush();
    expect(slow.sent).toHaveLength(1);
    expect(fast.sent).toHaveLength(10_001);

    slow.bufferedAmount = 0;
    hub.flush();
    expect(slow.sent.at(-1)).toMatchObject({ type: 'snapshot' });
    expect(slow.sent.at(-1)!.dropped).toBeGreaterThan(9_000);
    hub.publish(warning(10_000));
    hub.flush();
    expect(slow.sent.at(-1)).toMatchObject({ type: 'block.warning', message: 'w10000' });
    hub.close();
  });
});
