// `pnpm bench csv`: Read CSV's reader and Write CSV's encoder on generated records, each beside
// papaparse doing the same work directly, at several sizes. Each step runs in a child process of
// its own (csv-child.mjs), so that its peak RSS is its own. The write steps must produce the same
// bytes, and the read steps the same record count.
//
// Usage: node scripts/bench/csv.mjs [--runs N] [--sizes 250000,1000000]
//
// Exits 0 whether or not the targets are met, because it measures and does not test; 1 when a
// step fails or the outputs differ, and 2 for bad usage.
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureChild } from './measure-child.mjs';

/** Kurýr's records/s ÷ papaparse's should be at least this. */
const MIN_SPEED_RATIO = 0.9;
/** Peak RSS at the largest size ÷ at the smallest may differ from 1 by at most this. */
const MAX_RSS_GROWTH = 0.2;

const root = fileURLToPath(new URL('../../', import.meta.url));
const benchDir = join(root, '.bench', 'csv');
const childScript = fileURLToPath(new URL('./csv-child.mjs', import.meta.url));

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '250000,1000000' },
  },
});
const runs = Number(options.runs);
const sizes = options.sizes.split(',').map(Number);
if (
  !Number.isInteger(runs) ||
  runs < 1 ||
  !sizes.every((size) => Number.isInteger(size) && size > 0)
) {
  console.error('usage: csv.mjs [--runs N] [--sizes 250000,1000000], all whole numbers > 0');
  process.exit(2);
}
await mkdir(benchDir, { recursive: true });
const [load1] = loadavg().map((load) => load.toFixed(2));
console.log(
  `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`,
);
console.log(`${new Date().toISOString()}, load average ${load1} (1 min)`);

const results = [];
for (const size of sizes) {
  for (let run = 1; run <= runs; run++) {
    const written = {};
    for (const step of ['kuryr-write', 'papaparse-write']) {
      written[step] = await measure(step, size, join(benchDir, `${step}-${size}.csv`));
    }
    checkSameBytes(size);
    for (const step of ['kuryr-read', 'papaparse-read']) {
      await measure(step, size, join(benchDir, `kuryr-write-${size}.csv`));
    }
  }
}
printSummary();

async function measure(step, size, path) {
  const result = await measureChild([childScript, step, String(size), path], {
    cwd: root,
    scratchDir: benchDir,
    label: step,
  });
  if (result.exitCode !== 0) {
    console.error(`${step} failed on ${size} records:\n${result.stderr}`);
    process.exit(1);
  }
  const { records, seconds, bytes } = JSON.parse(result.stdout);
  if (records !== size) {
    console.error(`${step} handled ${records} records of ${size}`);
    process.exit(1);
  }
  const row = {
    step,
    size,
    seconds,
    cpuSeconds: result.cpuSeconds,
    bytes,
    peakRssMb: result.peakRssBytes / 1e6,
  };
  results.push(row);
  console.log(
    `${step.padEnd(16)} ${String(size).padStart(8)} records  ${seconds.toFixed(2)} s wall  ` +
      `${row.cpuSeconds.toFixed(2)} s CPU  peak RSS ${row.peakRssMb.toFixed(0)} MB  ` +
      `other load ${(result.otherCpuSeconds / result.wallSeconds).toFixed(1)} cores`,
  );
  return row;
}

function checkSameBytes(size) {
  const files = ['kuryr-write', 'papaparse-write'].map((step) =>
    join(benchDir, `${step}-${size}.csv`),
  );
  const compare = spawnSync('cmp', files, { encoding: 'utf8' });
  if (compare.status !== 0) {
    console.error(`Write CSV and papaparse wrote different bytes:\n${compare.stdout}`);
    process.exit(1);
  }
}

/**
 * Prints the median records/s and highest peak RSS per step and size, then the targets. Records/s
 * divide by the child's CPU time (user and system, Node.js start-up included), because on a
 * shared machine the wall time mostly measures the other processes.
 */
function printSummary() {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = (step, size) => {
    const rows = results.filter((row) => row.step === step && row.size === size);
    return {
      rate: median(rows.map((row) => size / row.cpuSeconds)),
      wallRate: median(rows.map((row) => size / row.seconds)),
      peak: Math.max(...rows.map((row) => row.peakRssMb)),
    };
  };
  console.log(
    '\n| Step | Records | Records/s (CPU) | Records/s (wall) | Peak RSS (MB) |\n' +
      '| --- | --: | --: | --: | --: |',
  );
  for (const size of sizes) {
    for (const step of ['kuryr-read', 'papaparse-read', 'kuryr-write', 'papaparse-write']) {
      const { rate, wallRate, peak } = summary(step, size);
      console.log(
        `| ${step} | ${size} | ${Math.round(rate)} | ${Math.round(wallRate)} | ${peak.toFixed(0)} |`,
      );
    }
  }
  const largest = Math.max(...sizes);
  const smallest = Math.min(...sizes);
  for (const action of ['read', 'write']) {
    const ratio =
      summary(`kuryr-${action}`, largest).rate / summary(`papaparse-${action}`, largest).rate;
    const growth =
      summary(`kuryr-${action}`, largest).peak / summary(`kuryr-${action}`, smallest).peak;
    console.log(
      `${action}: ${ratio.toFixed(2)} × papaparse (target ≥ ${MIN_SPEED_RATIO}: ` +
        `${ratio >= MIN_SPEED_RATIO ? 'met' : 'missed'}); peak RSS ${largest} ÷ ${smallest} ` +
        `records ${growth.toFixed(2)} (target ≤ ${1 + MAX_RSS_GROWTH}: ` +
        `${growth <= 1 + MAX_RSS_GROWTH ? 'met' : 'missed'})`,
    );
  }
}
