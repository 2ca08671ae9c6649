import { useEffect, useState } from 'react';
import { api, type RunSummary } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { editorStore, useEditor } from '../../store/index.js';

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The runs of the current flow; opening one shows its per-block state on the canvas. */
export function RunHistory() {
  const t = useT();
  const { flowId, stored, runStatus } = useEditor((state) => ({
    flowId: state.meta.id,
    stored: state.stored,
    runStatus: state.runStatus,
  }));
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!stored) return;
    api.listRuns(flowId).then(
      (response) => setRuns(response.runs),
      (failure: Error) => setError(failure.message),
    );
  }, [flowId, stored, runStatus]);

  if (error !== undefined) return <p className="error">{error}</p>;
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
            <td>{run.trigger ?? ''}</td>
            <td>{new Date(run.startedAt).toLocaleString()}</td>
            <td>{formatDuration(run.durationMs)}</td>
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
