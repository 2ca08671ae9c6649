import { useState } from 'react';
import type { FlowDocument } from '../../api/types.js';

type Variables = FlowDocument['variables'];

/** Holds one text value per variable, starting from the variables' defaults. */
export function useVariableValues(variables: Variables) {
  return useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.default ?? ''])),
  );
}

/** One labelled input per variable, with its description as help. */
export function VariableFields({
  variables,
  values,
  onChange,
  idPrefix,
}: {
  variables: Variables;
  values: Record<string, string>;
  onChange(values: Record<string, string>): void;
  idPrefix: string;
}) {
  return Object.entries(variables).map(([name, variable]) => (
    <div className="field" key={name}>
      <label htmlFor={`${idPrefix}-${name}`}>{name}</label>
      <input
        id={`${idPrefix}-${name}`}
        value={values[name] ?? ''}
        onChange={(event) => onChange({ ...values, [name]: event.target.value })}
      />
      <div className="help">{variable.description}</div>
    </div>
  ));
}
