// Runs one Node.js child and measures its wall time, peak RSS, CPU time and the machine's load.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const usageReporter = pathToFileURL(
  fileURLToPath(new URL('./report-resource-usage.mjs', import.meta.url)),
).href;

/** /proc/stat counts in USER_HZ ticks, which Linux fixes at 100 per second on x86 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Runs `node --import report-resource-usage.mjs ...args` in `cwd` and resolves when it exits.
 * Wall time runs from the spawn to the exit, Node.js start-up included. `otherCpuSeconds` is the
 * CPU time that the rest of the machine used meanwhile (undefined without /proc/stat).
 *
 * @returns {Promise<{ exitCode: number | null, stdout: string, stderr: string, wallSeconds: number,
 *   peakRssBytes: number | undefined, cpuSeconds: number | undefined,
 *   otherCpuSeconds: number | undefined }>}
 */
export async function measureChild(args, { cwd, scratchDir, label }) {
  const usageFile = join(scratchDir, `usage-${label}.json`);
  await rm(usageFile, { force: true });
  const busyBefore = await readBusyCpuSeconds();
  const startedAt = process.hrtime.bigint();

  const child = spawn(process.execPath, ['--import', usageReporter, ...args], {
    cwd,
    env: { ...process.env, KURYR_BENCH_USAGE_FILE: usageFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const exitCode = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });

  const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const busyAfter = await readBusyCpuSeconds();
  const usage = await readFile(usageFile, 'utf8').then(JSON.parse, () => undefined);
  const cpuSeconds =
    usage === undefined ? undefined : (usage.userCpuMicros + usage.systemCpuMicros) / 1e6;
  const otherCpuSeconds =
    busyBefore === undefined || busyAfter === undefined || cpuSeconds === undefined
      ? undefined
      : Math.max(0, busyAfter - busyBefore - cpuSeconds);
  return {
    exitCode,
    stdout: await stdout,
    stderr: await stderr,
    wallSeconds,
    peakRssBytes: usage === undefined ? undefined : usage.maxRssKiB * 1024,
    cpuSeconds,
    otherCpuSeconds,
  };
}

function collect(stream) {
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve) =>
    stream.once('end', () => resolve(Buffer.concat(chunks).toString())),
  );
}

/** CPU seconds that all cores have spent busy since boot, from the first line of /proc/stat. */
async function readBusyCpuSeconds() {
  const text = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const line = text?.split('\n', 1)[0];
  if (line === undefined || !line.startsWith('cpu ')) return undefined;

  // Fields: user nice system idle iowait irq softirq steal guest guest_nice. Guest time is
  // already counted in user and nice, and steal is time the hypervisor gave to other machines.
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) / CLOCK_TICKS_PER_SECOND;
}
