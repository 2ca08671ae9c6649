import { useEffect, useState } from 'react';
import { api, type FlowTemplate, type NewCredential } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { useEditor } from '../../store/index.js';
import {
  blankCredential,
  CredentialForm,
  credentialValues,
  incompleteCredentialFields,
  useCredentialFieldTitle,
} from '../CredentialForm/CredentialForm.js';
import { invalidBlockNames } from '../../hooks/useFlowActions.js';
import { Dialog } from '../Dialog/Dialog.js';
import { useVariableValues, VariableFields } from '../VariableFields/VariableFields.js';

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

/**
 * Asks for the new flow's name, a value for each of the template's variables and the fields of
 * each credential this runtime lacks, as the credential's kind declares them. The import stays
 * disabled while the flow's blocks are invalid, a variable without default is empty or a
 * credential lacks a required field. The runtime checks the flow again before it saves it.
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
  const kinds = useEditor((state) => state.credentialKinds);
  const fieldTitle = useCredentialFieldTitle();
  const credentialOf = (credential: string) => credentials[credential] ?? blankCredential(kinds);
  const incompleteCredentials = (missing ?? []).filter(
    (credential) => incompleteCredentialFields(kinds, credentialOf(credential)).length > 0,
  );
  const blocked =
    name.trim() === '' ||
    invalidBlocks.length > 0 ||
    emptyVariables.length > 0 ||
    !missing ||
    incompleteCredentials.length > 0;

  return (
    <Dialog
      heading={t('template.importHeading')}
      submitLabel={t('template.import')}
      submitDisabled={blocked}
      onSubmit={() =>
        onImport(
          name,
          values,
          Object.fromEntries(
            (missing ?? []).map((entry) => {
              const credential = credentialOf(entry);
              return [entry, { kind: credential.kind, values: credentialValues(credential) }];
            }),
          ),
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
        <fieldset className="credential-new" data-credential={credential} key={credential}>
          <legend>{credential}</legend>
          <CredentialForm
            kinds={kinds}
            owner={credential}
            value={credentialOf(credential)}
            onChange={(value) => setCredentials({ ...credentials, [credential]: value })}
          />
        </fieldset>
      ))}
      <div className="template-problems">
        {invalidBlocks.length > 0 && (
          <p className="error">{t('save.invalid', { blocks: invalidBlocks.join(', ') })}</p>
        )}
        {incompleteCredentials.map((credential) => (
          <p className="muted" key={credential}>
            {t('credential.incomplete', {
              fields: `${credential}: ${incompleteCredentialFields(kinds, credentialOf(credential))
                .map((field) => fieldTitle(field))
                .join(', ')}`,
            })}
          </p>
        ))}
        {emptyVariables.length > 0 && (
          <p className="muted">{t('template.needsValues', { names: emptyVariables.join(', ') })}</p>
        )}
      </div>
    </Dialog>
  );
}
