import type { StateCreator } from 'zustand';
import type { CatalogBlock, CredentialKindSchema } from '../api/types.js';
import { localizeCatalog } from '../i18n/catalogue-texts.js';
import { detectLanguage, type Language, type MessageKey } from '../i18n/i18n.js';
import type { EditorState } from './index.js';

/** A message shown in the status bar: an i18n key with placeholders, and its tone. */
export type Notice = {
  key: MessageKey;
  params: Record<string, string>;
  tone: 'info' | 'error';
};

export type PanelTab = 'settings' | 'output' | 'runs' | 'flow';

/** A toolbar request that waits for the service: saving the flow or starting a run. */
export type PendingAction = 'save' | 'run';

/** Session, catalogue, language and panels. */
export type UiSlice = {
  user?: string;
  language: Language;
  /** The catalogue as the runtime sent it, in English. */
  sourceCatalog: CatalogBlock[];
  /** The catalogue with its texts in the current language. */
  catalog: CatalogBlock[];
  catalogByType: Record<string, CatalogBlock>;
  credentialKinds: CredentialKindSchema[];
  notice?: Notice;
  panelTab: PanelTab;
  /** Whether the live WebSocket closed and the editor is reconnecting. */
  liveLost: boolean;
  /** Whether the service itself does not respond either, not just the WebSocket. */
  serviceDown: boolean;
  /** The toolbar request now waiting for the service; its buttons stay disabled meanwhile. */
  pendingAction?: PendingAction;
  setUser(user: string | undefined): void;
  setLanguage(language: Language): void;
  setCatalog(blocks: CatalogBlock[]): void;
  setCredentialKinds(kinds: CredentialKindSchema[]): void;
  showNotice(notice: Notice | undefined): void;
  setPanelTab(tab: PanelTab): void;
  setLiveLost(lost: boolean): void;
  setServiceDown(down: boolean): void;
  setPendingAction(action: PendingAction | undefined): void;
};

const LANGUAGE_KEY = 'kuryr.language';

function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(LANGUAGE_KEY);
  if (stored === 'cs' || stored === 'en') return stored;
  return detectLanguage(globalThis.navigator?.languages ?? []);
}

function catalogState(blocks: CatalogBlock[], language: Language) {
  const catalog = localizeCatalog(blocks, language);
  return {
    sourceCatalog: blocks,
    catalog,
    catalogByType: Object.fromEntries(catalog.map((block) => [block.type, block])),
  };
}

export const createUiSlice: StateCreator<EditorState, [], [], UiSlice> = (set, get) => ({
  language: initialLanguage(),
  sourceCatalog: [],
  catalog: [],
  catalogByType: {},
  credentialKinds: [],
  panelTab: 'settings',
  liveLost: false,
  serviceDown: false,
  setUser: (user) => set({ user }),
  setLanguage(language) {
    globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
    set({ language, ...catalogState(get().sourceCatalog, language) });
  },
  setCatalog: (blocks) => set(catalogState(blocks, get().language)),
  setCredentialKinds: (credentialKinds) => set({ credentialKinds }),
  showNotice: (notice) => set({ notice }),
  setPanelTab: (panelTab) => set({ panelTab }),
  setLiveLost: (liveLost) => set({ liveLost }),
  setServiceDown: (serviceDown) => set({ serviceDown }),
  setPendingAction: (pendingAction) => set({ pendingAction }),
});
