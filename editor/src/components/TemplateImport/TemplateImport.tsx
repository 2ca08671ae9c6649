import { useEffect, useState } from 'react';
import { api, type FlowTemplate, type NewCredential } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { invalidBlockNames } from '../../hooks/useFlowActions.js';
import { Dialog } from '../Dialog/Dialog.js';
import { useVariableValues, VariableFields } from '../VariableFields/VariableFields.js';

/** Credential kinds the runtime's vault stores. */
const CREDENTIAL_KINDS = ['ftp', 'sftp', 'smtp', 'imap', 'pgp-key', 'http-auth'];

type Props = {
  template: FlowTemplate;
  onImport(
    name: string,
    values: Record<string, string>,
    credentials: Record<string, NewCredential>,
  ): void;
  onClose(): void;
};

/** Lists the template's credentials that do not exist on this runtime yet. */
function useMissingCredentials(names: string[]): string[] | undefined {
  const [missing, setMissing] = useState<string[]>();
  useEffect(() => {
    api.listCredentials().then(
      ({ credentials }) =>
        setMissing(names.filter((name) => !credentials.some((entry) => entry.name === name))),
      () => setMissing(names),
    );
  }, [names]);
  return missing;
}

function CredentialFields({
  name,
  value,
  onChange,
}: {
  name: string;
  value: NewCredential;
  onChange(value: NewCredential): void;
}) {
  const t = useT();
  const set = (field: string, text: string) =>
    onChange({ ...value, values: { ...value.values, [field]: text } });
  // TODO: every kind gets a user name and a secret. No block declares the values of its
  // credential kind yet; take the fields from the catalogue once blocks do.
  return (
    <fieldset className="credential-new" data-credential={name}>
      <legend>{name}</legend>
      <select
        aria-label={t('template.credentialKind', { name })}
        value={value.kind}
        onChange={(event) => onChange({ ...value, kind: event.target.value })}
      >
        {CREDENTIAL_KINDS.map((kind) => (
          <option key={kind}>{kind}</option>
        ))}
      </select>
      <input
        aria-label={t('template.credentialUser', { name })}
        placeholder={t('template.credentialUser', { name })}
        value={value.values.user ?? ''}
        onChange={(event) => set('user', event.target.value)}
      />
      <input
        type="password"
        autoComplete="new-password"
        aria-label={t('param.credentialSecret')}
        placeholder={t('param.credentialSecret')}
        value={value.values.password ?? ''}
        onChange={(event) => set('password', event.target.value)}
      />
    </fieldset>
  );
}

/**
 * Asks for the new flow's name, a value for each of the template's variables and the secrets of
 * credentials this runtime lacks. The import stays disabled while the flow's blocks are invalid
 * or a variable without default is empty. The runtime checks the flow again before it saves it.
 */
export function TemplateImport({ template, onImport, onClose }: Props) {
  const t = useT();
  const { flow } = template;
  const [name, setName] = useState(flow.name);
  const [values, setValues] = useVariableValues(flow.variables);
  const missing = useMissingCredentials(flow.credentials);
  const [credentials, setCredentials] = useState<Record<string, NewCredential>>({});
  const invalidBlocks = invalidBlockNames(flow);
  const emptyVariables = Object.entries(flow.variables)
    .filter(([variable, declared]) => declared.default === undefined && !values[variable])
    .map(([variable]) => variable);
  const credentialOf = (credential: string) =>
    credentials[credential] ?? { kind: CREDENTIAL_KINDS[0]!, values: {} };
  const blocked =
    name.trim() === '' || invalidBlocks.length > 0 || emptyVariables.length > 0 || !missing;

  return (
    <Dialog
      heading={t('template.importHeading')}
      submitLabel={t('template.import')}
      submitDisabled={blocked}
      onSubmit={() =>
        onImport(
          name,
          values,
          Object.fromEntries((missing ?? []).map((entry) => [entry, credentialOf(entry)])),
        )
      }
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor="template-name">{t('template.newName')}</label>
        <input id="template-name" value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      <h3>{t('template.variables')}</h3>
      <VariableFields
        variables={flow.variables}
        values={values}
        onChange={setValues}
        idPrefix="template-var"
      />
      {(missing ?? []).length > 0 && <h3>{t('template.credentials')}</h3>}
      {(missing ?? []).map((credential) => (
        <CredentialFields
          key={credential}
          name={credential}
          value={credentialOf(credential)}
          onChange={(value) => setCredentials({ ...credentials, [credential]: value })}
        />
      ))}
      <div className="template-problems">
        {invalidBlocks.length > 0 && (
          <p className="error">{t('save.invalid', { blocks: invalidBlocks.join(', ') })}</p>
        )}
        {emptyVariables.length > 0 && (
          <p className="muted">{t('template.needsValues', { names: emptyVariables.join(', ') })}</p>
        )}
      </div>
    </Dialog>
  );
}
