import { useMemo, useState, type DragEvent } from 'react';
import type { CatalogBlock } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import { useEditor } from '../../store/index.js';
import { BlockIcon } from '../BlockIcon/BlockIcon.js';
import { BLOCK_DRAG_TYPE } from '../Canvas/Canvas.js';

/** Returns whether a block matches the search text in its title, type, category or help. */
function matches(block: CatalogBlock, search: string): boolean {
  const needle = search.trim().toLocaleLowerCase();
  if (needle === '') return true;
  return [block.title, block.type, block.category, block.help.summary].some((text) =>
    text.toLocaleLowerCase().includes(needle),
  );
}

function PaletteEntry({ block }: { block: CatalogBlock }) {
  const t = useT();
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(BLOCK_DRAG_TYPE, block.type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li className="palette-entry" data-block-type={block.type}>
      <div className="palette-item" draggable onDragStart={onDragStart} title={block.help.summary}>
        <BlockIcon name={block.icon} />
        <span>{block.title}</span>
      </div>
      <details className="palette-help">
        <summary>{t('palette.help')}</summary>
        <p>{block.help.summary}</p>
        {block.inputs.length > 0 && (
          <p>
            {t('palette.inputs')}:{' '}
            {block.inputs.map((port) => `${port.label} (${t(`kind.${port.kind}`)})`).join(', ')}
          </p>
        )}
        <p>
          {t('palette.outputs')}:{' '}
          {block.outputs.map((port) => `${port.label} (${t(`kind.${port.kind}`)})`).join(', ')}
        </p>
      </details>
    </li>
  );
}

/** Every block of the catalogue, grouped by category, with a search box. */
export function Palette() {
  const t = useT();
  const catalog = useEditor((state) => state.catalog);
  const [search, setSearch] = useState('');
  const groups = useMemo(() => {
    const byCategory = new Map<string, CatalogBlock[]>();
    for (const block of catalog.filter((entry) => matches(entry, search))) {
      byCategory.set(block.category, [...(byCategory.get(block.category) ?? []), block]);
    }
    return [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [catalog, search]);

  return (
    <aside className="palette">
      <h2>{t('palette.heading')}</h2>
      <input
        type="search"
        placeholder={t('palette.search')}
        aria-label={t('palette.search')}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {groups.length === 0 && <p>{t('palette.empty')}</p>}
      {groups.map(([category, blocks]) => (
        <section key={category} className="palette-group">
          <h3>{category}</h3>
          <ul>
            {blocks.map((block) => (
              <PaletteEntry key={block.type} block={block} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
