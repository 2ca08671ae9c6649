import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/kuryr.js';
import {
  ApiClient,
  eshopFlowPath,
  startTestService,
  writeItemsTable,
  type TestService,
} from '../support/service.js';

const expectedCsv = join(repositoryRoot, 'flows/fixtures/eshop-stock-csv/expected.csv');
let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService();
  api = await service.login();
});

afterAll(async () => {
  await service?.stop();
});

describe('flow API', () => {
  it('creates, reads, lists, updates and deletes a flow', async () => {
    const created = await api.createEshopFlow('crud');
    expect(created.status).toBe(201);
    expect((await api.get('/api/v1/flows/crud')).body.flow.blocks).toHaveLength(5);
    const listed = await api.get('/api/v1/flows');
    expect(listed.body.flows.map((flow: { id: string }) => flow.id)).toContain('crud');

    const flow = (await api.get('/api/v1/flows/crud')).body.flow;
    const renamed = await api.put('/api/v1/flows/crud', { ...flow, name: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect((await api.get('/api/v1/flows/crud')).body.flow.name).toBe('Renamed');

    expect((await api.delete('/api/v1/flows/crud')).status).toBe(204);
    expect((await api.get('/api/v1/flows/crud')).status).toBe(404);
  });

  it('stores a flow as one stable JSON file', async () => {
    await api.createEshopFlow('stored');
    const text = await readFile(join(service.stateDir, 'flows/stored.json'), 'utf8');
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual([...keys].sort());
    const flow = (await api.get('/api/v1/flows/stored')).body.flow;
    await api.put('/api/v1/flows/stored', flow);
    expect(await readFile(join(service.stateDir, 'flows/stored.json'), 'utf8')).toBe(text);
  });

  it('rejects an existing id with 409', async () => {
    await api.createEshopFlow('twice');
    expect((await api.createEshopFlow('twice')).status).toBe(409);
  });

  it('rejects an update with per-block validation errors', async () => {
    await api.createEshopFlow('invalid');
    const flow = (await api.get('/api/v1/flows/invalid')).body.flow;
    flow.blocks[1].parameters.expression = '$$ +';
    flow.blocks[2].type = 'no.such-block';
    const response = await api.put('/api/v1/flows/invalid', flow);
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('FLOW_INVALID');
    const blocks = response.body.error.problems.map((problem: { block: string }) => problem.block);
    expect(blocks).toContain('map-stock');
    expect(blocks).toContain('keep-in-stock');
    expect((await api.get('/api/v1/flows/invalid')).body.flow.blocks[2].type).toBe(
      'transform.filter',
    );
  });

  it('rejects a flow that does not match the schema', async () => {
    const response = await api.post('/api/v1/flows', { schemaVersion: 1, id: '../escape' });
    expect(response.status).toBe(422);
    expect(response.body.error.problems.length).toBeGreaterThan(0);
  });

  it('duplicates a flow with its variable values', async () => {
    await api.createEshopFlow('original');
    await api.put('/api/v1/flows/original/variables', { values: { SOURCE_DBF: 'items.dbf' } });
    const copy = await api.post('/api/v1/flows/original/duplicate', {});
    expect(copy.status).toBe(201);
    expect(copy.body.flow.id).toBe('original-copy');
    const values = await api.get('/api/v1/flows/original-copy/variables');
    expect(values.body.values).toEqual({ SOURCE_DBF: 'items.dbf' });
  });

  it('exports a template and imports it with new values', async () => {
    await api.createEshopFlow('source');
    const exported = await api.post('/api/v1/flows/source/export', {
      parameters: [{ block: 'write-csv', parameter: 'fileName', variable: 'CSV_NAME' }],
    });
    expect(exported.status).toBe(200);
    const template = exported.body.template;
    expect(template.flow.blocks[3].parameters.fileName).toEqual({
      expression: '$vars.CSV_NAME',
    });
    expect(template.flow.variables.CSV_NAME.default).toBeUndefined();

    const incomplete = await api.post('/api/v1/flows/import', { template, id: 'customer-b' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.message).toContain('CSV_NAME');

    const imported = await api.post('/api/v1/flows/import', {
      template,
      id: 'customer-b',
      variables: {
        SOURCE_DBF: 'items.dbf',
        TARGET_CSV: 'eshop/customer-b.csv',
        CSV_NAME: 'stock.csv',
      },
    });
    expect(imported.status).toBe(201);
    const run = await api.runToEnd('customer-b');
    expect(run.status).toBe('succeeded');
    const written = await readFile(join(service.dataDir, 'eshop/customer-b.csv'));
    expect(written.equals(await readFile(expectedCsv))).toBe(true);
  });

  it('rejects exporting a parameter that takes no expression', async () => {
    await api.createEshopFlow('literal-only');
    const response = await api.post('/api/v1/flows/literal-only/export', {
      parameters: [{ block: 'map-stock', parameter: 'expression', variable: 'X' }],
    });
    expect(response.status).toBe(400);
  });
});

describe('node catalogue', () => {
  it('lists every block with ports and parameter schema', async () => {
    const response = await api.get('/api/v1/nodes');
    const read = response.body.nodes.find((node: { type: string }) => node.type === 'dbf.read');
    expect(read.title).toBe('Read DBF');
    expect(read.parameters.properties.path).toBeDefined();
    expect(read.outputs.map((port: { name: string }) => port.name)).toContain('error');
    expect(read.help.summary.length).toBeGreaterThan(0);
  });
});

describe('variables', () => {
  it('fills a run from global and per-flow values', async () => {
    await api.createEshopFlow('from-variables');
    await api.put('/api/v1/variables', { values: { SOURCE_DBF: 'items.dbf', OTHER: 'x' } });
    await api.put('/api/v1/flows/from-variables/variables', {
      values: { TARGET_CSV: 'eshop/from-variables.csv' },
    });
    const run = await api.runToEnd('from-variables');
    expect(run.status).toBe('succeeded');
    expect(run.variables.TARGET_CSV).toBe('eshop/from-variables.csv');
    await api.put('/api/v1/variables', { values: {} });
  });

  it('rejects per-flow values for undeclared variables', async () => {
    await api.createEshopFlow('declared-only');
    const response = await api.put('/api/v1/flows/declared-only/variables', {
      values: { NOT_DECLARED: 'x' },
    });
    expect(response.status).toBe(400);
  });
});

describe('deleting what is in use', () => {
  it('keeps a credential that a flow names unless forced', async () => {
    const created = await api.post('/api/v1/credentials', {
      name: 'shop-sftp',
      kind: 'sftp',
      values: { host: '127.0.0.1', user: 'shop', password: 'not-a-real-password' },
    });
    expect(created.status).toBe(201);
    const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    for (const id of ['uses-sftp-a', 'uses-sftp-b']) {
      const saved = await api.post('/api/v1/flows', { ...flow, id, credentials: ['shop-sftp'] });
      expect(saved.status).toBe(201);
    }

    const refused = await api.delete('/api/v1/credentials/shop-sftp');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CREDENTIAL_IN_USE');
    expect(refused.body.error.message).toBe(
      'the credential "shop-sftp" is used by the flows "uses-sftp-a", "uses-sftp-b"',
    );
    const listed = await api.get('/api/v1/credentials');
    expect(listed.body.credentials.map((entry: { name: string }) => entry.name)).toContain(
      'shop-sftp',
    );
    expect((await api.delete('/api/v1/credentials/shop-sftp?force=maybe')).status).toBe(400);

    const forced = await api.delete('/api/v1/credentials/shop-sftp?force=true');
    expect(forced.status).toBe(204);
    expect((await api.delete('/api/v1/credentials/shop-sftp')).status).toBe(404);
  });

  it('keeps a flow with a running run unless forced, then cancels the run', async () => {
    await writeItemsTable(join(service.dataDir, 'delete-me.dbf'), 300_000);
    await api.createEshopFlow('delete-me');
    const started = await api.post('/api/v1/flows/delete-me/runs', {
      variables: { SOURCE_DBF: 'delete-me.dbf', TARGET_CSV: 'eshop/delete-me.csv' },
    });
    expect(started.status).toBe(202);

    const refused = await api.delete('/api/v1/flows/delete-me');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('FLOW_RUNNING');
    expect((await api.get('/api/v1/flows/delete-me')).status).toBe(200);

    const forced = await api.delete('/api/v1/flows/delete-me?force=true');
    expect(forced.status).toBe(204);
    expect((await api.get('/api/v1/flows/delete-me')).status).toBe(404);
    const run = await api.waitForRun(started.body.runId);
    expect(run.status).toBe('cancelled');
    expect(run.error.message).toBe('the run was cancelled (the flow was deleted)');
  });
});

describe('trigger problems', () => {
  it('lists every problem of a trigger', async () => {
    const flow = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    const response = await api.post('/api/v1/flows', {
      ...flow,
      id: 'two-problems',
      triggers: [{ type: 'schedule', cron: '0 61 6 * * *', timeZone: 'Europe/Brno' }],
    });
    expect(response.status).toBe(422);
    const messages = response.body.error.problems.map(
      (problem: { message: string }) => problem.message,
    );
    expect(messages).toEqual([
      'unknown time zone "Europe/Brno"; use an IANA name such as Europe/Prague',
      'invalid cron expression "0 61 6 * * *": CronPattern: Invalid value for minute: 61',
    ]);
  });
});

describe('editor helpers', () => {
  it('evaluates an expression on a sample record', async () => {
    const response = await api.post('/api/v1/editor/evaluate', {
      expression: '$addVat(price, 21)',
      record: { price: 100 },
    });
    expect(response.body.result).toBe(121);
    const broken = await api.post('/api/v1/editor/evaluate', { expression: '(', record: {} });
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBeDefined();
  });

  it('lists the data folder but never the state folder', async () => {
    const response = await api.get('/api/v1/editor/files');
    const names = response.body.entries.map((entry: { name: string }) => entry.name);
    expect(names).toContain('items.dbf');
    expect(names).toContain('eshop');
    expect((await api.get('/api/v1/editor/files?path=../state')).status).toBe(403);
  });

  it('gives next times of a cron expression in a time zone', async () => {
    const response = await api.get(
      '/api/v1/editor/cron?expression=0%200%206%20*%20*%20*&timezone=Europe/Prague&count=3',
    );
    expect(response.status).toBe(200);
    expect(response.body.times).toHaveLength(3);
    for (const time of response.body.times) {
      const hour = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Prague',
        hour: '2-digit',
      }).format(new Date(time));
      expect(hour).toBe('06');
    }
    const invalid = await api.get('/api/v1/editor/cron?expression=61%20*%20*%20*%20*');
    expect(invalid.status).toBe(400);
  });
});

describe('flow file on disk', () => {
  it('matches the repository flow after a round trip', async () => {
    await api.createEshopFlow();
    const stored = JSON.parse(
      await readFile(join(service.stateDir, 'flows/eshop-stock-csv.json'), 'utf8'),
    );
    const original = JSON.parse(await readFile(eshopFlowPath, 'utf8'));
    expect(stored).toEqual(original);
  });
});
