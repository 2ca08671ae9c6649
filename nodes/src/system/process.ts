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
