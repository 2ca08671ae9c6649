import { hostname } from 'node:os';

/**
 * Tells whether a process with this id exists. Files named after a process id use it to find
 * what a killed process left behind. A reused id only delays that clean-up.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This machine's name as it may appear in a file name: letters, digits and hyphens. */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'localhost';
}

/**
 * Names this process in a file name as `HOST_PID`, for files that a crash may leave behind. The
 * host part never contains `_`, so the tag can be found again between other parts.
 */
export function processTag(): string {
  return `${hostTag()}_${process.pid}`;
}

/** Pattern part that matches a process tag, capturing the host and the process id. */
export const PROCESS_TAG_PATTERN = '([A-Za-z0-9-]+)_(\\d+)';

/**
 * Tells whether the process that a tag names has ended. A tag of another machine, which shares
 * the folder over a network, never counts as ended, because its process cannot be checked here.
 */
export function hasTaggedProcessEnded(host: string, pid: string): boolean {
  return host === hostTag() && !isProcessAlive(Number(pid));
}
