import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { DataEntry, ParameterSchema } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';

/** Props every widget receives: the field's schema, its value and the change callback. */
export type WidgetProps = {
  id: string;
  schema: ParameterSchema;
  value: unknown;
  onChange(value: unknown): void;
};

export function TextWidget({ id, value, onChange }: WidgetProps) {
  return (
    <input
      id={id}
      type="text"
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function NumberWidget({ id, schema, value, onChange }: WidgetProps) {
  const integer = schema.type === 'integer';
  return (
    <input
      id={id}
      type="number"
      step={integer ? 1 : 'any'}
      min={schema.minimum}
      max={schema.maximum}
      value={typeof value === 'number' ? value : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
    />
  );
}

export function BooleanWidget({ id, value, onChange }: WidgetProps) {
  return (
    <input
      id={id}
      type="checkbox"
      checked={value === true}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

export function ChoiceWidget({ id, schema, value, onChange }: WidgetProps) {
  return (
    <select
      id={id}
      value={value === undefined ? '' : String(value)}
      onChange={(e) => onChange(e.target.value)}
    >
      {value === undefined && <option value="" />}
      {(schema.enum ?? []).map((option) => (
        <option key={String(option)} value={String(option)}>
          {String(option)}
        </option>
      ))}
    </select>
  );
}

/** Code pages the runtime reads and writes; used when the schema lists none. */
const KNOWN_CODE_PAGES = ['auto', '852', '1250', 'kamenicky', '437', '850', '1252', 'utf-8'];

export function CodePageWidget(props: WidgetProps) {
  if (props.schema.enum !== undefined) return <ChoiceWidget {...props} />;
  return <ChoiceWidget {...props} schema={{ ...props.schema, enum: KNOWN_CODE_PAGES }} />;
}

export function ListWidget({ id, value, onChange }: WidgetProps) {
  const t = useT();
  const items = Array.isArray(value) ? value.map(String) : [];
  return (
    <textarea
      id={id}
      rows={Math.max(3, items.length)}
      placeholder={t('param.listPlaceholder')}
      value={items.join('\n')}
      onChange={(e) => {
        const lines = e.target.value.split('\n');
        onChange(lines.length === 1 && lines[0] === '' ? undefined : lines);
      }}
      onBlur={() =>
        onChange(items.length === 0 ? undefined : items.filter((item) => item.trim() !== ''))
      }
    />
  );
}

/** A path inside the data folder, typed or picked from a listing of the folder. */
export function PathWidget({ id, value, onChange, folders }: WidgetProps & { folders: boolean }) {
  const t = useT();
  const [browsing, setBrowsing] = useState<string>();
  const [entries, setEntries] = useState<DataEntry[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (browsing === undefined) return;
    api.listData(browsing).then(
      (response) => {
        setEntries(response.entries);
        setError(undefined);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [browsing]);

  const parent = (path: string) => path.split('/').slice(0, -1).join('/');
  return (
    <div className="path-widget">
      <input
        id={id}
        type="text"
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="button" onClick={() => setBrowsing(browsing === undefined ? '' : undefined)}>
        {t('param.chooseFile')}
      </button>
      {browsing !== undefined && (
        <ul className="path-list">
          {browsing !== '' && (
            <li>
              <button type="button" onClick={() => setBrowsing(parent(browsing))}>
                {t('param.upFolder')}
              </button>
            </li>
          )}
          {error !== undefined && <li className="error">{error}</li>}
          {error === undefined && entries.length === 0 && (
            <li className="muted">{t('param.noEntries')}</li>
          )}
          {entries.map((entry) => {
            const path = browsing === '' ? entry.name : `${browsing}/${entry.name}`;
            return (
              <li key={path}>
                <button
                  type="button"
                  className={`path-entry path-${entry.kind}`}
                  onClick={() => {
                    if (entry.kind === 'folder' && !folders) setBrowsing(path);
                    else {
                      onChange(folders ? `${path}/` : path);
                      setBrowsing(undefined);
                    }
                  }}
                  onDoubleClick={() => entry.kind === 'folder' && setBrowsing(path)}
                >
                  {entry.kind === 'folder' ? '📁' : '📄'} {entry.name}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

export function CronWidget({ id, value, onChange }: WidgetProps) {
  const t = useT();
  const expression = typeof value === 'string' ? value : '';
  const [times, setTimes] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (expression.trim() === '') return;
    api.cronNext(expression, 5).then(
      (response) => {
        setTimes(response.times);
        setError(undefined);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [expression]);
  return (
    <div>
      <input id={id} type="text" value={expression} onChange={(e) => onChange(e.target.value)} />
      {error !== undefined && <div className="error">{error}</div>}
      {error === undefined && times.length > 0 && (
        <div className="muted">
          {t('param.cronNext')}:
          <ol>
            {times.map((time) => (
              <li key={time}>{new Date(time).toLocaleString()}</li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

export function CredentialWidget({ id, schema, value, onChange }: WidgetProps) {
  const t = useT();
  const [names, setNames] = useState<{ name: string; kind: string }[]>([]);
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState({ name: '', secret: '' });
  const kind = schema.credentialKind ?? '';
  const reload = () =>
    api.listCredentials().then(
      (response) => setNames(response.credentials),
      () => setNames([]),
    );
  useEffect(() => {
    void reload();
  }, []);
  const create = async () => {
    await api.createCredential(draft.name, kind, { password: draft.secret });
    setDraft({ name: '', secret: '' });
    setCreating(false);
    await reload();
    onChange(draft.name);
  };
  return (
    <div>
      <select
        id={id}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{t('param.credentialNone')}</option>
        {names
          .filter((entry) => kind === '' || entry.kind === kind)
          .map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name}
            </option>
          ))}
      </select>
      <button type="button" onClick={() => setCreating(!creating)}>
        {t('param.credentialNew')}
      </button>
      {creating && (
        <div className="credential-new">
          <input
            aria-label={t('param.credentialName')}
            placeholder={t('param.credentialName')}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
          <input
            type="password"
            autoComplete="new-password"
            aria-label={t('param.credentialSecret')}
            placeholder={t('param.credentialSecret')}
            value={draft.secret}
            onChange={(e) => setDraft({ ...draft, secret: e.target.value })}
          />
          <button type="button" onClick={() => void create()}>
            {t('param.credentialCreate')}
          </button>
        </div>
      )}
    </div>
  );
}

export function VariableWidget({
  id,
  value,
  onChange,
  variables,
}: WidgetProps & { variables: string[] }) {
  const t = useT();
  return (
    <select
      id={id}
      title={t('param.variableHint')}
      value={typeof value === 'string' ? value : ''}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="" />
      {variables.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}
