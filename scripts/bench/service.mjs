// `pnpm bench service`: runs the e-shop stock flow under `kuryr start` with 10 live status
// clients connected, and once with `kuryr run`. It prints the time from the API's start request
// to the first record, the status events per second delivered to the clients, and the service's
// throughput relative to `kuryr run`.
//
// Usage: node scripts/bench/service.mjs [--runs N] [--size 1000000] [--clients 10]
//
// Exits 0 whether or not the target is met, because it measures and does not test. It exits 1
// when a run fails and 2 for bad usage.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ensureItemsTable } from './items-table.mjs';
import { measureChild } from './measure-child.mjs';

/* global fetch */
const root = fileURLToPath(new URL('../../', import.meta.url));
const benchDir = join(root, '.bench');
const flowPath = join(root, 'flows/eshop-stock-csv.json');
const kuryrBin = join(root, 'runtime/bin/kuryr.js');
const WebSocket = createRequire(join(root, 'runtime/package.json'))('ws');
/** The service should keep at least this share of `kuryr run`'s throughput. */
const MIN_THROUGHPUT_RATIO = 0.95;
const PASSWORD = 'bench-admin-password';
/** /proc counts CPU time in USER_HZ ticks, which Linux fixes at 100 per second on x86 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    size: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '10' },
  },
});
const runs = Number(options.runs);
const size = Number(options.size);
const clientCount = Number(options.clients);
if (![runs, size, clientCount].every((value) => Number.isInteger(value) && value > 0)) {
  console.error(
    'usage: service.mjs [--runs N] [--size 1000000] [--clients 10], all whole numbers > 0',
  );
  process.exit(2);
}

const table = `items-${size}.dbf`;
await mkdir(join(benchDir, 'out'), { recursive: true });
console.log(
  `${(await ensureItemsTable(join(benchDir, table), size)) ? 'Wrote' : 'Reusing'} .bench/${table}`,
);
printMachine();

const stateDir = join(benchDir, 'service-state');
await rm(stateDir, { recursive: true, force: true });
const service = await startService();
const api = await signIn(service.url);
await api('POST', '/api/v1/flows', JSON.parse(await readFile(flowPath, 'utf8')));

const results = [];
for (let run = 1; run <= runs; run++) {
  // Alternating the order spreads the effect of other work on the machine over both.
  const order = run % 2 === 1 ? ['service', 'cli'] : ['cli', 'service'];
  const result = { run };
  for (const mode of order) {
    if (mode === 'cli') Object.assign(result, await runCli());
    else Object.assign(result, await runUnderService(service, api));
  }
  result.ratio = result.cliMs / result.serviceMs;
  result.cpuRatio = result.cliCpuSeconds / result.serviceCpuSeconds;
  results.push(result);
  console.log(
    `  run ${run}: kuryr run ${(result.cliMs / 1000).toFixed(2)} s, service ${(result.serviceMs / 1000).toFixed(2)} s ` +
      `(ratio ${result.ratio.toFixed(3)}, by CPU ${result.cpuRatio.toFixed(3)}), first record after ${result.firstRecordMs.toFixed(0)} ms, ` +
      `${result.eventsPerSecond.toFixed(1)} events/s to ${clientCount} clients`,
  );
}
service.child.kill('SIGTERM');
await service.exited;
printFigures(results);

function printMachine() {
  const [load1, load5] = loadavg().map((load) => load.toFixed(2));
  console.log(
    `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node.js ${process.version}`,
  );
  console.log(`${new Date().toISOString()}, load average ${load1} (1 min), ${load5} (5 min)`);
}

function startService() {
  const child = spawn(
    process.execPath,
    [kuryrBin, 'start', '--port', '0', '--state-dir', stateDir, '--data-dir', benchDir],
    {
      env: { ...process.env, KURYR_ADMIN_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const url = /"url":"([^"]+)"/.exec(output)?.[1];
      if (url !== undefined) resolve({ child, exited, url });
    });
    exited.then((code) => reject(new Error(`kuryr start exited with ${code}: ${output}`)));
  });
}

async function signIn(url) {
  const response = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const { csrfToken } = await response.json();
  const cookie = response.headers.get('set-cookie').split(';')[0];
  const call = async (method, path, body) => {
    const answer = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await answer.json();
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  call.cookie = cookie;
  return call;
}

async function runCli() {
  const result = await measureChild(
    [
      kuryrBin,
      'run',
      flowPath,
      '--data-dir',
      benchDir,
      '--state-dir',
      join(benchDir, 'state'),
      '--var',
      `SOURCE_DBF=${table}`,
      '--var',
      'TARGET_CSV=out/cli.csv',
      '--json',
    ],
    { cwd: root, scratchDir: benchDir, label: 'service-cli' },
  );
  if (result.exitCode !== 0) fail(`kuryr run ended with ${result.exitCode}: ${result.stderr}`);
  return { cliMs: JSON.parse(result.stdout).durationMs, cliCpuSeconds: result.cpuSeconds };
}

/** CPU seconds (user and system) that a process has used, from /proc/PID/stat. */
async function readProcessCpuSeconds(pid) {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in brackets and may contain spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

async function runUnderService(service, call) {
  const { url } = service;
  const cpuBefore = await readProcessCpuSeconds(service.child.pid);
  const clients = await Promise.all(
    Array.from({ length: clientCount }, () => openClient(url, call.cookie)),
  );
  const startedAt = performance.now();
  const { runId } = await call('POST', '/api/v1/flows/eshop-stock-csv/runs', {
    variables: { SOURCE_DBF: table, TARGET_CSV: 'out/service.csv' },
  });
  const firstRecordAt = await clients[0].firstRecord(runId);
  const finished = await Promise.all(clients.map((client) => client.finished(runId)));
  const { run } = await call('GET', `/api/v1/runs/${runId}`);
  if (run.status !== 'succeeded')
    fail(`the service run ended ${run.status}: ${JSON.stringify(run.error)}`);
  const serviceCpuSeconds = (await readProcessCpuSeconds(service.child.pid)) - cpuBefore;
  const delivered = clients.reduce((sum, client) => sum + client.count, 0);
  for (const client of clients) client.socket.close();
  const seconds = (finished[0] - startedAt) / 1000;
  return {
    serviceMs: run.durationMs,
    serviceCpuSeconds,
    firstRecordMs: firstRecordAt - startedAt,
    eventsPerSecond: delivered / seconds,
    delivered,
  };
}

/** Opens a live status client that counts messages and notes when the run's records start and end. */
function openClient(url, cookie) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/live`, { headers: { cookie } });
  const client = { socket, count: 0, waiters: [] };
  socket.on('message', (data) => {
    client.count++;
    const message = JSON.parse(data.toString());
    const now = performance.now();
    client.waiters = client.waiters.filter(
      (waiter) => !(waiter.test(message) && (waiter.resolve(now), true)),
    );
  });
  const waitFor = (test) => new Promise((resolve) => client.waiters.push({ test, resolve }));
  client.firstRecord = (runId) =>
    waitFor(
      (m) =>
        m.runId === runId &&
        m.type === 'block.progress' &&
        m.blockId === 'read-items' &&
        m.counts.recordsOut > 0,
    );
  client.finished = (runId) => waitFor((m) => m.runId === runId && m.type === 'run.finished');
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

function printFigures(results) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const figure = (name, pick, digits) =>
    console.log(`| ${name} | ${median(results.map(pick)).toFixed(digits)} |`);
  const ratio = median(results.map((result) => result.ratio));
  console.log('\n| Figure | Median of runs |\n| --- | ---: |');
  figure('`kuryr run` run time (s)', (r) => r.cliMs / 1000, 2);
  figure('service run time (s)', (r) => r.serviceMs / 1000, 2);
  figure('`kuryr run` CPU, whole process (s)', (r) => r.cliCpuSeconds, 2);
  figure('service CPU during the run (s)', (r) => r.serviceCpuSeconds, 2);
  figure('start request to first record (ms)', (r) => r.firstRecordMs, 0);
  figure(`status events/s delivered to ${clientCount} clients`, (r) => r.eventsPerSecond, 1);
  figure('service throughput ÷ `kuryr run`, by run time', (r) => r.ratio, 3);
  figure('service throughput ÷ `kuryr run`, by CPU time', (r) => r.cpuRatio, 3);
  const met = ratio >= MIN_THROUGHPUT_RATIO ? 'met' : 'NOT met';
  console.log(`\nTarget: throughput by run time at least ${MIN_THROUGHPUT_RATIO}: ${met}.`);
}

function fail(message) {
  console.error(`\nFAILED: ${message}`);
  process.exit(1);
}
