import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { linter, type Diagnostic } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import type { Language } from '../../i18n/i18n.js';
import { findSyntaxError, syntaxMessage, type SyntaxProblem } from './jsonata-syntax.js';

const keywords = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

// A stream tokenizer is enough for highlighting; JSONata has no Lezer grammar, and the real
// parse (for errors) is jsonata's own.
const jsonataStream = StreamLanguage.define<{ inComment: boolean }>({
  startState: () => ({ inComment: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/');
        state.inComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    const quote = stream.peek();
    if (quote === '"' || quote === "'") {
      stream.next();
      let escaped = false;
      for (let char = stream.next(); char !== undefined; char = stream.next()) {
        if (char === quote && !escaped) break;
        escaped = !escaped && char === '\\';
      }
      return 'string';
    }
    if (stream.match('`')) {
      stream.skipTo('`');
      stream.next();
      return 'propertyName';
    }
    if (stream.match(/^-?\d+(\.\d+)?([eE][-+]?\d+)?/)) return 'number';
    if (stream.match(/^\$[\w$]*/)) return 'variableName';
    if (stream.match(/^[A-Za-z_][\w]*/)) {
      return keywords.has(stream.current()) ? 'keyword' : 'propertyName';
    }
    if (stream.match(/^(:=|!=|<=|>=|~>|\.\.|\?:|\?\?|[-+*/%&|=<>!?:.,;^#@~])/)) return 'operator';
    stream.next();
    return 'punctuation';
  },
});

const highlight = HighlightStyle.define([
  { tag: tags.string, class: 'tok-string' },
  { tag: tags.number, class: 'tok-number' },
  { tag: tags.variableName, class: 'tok-variable' },
  { tag: tags.keyword, class: 'tok-keyword' },
  { tag: tags.propertyName, class: 'tok-property' },
  { tag: tags.operator, class: 'tok-operator' },
  { tag: tags.comment, class: 'tok-comment' },
]);

/** Highlighting and syntax-error marks, in the language `language` returns, for a JSONata editor. */
export function jsonataSupport(
  onProblem: (problem: SyntaxProblem | undefined) => void,
  language: () => Language,
) {
  const syntaxLinter = linter(
    (view): Diagnostic[] => {
      const problem = findSyntaxError(view.state.doc.toString());
      onProblem(problem);
      if (problem === undefined) return [];
      const message = syntaxMessage(problem, language());
      return [{ from: problem.from, to: problem.to, severity: 'error', message }];
    },
    { delay: 150 },
  );
  return [jsonataStream, syntaxHighlighting(highlight), syntaxLinter];
}
