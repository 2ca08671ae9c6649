import { useEffect } from 'react';
import { liveStatusUrl } from '../api/client.js';
import type { RunEvent } from '../api/types.js';
import { editorStore } from '../store/index.js';

/** Delay before reconnecting a closed WebSocket. */
const RECONNECT_MS = 1000;

/** Streams run events from the runtime into the store while the user is signed in. */
export function useLiveStatus(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const open = () => {
      socket = new WebSocket(liveStatusUrl());
      socket.onmessage = (message) => {
        const event = JSON.parse(String(message.data)) as RunEvent;
        editorStore.getState().applyRunEvent(event);
      };
      socket.onclose = () => {
        if (!closed) timer = setTimeout(open, RECONNECT_MS);
      };
    };
    open();

    return () => {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [enabled]);
}
