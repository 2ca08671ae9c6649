import { readdir, readFile } from 'node:fs/promises';

/**
 * Kills with SIGKILL every process below `serverPid`, by its id: the processes that serve the
 * open connections of a forking server such as sshd, which keeps listening. Linux only, because
 * it reads the parent ids from /proc. Returns how many processes it killed.
 */
export async function killServerSessions(serverPid: number): Promise<number> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    // The command name in brackets may contain spaces, so the fields count from its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(name), Number(fields[1]));
  }
  const below = new Set([serverPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (below.has(parent) && !below.has(pid)) {
        below.add(pid);
        grew = true;
      }
    }
  }
  below.delete(serverPid);
  for (const pid of below) process.kill(pid, 'SIGKILL');
  return below.size;
}
