/** Chunk sizes that every stream reader is tested with: they split characters and CRLFs. */
export const CHUNK_SIZES = [1, 2, 3, 7] as const;

/** Yields `bytes` in chunks of `size` bytes, as a network stream may deliver them. */
export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) {
    yield bytes.subarray(start, start + size);
  }
}

/** Collects every item of an async generator of batches. */
export async function collectBatches<T>(batches: AsyncIterable<readonly T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const batch of batches) items.push(...batch);
  return items;
}
