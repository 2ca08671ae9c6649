import { useT } from '../../hooks/useT.js';
import type { Language } from '../../i18n/i18n.js';
import { editorStore, useEditor } from '../../store/index.js';

/** Switches the editor between Czech and English. */
export function LanguageSwitch() {
  const t = useT();
  const language = useEditor((state) => state.language);
  return (
    <select
      className="language"
      aria-label={t('language.label')}
      value={language}
      onChange={(event) => editorStore.getState().setLanguage(event.target.value as Language)}
    >
      <option value="cs">Čeština</option>
      <option value="en">English</option>
    </select>
  );
}
