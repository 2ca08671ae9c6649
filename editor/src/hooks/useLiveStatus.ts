import { useEffect } from 'react';
import { api, liveStatusUrl } from '../api/client.js';
import type { RunEvent } from '../api/types.js';
import { editorStore } from '../store/index.js';

/** Delay before reconnecting a closed WebSocket. */
const RECONNECT_MS = 1000;

/** Tries to read a finished run's stored report at most this often, REPORT_RETRY_MS apart. */
const REPORT_ATTEMPTS = 10;
const REPORT_RETRY_MS = 200;

/** Shows the stored report of a run that just finished, if the canvas still shows that run. */
async function showFinishedRun(runId: string): Promise<void> {
  for (let attempt = 1; attempt <= REPORT_ATTEMPTS; attempt++) {
    const report = await api.readRun(runId);
    if (editorStore.getState().runId !== runId) return;
    // TODO: the service sends run.finished before it stores the run's report, so the report
    // may still say running for a moment; drop the retries once the order is reversed.
    if (report.status !== 'running') {
      editorStore.getState().showRun(report);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, REPORT_RETRY_MS));
  }
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
      }
    };

    const open = () => {
      socket = new WebSocket(liveStatusUrl());
      socket.onmessage = (message) => {
        pending.push(JSON.parse(String(message.data)) as RunEvent);
        // A hidden page gets no animation frames, so it applies each event at once.
        if (document.hidden) applyPending();
        else frame ??= requestAnimationFrame(applyPending);
      };
      socket.onclose = () => {
        if (!closed) timer = setTimeout(open, RECONNECT_MS);
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
