import { useEffect } from 'react';
import { editorStore } from '../store/index.js';

/** Returns whether the key event comes from a text field, where the browser's own keys apply. */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (target === null) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Binds the canvas keys: Delete, Ctrl+C/V/X/Z/Y/A; Ctrl+S calls `onSave` everywhere, also
 * inside a text field.
 */
export function useKeyboardShortcuts(onSave: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const control = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (control && key === 's') {
        event.preventDefault();
        onSave();
        return;
      }
      if (isTyping(event)) return;
      const store = editorStore.getState();
      if (!control && (key === 'delete' || key === 'backspace')) {
        store.deleteSelected();
      } else if (control && key === 'z' && !event.shiftKey) {
        store.undo();
      } else if (control && (key === 'y' || (key === 'z' && event.shiftKey))) {
        store.redo();
      } else if (control && key === 'a') {
        store.selectAll();
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onSave]);
}

/** Binds copy, cut and paste to the clipboard events, so the system clipboard carries JSON. */
export function useClipboard(): void {
  useEffect(() => {
    const onCopy = (event: ClipboardEvent) => {
      if (isTyping(event as unknown as KeyboardEvent)) return;
      const store = editorStore.getState();
      if (!store.nodes.some((node) => node.selected)) return;
      const text = event.type === 'cut' ? store.cutSelection() : store.copySelection();
      event.clipboardData?.setData('text/plain', text);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event as unknown as KeyboardEvent)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (editorStore.getState().paste(text)) event.preventDefault();
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
