// The editor in Debian's Chromium against a real `kuryr start`, fed input that an integrator
// types or pastes by accident or that a hostile template carries. The cases are HTML in names,
// very long names, flow names that start with a digit and malformed clipboard text. The last
// step checks that unsaved changes are not dropped without a question. The steps share one
// browser page and run in order.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeDemoItemsDbf } from '@kuryr/nodes';
import {
  dropBlock,
  openEditorSession,
  parameterField,
  screenshot,
  signIn,
  type EditorSession,
} from './support/editor-page.js';

const PASSWORD = 'editor-hostile-password-1';
const HTML_NAME = '<img src=x onerror="window.injected=1"><script>window.injected=2</script>';
const LONG_NAME = `Sklad ${'ř'.repeat(300)}`;

let session: EditorSession;
let page: Page;
/** Uncaught errors and unexpected JavaScript dialogs of the page; every step expects none. */
const pageProblems: string[] = [];
/** Response to the next confirm dialog, set by the step that expects one. */
let confirmAnswer: 'accept' | 'dismiss' | undefined;
const confirmMessages: string[] = [];

beforeAll(async () => {
  session = await openEditorSession(PASSWORD, async (data) => {
    await writeDemoItemsDbf(join(data, 'items.dbf'), '852');
  });
  page = session.page;
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm' && confirmAnswer !== undefined) {
      confirmMessages.push(dialog.message());
      void (confirmAnswer === 'accept' ? dialog.accept() : dialog.dismiss());
      return;
    }
    pageProblems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await signIn(page, session.kuryr.url, PASSWORD);
});

afterAll(async () => {
  await session?.close();
});

async function renameSelectedBlock(name: string) {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
}

function flowOptions(): Promise<string[]> {
  return page.getByLabel('Flow', { exact: true }).locator('option').allTextContents();
}

async function pasteText(text: string) {
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, text);
}

describe('hostile and malformed input in the browser', () => {
  it('shows HTML in a block name as text', async () => {
    await dropBlock(page, 'dbf.read', { x: 300, y: 200 });
    const block = page.locator('.react-flow__node').first();
    await block.locator('.block-header').click();
    await renameSelectedBlock(HTML_NAME);
    await parameterField(page, 'path').locator('input').first().fill('items.dbf');

    await expect.poll(() => block.locator('.block-name').textContent()).toBe(HTML_NAME);
    expect(await page.locator('.react-flow__node img, .react-flow__node script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined();
    expect(pageProblems).toEqual([]);
  });

  it('keeps a long block name inside its block', async () => {
    const block = page.locator('.react-flow__node').first();
    await renameSelectedBlock(LONG_NAME);
    await expect.poll(() => block.locator('.block-name').textContent()).toBe(LONG_NAME);

    const blockBox = await block.locator('.block').boundingBox();
    const nameBox = await block.locator('.block-name').boundingBox();
    expect(blockBox).not.toBeNull();
    expect(nameBox).not.toBeNull();
    expect(nameBox!.x + nameBox!.width).toBeLessThanOrEqual(blockBox!.x + blockBox!.width);
    expect(await block.locator('.block-name').getAttribute('title')).toBe(LONG_NAME);
    const iconBox = await block.locator('.block-header > svg').boundingBox();
    expect(iconBox?.width).toBeGreaterThanOrEqual(12);
    await screenshot(page, '40-long-block-name');
  });

  it('saves a flow whose name starts with a digit', async () => {
    await page.getByLabel('Flow name').fill('2026 sklad pro e-shop');
    await page.locator('.canvas').click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Control+s');

    await expect.poll(flowOptions).toContain('2026 sklad pro e-shop');
    expect(await page.locator('.toolbar').textContent()).toContain('Saved');
  });

  it('saves a new flow with a 300-character name', async () => {
    const longFlowName = `Export ${'x'.repeat(293)}`;
    await page.getByLabel('Flow', { exact: true }).selectOption({ value: '' });
    await page.getByLabel('Flow name').fill(longFlowName);
    await page.keyboard.press('Control+s');

    await expect.poll(flowOptions).toContain(longFlowName);
    expect(await page.locator('.toolbar').textContent()).toContain('Saved');
  });

  it.each([
    ['a block without a position', '{"format":"kuryr/blocks","blocks":[{"type":"dbf.read"}]}'],
    ['a null block', '{"format":"kuryr/blocks","blocks":[null]}'],
    [
      'wires that are no list',
      '{"format":"kuryr/blocks","blocks":[{"id":"a","type":"dbf.read","position":{"x":1,"y":1}}],"wires":"none"}',
    ],
  ])('ignores a paste of %s', async (_case, text) => {
    const before = await page.locator('.react-flow__node').count();
    await pasteText(text);
    await pasteText('{"format":"kuryr/blocks","blocks":[]}');

    expect(await page.locator('.react-flow__node').count()).toBe(before);
    expect(pageProblems).toEqual([]);
  });

  it('asks before discarding unsaved changes', async () => {
    const savedName = '2026 sklad pro e-shop';
    await page.getByLabel('Flow name').fill('Neuložený export');
    const unloadBlocked = () =>
      page.evaluate(() => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      });
    expect(await unloadBlocked()).toBe(true);

    confirmAnswer = 'dismiss';
    await page.getByLabel('Flow', { exact: true }).selectOption({ label: savedName });
    await expect.poll(() => confirmMessages.length).toBe(1);
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Neuložený export');

    const templatePath = join(session.work, 'any.template.json');
    await writeFile(templatePath, '{}');
    await page.getByTestId('template-file').setInputFiles(templatePath);
    await expect.poll(() => confirmMessages.length).toBe(2);
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Neuložený export');

    confirmAnswer = 'accept';
    await page.getByLabel('Flow', { exact: true }).selectOption({ label: savedName });
    await expect.poll(() => page.getByLabel('Flow name').inputValue()).toBe(savedName);
    expect(confirmMessages).toHaveLength(3);
    expect(confirmMessages[0]).toContain('Unsaved changes');
    expect(await unloadBlocked()).toBe(false);
    confirmAnswer = undefined;
    expect(pageProblems).toEqual([]);
  });
});
