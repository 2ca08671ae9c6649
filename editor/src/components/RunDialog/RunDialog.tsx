import { useEffect } from 'react';
import { api } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { useEditor } from '../../store/index.js';
import { Dialog } from '../Dialog/Dialog.js';
import { useVariableValues, VariableFields } from '../VariableFields/VariableFields.js';

type Props = { onStart(values: Record<string, string>): void; onClose(): void };

/** Asks for the values of the flow's variables before a run. */
export function RunDialog({ onStart, onClose }: Props) {
  const t = useT();
  const variables = useEditor((state) => state.meta.variables);
  const flowId = useEditor((state) => state.meta.id);
  const [values, setValues] = useVariableValues(variables);

  // Values stored with the flow (e.g. given at template import) replace the defaults; a field
  // the user already changed keeps its text.
  useEffect(() => {
    api.flowVariables(flowId).then(
      ({ values: stored }) =>
        setValues((current) =>
          Object.fromEntries(
            Object.entries(current).map(([name, value]) => {
              const untouched = value === (variables[name]?.default ?? '');
              return [name, untouched ? (stored[name] ?? value) : value];
            }),
          ),
        ),
      () => undefined,
    );
  }, [flowId, variables, setValues]);
  return (
    <Dialog
      heading={t('run.variablesHeading')}
      submitLabel={t('run.start')}
      onSubmit={() => onStart(values)}
      onClose={onClose}
    >
      <VariableFields variables={variables} values={values} onChange={setValues} idPrefix="var" />
    </Dialog>
  );
}
