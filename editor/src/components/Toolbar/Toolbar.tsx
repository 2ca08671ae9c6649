import { Suspense, useEffect, useRef, useState } from 'react';
import { api, isFlowTemplate, type FlowTemplate } from '../../api/client.js';
import { useFlowActions } from '../../hooks/useFlowActions.js';
import { confirmDiscard } from '../../hooks/unsaved-changes.js';
import { useT } from '../../hooks/useT.js';
import type { MessageKey } from '../../i18n/i18n.js';
import { currentFlowLabels } from '../../i18n/request-errors.js';
import { runtimeMessageLine } from '../../i18n/runtime-texts.js';
import { editorStore, useEditor } from '../../store/index.js';
import type { PendingAction } from '../../store/ui-slice.js';
import { LoadBoundary, reloadableLazy } from '../LoadBoundary/LoadBoundary.js';
import { RunDialog } from '../RunDialog/RunDialog.js';
import { LanguageSwitch } from './LanguageSwitch.js';

// The template dialogs load when they open.
const TemplateExport = reloadableLazy(() =>
  import('../TemplateExport/TemplateExport.js').then((module) => module.TemplateExport),
);
const TemplateImport = reloadableLazy(() =>
  import('../TemplateImport/TemplateImport.js').then((module) => module.TemplateImport),
);

/** Returns the message next to Save: a request under way, unsaved changes or saved. */
function saveStateKey(
  pending: PendingAction | undefined,
  dirty: boolean,
  stored: boolean,
): MessageKey | undefined {
  if (pending === 'save') return 'toolbar.saving';
  if (pending === 'run') return 'toolbar.starting';
  if (dirty) return 'toolbar.unsaved';
  return stored ? 'toolbar.saved' : undefined;
}

/** Flow picker, save, run, cancel, undo, redo, templates, language and sign-out. */
export function Toolbar() {
  const t = useT();
  const actions = useFlowActions();
  // The error that failed the run, e.g. a time limit, which no block shows.
  const runError = useEditor((state) => state.runError);
  const language = useEditor((state) => state.language);
  const { meta, dirty, stored, canUndo, canRedo, runStatus, liveLost, serviceDown, pending } =
    useEditor((state) => ({
      meta: state.meta,
      dirty: state.dirty,
      stored: state.stored,
      canUndo: state.past.length > 0,
      canRedo: state.future.length > 0,
      runStatus: state.runStatus,
      liveLost: state.liveLost,
      serviceDown: state.serviceDown,
      pending: state.pendingAction,
    }));
  const [flows, setFlows] = useState<{ id: string; name: string }[]>([]);
  const [asking, setAsking] = useState(false);
  const [template, setTemplate] = useState<FlowTemplate>();
  const [exporting, setExporting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api.listFlows().then(
      (response) => setFlows(response.flows),
      () => setFlows([]),
    );
  }, [stored, meta.id]);

  const openTemplate = async (file: File) => {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      json = undefined;
    }
    if (isFlowTemplate(json)) setTemplate(json);
    else {
      editorStore
        .getState()
        .showNotice({ key: 'template.notTemplate', params: { file: file.name }, tone: 'error' });
    }
  };

  const saveState = saveStateKey(pending, dirty, stored);

  const startRun = () => {
    if (Object.keys(meta.variables).length > 0) setAsking(true);
    else void actions.run({});
  };

  return (
    <header className="toolbar">
      <strong className="brand">{t('app.title')}</strong>
      <select
        aria-label={t('toolbar.flow')}
        value={stored ? meta.id : ''}
        onChange={(event) => {
          const id = event.target.value;
          if (id === '') actions.newFlow('');
          else void actions.openFlow(id);
        }}
      >
        <option value="">{t('toolbar.newFlow')}</option>
        {flows.map((flow) => (
          <option key={flow.id} value={flow.id}>
            {flow.name}
          </option>
        ))}
      </select>
      <input
        aria-label={t('toolbar.flowName')}
        placeholder={t('toolbar.flowName')}
        value={meta.name}
        onChange={(event) => editorStore.getState().setFlowName(event.target.value)}
      />
      <button type="button" onClick={() => void actions.save()} disabled={pending !== undefined}>
        {t('toolbar.save')}
      </button>
      <span className="muted">{saveState === undefined ? '' : t(saveState)}</span>
      <button type="button" onClick={() => editorStore.getState().undo()} disabled={!canUndo}>
        {t('toolbar.undo')}
      </button>
      <button type="button" onClick={() => editorStore.getState().redo()} disabled={!canRedo}>
        {t('toolbar.redo')}
      </button>
      <button
        type="button"
        className="primary"
        onClick={startRun}
        disabled={runStatus === 'running' || pending !== undefined || serviceDown}
        title={serviceDown ? t('toolbar.offline') : undefined}
      >
        {t('toolbar.run')}
      </button>
      <button
        type="button"
        onClick={() => void actions.cancel()}
        disabled={runStatus !== 'running' || serviceDown}
        title={serviceDown ? t('toolbar.offline') : undefined}
      >
        {t('toolbar.cancel')}
      </button>
      {runStatus !== undefined && (
        <span
          className={`run-status run-${runStatus}`}
          data-run-status={runStatus}
          title={
            runError === undefined
              ? undefined
              : runtimeMessageLine(language, runError, currentFlowLabels())
          }
        >
          {t(`run.status.${runStatus}`)}
        </span>
      )}
      {liveLost && (
        <span className="live-lost">{t(serviceDown ? 'live.serviceDown' : 'live.lost')}</span>
      )}
      <button type="button" onClick={() => setExporting(true)} disabled={!stored}>
        {t('toolbar.export')}
      </button>
      <button type="button" onClick={() => fileInput.current?.click()}>
        {t('toolbar.import')}
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="template-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          // Asked before the import dialog, so no values are typed into a dialog the user
          // then abandons to keep the canvas.
          if (file !== undefined && confirmDiscard()) void openTemplate(file);
        }}
      />
      <span className="spacer" />
      <LanguageSwitch />
      <button
        type="button"
        onClick={() => void api.logout().finally(() => editorStore.getState().setUser(undefined))}
      >
        {t('toolbar.logout')}
      </button>
      {asking && (
        <RunDialog
          onClose={() => setAsking(false)}
          onStart={(values) => {
            setAsking(false);
            void actions.run(values);
          }}
        />
      )}
      <LoadBoundary>
        <Suspense fallback={null}>
          {template !== undefined && (
            <TemplateImport
              template={template}
              onClose={() => setTemplate(undefined)}
              onImport={(name, values, credentials) => {
                setTemplate(undefined);
                void actions.importTemplate(template, name, values, credentials);
              }}
            />
          )}
          {exporting && (
            <TemplateExport
              onClose={() => setExporting(false)}
              onExport={(parameters) => {
                setExporting(false);
                void actions.exportTemplate(parameters);
              }}
            />
          )}
        </Suspense>
      </LoadBoundary>
    </header>
  );
}
