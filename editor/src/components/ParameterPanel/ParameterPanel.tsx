import { Suspense, useMemo, type ComponentProps } from 'react';
import type { BlockNode } from '../../graph/flow-graph.js';
import { useT } from '../../hooks/useT.js';
import { validateParameters } from '../../schema/validate.js';
import { LoadBoundary, reloadableLazy } from '../LoadBoundary/LoadBoundary.js';
import { formFields, isExpressionValue, type FormField } from '../../schema/widgets.js';
import { editorStore, useEditor } from '../../store/index.js';
import { ObjectListWidget } from './ObjectListWidget.js';
import {
  CodePageWidget,
  CredentialWidget,
  CronWidget,
  PathWidget,
  ValueWidget,
  VariableWidget,
  type WidgetProps,
} from './fields.js';

// CodeMirror is loaded with the first JSONata field, so the canvas opens without it.
const LazyJsonataEditor = reloadableLazy(() =>
  import('../JsonataEditor/JsonataEditor.js').then((module) => module.JsonataEditor),
);

function JsonataEditor(props: ComponentProps<typeof LazyJsonataEditor>) {
  return (
    <LoadBoundary>
      <Suspense fallback={<div className="jsonata-loading" />}>
        <LazyJsonataEditor {...props} />
      </Suspense>
    </LoadBoundary>
  );
}

/** Returns the first record that reached the block's first input in the shown run. */
function useInputSample(blockId: string): unknown {
  return useEditor((state) => {
    const wire = state.edges.find((edge) => edge.target === blockId);
    if (wire === undefined) return undefined;
    return state.blockRuns[wire.source]?.samples[wire.sourceHandle ?? '']?.[0];
  });
}

/**
 * Returns the credential kinds a block's credential parameter takes: the parameter's own
 * `credentialKind`, else every kind the block declares.
 */
function useCredentialKinds(blockId: string, credentialKind: string | undefined) {
  return useEditor((state) => {
    const type = state.nodes.find((node) => node.id === blockId)?.data.type;
    const declared: readonly string[] =
      credentialKind !== undefined
        ? [credentialKind]
        : (state.catalogByType[type ?? '']?.credentials ?? []);
    return state.credentialKinds.filter((entry) => declared.includes(entry.kind));
  });
}

function Widget({
  field,
  props,
  blockId,
}: {
  field: FormField;
  props: WidgetProps;
  blockId: string;
}) {
  const sample = useInputSample(blockId);
  const variables = useEditor((state) => state.meta.variables);
  const kinds = useCredentialKinds(blockId, field.schema.credentialKind);
  const values = useMemo(
    () => Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.default ?? ''])),
    [variables],
  );
  switch (field.widget) {
    case 'jsonata':
      return (
        <JsonataEditor
          label={field.schema.title ?? field.name}
          value={typeof props.value === 'string' ? props.value : ''}
          onChange={props.onChange}
          sample={sample}
          variables={values}
        />
      );
    case 'file':
      return <PathWidget {...props} folders={false} />;
    case 'folder':
      return <PathWidget {...props} folders />;
    case 'codepage':
      return <CodePageWidget {...props} />;
    case 'cron':
      return <CronWidget {...props} />;
    case 'credential':
      return (
        <CredentialWidget
          {...props}
          kinds={kinds}
          onChange={(name) => {
            props.onChange(name);
            if (typeof name === 'string') editorStore.getState().declareCredential(name);
          }}
        />
      );
    case 'variable':
      return <VariableWidget {...props} variables={Object.keys(variables)} />;
    case 'objects':
      return <ObjectListWidget {...props} />;
    default:
      return <ValueWidget widget={field.widget} props={props} />;
  }
}

function ParameterField({
  node,
  field,
  problem,
}: {
  node: BlockNode;
  field: FormField;
  problem?: string;
}) {
  const t = useT();
  const value = node.data.parameters[field.name];
  const expression = isExpressionValue(value);
  const id = `param-${node.id}-${field.name}`;
  const setValue = (next: unknown) => {
    const parameters = { ...node.data.parameters };
    if (next === undefined) delete parameters[field.name];
    else parameters[field.name] = next;
    editorStore.getState().updateBlock(node.id, { parameters });
  };

  return (
    <div className={`field field-${field.widget}`} data-parameter={field.name}>
      <label htmlFor={id}>
        {field.schema.title ?? field.name}
        {field.required && (
          <span className="required" title={t('param.required')}>
            {' '}
            *
          </span>
        )}
      </label>
      {field.allowsExpression && (
        <button
          type="button"
          className="expression-toggle"
          aria-pressed={expression}
          title={expression ? t('param.useValue') : t('param.useExpression')}
          onClick={() => setValue(expression ? undefined : { expression: '' })}
        >
          fx
        </button>
      )}
      {expression ? (
        <JsonataEditor
          label={field.schema.title ?? field.name}
          value={value.expression}
          onChange={(text) => setValue({ expression: text })}
          variables={{}}
        />
      ) : (
        <Widget
          field={field}
          blockId={node.id}
          props={{ id, schema: field.schema, value, onChange: setValue }}
        />
      )}
      {field.schema.description !== undefined && (
        <div className="help">{field.schema.description}</div>
      )}
      {problem !== undefined && <div className="field-problem">{problem}</div>}
    </div>
  );
}

/** The settings of the selected block, generated from its parameter schema. */
export function ParameterPanel({ node }: { node: BlockNode }) {
  const t = useT();
  const definition = useEditor((state) => state.catalogByType[node.data.type]);
  const language = useEditor((state) => state.language);
  if (definition === undefined) return null;
  const fields = formFields(definition.parameters);
  const problems = validateParameters(definition.parameters, node.data.parameters, language);

  return (
    <form className="parameters" onSubmit={(event) => event.preventDefault()} key={node.id}>
      <div className="field">
        <label htmlFor={`name-${node.id}`}>{t('panel.name')}</label>
        <input
          id={`name-${node.id}`}
          type="text"
          value={node.data.name}
          onChange={(event) =>
            editorStore.getState().updateBlock(node.id, { name: event.target.value })
          }
        />
      </div>
      <div className="muted">
        {t('panel.type')}: {definition.title} ({definition.type})
      </div>
      {fields.map((field) => {
        const problem = problems.find((entry) => entry.parameter === field.name);
        return (
          <ParameterField
            key={field.name}
            node={node}
            field={field}
            problem={problem && t(problem.key, problem.params)}
          />
        );
      })}
    </form>
  );
}
