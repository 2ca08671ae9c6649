import { useMemo } from 'react';
import {
  api,
  type FlowTemplate,
  type NewCredential,
  type TemplateParameter,
} from '../api/client.js';
import type { FlowDocument } from '../api/types.js';
import { describeRequestError } from '../i18n/request-errors.js';

export { describeProblem } from '../i18n/request-errors.js';
import { validateRunPolicy } from '../schema/run-policy.js';
import { validateParameters } from '../schema/validate.js';
import { emptyFlow } from '../store/graph-slice.js';
import { editorStore } from '../store/index.js';
import type { PendingAction } from '../store/ui-slice.js';
import { confirmDiscard } from './unsaved-changes.js';

/** Maximum slug length, so that slug and suffix stay within the runtime's 100-character id limit. */
const MAX_SLUG_LENGTH = 90;

/**
 * Returns a flow id built from its name, e.g. `eshop-stock-3f9a`. The runtime accepts an id that
 * starts with a letter, so a name that starts with a digit gets the prefix `flow-`.
 */
export function flowIdFromName(name: string): string {
  let slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (/^[0-9]/.test(slug)) slug = `flow-${slug}`;
  slug = slug.slice(0, MAX_SLUG_LENGTH).replace(/-$/, '');
  const suffix = Math.random().toString(16).slice(2, 6);
  return `${slug || 'flow'}-${suffix}`;
}

/** Returns the names of blocks whose settings do not match their schema. */
export function invalidBlockNames(flow: FlowDocument): string[] {
  const { catalogByType } = editorStore.getState();
  return flow.blocks
    .filter((block) => {
      const definition = catalogByType[block.type];
      return (
        definition === undefined ||
        validateParameters(definition.parameters, block.parameters).length > 0
      );
    })
    .map((block) => block.name);
}

function reportError(
  key:
    | 'save.failed'
    | 'run.startedFailed'
    | 'run.cancelFailed'
    | 'template.failed'
    | 'template.exportFailed',
  error: unknown,
) {
  const message = describeRequestError(error, editorStore.getState().language);
  editorStore.getState().showNotice({ key, params: { message }, tone: 'error' });
}

/** Time a downloaded blob's URL stays valid. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

function download(fileName: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // Chromium reads the blob after the click returns; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** Saving, running, opening and exchanging flows with the runtime. */
export function useFlowActions() {
  return useMemo(() => {
    const store = () => editorStore.getState();

    /** Stores the flow; edits made while the request is under way stay marked unsaved. */
    const storeFlow = async (): Promise<boolean> => {
      const flow = store().toFlow();
      const sent = JSON.stringify(flow);
      if (flow.name.trim() === '') flow.name = flow.id;
      const invalid = invalidBlockNames(flow);
      if (invalid.length > 0) {
        store().showNotice({
          key: 'save.invalid',
          params: { blocks: invalid.join(', ') },
          tone: 'error',
        });
        return false;
      }
      if (validateRunPolicy(flow.runPolicy).length > 0) {
        store().showNotice({ key: 'save.invalidPolicy', params: {}, tone: 'error' });
        return false;
      }
      try {
        // A new flow takes its id from its name when it is first saved.
        if (!store().stored) flow.id = flowIdFromName(flow.name);
        if (store().stored) await api.updateFlow(flow);
        else await api.createFlow(flow);
        // The canvas stays as it is, with its view and undo history; only its state changes.
        const current = store().toFlow();
        store().markSaved(flow.id, JSON.stringify(current) !== sent);
        store().showNotice({ key: 'toolbar.saved', params: {}, tone: 'info' });
        return true;
      } catch (error) {
        reportError('save.failed', error);
        return false;
      }
    };

    /**
     * Runs `action` unless another toolbar request is still waiting for the service, so that
     * repeated clicks or Ctrl+S on a slow connection send one request.
     */
    const exclusive = async <T>(
      action: PendingAction,
      work: () => Promise<T>,
      busy: T,
    ): Promise<T> => {
      if (store().pendingAction !== undefined) return busy;
      store().setPendingAction(action);
      try {
        return await work();
      } finally {
        store().setPendingAction(undefined);
      }
    };

    const save = () => exclusive('save', storeFlow, false);

    const run = (variables: Record<string, string>) =>
      exclusive(
        'run',
        async () => {
          if (store().dirty && !(await storeFlow())) return;
          try {
            const { runId } = await api.startRun(store().meta.id, variables);
            store().startWatching(runId);
          } catch (error) {
            reportError('run.startedFailed', error);
          }
        },
        undefined,
      );

    const cancel = async () => {
      const { runId } = store();
      if (runId === undefined) return;
      try {
        await api.cancelRun(runId);
      } catch (error) {
        reportError('run.cancelFailed', error);
      }
    };

    const newFlow = (name: string) => {
      if (!confirmDiscard()) return;
      store().loadFlow(emptyFlow(flowIdFromName(name), name), false);
      store().clearRun();
    };

    const openFlow = async (id: string) => {
      if (!confirmDiscard()) return;
      store().loadFlow((await api.readFlow(id)).flow, true);
      store().clearRun();
      store().showNotice(undefined);
    };

    const exportTemplate = async (parameters: TemplateParameter[]) => {
      if (store().dirty && !(await save())) return;
      try {
        const { template } = await api.exportTemplate(store().meta.id, parameters);
        const file = `${store().meta.id}.template.json`;
        download(file, `${JSON.stringify(template, null, 2)}\n`);
        store().showNotice({ key: 'template.exported', params: { file }, tone: 'info' });
      } catch (error) {
        reportError('template.exportFailed', error);
      }
    };

    const importTemplate = async (
      template: FlowTemplate,
      name: string,
      values: Record<string, string>,
      credentials: Record<string, NewCredential>,
    ) => {
      try {
        const target = { name, id: flowIdFromName(name), variables: values, credentials };
        const { flow } = await api.importTemplate(template, target);
        store().loadFlow(flow, true);
        store().clearRun();
        store().showNotice({ key: 'template.imported', params: { name }, tone: 'info' });
      } catch (error) {
        reportError('template.failed', error);
      }
    };

    return { save, run, cancel, newFlow, openFlow, exportTemplate, importTemplate };
  }, []);
}
