// The editor in Debian's Chromium against a real `kuryr start`. The credential widget of an SFTP
// block is generated from the fields of the credential kind. The flow panel edits variables, a
// schedule whose next run times come from the runtime's cron route, and a folder watch. The
// steps share one page and run in order.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  blockNamed,
  callApi,
  dropBlock,
  openEditorSession,
  parameterField,
  screenshot,
  signIn,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-test-password-3';
const SECRET = 'sftp-s3cret-Pass';
const FINGERPRINT = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';

let session: EditorSession;
let page: Page;

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (dataDir) => {
    await mkdir(join(dataDir, 'inbox', 'done'), { recursive: true });
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

/** Returns the weekday and the time of day of an ISO time in Prague, e.g. `Mon 06:30`. */
function pragueTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Prague',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value;
  return `${part('weekday')} ${part('hour')}:${part('minute')}`;
}

describe('credential and trigger settings in the browser', () => {
  it('creates an SFTP credential in place and picks it', async () => {
    await signIn(page, session.kuryr.url, PASSWORD);
    await dropBlock(page, 'sftp.download', { x: 200, y: 150 });
    await blockNamed(page, 'SFTP Download').locator('.block-header').click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const field = parameterField(page, 'credential');
    await field.getByRole('button', { name: 'New credential' }).click();

    const fields = field.locator('[data-credential-field]');
    expect(
      await fields.evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('data-credential-field')),
      ),
    ).toEqual([
      'host',
      'port',
      'user',
      'password',
      'privateKey',
      'passphrase',
      'hostKeyFingerprint',
    ]);
    const create = field.getByRole('button', { name: 'Create' });
    expect(await create.isDisabled()).toBe(true);

    await field.getByLabel('Credential name').fill('shop-sftp');
    await field.getByLabel('Server').fill('127.0.0.1');
    await field.getByLabel('User name').fill('eshop');
    await field.getByLabel('Password').fill(SECRET);
    expect(await field.getByLabel('Password').getAttribute('type')).toBe('password');
    expect(await field.getByLabel('Key passphrase').getAttribute('type')).toBe('password');
    expect(await create.isDisabled()).toBe(true);
    await field.getByLabel('Host key fingerprint').fill(FINGERPRINT);
    await field.getByLabel('Port').fill('70000');
    expect(await create.isDisabled()).toBe(true);
    await field.getByLabel('Port').fill('2222');
    await screenshot(page, '30-credential-new');
    await create.click();

    await expect.poll(() => field.locator('select').inputValue()).toBe('shop-sftp');
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Credential shop-sftp created.');
    expect(await field.locator('[data-credential-field]').count()).toBe(0);
    await screenshot(page, '31-credential-picked');
  });

  it('never shows the secret again', async () => {
    const field = parameterField(page, 'credential');
    await field.getByRole('button', { name: 'New credential' }).click();
    expect(await field.getByLabel('Password').inputValue()).toBe('');
    expect(await field.getByLabel('Credential name').inputValue()).toBe('');
    await field.getByRole('button', { name: 'New credential' }).click();
    expect(await page.content()).not.toContain(SECRET);

    const listed = await callApi(page, 'GET', 'credentials');
    expect(listed.json).toEqual({
      credentials: [expect.objectContaining({ name: 'shop-sftp', kind: 'sftp' })],
    });
    expect(JSON.stringify(listed.json)).not.toContain(SECRET);
  });

  it('declares variables in the flow panel', async () => {
    await page.getByRole('tab', { name: 'Flow' }).click();
    const name = page.getByLabel('New variable');
    await name.fill('1BAD');
    expect(await page.getByRole('button', { name: 'Add variable' }).isDisabled()).toBe(true);
    await name.fill('INBOX_FILE');
    await page.getByRole('button', { name: 'Add variable' }).click();
    const variable = page.locator('[data-variable="INBOX_FILE"]');
    await variable.getByLabel('Description').fill('The file that arrived');
    expect(await variable.getByLabel('Description').inputValue()).toBe('The file that arrived');
  });

  it('shows the next five times of a schedule', async () => {
    await page.getByRole('button', { name: 'Add schedule' }).click();
    const schedule = page.locator('[data-trigger="schedule"]');
    await schedule.getByLabel('Time zone').fill('Europe/Prague');
    await schedule.getByLabel('Cron expression').fill('0 30 6 * * 1-5');

    const times = schedule.locator('.cron-next li');
    await expect.poll(() => times.count()).toBe(5);
    const isoTimes = await times.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-time') ?? ''),
    );
    for (const time of isoTimes) {
      expect(Date.parse(time)).toBeGreaterThan(Date.now());
      expect(pragueTime(time)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 06:30$/);
    }
    expect(new Set(isoTimes).size).toBe(5);
    expect(await schedule.getByLabel('Cron expression').getAttribute('aria-invalid')).toBe('false');
    await screenshot(page, '32-schedule-next-times');
  });

  it('marks an invalid cron expression', async () => {
    const schedule = page.locator('[data-trigger="schedule"]');
    const cron = schedule.getByLabel('Cron expression');
    await cron.fill('0 30 25 * * *');
    await expect.poll(() => cron.getAttribute('aria-invalid')).toBe('true');
    expect(await schedule.getByRole('alert').textContent()).toMatch(
      /^Invalid cron expression: invalid cron expression "0 30 25 \* \* \*"/,
    );
    expect(await schedule.locator('.cron-next li').count()).toBe(0);
    await screenshot(page, '33-cron-invalid');

    await cron.fill('0 30 6 * * 1-5');
    await expect.poll(() => cron.getAttribute('aria-invalid')).toBe('false');
    await expect.poll(() => schedule.locator('.cron-next li').count()).toBe(5);
  });

  it('watches a folder into a declared variable', async () => {
    await page.getByRole('button', { name: 'Add folder watch' }).click();
    const folder = page.locator('[data-trigger="folder"]');
    await folder.locator('[data-trigger-field="path"]').getByRole('button').click();
    await folder.getByRole('button', { name: /inbox/ }).click();
    expect(await folder.getByLabel('Watched folder').inputValue()).toBe('inbox');
    await folder.getByLabel('File name pattern (default *)').fill('*.dbf');
    await folder.getByLabel('Variable for the file path').selectOption('INBOX_FILE');
  });

  it('saves the flow with its credential, variable and triggers', async () => {
    await blockNamed(page, 'SFTP Download').locator('.block-header').click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await parameterField(page, 'folder').locator('input').fill('/outgoing');
    await page.getByLabel('Flow name').fill('Download from the shop');
    await page.keyboard.press('Control+S');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved');

    const listed = (await callApi(page, 'GET', 'flows')).json as { flows: { id: string }[] };
    const id = listed.flows[0]?.id ?? '';
    const { flow } = (await callApi(page, 'GET', `flows/${id}`)).json as {
      flow: Record<string, unknown>;
    };
    expect(flow.credentials).toEqual(['shop-sftp']);
    expect(flow.variables).toEqual({ INBOX_FILE: { description: 'The file that arrived' } });
    // The runtime stores the folder trigger with its default stableSeconds.
    expect(flow.triggers).toEqual([
      { type: 'schedule', cron: '0 30 6 * * 1-5', timeZone: 'Europe/Prague' },
      {
        type: 'folder',
        path: 'inbox',
        pattern: '*.dbf',
        stableSeconds: 10,
        fileVariable: 'INBOX_FILE',
      },
    ]);
  });

  it('shows the flow panel and credential fields in Czech', async () => {
    await page.getByLabel('Language').selectOption('cs');
    await page.getByRole('tab', { name: 'Tok' }).click();
    await page.getByRole('heading', { name: 'Spouštěče' }).waitFor();
    expect(await page.locator('[data-trigger="schedule"] legend').textContent()).toBe('Plán');
    await page.getByRole('tab', { name: 'Nastavení' }).click();
    const field = parameterField(page, 'credential');
    await field.getByRole('button', { name: 'Nové přihlašovací údaje' }).click();
    await field.getByLabel('Otisk klíče serveru').waitFor();
    await screenshot(page, '34-settings-czech');
    await page.getByLabel('Jazyk').selectOption('en');
  });
});
