// `pnpm bench`: runs the e-shop stock flow on generated items tables, once through the compiled
// kuryr command and once as the same pipeline glued from the libraries (glued-pipeline.mjs).
// It checks that both write the same bytes, then prints speed, peak memory and the targets.
//
// Usage: node scripts/bench/eshop-stock.mjs [--runs N] [--sizes 100000,1000000]
//
// Exits 0 whether or not the targets are met, because it measures and does not test. It exits 1
// when a pipeline fails or the two CSV files differ, and 2 for bad usage or a missing build.
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureItemsTable } from './items-table.mjs';
import { measureChild } from './measure-child.mjs';
import { printFigures } from './report.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const benchDir = join(root, '.bench');
const flowPath = 'flows/eshop-stock-csv.json';
const kuryrBin = 'runtime/bin/kuryr.js';
const gluedScript = fileURLToPath(new URL('./glued-pipeline.mjs', import.meta.url));
const handWrittenScript = fileURLToPath(new URL('./hand-written-pipeline.mjs', import.meta.url));
const microScript = fileURLToPath(new URL('./expression-micro.mjs', import.meta.url));
/** Records of the Map expression micro-measurement. */
const MICRO_RECORDS = 200_000;

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '100000,1000000' },
  },
});
const runs = Number(options.runs);
const sizes = options.sizes.split(',').map(Number);
if (
  !Number.isInteger(runs) ||
  runs < 1 ||
  !sizes.every((size) => Number.isInteger(size) && size > 0)
) {
  console.error(
    'usage: eshop-stock.mjs [--runs N] [--sizes 100000,1000000], all whole numbers > 0',
  );
  process.exit(2);
}
await checkBuild();
await mkdir(join(benchDir, 'out'), { recursive: true });

printMachine();
for (const size of sizes) {
  const written = await ensureItemsTable(join(benchDir, tableName(size)), size);
  console.log(`${written ? 'Wrote' : 'Reusing'} .bench/${tableName(size)}`);
}

const measurements = [];
for (const size of sizes) {
  const inputBytes = (await stat(join(benchDir, tableName(size)))).size;
  await readThrough(join(benchDir, tableName(size)));
  for (let run = 1; run <= runs; run++) {
    // Rotating the order spreads the effect of other work on the machine over all three.
    const pipelines = [runKuryr, runGlued, runHandWritten];
    const order = pipelines.map((_, index) => pipelines[(index + run - 1) % pipelines.length]);
    for (const runPipeline of order) {
      const measurement = await runPipeline(size);
      measurements.push({ ...measurement, size, inputBytes, run });
      console.log(describeRun(measurement, size, run));
    }
    compareOutputs(size);
  }
}
const micro = measureExpressions();
printFigures(measurements, sizes, micro);

function tableName(size) {
  return `items-${size}.dbf`;
}

async function checkBuild() {
  const compiled = ['runtime/dist/cli/main.js', 'nodes/dist/index.js'];
  for (const file of compiled) {
    const isPresent = await access(join(root, file)).then(
      () => true,
      () => false,
    );
    if (!isPresent) {
      console.error(`${file} is missing: build the workspace first with "pnpm build".`);
      process.exit(2);
    }
  }
}

function printMachine() {
  const [load1, load5] = loadavg().map((load) => load.toFixed(2));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`${availableParallelism()} cores, ${cpu}, Node.js ${process.version}`);
  console.log(`${new Date().toISOString()}, load average ${load1} (1 min), ${load5} (5 min)`);
}

/** Reads a file once so that both pipelines find it in the page cache. */
async function readThrough(path) {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) void chunk;
}

async function runKuryr(size) {
  const target = `out/kuryr-${size}.csv`;
  await rm(join(benchDir, target), { force: true });
  const args = [
    kuryrBin,
    'run',
    flowPath,
    '--data-dir',
    '.bench',
    '--state-dir',
    '.bench/state',
    '--var',
    `SOURCE_DBF=${tableName(size)}`,
    '--var',
    `TARGET_CSV=${target}`,
    '--json',
  ];
  const result = await measureChild(args, { cwd: root, scratchDir: benchDir, label: 'kuryr' });
  if (result.exitCode !== 0) fail(`kuryr run ended with exit code ${result.exitCode}`, result);

  const summary = JSON.parse(result.stdout);
  const csvBlock = summary.blocks.find((block) => block.type === 'csv.write');
  return { pipeline: 'Kurýr', ...result, recordsWritten: csvBlock.recordsIn };
}

async function runGlued(size) {
  const target = `out/glued-${size}.csv`;
  await rm(join(benchDir, target), { force: true });
  const args = [gluedScript, join(root, flowPath), tableName(size), target];
  const result = await measureChild(args, { cwd: benchDir, scratchDir: benchDir, label: 'glued' });
  if (result.exitCode !== 0)
    fail(`the glued pipeline ended with exit code ${result.exitCode}`, result);

  const summary = JSON.parse(result.stdout);
  return { pipeline: 'glued', ...result, recordsWritten: summary.recordsWritten };
}

async function runHandWritten(size) {
  const target = `out/hand-written-${size}.csv`;
  await rm(join(benchDir, target), { force: true });
  const args = [handWrittenScript, tableName(size), target];
  const label = 'hand-written';
  const result = await measureChild(args, { cwd: benchDir, scratchDir: benchDir, label });
  if (result.exitCode !== 0) {
    fail(`the hand-written pipeline ended with exit code ${result.exitCode}`, result);
  }

  const summary = JSON.parse(result.stdout);
  return { pipeline: 'hand-written', ...result, recordsWritten: summary.recordsWritten };
}

/** Runs the Map expression micro-measurement in a child of its own. */
function measureExpressions() {
  const args = [microScript, join(root, flowPath), String(MICRO_RECORDS)];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`\nFAILED: the expression micro-measurement ended with ${result.status}`);
    console.error(result.stderr.trim());
    process.exit(1);
  }
  return JSON.parse(result.stdout);
}

function describeRun(measurement, size, run) {
  const rss =
    measurement.peakRssBytes === undefined ? '?' : (measurement.peakRssBytes / 1e6).toFixed(1);
  const wall = measurement.wallSeconds.toFixed(2);
  return (
    `  ${size} records, run ${run}, ${measurement.pipeline}: ${wall} s, ` +
    `peak RSS ${rss} MB, ${measurement.recordsWritten} rows written`
  );
}

/** Compares each reference's CSV file with Kurýr's using cmp; a difference ends the benchmark. */
function compareOutputs(size) {
  const kuryrCsv = join(benchDir, `out/kuryr-${size}.csv`);
  for (const reference of ['glued', 'hand-written']) {
    const referenceCsv = join(benchDir, `out/${reference}-${size}.csv`);
    const result = spawnSync('cmp', [kuryrCsv, referenceCsv], { encoding: 'utf8' });
    if (result.error !== undefined) {
      console.error(`cmp could not be run: ${result.error.message}`);
      process.exit(1);
    }
    if (result.status !== 0) {
      console.error(
        `\nFAILED: Kurýr and the ${reference} pipeline wrote different bytes for ${size} records.`,
      );
      console.error((result.stdout + result.stderr).trim());
      console.error(`Compare ${kuryrCsv} with ${referenceCsv}.`);
      process.exit(1);
    }
  }
}

function fail(message, result) {
  console.error(`\nFAILED: ${message}`);
  console.error(result.stderr.trim());
  process.exit(1);
}
