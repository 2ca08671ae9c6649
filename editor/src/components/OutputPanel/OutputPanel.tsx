import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client.js';
import type { CatalogBlock, ExpressionReport } from '../../api/types.js';
import { outputPorts } from '../../graph/ports.js';
import { useT } from '../../hooks/useT.js';
import { useEditor } from '../../store/index.js';
import { RuntimeMessageView } from '../RuntimeMessage/RuntimeMessage.js';
import { choosePortItems, type RouteSamples } from './port-items.js';
import { currentLanguage, describeRequestError } from '../../i18n/request-errors.js';

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

/** Bytes per line of the hex view. */
const HEX_LINE_BYTES = 16;

/**
 * Lays out bytes given as `ef bb bf 63 …` like `xxd`: offset, hexadecimal pairs and the
 * printable ASCII characters, with `.` for the others.
 */
export function hexDump(hex: string): string {
  const bytes = hex.split(' ').filter((pair) => pair !== '');
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += HEX_LINE_BYTES) {
    const line = bytes.slice(offset, offset + HEX_LINE_BYTES);
    const text = line
      .map((pair) => {
        const code = parseInt(pair, 16);
        return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : '.';
      })
      .join('');
    lines.push(
      `${offset.toString(16).padStart(8, '0')}  ${line.join(' ').padEnd(HEX_LINE_BYTES * 3 - 1)}  ${text}`,
    );
  }
  return lines.join('\n');
}

/**
 * One file a port sent: name and size, the first lines decoded in the file's code page for a
 * text file, and its first bytes in a hex view, open at once for a binary file.
 */
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
            <pre className="file-head">{file.head}</pre>
          </dd>
        </>
      )}
      {file.hex !== undefined && file.hex !== '' && (
        <>
          <dt>{t('output.hex')}</dt>
          <dd>
            <details open={file.head === undefined}>
              <summary>{t('output.hexSummary')}</summary>
              <pre className="file-hex">{hexDump(file.hex)}</pre>
            </details>
          </dd>
        </>
      )}
    </dl>
  );
}

/** Lists how each expression parameter ran, named by its title in the editor's language. */
function Expressions({
  expressions,
  definition,
}: {
  expressions: ExpressionReport[];
  definition: CatalogBlock | undefined;
}) {
  const t = useT();
  if (expressions.length === 0) return null;
  return (
    <section className="output-expressions">
      <h4>{t('output.expressions')}</h4>
      <ul>
        {expressions.map((expression) => (
          <li
            key={expression.parameter}
            data-parameter={expression.parameter}
            data-compiled={expression.isCompiled}
          >
            {definition?.parameters.properties?.[expression.parameter]?.title ?? (
              <code>{expression.parameter}</code>
            )}
            :{' '}
            {expression.isCompiled
              ? t('output.expressionCompiled')
              : t('output.expressionLibrary', { reason: expression.reason ?? '' })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Time between two reads of the samples route while a run goes. */
const RUNNING_SAMPLES_INTERVAL_MS = 1000;

/**
 * Returns the items of one port from the samples route, which keeps more items than the run
 * detail and the live events carry. After a run the route is read once. While a run goes it is
 * read every RUNNING_SAMPLES_INTERVAL_MS, and the live events' items are shown until it returns
 * items of the port.
 */
function usePortItems(blockId: string, port: string | undefined, live: unknown[]) {
  const { runId, running } = useEditor((state) => ({
    runId: state.runId,
    running: state.runStatus === 'running',
  }));
  const [route, setRoute] = useState<{ key: string } & RouteSamples>();
  const key = `${runId}/${blockId}/${port}`;
  useEffect(() => {
    if (runId === undefined || port === undefined) return;
    let current = true;
    const read = () =>
      api.blockSamples(runId, blockId, port).then(
        (response) => current && setRoute({ key, items: response.items }),
        (error: unknown) =>
          current && setRoute({ key, error: describeRequestError(error, currentLanguage()) }),
      );
    void read();
    const timer = running ? setInterval(read, RUNNING_SAMPLES_INTERVAL_MS) : undefined;
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [running, runId, blockId, port, key]);
  const loaded = route?.key === key ? route : undefined;
  // The first read of the route is under way, e.g. on a slow connection.
  const loading = runId !== undefined && loaded === undefined;
  return { ...choosePortItems(running, loaded, live), loading };
}

function PortOutput({ blockId, port, live }: { blockId: string; port: string; live: unknown[] }) {
  const t = useT();
  const { items, error, loading } = usePortItems(blockId, port, live);
  return (
    <section className="output-port" data-port={port}>
      {error !== undefined && (
        <p className="error">{t('output.samplesFailed', { message: error })}</p>
      )}
      {items.length === 0 && loading && (
        <p className="muted output-loading">{t('panel.loading')}</p>
      )}
      {items.length === 0 && !loading && <p className="muted">{t('output.portEmpty')}</p>}
      {items.length > 0 && isFileSample(items[0])
        ? items.map((item, index) => <FileDetails key={index} file={item as FileSample} />)
        : items.length > 0 && <RecordTable items={items} />}
    </section>
  );
}

/**
 * The debug view of the selected block in the shown run: its error and warnings, how its
 * expressions ran, and what one chosen output port sent.
 */
export function OutputPanel({ blockId }: { blockId: string }) {
  const t = useT();
  const run = useEditor((state) => state.blockRuns[blockId]);
  const type = useEditor((state) => state.nodes.find((node) => node.id === blockId)?.data.type);
  const definition = useEditor((state) => state.catalogByType[type ?? '']);
  const ports = useMemo(() => {
    const declared =
      definition === undefined ? [] : outputPorts(definition).map((port) => port.name);
    return [...new Set([...declared, ...Object.keys(run?.samples ?? {})])];
  }, [definition, run?.samples]);
  const labels = useMemo(
    () =>
      new Map(
        (definition === undefined ? [] : outputPorts(definition)).map((port) => [
          port.name,
          port.label,
        ]),
      ),
    [definition],
  );
  const [chosen, setChosen] = useState<string>();
  if (run === undefined) return <p className="muted">{t('output.noRun')}</p>;
  const withSamples = ports.find((port) => (run.samples[port]?.length ?? 0) > 0);
  const port = chosen !== undefined && ports.includes(chosen) ? chosen : (withSamples ?? ports[0]);

  return (
    <div className="output">
      {run.error !== undefined && (
        <section className="output-error">
          <h4>{t('output.error')}</h4>
          <RuntimeMessageView message={run.error} />
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
                <RuntimeMessageView
                  message={{
                    code: warning.code,
                    message: warning.examples[0]?.message ?? warning.code,
                    context: warning.examples[0]?.details,
                  }}
                  count={warning.count}
                />
              </li>
            ))}
          </ul>
        </section>
      )}
      <Expressions expressions={run.expressions} definition={definition} />
      {port !== undefined && (
        <>
          <div className="field output-port-choice">
            <label htmlFor={`output-port-${blockId}`}>{t('output.port')}</label>
            <select
              id={`output-port-${blockId}`}
              value={port}
              onChange={(event) => setChosen(event.target.value)}
            >
              {ports.map((name) => (
                <option key={name} value={name}>
                  {labels.get(name) ?? name}
                </option>
              ))}
            </select>
          </div>
          <PortOutput key={port} blockId={blockId} port={port} live={run.samples[port] ?? []} />
        </>
      )}
    </div>
  );
}
