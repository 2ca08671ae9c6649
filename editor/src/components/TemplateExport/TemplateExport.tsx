import { useMemo, useState } from 'react';
import type { TemplateParameter } from '../../api/client.js';
import type { ParameterSchema } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import { formFields, isExpressionValue } from '../../schema/widgets.js';
import { useEditor } from '../../store/index.js';
import { Dialog } from '../Dialog/Dialog.js';

type Candidate = Required<TemplateParameter> & { label: string; value: string };

/** Returns a variable name built from a block name and a parameter, e.g. READ_DBF_PATH. */
export function variableNameFor(blockName: string, parameter: string): string {
  const name = `${blockName}_${parameter}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `_${name}`;
}

/** Shows a parameter's value: the label of a choice, else its JSON. */
function describeValue(schema: ParameterSchema, value: unknown): string {
  const label = typeof value === 'string' ? schema.enumLabels?.[value] : undefined;
  return label ?? JSON.stringify(value);
}

/** Lists the literal parameters that accept an expression, so they can become variables. */
function useCandidates(): Candidate[] {
  const t = useT();
  const nodes = useEditor((state) => state.nodes);
  const catalogByType = useEditor((state) => state.catalogByType);
  return useMemo(
    () =>
      nodes.flatMap((node) => {
        const definition = catalogByType[node.data.type];
        if (definition === undefined) return [];
        return formFields(definition.parameters)
          .filter((field) => field.allowsExpression)
          .filter((field) => {
            const value = node.data.parameters[field.name];
            return value !== undefined && value !== '' && !isExpressionValue(value);
          })
          .map((field) => ({
            block: node.id,
            parameter: field.name,
            variable: variableNameFor(node.data.name, field.name),
            label: `${node.data.name} – ${field.schema.title ?? field.name}`,
            description: t('template.variableDescription', {
              parameter: field.schema.title ?? field.name,
              block: node.data.name,
            }),
            value: describeValue(field.schema, node.data.parameters[field.name]),
          }));
      }),
    [nodes, catalogByType, t],
  );
}

type Props = { onExport(parameters: TemplateParameter[]): void; onClose(): void };

/**
 * Asks which of the flow's values become the template's variables: each chosen parameter is
 * replaced by a variable that the next customer fills in when importing.
 */
export function TemplateExport({ onExport, onClose }: Props) {
  const t = useT();
  const candidates = useCandidates();
  const [chosen, setChosen] = useState<Record<string, string | undefined>>({});
  const key = (candidate: Candidate) => `${candidate.block}/${candidate.parameter}`;
  const names = Object.values(chosen).filter((name): name is string => name !== undefined);
  const invalid = names.some((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  const duplicate = new Set(names).size !== names.length;

  const submit = () =>
    onExport(
      candidates.flatMap((candidate) => {
        const variable = chosen[key(candidate)];
        if (variable === undefined) return [];
        const { block, parameter, description } = candidate;
        return [{ block, parameter, variable, description }];
      }),
    );
  return (
    <Dialog
      heading={t('template.exportHeading')}
      submitLabel={t('template.export')}
      submitDisabled={invalid || duplicate}
      onSubmit={submit}
      onClose={onClose}
    >
      <p className="muted">{t('template.exportHelp')}</p>
      {candidates.length === 0 && <p>{t('template.noCandidates')}</p>}
      {candidates.map((candidate) => {
        const variable = chosen[key(candidate)];
        return (
          <div className="field template-candidate" key={key(candidate)}>
            <label>
              <input
                type="checkbox"
                checked={variable !== undefined}
                onChange={(event) =>
                  setChosen({
                    ...chosen,
                    [key(candidate)]: event.target.checked ? candidate.variable : undefined,
                  })
                }
              />{' '}
              {candidate.label}: <code>{candidate.value}</code>
            </label>
            {variable !== undefined && (
              <input
                aria-label={t('template.variableName', { label: candidate.label })}
                value={variable}
                onChange={(event) => setChosen({ ...chosen, [key(candidate)]: event.target.value })}
              />
            )}
          </div>
        );
      })}
      {invalid && <p className="error">{t('template.badVariableName')}</p>}
      {duplicate && <p className="error">{t('template.duplicateVariable')}</p>}
    </Dialog>
  );
}
