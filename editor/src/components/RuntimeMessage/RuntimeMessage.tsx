import { useT } from '../../hooks/useT.js';
import { flowLabels } from '../../i18n/flow-labels.js';
import { describeRuntimeMessage, type RuntimeMessage } from '../../i18n/runtime-texts.js';
import { useEditor } from '../../store/index.js';

/**
 * Shows an error or warning of the runtime in the editor's language: its text, where it happened,
 * what to do, and the runtime's English message under "Details" when the text replaces it.
 */
export function RuntimeMessageView({
  message,
  count,
}: {
  message: RuntimeMessage;
  count?: number;
}) {
  const t = useT();
  const language = useEditor((state) => state.language);
  const canvas = useEditor((state) => ({
    nodes: state.nodes,
    catalogByType: state.catalogByType,
  }));
  const described = describeRuntimeMessage(language, message, flowLabels(canvas));
  return (
    <div className="runtime-message" data-code={message.code}>
      <p className="runtime-message-text">
        {described.text}
        {count !== undefined && count > 1 && <span className="muted"> ×{count}</span>}
      </p>
      {described.where.length > 0 && (
        <dl className="runtime-message-where">
          {described.where.map((line) => (
            <div key={line.label}>
              <dt>{line.label}</dt>
              <dd>{line.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {described.hint !== undefined && (
        <p>
          {t('output.hint')}: {described.hint}
        </p>
      )}
      {described.detail !== undefined && (
        <details className="runtime-message-detail">
          <summary>{t('runtime.details')}</summary>
          <code>{message.code}</code>: {described.detail}
        </details>
      )}
    </div>
  );
}
