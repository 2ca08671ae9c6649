import { messagesCs } from './messages-cs.js';
import { messagesEn, type MessageKey } from './messages-en.js';

export type Language = 'cs' | 'en';

export const catalogues: Record<Language, Record<MessageKey, string>> = {
  en: messagesEn,
  cs: messagesCs,
};

/** Picks Czech or English from the browser's preferred languages; English otherwise. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'cs' || primary === 'sk') return 'cs';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/** Returns the text of `key` in `language` with `{name}` placeholders filled in. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = catalogues[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type { MessageKey };
