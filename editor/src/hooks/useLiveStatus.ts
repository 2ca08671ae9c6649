import { useEffect } from 'react';
import { api, liveStatusUrl } from '../api/client.js';
import type { RunEvent, SnapshotMessage } from '../api/types.js';
import { editorStore } from '../store/index.js';

/** Delay before reconnecting a closed WebSocket. */
const RECONNECT_MS = 1000;

/** Shows the stored report of a run that just finished, if the canvas still shows that run. */
async function showFinishedRun(runId: string): Promise<void> {
  // The service stores a run's report before it sends run.finished, so one read suffices.
  const report = await api.readRun(runId);
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
  if (runId === undefined || runStatus !== 'running') return;
  if (snapshot.runs.some((run) => run.runId === runId)) return;
  const report = await api.readRun(runId);
  // A queued or starting run is not in the snapshot yet and has no finish time, and its events
  // will follow.
  if (report.finishedAt === undefined || editorStore.getState().runId !== runId) return;
  editorStore.getState().showRun(report);
}

/** Streams run events from the runtime into the store while the user is signed in. */
export function useLiveStatus(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    // Events wait for the next animation frame and are applied together, so React draws the
    // canvas once per frame however many blocks report progress.
    let pending: RunEvent[] = [];
    let frame: number | undefined;

    const applyPending = () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      frame = undefined;
      const events = pending;
      pending = [];
      for (const event of events) {
        const store = editorStore.getState();
        store.applyRunEvent(event);
        // Progress events carry only the latest item per port; the stored report has the
        // first items of every port, warnings and errors, so the finished run shows those.
        if (event.type === 'run.finished' && event.runId === store.runId) {
          void showFinishedRun(event.runId);
        }
        if (event.type === 'snapshot') void refreshEndedRun(event);
      }
    };

    const open = () => {
      socket = new WebSocket(liveStatusUrl());
      socket.onopen = () => editorStore.getState().setLiveLost(false);
      socket.onmessage = (message) => {
        pending.push(JSON.parse(String(message.data)) as RunEvent);
        // A hidden page gets no animation frames, so it applies each event at once.
        if (document.hidden) applyPending();
        else frame ??= requestAnimationFrame(applyPending);
      };
      socket.onclose = () => {
        if (closed) return;
        editorStore.getState().setLiveLost(true);
        timer = setTimeout(open, RECONNECT_MS);
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
