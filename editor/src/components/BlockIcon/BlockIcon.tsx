import { Box } from 'lucide-react';
import { blockIcons } from './block-icons.js';

/** Draws the icon of a block type; a plain box for a name that `blockIcons` lacks. */
export function BlockIcon({ name, size = 16 }: { name: string; size?: number }) {
  const Icon = blockIcons[name] ?? Box;
  return <Icon size={size} aria-hidden="true" />;
}
