import { describe, expect, it } from 'vitest';
import { parseFlowObject } from '../flow/load-flow.js';
import { createCredentialAccess } from './credentials.js';

const flow = parseFlowObject(
  { schemaVersion: 1, id: 'uses-ftp', credentials: ['shop-ftp'], blocks: [] },
  'test',
);
const stored: Record<string, Record<string, string>> = {
  'shop-ftp': { password: 'p' },
  'other-ftp': { password: 'q' },
};
const open = async (name: string) => stored[name];

describe('createCredentialAccess', () => {
  it('opens a credential that the flow lists', async () => {
    const access = createCredentialAccess(flow, open);
    expect(await access.get('shop-ftp')).toEqual({ password: 'p' });
  });

  it('rejects a stored credential that the flow does not list', async () => {
    const access = createCredentialAccess(flow, open);
    await expect(access.get('other-ftp')).rejects.toMatchObject({
      code: 'CREDENTIAL_UNDECLARED',
    });
  });

  it('rejects a listed credential that is not stored', async () => {
    const access = createCredentialAccess(flow, async () => undefined);
    await expect(access.get('shop-ftp')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
  });

  it('turns the port and certificate check back into their types', async () => {
    const access = createCredentialAccess(flow, async () => ({
      host: 'shop.example',
      port: '2121',
      verifyCertificate: 'false',
    }));
    const credential = await access.get('shop-ftp');
    expect(credential.port).toBe(2121);
    expect(credential.verifyCertificate).toBe(false);
    expect(credential.host).toBe('shop.example');
  });
});
