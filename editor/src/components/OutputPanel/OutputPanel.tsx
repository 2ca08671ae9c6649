import { useMemo } from 'react';
import { useT } from '../../hooks/useT.js';
import { useEditor } from '../../store/index.js';

/** Records shown in the output table at most. */
const MAX_ROWS = 100;

type FileSample = { name: string; size?: number; mediaType?: string; head?: string; hex?: string };

function isFileSample(item: unknown): item is FileSample {
  return (
    typeof item === 'object' &&
    item !== null &&
    'name' in item &&
    ('size' in item || 'mediaType' in item)
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function RecordTable({ items }: { items: unknown[] }) {
  const t = useT();
  const rows = items.slice(0, MAX_ROWS) as Record<string, unknown>[];
  const columns = useMemo(
    () => [...new Set(rows.flatMap((row) => Object.keys(row ?? {})))],
    [rows],
  );
  return (
    <div className="output-table-wrap">
      <div className="muted">{t('output.recordsShown', { shown: rows.length })}</div>
      <table className="output-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>{cell(row[column])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FileDetails({ file }: { file: FileSample }) {
  const t = useT();
  return (
    <dl className="file-details">
      <dt>{t('output.fileName')}</dt>
      <dd>{file.name}</dd>
      {file.size !== undefined && (
        <>
          <dt>{t('output.fileSize')}</dt>
          <dd>{file.size} B</dd>
        </>
      )}
      {file.head !== undefined && (
        <>
          <dt>{t('output.firstLines')}</dt>
          <dd>
            <pre>{file.head}</pre>
          </dd>
        </>
      )}
      {file.hex !== undefined && (
        <>
          <dt>{t('output.hex')}</dt>
          <dd>
            <pre>{file.hex}</pre>
          </dd>
        </>
      )}
    </dl>
  );
}

/** The selected block's latest output, warnings and error in the shown run. */
export function OutputPanel({ blockId }: { blockId: string }) {
  const t = useT();
  const run = useEditor((state) => state.blockRuns[blockId]);
  if (run === undefined) return <p className="muted">{t('output.noRun')}</p>;

  return (
    <div className="output">
      {run.error !== undefined && (
        <section className="output-error">
          <h4>{t('output.error')}</h4>
          <p>{run.error.message}</p>
          {run.error.hint !== undefined && (
            <p>
              {t('output.hint')}: {run.error.hint}
            </p>
          )}
          {run.error.item !== undefined && (
            <>
              <h5>{t('output.errorItem')}</h5>
              <pre>{JSON.stringify(run.error.item, null, 2)}</pre>
            </>
          )}
        </section>
      )}
      {run.warnings.length > 0 && (
        <section>
          <h4>{t('output.warnings')}</h4>
          <ul>
            {run.warnings.map((warning) => (
              <li key={warning.code}>
                {warning.code} ×{warning.count}: {warning.examples[0]?.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {Object.entries(run.samples).map(([port, items]) => (
        <section key={port} className="output-port" data-port={port}>
          <h4>
            {t('output.port')}: {port}
          </h4>
          {items.length > 0 && isFileSample(items[0]) ? (
            items.map((item, index) => <FileDetails key={index} file={item as FileSample} />)
          ) : (
            <RecordTable items={items} />
          )}
        </section>
      ))}
    </div>
  );
}
