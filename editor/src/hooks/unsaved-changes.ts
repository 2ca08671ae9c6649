import { useEffect } from 'react';
import { translate } from '../i18n/i18n.js';
import { editorStore } from '../store/index.js';

/**
 * Asks the user whether to discard the canvas's unsaved changes. Returns true when there are
 * none or the user agrees.
 */
export function confirmDiscard(): boolean {
  const { dirty, language } = editorStore.getState();
  return !dirty || window.confirm(translate(language, 'flow.discardChanges'));
}

/** Makes the browser ask before a reload or a closed tab drops unsaved changes. */
export function useUnloadWarning(): void {
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (editorStore.getState().dirty) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);
}
