import { useEffect } from 'react';
import { api, liveStatusUrl } from '../api/client.js';
import type { RunEvent, RunReport, SnapshotMessage } from '../api/types.js';
import { editorStore } from '../store/index.js';

/** Delay before the first attempt to reconnect a closed WebSocket. */
const RECONNECT_MS = 1000;
/**
 * Maximum delay between attempts. The delay doubles after each failed attempt, so a stopped
 * service does not fill the browser console with two failed requests a second.
 */
const MAX_RECONNECT_MS = 8000;

/**
 * The watched run whose stored report could not be read when it finished, because the service
 * stopped meanwhile. The next snapshot, sent when the WebSocket connects again, reads it.
 */
let unreadReport: string | undefined;

/** Reads a run's stored report, or logs why it could not and returns undefined. */
async function readReport(runId: string): Promise<RunReport | undefined> {
  try {
    return await api.readRun(runId);
  } catch (error) {
    console.warn('run report could not be read', { runId, error: (error as Error).message });
    return undefined;
  }
}

/** Shows the stored report of a run, if the canvas still shows that run. */
async function showStoredRun(runId: string): Promise<void> {
  const report = await readReport(runId);
  if (report === undefined) {
    unreadReport = runId;
    return;
  }
  if (unreadReport === runId) unreadReport = undefined;
  if (editorStore.getState().runId !== runId) return;
  editorStore.getState().showRun(report);
}

/**
 * Shows the stored report of the watched run when a snapshot no longer lists it as running,
 * because the run ended while the WebSocket was closed. The service sends a snapshot on each
 * new connection.
 */
async function refreshEndedRun(snapshot: SnapshotMessage): Promise<void> {
  const { runId, runStatus } = editorStore.getState();
  if (runId === undefined) return;
  if (unreadReport === runId) return showStoredRun(runId);
  if (runStatus !== 'running') return;
  if (snapshot.runs.some((run) => run.runId === runId)) return;
  const report = await readReport(runId);
  // A queued or starting run is not in the snapshot yet and has no finish time, and its events
  // will follow.
  if (report?.finishedAt === undefined || editorStore.getState().runId !== runId) return;
  editorStore.getState().showRun(report);
}

/** Streams run events from the runtime into the store while the user is signed in. */
export function useLiveStatus(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    let delay = RECONNECT_MS;
    // Events wait for the next animation frame and are applied together, so React draws the
    // canvas once per frame however many blocks report progress.
    let pending: RunEvent[] = [];
    let frame: number | undefined;

    const applyPending = () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      frame = undefined;
      const events = pending;
      pending = [];
      editorStore.getState().applyRunEvents(events);
      // A run that started later in the same frame replaces the finished one on the canvas.
      const shownRunId = editorStore.getState().runId;
      for (const event of events) {
        // Progress events carry only the latest item per port; the stored report has the
        // first items of every port, warnings and errors, so the finished run shows those.
        // The service stores a run's report before it sends run.finished.
        if (event.type === 'run.finished' && event.runId === shownRunId) {
          void showStoredRun(event.runId);
        }
        if (event.type === 'snapshot') void refreshEndedRun(event);
      }
    };

    const open = () => {
      socket = new WebSocket(liveStatusUrl());
      socket.onopen = () => {
        delay = RECONNECT_MS;
        editorStore.getState().setLiveLost(false);
        editorStore.getState().setServiceDown(false);
      };
      socket.onmessage = (message) => {
        pending.push(JSON.parse(String(message.data)) as RunEvent);
        // A hidden page gets no animation frames, so it applies each event at once.
        if (document.hidden) applyPending();
        else frame ??= requestAnimationFrame(applyPending);
      };
      socket.onclose = () => {
        if (closed) return;
        editorStore.getState().setLiveLost(true);
        // A lost WebSocket alone still lets the editor save and start runs over HTTP, but a
        // service that does not respond to /health cannot take them.
        api.health().then(
          () => editorStore.getState().setServiceDown(false),
          // A socket that opened meanwhile shows that the service is back.
          () =>
            editorStore.getState().setServiceDown(!closed && socket?.readyState !== WebSocket.OPEN),
        );
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_RECONNECT_MS);
      };
    };
    open();

    return () => {
      closed = true;
      clearTimeout(timer);
      if (frame !== undefined) cancelAnimationFrame(frame);
      socket?.close();
    };
  }, [enabled]);
}
