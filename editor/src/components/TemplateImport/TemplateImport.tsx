import { useState, type FormEvent } from 'react';
import type { FlowDocument } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import { useVariableValues, VariableFields } from '../VariableFields/VariableFields.js';

type Props = {
  template: FlowDocument;
  onImport(name: string, values: Record<string, string>): void;
  onClose(): void;
};

/** Asks for the new flow's name and a value for each of the template's variables. */
export function TemplateImport({ template, onImport, onClose }: Props) {
  const t = useT();
  const [name, setName] = useState(template.name);
  const [values, setValues] = useVariableValues(template.variables);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onImport(name, values);
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog" onSubmit={submit} aria-label={t('template.importHeading')}>
        <h2>{t('template.importHeading')}</h2>
        <div className="field">
          <label htmlFor="template-name">{t('template.newName')}</label>
          <input
            id="template-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <h3>{t('template.variables')}</h3>
        <VariableFields
          variables={template.variables}
          values={values}
          onChange={setValues}
          idPrefix="template-var"
        />
        {template.credentials.length > 0 && (
          <>
            <h3>{t('template.credentials')}</h3>
            <ul>
              {template.credentials.map((credential) => (
                <li key={credential}>{credential}</li>
              ))}
            </ul>
          </>
        )}
        <div className="dialog-buttons">
          <button type="submit">{t('template.import')}</button>
          <button type="button" onClick={onClose}>
            {t('run.close')}
          </button>
        </div>
      </form>
    </div>
  );
}
