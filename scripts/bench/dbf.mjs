// `pnpm bench dbf`: writes and reads a table of generated warehouse items in code page 852 with
// Kurýr and with dbffile, each task in a child process of its own, and prints records per second
// and peak memory. The write tasks include generating the records; the `generate` row shows that
// part alone.
//
// Usage: node scripts/bench/dbf.mjs [--records N] [--runs N]
//
// Exits 0 whether or not Kurýr is faster, because it measures and does not test. It exits 1 when
// a task fails or reads another record count than was written, and 2 for bad usage.
import { access, mkdir, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureChild } from './measure-child.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const benchDir = join(root, '.bench');
const taskScript = fileURLToPath(new URL('./dbf-task.mjs', import.meta.url));

// Not strict, so that options meant for the other suites of `pnpm bench` are ignored here.
const { values: options } = parseArgs({
  strict: false,
  options: {
    records: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '1' },
  },
});
const count = Number(options.records);
const runs = Number(options.runs);
if (![count, runs].every((value) => Number.isInteger(value) && value > 0)) {
  console.error('usage: dbf.mjs [--records N] [--runs N], both whole numbers > 0');
  process.exit(2);
}
if (!(await isBuilt())) {
  console.error('nodes/dist/index.js is missing: build the workspace first with "pnpm build".');
  process.exit(2);
}
await mkdir(benchDir, { recursive: true });

const [load1, load5] = loadavg().map((load) => load.toFixed(2));
console.log(
  `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`,
);
console.log(`${new Date().toISOString()}, load average ${load1} (1 min), ${load5} (5 min)`);

const tables = {
  Kurýr: join(benchDir, 'dbf-kuryr.dbf'),
  dbffile: join(benchDir, 'dbf-dbffile.dbf'),
};
const tasks = [
  { name: 'generate', label: 'generate only', table: tables.Kurýr },
  { name: 'kuryr-write', label: 'write, Kurýr', table: tables.Kurýr },
  { name: 'dbffile-write', label: 'write, dbffile', table: tables.dbffile },
  { name: 'kuryr-read', label: 'read, Kurýr', table: tables.Kurýr },
  { name: 'dbffile-read', label: 'read, dbffile', table: tables.Kurýr },
];

const rows = [];
for (let run = 1; run <= runs; run++) {
  for (const task of tasks) {
    if (task.name.endsWith('-write')) await rm(task.table, { force: true });
    const result = await measureChild([taskScript, task.name, task.table, String(count)], {
      cwd: root,
      scratchDir: benchDir,
      label: task.name,
    });
    if (result.exitCode !== 0) {
      console.error(result.stderr);
      console.error(`${task.name} ended with exit code ${result.exitCode}`);
      process.exit(1);
    }
    const { records, seconds } = JSON.parse(result.stdout);
    if (records !== count) {
      console.error(`${task.name} handled ${records} records, expected ${count}`);
      process.exit(1);
    }
    rows.push({
      ...task,
      run,
      seconds,
      cpuSeconds: result.cpuSeconds,
      peakRssBytes: result.peakRssBytes,
    });
  }
}
printTable(rows);

/**
 * Prints one Markdown row per task: the median time over the runs and the highest peak RSS. Time
 * is measured inside the child, start-up excluded; CPU time is the whole child's, start-up
 * included, and varies less than time on a busy machine.
 */
function printTable(measured) {
  const format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  console.log(
    `\n| Task (${format.format(count)} records) | Runs | Time (s) | Records/s | CPU (s) | Peak RSS (MB) |`,
  );
  console.log('|---|---|---|---|---|---|');
  for (const task of tasks) {
    const ofTask = measured.filter((row) => row.label === task.label);
    const seconds = median(ofTask.map((row) => row.seconds));
    const cpu = median(ofTask.map((row) => row.cpuSeconds ?? NaN));
    const peak = Math.max(...ofTask.map((row) => row.peakRssBytes ?? NaN));
    const rss = Number.isNaN(peak) ? '?' : (peak / 1e6).toFixed(1);
    const cpuText = Number.isNaN(cpu) ? '?' : cpu.toFixed(2);
    const rate = format.format(count / seconds);
    console.log(
      `| ${task.label} | ${ofTask.length} | ${seconds.toFixed(2)} | ${rate} | ${cpuText} | ${rss} |`,
    );
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function isBuilt() {
  return access(join(root, 'nodes/dist/index.js')).then(
    () => true,
    () => false,
  );
}
