import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { PortSpec } from '../../api/types.js';
import type { BlockNode as BlockNodeType } from '../../graph/flow-graph.js';
import {
  BLOCK_MAX_WIDTH,
  BLOCK_MIN_WIDTH,
  PORT_SPACING,
  PORT_TOP,
} from '../../graph/block-layout.js';
import { outputPorts, portKindClass } from '../../graph/ports.js';
import { useT } from '../../hooks/useT.js';
import { describeRuntimeMessage } from '../../i18n/runtime-texts.js';
import { validateParameters } from '../../schema/validate.js';
import { useEditor } from '../../store/index.js';
import { BlockIcon } from '../BlockIcon/BlockIcon.js';

function PortHandle({
  port,
  type,
  index,
}: {
  port: PortSpec;
  type: 'source' | 'target';
  index: number;
}) {
  const t = useT();
  const position = type === 'target' ? Position.Left : Position.Right;
  return (
    <Handle
      id={port.name}
      type={type}
      position={position}
      className={`port ${portKindClass(port.kind)}`}
      style={{ top: PORT_TOP + index * PORT_SPACING }}
      title={t('port.title', { label: port.label, kind: port.kind })}
      data-port={port.name}
    >
      <span className={`port-label port-label-${type}`}>{port.label}</span>
    </Handle>
  );
}

/** A block on the canvas: icon, name, ports, and its settings or run state. */
export const BlockNode = memo(function BlockNode({ id, data, selected }: NodeProps<BlockNodeType>) {
  const t = useT();
  const definition = useEditor((state) => state.catalogByType[data.type]);
  const run = useEditor((state) => state.blockRuns[id]);
  const language = useEditor((state) => state.language);
  // Progress redraws a block up to ten times a second; its settings change far less often.
  const problems = useMemo(
    () =>
      definition === undefined
        ? []
        : validateParameters(definition.parameters, data.parameters, language),
    [definition, data.parameters, language],
  );
  if (definition === undefined) {
    return <div className="block block-unknown">{data.type}</div>;
  }
  const outputs = outputPorts(definition);
  const ports = Math.max(definition.inputs.length, outputs.length);
  const counts = run?.counts;
  // Each side counts what its first port carries: Write CSV takes records and emits files.
  const countIn = definition.inputs[0]?.kind === 'files' ? counts?.filesIn : counts?.recordsIn;
  const countOut = outputs[0]?.kind === 'files' ? counts?.filesOut : counts?.recordsOut;
  const titleOf = (parameter: string) =>
    definition.parameters.properties?.[parameter]?.title ?? parameter;

  return (
    <div
      className={`block ${selected ? 'block-selected' : ''} block-${run?.status ?? 'idle'}`}
      data-block-id={id}
      data-status={run?.status ?? 'idle'}
      style={{ minWidth: BLOCK_MIN_WIDTH, maxWidth: BLOCK_MAX_WIDTH }}
    >
      <div className="block-header">
        <BlockIcon name={definition.icon} />
        <span className="block-name" title={data.name}>
          {data.name}
        </span>
      </div>
      <div className="block-type">{definition.title}</div>
      {definition.inputs.map((port, index) => (
        <PortHandle key={port.name} port={port} type="target" index={index} />
      ))}
      {outputs.map((port, index) => (
        <PortHandle key={port.name} port={port} type="source" index={index} />
      ))}
      {/* Keeps the footer below the port labels, which are positioned absolutely. */}
      <div className="block-ports" style={{ height: ports * PORT_SPACING }} />
      <div className="block-footer">
        {problems.length > 0 && (
          <div
            className="block-invalid"
            title={problems.map((p) => `${titleOf(p.parameter)}: ${t(p.key, p.params)}`).join('\n')}
          >
            {t('block.invalid')}: {titleOf(problems[0]!.parameter)} –{' '}
            {t(problems[0]!.key, problems[0]!.params)}
          </div>
        )}
        {run !== undefined && counts !== undefined && (
          <div className="block-run">
            <span className="block-status">{t(`block.status.${run.status}`)}</span>{' '}
            <span className="block-counts">
              {t('block.counts', { in: countIn ?? 0, out: countOut ?? 0 })}
            </span>
            {run.status === 'running' && (
              <span className="block-rate">
                {' · '}
                {t('block.rate', { rate: Math.round(run.rate) })}
              </span>
            )}
            {run.warnings.length > 0 && (
              <div className="block-warnings">
                {t('block.warnings', { count: run.warnings.reduce((sum, w) => sum + w.count, 0) })}
              </div>
            )}
            {run.error !== undefined && (
              <div className="block-error">{describeRuntimeMessage(language, run.error).text}</div>
            )}
          </div>
        )}
      </div>
    </div>
  );
});
