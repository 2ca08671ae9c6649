import {
  mergeStreams,
  type Channel,
  type OutputPort,
  type PortItem,
  type PortSpec,
} from '@kuryr/nodes';
import type { BlockTracker } from './block-tracker.js';

/** Creates an output port that counts and samples what it sends and copies it to every wire (fan-out). */
export function createOutputPort(
  port: PortSpec,
  targets: readonly Channel<PortItem>[],
  tracker: BlockTracker,
): OutputPort<PortItem> {
  return {
    isWired: targets.length > 0,
    announceColumns(columns) {
      const copy = Object.freeze([...columns]);
      for (const target of targets) target.columns = copy;
    },
    async send(batch) {
      if (batch.length === 0) return;
      tracker.countOut(port.name, port.kind, batch);
      if (targets.length === 1) {
        await targets[0]!.send(batch);
        return;
      }
      await Promise.all(targets.map((target) => target.send(batch)));
    },
  };
}

/** An input port: all wires into it merged in arrival order (fan-in), counted as they are read. */
export async function* createInputStream(
  port: PortSpec,
  sources: readonly Channel<PortItem>[],
  tracker: BlockTracker,
): AsyncGenerator<readonly PortItem[]> {
  if (sources.length === 0) return;
  for await (const batch of mergeStreams(sources)) {
    tracker.countIn(port.kind, batch.length);
    yield batch;
  }
}

/** Returns the columns announced on the first of an input's wires that announced any. */
export function announcedColumns(
  sources: readonly Channel<PortItem>[],
): readonly string[] | undefined {
  return sources.find((source) => source.columns !== undefined)?.columns;
}
