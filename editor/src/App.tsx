import { ReactFlowProvider } from '@xyflow/react';
import { Suspense, useEffect, useState } from 'react';
import { api } from './api/client.js';
import { Canvas } from './components/Canvas/Canvas.js';
import { LoadBoundary, reloadableLazy } from './components/LoadBoundary/LoadBoundary.js';
import { Login } from './components/Login/Login.js';
import { Palette } from './components/Palette/Palette.js';
import { ParameterPanel } from './components/ParameterPanel/ParameterPanel.js';
import { Toolbar } from './components/Toolbar/Toolbar.js';
import { useFlowActions } from './hooks/useFlowActions.js';
import { useClipboard, useKeyboardShortcuts } from './hooks/useKeyboardShortcuts.js';
import { useLiveStatus } from './hooks/useLiveStatus.js';
import { useUnloadWarning } from './hooks/unsaved-changes.js';
import { useT } from './hooks/useT.js';
import { editorStore, useEditor, type EditorState } from './store/index.js';
import type { PanelTab } from './store/ui-slice.js';

// The output, history and flow tabs load on first use, so the first screen downloads less.
const OutputPanel = reloadableLazy(() =>
  import('./components/OutputPanel/OutputPanel.js').then((module) => module.OutputPanel),
);
const FlowSettings = reloadableLazy(() =>
  import('./components/FlowSettings/FlowSettings.js').then((module) => module.FlowSettings),
);
const RunHistory = reloadableLazy(() =>
  import('./components/RunHistory/RunHistory.js').then((module) => module.RunHistory),
);

const tabs: PanelTab[] = ['settings', 'output', 'runs', 'flow'];

function selectedBlock(state: EditorState) {
  const selected = state.nodes.filter((node) => node.selected);
  return selected.length === 1 ? selected[0] : undefined;
}

function SidePanel() {
  const t = useT();
  const { node, tab } = useEditor((state) => ({ node: selectedBlock(state), tab: state.panelTab }));
  return (
    <aside className="side-panel">
      <nav className="tabs" role="tablist">
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => editorStore.getState().setPanelTab(name)}
          >
            {t(`panel.${name}`)}
          </button>
        ))}
      </nav>
      {/* Keyed by the tab, so that another tab starts without the failure of the last one. */}
      <LoadBoundary key={tab}>
        <Suspense fallback={<p className="muted">{t('panel.loading')}</p>}>
          {tab === 'runs' && <RunHistory />}
          {tab === 'flow' && <FlowSettings />}
          {(tab === 'settings' || tab === 'output') && node === undefined && (
            <p className="muted">{t('panel.noBlock')}</p>
          )}
          {tab === 'settings' && node !== undefined && <ParameterPanel node={node} />}
          {tab === 'output' && node !== undefined && <OutputPanel blockId={node.id} />}
        </Suspense>
      </LoadBoundary>
    </aside>
  );
}

function StatusBar() {
  const t = useT();
  const notice = useEditor((state) => state.notice);
  if (notice === undefined) return <footer className="status-bar" />;
  return (
    <footer className={`status-bar notice-${notice.tone}`} role="status">
      {t(notice.key, notice.params)}
    </footer>
  );
}

function Workspace() {
  const actions = useFlowActions();
  const save = () => void actions.save();
  useKeyboardShortcuts(save);
  useClipboard();
  useLiveStatus(true);
  useUnloadWarning();
  return (
    <div className="workspace">
      <Toolbar />
      <div className="main">
        <Palette />
        <ReactFlowProvider>
          <Canvas />
        </ReactFlowProvider>
        <SidePanel />
      </div>
      <StatusBar />
    </div>
  );
}

/** The editor: the sign-in form until a session exists, then the workspace. */
export function App() {
  const user = useEditor((state) => state.user);
  const language = useEditor((state) => state.language);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    api
      .session()
      .then(
        (session) => editorStore.getState().setUser(session.user),
        () => editorStore.getState().setUser(undefined),
      )
      .finally(() => setChecked(true));
  }, []);

  useEffect(() => {
    if (user === undefined) return;
    api.catalog().then((response) => editorStore.getState().setCatalog(response.nodes));
    api
      .credentialKinds()
      .then((response) => editorStore.getState().setCredentialKinds(response.kinds));
  }, [user]);

  if (!checked) return null;
  return user === undefined ? <Login /> : <Workspace />;
}
