import {
  FileInput,
  FileOutput,
  FileSpreadsheet,
  Funnel,
  Shuffle,
  Table,
  type LucideIcon,
} from 'lucide-react';

/**
 * Icons of the catalogue's blocks by their lucide name. They are imported one by one because
 * lucide's `icons` object would put all of its several thousand icons into the bundle. A block
 * with an icon missing here shows a plain box, and test/editor/schema-widgets.test.ts fails.
 */
export const blockIcons: Record<string, LucideIcon> = {
  'file-input': FileInput,
  'file-output': FileOutput,
  'file-spreadsheet': FileSpreadsheet,
  filter: Funnel,
  shuffle: Shuffle,
  table: Table,
};
