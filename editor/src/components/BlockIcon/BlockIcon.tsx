import { Box, icons } from 'lucide-react';

/** Turns a catalogue icon name such as `file-spreadsheet` into lucide's `FileSpreadsheet`. */
function toIconName(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The icon of a block type; a plain box for a name lucide does not know. */
export function BlockIcon({ name, size = 16 }: { name: string; size?: number }) {
  const Icon = icons[toIconName(name) as keyof typeof icons] ?? Box;
  return <Icon size={size} aria-hidden="true" />;
}
