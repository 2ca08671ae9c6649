/**
 * A bounded queue of batches between one producer and one consumer. `send` waits while the queue
 * is full, so a slow consumer holds back its producer instead of filling memory.
 */
export class Channel<T> implements AsyncIterable<readonly T[]> {
  private readonly queue: (readonly T[])[] = [];
  private ended = false;
  private cancelled = false;
  private failure: unknown = undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducers: (() => void)[] = [];
  /** Field names the producer announced for the records it sends (OutputPort.announceColumns). */
  columns: readonly string[] | undefined = undefined;

  /** @param capacity batches queued before `send` waits; default 4 */
  constructor(private readonly capacity = 4) {}

  /** Queues a batch, waiting for room. Resolves at once when the consumer has gone. */
  async send(batch: readonly T[]): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.cancelled) return;
      if (this.ended) throw new Error('send on an ended channel');
      if (this.queue.length < this.capacity) break;
      await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
    }
    this.queue.push(batch);
    this.notifyConsumer();
  }

  /** Marks the end of the stream; the consumer reads what is queued, then stops. */
  end(): void {
    this.ended = true;
    this.notifyConsumer();
  }

  /** Fails both sides: pending and later sends and reads throw `error`. */
  fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.queue.length = 0;
    this.notifyConsumer();
    this.notifyProducers();
  }

  /** Called by the consumer when it stops reading; later sends are dropped. */
  cancel(): void {
    this.cancelled = true;
    this.queue.length = 0;
    this.notifyProducers();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly T[]> {
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        const batch = this.queue.shift();
        if (batch !== undefined) {
          this.notifyProducers();
          yield batch;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      if (!this.ended || this.queue.length > 0) this.cancel();
    }
  }

  private notifyConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private notifyProducers(): void {
    const waiting = this.wakeProducers;
    this.wakeProducers = [];
    for (const wake of waiting) wake();
  }
}

/**
 * Merges several streams into one, passing batches on in arrival order (fan-in). Ends when all
 * sources have ended; throws as soon as one fails.
 */
export async function* mergeStreams<T>(
  sources: readonly AsyncIterable<readonly T[]>[],
): AsyncGenerator<readonly T[]> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<
    number,
    Promise<{ index: number; result: IteratorResult<readonly T[]> }>
  >();
  const pull = (index: number) =>
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    for (const iterator of iterators) void iterator.return?.();
  }
}
