import type { FormEvent } from 'react';
import { useT } from '../../hooks/useT.js';
import { useEditor } from '../../store/index.js';
import { useVariableValues, VariableFields } from '../VariableFields/VariableFields.js';

type Props = { onStart(values: Record<string, string>): void; onClose(): void };

/** Asks for the values of the flow's variables before a run. */
export function RunDialog({ onStart, onClose }: Props) {
  const t = useT();
  const variables = useEditor((state) => state.meta.variables);
  const [values, setValues] = useVariableValues(variables);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onStart(values);
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog" onSubmit={submit} aria-label={t('run.variablesHeading')}>
        <h2>{t('run.variablesHeading')}</h2>
        <VariableFields variables={variables} values={values} onChange={setValues} idPrefix="var" />
        <div className="dialog-buttons">
          <button type="submit">{t('run.start')}</button>
          <button type="button" onClick={onClose}>
            {t('run.close')}
          </button>
        </div>
      </form>
    </div>
  );
}
