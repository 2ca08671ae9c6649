import type { StateCreator } from 'zustand';
import type { CatalogBlock, CredentialKindSchema } from '../api/types.js';
import { detectLanguage, type Language, type MessageKey } from '../i18n/i18n.js';
import type { EditorState } from './index.js';

/** A message shown in the status bar: an i18n key with placeholders, and its tone. */
export type Notice = {
  key: MessageKey;
  params: Record<string, string>;
  tone: 'info' | 'error';
};

export type PanelTab = 'settings' | 'output' | 'runs' | 'flow';

/** Session, catalogue, language and panels. */
export type UiSlice = {
  user?: string;
  language: Language;
  catalog: CatalogBlock[];
  catalogByType: Record<string, CatalogBlock>;
  credentialKinds: CredentialKindSchema[];
  notice?: Notice;
  panelTab: PanelTab;
  setUser(user: string | undefined): void;
  setLanguage(language: Language): void;
  setCatalog(blocks: CatalogBlock[]): void;
  setCredentialKinds(kinds: CredentialKindSchema[]): void;
  showNotice(notice: Notice | undefined): void;
  setPanelTab(tab: PanelTab): void;
};

const LANGUAGE_KEY = 'kuryr.language';

function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(LANGUAGE_KEY);
  if (stored === 'cs' || stored === 'en') return stored;
  return detectLanguage(globalThis.navigator?.languages ?? []);
}

export const createUiSlice: StateCreator<EditorState, [], [], UiSlice> = (set) => ({
  language: initialLanguage(),
  catalog: [],
  catalogByType: {},
  credentialKinds: [],
  panelTab: 'settings',
  setUser: (user) => set({ user }),
  setLanguage(language) {
    globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
    set({ language });
  },
  setCatalog: (blocks) =>
    set({
      catalog: blocks,
      catalogByType: Object.fromEntries(blocks.map((block) => [block.type, block])),
    }),
  setCredentialKinds: (credentialKinds) => set({ credentialKinds }),
  showNotice: (notice) => set({ notice }),
  setPanelTab: (panelTab) => set({ panelTab }),
});
