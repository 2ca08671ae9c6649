import { useId } from 'react';
import type { NewCredential } from '../../api/client.js';
import type { CredentialFieldSchema, CredentialKindSchema } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import { catalogues, type MessageKey } from '../../i18n/i18n.js';

/** Returns a new credential of the first kind that `kinds` allows, without values. */
export function blankCredential(kinds: readonly CredentialKindSchema[]): NewCredential {
  return { kind: kinds[0]?.kind ?? '', values: {} };
}

/**
 * Returns the names of the fields that keep a credential from being created: required fields
 * left empty, and a port that is not a whole number in the schema's range.
 */
export function incompleteCredentialFields(
  kinds: readonly CredentialKindSchema[],
  credential: NewCredential,
): string[] {
  const schema = kinds.find((entry) => entry.kind === credential.kind)?.schema;
  if (schema === undefined) return ['kind'];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties)
    .filter(([field, property]) => {
      const text = credential.values[field]?.trim() ?? '';
      if (text === '') return required.has(field);
      if (property.type !== 'integer') return false;
      const number = Number(text);
      return (
        !Number.isInteger(number) ||
        (property.minimum !== undefined && number < property.minimum) ||
        (property.maximum !== undefined && number > property.maximum)
      );
    })
    .map(([field]) => field);
}

/** Returns the values to send: empty fields left out, so the runtime's defaults apply. */
export function credentialValues(credential: NewCredential): Record<string, string> {
  return Object.fromEntries(
    Object.entries(credential.values).filter(([, text]) => text.trim() !== ''),
  );
}

/** Returns the translation of `key` when the catalogue has it, else `fallback`. */
function useOptionalText() {
  const t = useT();
  return (key: string, fallback: string | undefined) =>
    key in catalogues.en ? t(key as MessageKey) : fallback;
}

/** Returns a function that gives a credential field's label in the editor's language. */
export function useCredentialFieldTitle() {
  const optionalText = useOptionalText();
  return (field: string, schemaTitle?: string) =>
    optionalText(`credential.field.${field}`, schemaTitle) ?? field;
}

function CredentialInput({
  id,
  field,
  property,
  value,
  onChange,
}: {
  id: string;
  field: string;
  property: CredentialFieldSchema;
  value: string | undefined;
  onChange(text: string): void;
}) {
  if (property.type === 'boolean') {
    // Unset means the runtime's default, which is true for verifyCertificate.
    return (
      <input
        id={id}
        type="checkbox"
        checked={value !== 'false'}
        onChange={(event) => onChange(event.target.checked ? '' : 'false')}
      />
    );
  }
  if (property.multiline === true) {
    return (
      <textarea
        id={id}
        rows={4}
        spellCheck={false}
        autoComplete="off"
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  let type = 'text';
  if (property.secret === true) type = 'password';
  else if (property.type === 'integer') type = 'number';
  return (
    <input
      id={id}
      name={field}
      type={type}
      autoComplete={property.secret === true ? 'new-password' : 'off'}
      value={value ?? ''}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/**
 * Renders the fields of a new credential, generated from the JSON Schema of its kind. Secret fields are
 * write-only: the runtime never sends them back, so the form starts empty each time it opens.
 * `owner` names the credential in the labels when a form shows several credentials.
 */
export function CredentialForm({
  kinds,
  value,
  onChange,
  owner,
}: {
  kinds: readonly CredentialKindSchema[];
  value: NewCredential;
  onChange(value: NewCredential): void;
  owner?: string;
}) {
  const t = useT();
  const optionalText = useOptionalText();
  const fieldTitle = useCredentialFieldTitle();
  const idPrefix = useId();
  const schema = kinds.find((entry) => entry.kind === value.kind)?.schema;
  const required = new Set(schema?.required ?? []);
  const set = (field: string, text: string) =>
    onChange({ ...value, values: { ...value.values, [field]: text } });

  return (
    <div className="credential-fields" data-credential-kind={value.kind}>
      {kinds.length > 1 && (
        <div className="field">
          <label htmlFor={`${idPrefix}-kind`}>
            {owner === undefined
              ? t('credential.kind')
              : t('template.credentialKind', { name: owner })}
          </label>
          <select
            id={`${idPrefix}-kind`}
            value={value.kind}
            onChange={(event) => onChange({ kind: event.target.value, values: {} })}
          >
            {kinds.map((entry) => (
              <option key={entry.kind} value={entry.kind}>
                {entry.kind}
              </option>
            ))}
          </select>
        </div>
      )}
      {Object.entries(schema?.properties ?? {}).map(([field, property]) => {
        const title = fieldTitle(field, property.title);
        const help = optionalText(`credential.help.${field}`, property.description);
        const id = `${idPrefix}-${field}`;
        return (
          <div
            className={`field ${property.secret === true ? 'field-secret' : ''}`}
            key={field}
            data-credential-field={field}
          >
            <label htmlFor={id}>
              {owner === undefined ? title : t('credential.fieldOf', { field: title, name: owner })}
              {required.has(field) && (
                <span className="required" title={t('param.required')}>
                  {' '}
                  *
                </span>
              )}
            </label>
            <CredentialInput
              id={id}
              field={field}
              property={property}
              value={value.values[field]}
              onChange={(text) => set(field, text)}
            />
            {help !== undefined && <div className="help">{help}</div>}
            {property.secret === true && <div className="help">{t('credential.secretHint')}</div>}
          </div>
        );
      })}
    </div>
  );
}
