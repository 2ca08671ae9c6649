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

/**
 * Returns the text of `key` in `language` with `{name}` placeholders filled in. A placeholder
 * `{name|group}` shows the message `group.<value>` when the catalogue has one, so that a value
 * such as a port kind appears in the user's language.
 */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const messages: Record<string, string> = catalogues[language];
  const template = messages[key]!;
  return template.replace(/\{(\w+)(?:\|(\w+))?\}/g, (whole, name: string, group?: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    return (group !== undefined ? messages[`${group}.${value}`] : undefined) ?? value;
  });
}

export type { MessageKey };
