import { useState, type ReactNode } from 'react';
import type { FlowDocument, FlowTrigger } from '../../api/types.js';
import { useT } from '../../hooks/useT.js';
import type { MessageKey } from '../../i18n/i18n.js';
import { editorStore, useEditor } from '../../store/index.js';
import {
  compactRunPolicy,
  MISSED_RUN_POLICIES,
  OVERLAP_POLICIES,
  validateRunPolicy,
  type RunPolicyInput,
} from '../../schema/run-policy.js';
import {
  CronWidget,
  NumberWidget,
  PathWidget,
  TextWidget,
  VariableWidget,
} from '../ParameterPanel/fields.js';

type Variables = FlowDocument['variables'];
type ScheduleTrigger = Extract<FlowTrigger, { type: 'schedule' }>;
type FolderTrigger = Extract<FlowTrigger, { type: 'folder' }>;

/** Variable names as the runtime accepts them. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Returns the browser's time zone, which a new schedule starts with. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Prague';
}

/** Lists the IANA time zones the browser supports, for suggestions while typing; none where unsupported. */
function knownTimeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

function VariablesEditor({ variables }: { variables: Variables }) {
  const t = useT();
  const [name, setName] = useState('');
  const update = (next: Variables) => editorStore.getState().updateMeta({ variables: next });
  const valid = VARIABLE_NAME.test(name) && !(name in variables);
  const set = (variable: string, change: Partial<Variables[string]>) => {
    const merged = { ...variables[variable]!, ...change };
    if (merged.default === '') delete merged.default;
    update({ ...variables, [variable]: merged });
  };

  return (
    <section className="flow-variables">
      <h3>{t('flow.variables')}</h3>
      {Object.keys(variables).length === 0 && <p className="muted">{t('flow.noVariables')}</p>}
      {Object.entries(variables).map(([variable, declared]) => (
        <fieldset key={variable} className="flow-variable" data-variable={variable}>
          <legend>{variable}</legend>
          <div className="field">
            <label htmlFor={`variable-${variable}-description`}>
              {t('flow.variableDescription')}
            </label>
            <input
              id={`variable-${variable}-description`}
              value={declared.description}
              onChange={(event) => set(variable, { description: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`variable-${variable}-default`}>{t('flow.variableDefault')}</label>
            <input
              id={`variable-${variable}-default`}
              value={declared.default ?? ''}
              onChange={(event) => set(variable, { default: event.target.value })}
            />
          </div>
          <button
            type="button"
            onClick={() => {
              const { [variable]: _removed, ...rest } = variables;
              update(rest);
            }}
          >
            {t('flow.remove')}
          </button>
        </fieldset>
      ))}
      <div className="field flow-add-variable">
        <label htmlFor="flow-new-variable">{t('flow.newVariable')}</label>
        <input
          id="flow-new-variable"
          value={name}
          aria-invalid={name !== '' && !valid}
          onChange={(event) => setName(event.target.value)}
        />
        <button
          type="button"
          disabled={!valid}
          onClick={() => {
            update({ ...variables, [name]: { description: '' } });
            setName('');
          }}
        >
          {t('flow.addVariable')}
        </button>
        {name !== '' && !valid && <div className="field-problem">{t('flow.badVariableName')}</div>}
      </div>
    </section>
  );
}

function ScheduleFields({
  index,
  trigger,
  onChange,
}: {
  index: number;
  trigger: ScheduleTrigger;
  onChange(trigger: ScheduleTrigger): void;
}) {
  const t = useT();
  const prefix = `trigger-${index}`;
  return (
    <>
      <div className="field" data-trigger-field="cron">
        <label htmlFor={`${prefix}-cron`}>{t('flow.cron')}</label>
        <CronWidget
          id={`${prefix}-cron`}
          schema={{}}
          value={trigger.cron}
          timeZone={trigger.timeZone}
          onChange={(cron) => onChange({ ...trigger, cron: typeof cron === 'string' ? cron : '' })}
        />
        <div className="help">{t('flow.cronHelp')}</div>
      </div>
      <div className="field" data-trigger-field="timeZone">
        <label htmlFor={`${prefix}-zone`}>{t('flow.timeZone')}</label>
        <input
          id={`${prefix}-zone`}
          list="known-time-zones"
          value={trigger.timeZone}
          onChange={(event) => onChange({ ...trigger, timeZone: event.target.value })}
        />
      </div>
    </>
  );
}

function FolderFields({
  index,
  trigger,
  variables,
  onChange,
}: {
  index: number;
  trigger: FolderTrigger;
  variables: string[];
  onChange(trigger: FolderTrigger): void;
}) {
  const t = useT();
  const prefix = `trigger-${index}`;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  // The folder picker returns `inbox/`; the flow file names folders without the slash.
  const folder = (value: unknown) =>
    text(typeof value === 'string' ? value.replace(/\/+$/, '') : value);
  const field = (name: keyof FolderTrigger, label: string, input: ReactNode) => (
    <div className="field" data-trigger-field={name}>
      <label htmlFor={`${prefix}-${name}`}>{label}</label>
      {input}
    </div>
  );
  return (
    <>
      {field(
        'path',
        t('flow.folderPath'),
        <PathWidget
          id={`${prefix}-path`}
          schema={{}}
          folders
          value={trigger.path}
          onChange={(path) => onChange({ ...trigger, path: folder(path) ?? '' })}
        />,
      )}
      {field(
        'pattern',
        t('flow.folderPattern'),
        <TextWidget
          id={`${prefix}-pattern`}
          schema={{}}
          value={trigger.pattern}
          onChange={(pattern) => onChange({ ...trigger, pattern: text(pattern) })}
        />,
      )}
      {field(
        'stableSeconds',
        t('flow.folderStableSeconds'),
        <NumberWidget
          id={`${prefix}-stableSeconds`}
          schema={{ type: 'number', minimum: 0 }}
          value={trigger.stableSeconds}
          onChange={(seconds) =>
            onChange({
              ...trigger,
              stableSeconds: typeof seconds === 'number' ? seconds : undefined,
            })
          }
        />,
      )}
      {field(
        'archivePath',
        t('flow.folderArchive'),
        <PathWidget
          id={`${prefix}-archivePath`}
          schema={{}}
          folders
          value={trigger.archivePath}
          onChange={(path) => onChange({ ...trigger, archivePath: folder(path) })}
        />,
      )}
      {field(
        'fileVariable',
        t('flow.folderVariable'),
        <VariableWidget
          id={`${prefix}-fileVariable`}
          schema={{}}
          variables={variables}
          value={trigger.fileVariable}
          onChange={(variable) => onChange({ ...trigger, fileVariable: text(variable) })}
        />,
      )}
    </>
  );
}

/** Removes the optional fields left empty, so the runtime applies its defaults. */
function withoutEmptyFields(trigger: FlowTrigger): FlowTrigger {
  return Object.fromEntries(
    Object.entries(trigger).filter(([, value]) => value !== undefined),
  ) as FlowTrigger;
}

function TriggersEditor({ triggers, variables }: { triggers: FlowTrigger[]; variables: string[] }) {
  const t = useT();
  const update = (next: FlowTrigger[]) =>
    editorStore.getState().updateMeta({ triggers: next.map(withoutEmptyFields) });
  const replace = (index: number, trigger: FlowTrigger) =>
    update(triggers.map((entry, position) => (position === index ? trigger : entry)));

  return (
    <section className="flow-triggers">
      <h3>{t('flow.triggers')}</h3>
      {triggers.length === 0 && <p className="muted">{t('flow.noTriggers')}</p>}
      {triggers.map((trigger, index) => (
        <fieldset key={index} className="flow-trigger" data-trigger={trigger.type}>
          <legend>{t(`flow.trigger.${trigger.type}`)}</legend>
          {trigger.type === 'schedule' && (
            <ScheduleFields
              index={index}
              trigger={trigger}
              onChange={(next) => replace(index, next)}
            />
          )}
          {trigger.type === 'folder' && (
            <FolderFields
              index={index}
              trigger={trigger}
              variables={variables}
              onChange={(next) => replace(index, next)}
            />
          )}
          <button
            type="button"
            onClick={() => update(triggers.filter((_entry, position) => position !== index))}
          >
            {t('flow.remove')}
          </button>
        </fieldset>
      ))}
      <div className="flow-add-trigger">
        <button
          type="button"
          onClick={() =>
            update([...triggers, { type: 'schedule', cron: '', timeZone: browserTimeZone() }])
          }
        >
          {t('flow.addSchedule')}
        </button>
        <button type="button" onClick={() => update([...triggers, { type: 'folder', path: '' }])}>
          {t('flow.addFolder')}
        </button>
      </div>
      <datalist id="known-time-zones">
        {knownTimeZones().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </section>
  );
}

function RunPolicyEditor({ policy }: { policy: RunPolicyInput }) {
  const t = useT();
  const update = (change: RunPolicyInput) =>
    editorStore.getState().updateMeta({ runPolicy: compactRunPolicy({ ...policy, ...change }) });
  const problems = validateRunPolicy(policy);
  const problemOf = (field: keyof RunPolicyInput) => {
    const problem = problems.find((entry) => entry.field === field);
    return problem && <div className="field-problem">{t(problem.key)}</div>;
  };
  const choice = <T extends string>(field: 'overlap' | 'missedRuns', values: readonly T[]) => (
    <div className="field" data-policy-field={field}>
      <label htmlFor={`policy-${field}`}>{t(`policy.${field}`)}</label>
      <select
        id={`policy-${field}`}
        value={policy[field] ?? 'skip'}
        onChange={(event) => update({ [field]: event.target.value })}
      >
        {values.map((value) => (
          <option key={value} value={value}>
            {t(`policy.${field}.${value}` as MessageKey)}
          </option>
        ))}
      </select>
      <div className="help">{t(`policy.${field}Help`)}</div>
      {problemOf(field)}
    </div>
  );

  return (
    <section className="flow-run-policy">
      <h3>{t('policy.title')}</h3>
      {choice('overlap', OVERLAP_POLICIES)}
      <div className="field" data-policy-field="maxRunSeconds">
        <label htmlFor="policy-maxRunSeconds">{t('policy.maxRunSeconds')}</label>
        <input
          id="policy-maxRunSeconds"
          type="number"
          step="any"
          min={1}
          value={policy.maxRunSeconds ?? ''}
          onChange={(event) =>
            update({
              maxRunSeconds: event.target.value === '' ? undefined : Number(event.target.value),
            })
          }
        />
        <div className="help">{t('policy.maxRunSecondsHelp')}</div>
        {problemOf('maxRunSeconds')}
      </div>
      {choice('missedRuns', MISSED_RUN_POLICIES)}
    </section>
  );
}

/**
 * Edits the flow's own settings: its variables, the triggers that start it unattended, and its
 * run policy.
 */
export function FlowSettings() {
  const { variables, triggers, runPolicy } = useEditor((state) => ({
    variables: state.meta.variables,
    triggers: state.meta.triggers,
    runPolicy: state.meta.runPolicy,
  }));
  return (
    <form className="flow-settings" onSubmit={(event) => event.preventDefault()}>
      <VariablesEditor variables={variables} />
      <TriggersEditor triggers={triggers ?? []} variables={Object.keys(variables)} />
      <RunPolicyEditor policy={runPolicy ?? {}} />
    </form>
  );
}
