import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  LiveConnection,
  startTestService,
  type TestService,
} from '../support/service.js';

let service: TestService;
let api: ApiClient;

beforeAll(async () => {
  service = await startTestService();
  api = await service.login();
});

afterAll(async () => {
  await service?.stop();
});

describe('live status after sign-out', () => {
  it('stops streaming to a signed-out session', async () => {
    const leaving = await service.login();
    const stale = await LiveConnection.open(leaving);
    const control = await LiveConnection.open(api);
    expect((await leaving.post('/api/v1/logout')).status).toBe(204);

    await api.createEshopFlow('after-logout');
    const run = await api.runToEnd('after-logout', {
      SOURCE_DBF: 'items.dbf',
      TARGET_CSV: 'eshop/after-logout.csv',
    });
    await control.next((message) => message.type === 'run.finished' && message.runId === run.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const leaked = stale.messages.filter((message) => message.runId === run.id);
    expect(leaked).toEqual([]);
    await stale.close();
    await control.close();
  });

  it('stops streaming to a revoked API token', async () => {
    const created = await api.post('/api/v1/tokens', { label: 'revoked' });
    const holder = new ApiClient(service.url);
    holder.token = created.body.token;
    const stale = await LiveConnection.open(holder);
    const control = await LiveConnection.open(api);
    expect((await api.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);

    await api.createEshopFlow('after-revoke');
    const run = await api.runToEnd('after-revoke', {
      SOURCE_DBF: 'items.dbf',
      TARGET_CSV: 'eshop/after-revoke.csv',
    });
    await control.next((message) => message.type === 'run.finished' && message.runId === run.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const leaked = stale.messages.filter((message) => message.runId === run.id);
    expect(leaked).toEqual([]);
    await stale.close();
    await control.close();
  });
});
