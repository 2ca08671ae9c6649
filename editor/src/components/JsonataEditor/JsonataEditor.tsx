import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { editorStore, useEditor } from '../../store/index.js';
import { jsonataSupport } from './jsonata-language.js';
import { findSyntaxError, syntaxMessage, type SyntaxProblem } from './jsonata-syntax.js';
import { currentLanguage, describeRequestError } from '../../i18n/request-errors.js';

/** Wait after the last keystroke before the preview is evaluated. */
const PREVIEW_DELAY_MS = 300;

type Props = {
  value: string;
  onChange(value: string): void;
  /** The block's latest input record, for the live preview. */
  sample?: unknown;
  variables: Record<string, string>;
  label: string;
};

/**
 * Evaluates the expression on the sample after each pause in typing. `pending` is true from a
 * change until its result comes; a response for an older text is dropped, so a late response never
 * replaces the result of a newer text.
 */
function usePreview(source: string, sample: unknown, variables: Record<string, string>) {
  const [preview, setPreview] = useState<{ result?: unknown; error?: string }>();
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (sample === undefined || findSyntaxError(source) !== undefined || source.trim() === '') {
      setPreview(undefined);
      setPending(false);
      return;
    }
    let current = true;
    setPending(true);
    const show = (shown: { result?: unknown; error?: string }) => {
      if (!current) return;
      setPreview(shown);
      setPending(false);
    };
    const timer = setTimeout(() => {
      api.evaluate(source, sample, variables).then(
        (response) => show({ result: response.result }),
        (error: unknown) => show({ error: describeRequestError(error, currentLanguage()) }),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [source, sample, variables]);
  return { preview, pending };
}

/** A JSONata editor: highlighting, errors marked at their position and a live preview. */
export function JsonataEditor({ value, onChange, sample, variables, label }: Props) {
  const t = useT();
  const language = useEditor((state) => state.language);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [problem, setProblem] = useState<SyntaxProblem>();
  const [source, setSource] = useState(value);
  const { preview, pending } = usePreview(source, sample, variables);

  useEffect(() => {
    const state = EditorState.create({
      doc: value,
      extensions: [
        lineNumbers(),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': label }),
        jsonataSupport(setProblem, () => editorStore.getState().language),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const text = update.state.doc.toString();
          setSource(text);
          onChangeRef.current(text);
        }),
      ],
    });
    view.current = new EditorView({ state, parent: host.current as HTMLDivElement });
    return () => view.current?.destroy();
    // The editor is created once; the effect below synchronises later external values.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor === undefined || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  return (
    <div className="jsonata">
      <div className="jsonata-editor" ref={host} />
      {problem !== undefined && (
        <div className="jsonata-error" role="alert" data-position={problem.position}>
          {t('jsonata.syntaxError', {
            position: problem.position,
            message: syntaxMessage(problem, language),
          })}
        </div>
      )}
      <div className="jsonata-preview" aria-busy={pending}>
        <div className="jsonata-preview-title">{t('jsonata.preview')}</div>
        {pending && <div className="muted jsonata-evaluating">{t('jsonata.evaluating')}</div>}
        {sample === undefined && <div className="muted">{t('jsonata.noSample')}</div>}
        {preview?.error !== undefined && (
          <div className="jsonata-error">
            {t('jsonata.evaluationFailed', { message: preview.error })}
          </div>
        )}
        {preview !== undefined && preview.error === undefined && (
          <pre className="jsonata-result">
            {JSON.stringify(preview.result, null, 2) ?? 'undefined'}
          </pre>
        )}
      </div>
    </div>
  );
}
