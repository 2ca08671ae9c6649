import { join } from 'node:path';
import type { Flow } from '../src/flow/flow-schema.js';
import { runFlow } from '../src/executor/executor.js';
import { createDataFolder } from '../src/storage/data-folder.js';
import type { Clock } from '../src/triggers/clock.js';
import { ManualClock } from '../src/triggers/manual-clock.js';
import type { StartRun, TriggerInfo } from '../src/triggers/start-run.js';
import { TriggerManager } from '../src/triggers/trigger-manager.js';
import { MemoryTriggerStore } from '../src/triggers/trigger-store.js';
import { testRunOptions } from './run-options.js';
import { createCapturingLogger } from './wait.js';

/** A run that a test StartRun started, with what started it. */
export type StartedTestRun = {
  runId: string;
  flowId: string;
  trigger: TriggerInfo;
  variables: Readonly<Record<string, string>>;
};

/**
 * Creates a StartRun as the service implements it, minus the run history: it runs the flow of the given
 * id with the real executor in `folder` and lists every run it started in `runs`.
 */
export function createTestStartRun(
  flows: Map<string, Flow>,
  folder: string,
  clock?: Clock,
): { startRun: StartRun; runs: StartedTestRun[] } {
  const runs: StartedTestRun[] = [];
  const startRun: StartRun = async ({ flowId, trigger, variables }) => {
    const flow = flows.get(flowId);
    if (flow === undefined) throw new Error(`no flow ${flowId}`);
    const runId = `run-${runs.length + 1}`;
    runs.push({ runId, flowId, trigger, variables });
    const finished = runFlow({ ...(await testRunOptions(folder)), flow, variables, runId, clock });
    return { runId, finished };
  };
  return { startRun, runs };
}

/**
 * Starts a TriggerManager for one flow as the service would, on a ManualClock at 2026-06-01
 * 08:00 UTC, with data folder `folder`, a state folder `state` beside it, real runs, a capturing
 * logger and a 2 s folder poll. `advance` moves the clock and waits for the started runs.
 */
export async function startTestTriggers(
  flow: Flow,
  folder: string,
  store = new MemoryTriggerStore(),
) {
  const clock = new ManualClock(new Date('2026-06-01T08:00:00Z'));
  const { startRun, runs } = createTestStartRun(new Map([[flow.id, flow]]), folder, clock);
  const logger = createCapturingLogger();
  const manager = new TriggerManager({
    startRun,
    store,
    clock,
    logger,
    dataFolder: await createDataFolder(folder, join(folder, '..', 'state')),
    pollIntervalMs: 2000,
  });
  await manager.setFlow(flow);
  const advance = async (ms: number) => {
    await clock.advanceBy(ms);
    await manager.idle();
  };
  return { clock, manager, runs, store, logger, advance };
}
