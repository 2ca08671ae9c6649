import { useEffect, useState } from 'react';
import { api, type RunSummary } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { editorStore, useEditor } from '../../store/index.js';
import { currentLanguage, describeRequestError } from '../../i18n/request-errors.js';

function formatDuration(ms: number | undefined, locale: string): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return `${seconds.format(ms / 1000)} s`;
}

/** The runs of the current flow; opening one shows its per-block state on the canvas. */
export function RunHistory() {
  const t = useT();
  const { flowId, stored, runStatus, language, liveLost } = useEditor((state) => ({
    flowId: state.meta.id,
    stored: state.stored,
    runStatus: state.runStatus,
    language: state.language,
    liveLost: state.liveLost,
  }));
  // The runs of the flow that the last read returned; another flow's runs are not shown.
  const [loaded, setLoaded] = useState<{ flowId: string; runs: RunSummary[] }>();
  const [error, setError] = useState<string>();

  // Read again when the live connection comes back, because runs may have ended meanwhile.
  useEffect(() => {
    if (!stored || liveLost) return;
    // A response that comes after a newer read started is dropped, so it cannot replace newer runs.
    let current = true;
    // A failed read (e.g. while the service restarts) is shown until a later read succeeds.
    api.listRuns(flowId).then(
      (response) => {
        if (!current) return;
        setLoaded({ flowId, runs: response.runs });
        setError(undefined);
      },
      (failure: unknown) => current && setError(describeRequestError(failure, currentLanguage())),
    );
    return () => {
      current = false;
    };
  }, [flowId, stored, runStatus, liveLost]);

  // Dates follow the interface's language, not the browser's.
  const locale = language === 'cs' ? 'cs-CZ' : 'en-GB';
  const startTime = new Intl.DateTimeFormat(locale, {
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  const triggerName = (trigger: string | undefined) => {
    if (trigger === 'manual' || trigger === 'schedule' || trigger === 'folder') {
      return t(`flow.trigger.${trigger}`);
    }
    return trigger ?? '';
  };

  if (error !== undefined) return <p className="error">{error}</p>;
  if (stored && loaded?.flowId !== flowId) {
    return <p className="muted runs-loading">{t('panel.loading')}</p>;
  }
  const runs = loaded?.flowId === flowId ? loaded.runs : [];
  if (runs.length === 0) return <p className="muted">{t('runs.empty')}</p>;
  return (
    <table className="runs">
      <thead>
        <tr>
          <th>{t('runs.status')}</th>
          <th>{t('runs.trigger')}</th>
          <th>{t('runs.started')}</th>
          <th>{t('runs.duration')}</th>
          <th>{t('runs.counts')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>{t(`run.status.${run.status}`)}</td>
            <td>{triggerName(run.trigger)}</td>
            <td>{startTime.format(new Date(run.startedAt))}</td>
            <td>{formatDuration(run.durationMs, locale)}</td>
            <td>{run.recordsOut}</td>
            <td>
              <button
                type="button"
                onClick={() =>
                  api.readRun(run.id).then((report) => editorStore.getState().showRun(report))
                }
              >
                {t('runs.open')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
