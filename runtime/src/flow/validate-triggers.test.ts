import { describe, expect, it } from 'vitest';
import { buildFlow, testCatalog } from '../../test-support/blocks.js';
import { formatProblem } from './flow-problem.js';
import type { Flow } from './flow-schema.js';
import { parseFlow } from './load-flow.js';
import type { Trigger } from './trigger-schema.js';
import { validateFlow } from './validate-flow.js';

function withTriggers(triggers: Trigger[], variables: Flow['variables'] = {}): Flow {
  return { ...buildFlow([['source', 'test.generate']], [], variables), triggers };
}

function problemsOf(flow: Flow): string[] {
  return validateFlow(flow, testCatalog).map(formatProblem);
}

describe('validateTriggers', () => {
  it('accepts valid triggers', () => {
    const flow = withTriggers(
      [
        { type: 'manual' },
        { type: 'schedule', cron: '0 30 6 * * 1-5', timeZone: 'Europe/Prague' },
        { type: 'schedule', cron: '15 2 * * *', timeZone: 'UTC' },
        { type: 'folder', path: 'inbox', pattern: '*.dbf', stableSeconds: 5, fileVariable: 'FILE' },
      ],
      { FILE: { description: 'the arrived file' } },
    );
    expect(problemsOf(flow)).toEqual([]);
  });

  it('rejects an invalid cron expression', () => {
    const flow = withTriggers([
      { type: 'manual' },
      { type: 'schedule', cron: '0 61 6 * * *', timeZone: 'Europe/Prague' },
    ]);
    expect(problemsOf(flow)).toEqual([
      'trigger 2 (schedule): invalid cron expression "0 61 6 * * *": CronPattern: Invalid value for minute: 61',
    ]);
  });

  it('rejects a cron expression with too few fields', () => {
    const [problem] = problemsOf(
      withTriggers([{ type: 'schedule', cron: '0 6 *', timeZone: 'UTC' }]),
    );
    expect(problem).toMatch(/^trigger 1 \(schedule\): invalid cron expression "0 6 \*"/);
  });

  it('rejects an unknown time zone', () => {
    expect(
      problemsOf(
        withTriggers([{ type: 'schedule', cron: '0 0 6 * * *', timeZone: 'Europe/Brno' }]),
      ),
    ).toEqual([
      'trigger 1 (schedule): unknown time zone "Europe/Brno"; use an IANA name such as Europe/Prague',
    ]);
  });

  it('rejects a schedule that never fires', () => {
    expect(
      problemsOf(withTriggers([{ type: 'schedule', cron: '0 0 0 30 2 *', timeZone: 'UTC' }])),
    ).toEqual([
      'trigger 1 (schedule): the cron expression "0 0 0 30 2 *" never matches a future date',
    ]);
  });

  it('reports both problems of a schedule', () => {
    const flow = withTriggers([
      { type: 'schedule', cron: '0 61 6 * * *', timeZone: 'Europe/Brno' },
    ]);
    expect(problemsOf(flow)).toEqual([
      'trigger 1 (schedule): unknown time zone "Europe/Brno"; use an IANA name such as Europe/Prague',
      'trigger 1 (schedule): invalid cron expression "0 61 6 * * *": CronPattern: Invalid value for minute: 61',
    ]);
  });

  it('rejects bad folder trigger settings', () => {
    const problems = problemsOf(
      withTriggers([
        {
          type: 'folder',
          path: 'inbox/',
          pattern: 'sub/*.csv',
          stableSeconds: 10,
          archivePath: 'inbox',
          fileVariable: 'SOURCE',
        },
      ]),
    );
    expect(problems).toEqual([
      'trigger 1 (folder): the pattern "sub/*.csv" contains "/"; it matches file names only',
      'trigger 1 (folder): the archive folder is the watched folder; name another folder',
      "trigger 1 (folder): fileVariable names the undeclared variable SOURCE; declare it in the flow's variables",
    ]);
  });

  it('rejects the same trigger twice', () => {
    const schedule: Trigger = { type: 'schedule', cron: '0 0 6 * * *', timeZone: 'UTC' };
    expect(problemsOf(withTriggers([schedule, schedule]))).toEqual([
      'trigger 2 (schedule): the same trigger appears twice',
    ]);
  });
});

describe('parseFlow with triggers', () => {
  it('fills trigger and run policy defaults', () => {
    const text = JSON.stringify({
      schemaVersion: 1,
      id: 'f',
      blocks: [],
      triggers: [{ type: 'folder', path: 'inbox' }],
      runPolicy: { maxRunSeconds: 600 },
    });
    const flow = parseFlow(text, 'flow.json');
    expect(flow.triggers).toEqual([
      { type: 'folder', path: 'inbox', pattern: '*', stableSeconds: 10 },
    ]);
    expect(flow.runPolicy).toEqual({ overlap: 'skip', maxRunSeconds: 600, missedRuns: 'skip' });
  });

  it('keeps a flow without triggers unchanged', () => {
    const flow = parseFlow(JSON.stringify({ schemaVersion: 1, id: 'f', blocks: [] }), 'f.json');
    expect('triggers' in flow).toBe(false);
    expect('runPolicy' in flow).toBe(false);
  });

  it('rejects an unknown overlap policy', () => {
    const text = JSON.stringify({
      schemaVersion: 1,
      id: 'f',
      blocks: [],
      runPolicy: { overlap: 'replace' },
    });
    expect(() => parseFlow(text, 'flow.json')).toThrow(/runPolicy\.overlap/);
  });
});
