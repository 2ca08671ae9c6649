import { useEffect, useState } from 'react';
import { api, type NewCredential } from '../../api/client.js';
import type { CredentialKindSchema, DataEntry, ParameterSchema } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import type { WidgetKind } from '../../schema/widgets.js';
import { editorStore, useEditor } from '../../store/index.js';
import {
  blankCredential,
  CredentialForm,
  credentialValues,
  incompleteCredentialFields,
  useCredentialFieldTitle,
} from '../CredentialForm/CredentialForm.js';
import { currentLanguage, describeRequestError } from '../../i18n/request-errors.js';

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
          {schema.enumLabels?.[String(option)] ?? String(option)}
        </option>
      ))}
    </select>
  );
}

/** Renders the widget of a plain value: a choice, a flag, a number, a list of texts or a text. */
export function ValueWidget({ widget, props }: { widget: WidgetKind; props: WidgetProps }) {
  switch (widget) {
    case 'choice':
      return <ChoiceWidget {...props} />;
    case 'boolean':
      return <BooleanWidget {...props} />;
    case 'integer':
    case 'number':
      return <NumberWidget {...props} />;
    case 'list':
      return <ListWidget {...props} />;
    default:
      return <TextWidget {...props} />;
  }
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
      (failure: unknown) => setError(describeRequestError(failure, currentLanguage())),
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

/** Wait after the last keystroke before the next run times are requested. */
const CRON_DELAY_MS = 250;

/**
 * Edits a cron expression and shows the next five run times that the runtime computes for it, in
 * `timeZone` (default: the browser's). An expression the runtime rejects is marked invalid.
 */
export function CronWidget({ id, value, onChange, timeZone }: WidgetProps & { timeZone?: string }) {
  const t = useT();
  const language = useEditor((state) => state.language);
  const expression = typeof value === 'string' ? value : '';
  const [times, setTimes] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    setTimes([]);
    setError(undefined);
    if (expression.trim() === '') return;
    let current = true;
    const timer = setTimeout(() => {
      api.cronNext(expression, 5, timeZone).then(
        (response) => current && setTimes(response.times),
        (failure: unknown) => current && setError(describeRequestError(failure, currentLanguage())),
      );
    }, CRON_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [expression, timeZone]);
  const format = (time: string) => {
    try {
      return new Intl.DateTimeFormat(language, {
        timeZone,
        weekday: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(time));
    } catch {
      return new Date(time).toLocaleString(language);
    }
  };
  return (
    <div className="cron-widget">
      <input
        id={id}
        type="text"
        value={expression}
        aria-invalid={error !== undefined}
        className={error === undefined ? undefined : 'invalid'}
        onChange={(e) => onChange(e.target.value)}
      />
      {error !== undefined && (
        <div className="error" role="alert">
          {t('param.cronInvalid', { message: error })}
        </div>
      )}
      {error === undefined && times.length > 0 && (
        <div className="muted cron-next">
          {t('param.cronNext')}:
          <ol>
            {times.map((time) => (
              <li key={time} data-time={time}>
                {format(time)}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

/**
 * Picks a stored credential of the block's kinds, or creates one in place from the fields of
 * its kind. The secret fields go to the runtime once and are never shown again: the runtime
 * does not send them back, and the form is emptied after the credential is created.
 */
export function CredentialWidget({
  id,
  value,
  onChange,
  kinds,
}: WidgetProps & { kinds: readonly CredentialKindSchema[] }) {
  const t = useT();
  const fieldTitle = useCredentialFieldTitle();
  const [stored, setStored] = useState<{ name: string; kind: string }[]>([]);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [draft, setDraft] = useState<NewCredential>(() => blankCredential(kinds));
  const [error, setError] = useState<string>();
  const allowed = new Set(kinds.map((entry) => entry.kind));
  const reload = () =>
    api.listCredentials().then(
      (response) => setStored(response.credentials),
      () => setStored([]),
    );
  useEffect(() => {
    void reload();
  }, []);
  const incomplete = [
    ...(name.trim() === '' ? [t('param.credentialName')] : []),
    ...incompleteCredentialFields(kinds, draft).map((field) => fieldTitle(field)),
  ];
  const close = () => {
    setName('');
    setDraft(blankCredential(kinds));
    setError(undefined);
    setCreating(false);
  };
  const create = async () => {
    try {
      await api.createCredential(name, draft.kind, credentialValues(draft));
    } catch (failure) {
      setError(
        t('credential.failed', { message: describeRequestError(failure, currentLanguage()) }),
      );
      return;
    }
    const created = name;
    close();
    await reload();
    onChange(created);
    editorStore
      .getState()
      .showNotice({ key: 'credential.created', params: { name: created }, tone: 'info' });
  };
  return (
    <div className="credential-widget">
      <select
        id={id}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{t('param.credentialNone')}</option>
        {stored
          .filter((entry) => allowed.size === 0 || allowed.has(entry.kind))
          .map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name} ({entry.kind})
            </option>
          ))}
      </select>
      <button type="button" onClick={() => (creating ? close() : setCreating(true))}>
        {t('param.credentialNew')}
      </button>
      {creating && (
        <fieldset className="credential-new">
          <div className="field">
            <label htmlFor={`${id}-new-name`}>{t('param.credentialName')}</label>
            <input id={`${id}-new-name`} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <CredentialForm kinds={kinds} value={draft} onChange={setDraft} />
          {incomplete.length > 0 && (
            <div className="muted">
              {t('credential.incomplete', { fields: incomplete.join(', ') })}
            </div>
          )}
          {error !== undefined && (
            <div className="error" role="alert">
              {error}
            </div>
          )}
          <button type="button" disabled={incomplete.length > 0} onClick={() => void create()}>
            {t('param.credentialCreate')}
          </button>
        </fieldset>
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
