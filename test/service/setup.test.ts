import { describe, expect, it } from 'vitest';
import { ApiClient, startTestService } from '../support/service.js';

describe('first-start setup link', () => {
  it('creates one account from concurrent requests', async () => {
    const fresh = await startTestService({ env: {} });
    try {
      const link = /"setupLink":"([^"]+)"/.exec(fresh.logText())?.[1];
      const token = new URL(link!).searchParams.get('token');
      const attempts = await Promise.all(
        ['first', 'second', 'third', 'fourth', 'fifth'].map((username) =>
          new ApiClient(fresh.url).post('/api/v1/setup', {
            token,
            username,
            password: 'a long enough password',
          }),
        ),
      );
      const statuses = attempts.map((attempt) => attempt.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409]);
    } finally {
      await fresh.stop();
    }
  });
});
