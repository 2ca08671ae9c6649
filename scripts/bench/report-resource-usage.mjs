// Preloaded into a measured child with `node --import`. When the process exits, it writes
// { maxRssKiB, userCpuMicros, systemCpuMicros } as JSON to the file named by
// KURYR_BENCH_USAGE_FILE. The peak resident set size is getrusage's ru_maxrss, which
// process.resourceUsage() returns in KiB.
//
// The kernel keeps this high-water mark itself, so the figure is exact and costs nothing while
// the child runs. Sampling VmHWM in /proc/PID/status from the parent can miss the end of the
// run, because /proc/PID disappears as soon as the child exits. GNU time reads the same counter
// but is not installed on every machine.
//
// The figure covers worker threads too, since they share the process. It misses only what is
// allocated in 'exit' listeners that run after this one.
import { writeFileSync } from 'node:fs';

const target = process.env.KURYR_BENCH_USAGE_FILE;

if (target !== undefined && target !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report = {
      maxRssKiB: usage.maxRSS,
      userCpuMicros: usage.userCPUTime,
      systemCpuMicros: usage.systemCPUTime,
    };
    writeFileSync(target, JSON.stringify(report) + '\n');
  });
}
