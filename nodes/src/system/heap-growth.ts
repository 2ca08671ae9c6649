import { setFlagsFromString } from 'node:v8';

let isModerated = false;
/** Transfers that run with V8's own heap growth at this moment. */
let bulkTransfers = 0;

/**
 * Lets the V8 heap at most double its live size between full collections. Flows allocate much
 * short-lived garbage per record (JSONata above all), and V8's default growth of up to four times
 * let a streaming run reach about 200 MB of resident memory while keeping only 20 to 30 MB alive.
 * Doubling keeps the e-shop stock flow near 140 MB; 50 % kept it near 130 MB but cost about a
 * tenth more CPU time in garbage collection (figures on the benchmark page).
 */
export function moderateHeapGrowth(): void {
  isModerated = true;
  if (bulkTransfers === 0) setFlagsFromString('--heap-growing-percent=100');
}

/**
 * Runs `transfer` with V8's own heap growth, then restores the moderate growth if it was set.
 * A file transfer allocates a network or file buffer per 32 to 64 KiB, and these buffers die
 * young. With the moderate growth, V8 still ran a full collection per 10 MiB or so:
 * `node --trace-gc` counted 16 to 22 of them for 200 MiB over SFTP, each freeing about 1 MB.
 * V8's own growth ran 2 or 3 and saved about a fifth of the CPU time (docs/benchmarks.md).
 *
 * NOTE: the growth is a setting of the whole process, so other blocks that run at the same
 * time get V8's own growth too, and with it a higher peak of memory, until the last transfer
 * ends. The count lives in one thread: runs in the worker threads of `kuryr start` keep the
 * moderate growth that its main thread set, because they never call moderateHeapGrowth.
 */
export async function withBulkTransferHeapGrowth<T>(transfer: () => Promise<T>): Promise<T> {
  if (bulkTransfers++ === 0 && isModerated) setFlagsFromString('--heap-growing-percent=0');
  try {
    return await transfer();
  } finally {
    if (--bulkTransfers === 0 && isModerated) setFlagsFromString('--heap-growing-percent=100');
  }
}
