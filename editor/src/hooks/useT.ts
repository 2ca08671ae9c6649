import { useCallback } from 'react';
import { translate, type MessageKey } from '../i18n/i18n.js';
import { useEditor } from '../store/index.js';

/** Returns the translation function for the current language. */
export function useT() {
  const language = useEditor((state) => state.language);
  return useCallback(
    (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params),
    [language],
  );
}
