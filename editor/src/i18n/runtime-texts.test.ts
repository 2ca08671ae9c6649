import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { flowLabels } from './flow-labels.js';
import { describeRuntimeMessage, runtimeMessageLine } from './runtime-texts.js';
import { runtimeTextsCs } from './runtime-texts-cs.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// Code-shaped literals in the runtime's sources that are not codes of its errors or warnings:
// environment variables, codes of Node's TLS and SFTP errors that the transfer blocks translate
// into their own, and a worker error code of Node.
const NOT_CODES = new Set([
  'KURYR_ADMIN_PASSWORD',
  'KURYR_VAULT_KEY',
  'KURYR_CREDENTIAL_',
  'VARIABLE_',
  'TRIGGER_FILE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_BAD_PATH',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_WORKER_OUT_OF_MEMORY',
  // A field name of the demo tables, not an error code of the operating system.
  'EAN',
]);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !/\.test(-support)?\.ts$/.test(name))
    .map((name) => join(folder, name));
}

/**
 * Collects the codes that the runtime can raise or warn with from the sources of @kuryr/nodes and
 * @kuryr/runtime. It takes quoted literals such as 'DBF_TRUNCATED' (codes have an underscore, or
 * are operating system codes such as 'ENOENT'). It also takes single-word codes passed to an
 * error's constructor or given as `code:`, and the keys of the DBF message table.
 */
function runtimeCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of [
    ...sourceFiles(join(root, 'nodes/src')),
    ...sourceFiles(join(root, 'runtime/src')),
  ]) {
    const source = readFileSync(file, 'utf8');
    for (const [, code] of source.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]*)+|E[A-Z]{2,})'/g)) {
      codes.add(code!);
    }
    const singleWord = /(?:Error\(\s*\d*,?\s*|code:\s*)'([A-Z]{3,})'/g;
    for (const [, code] of source.matchAll(singleWord)) codes.add(code!);
    for (const [, code] of source.matchAll(/^\s+(DBF_[A-Z0-9_]+): \(/gm)) codes.add(code!);
  }
  for (const code of NOT_CODES) codes.delete(code);
  return codes;
}

const codes = runtimeCodes();

const CODE_LITERAL = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^E[A-Z]{2,}$|^[A-Z]{3,}$/;

/** Returns the codes that an expression can be: a code literal, or either branch of `a ? b : c`. */
function codeLiterals(node: ts.Node | undefined): string[] {
  if (node === undefined) return [];
  if (ts.isConditionalExpression(node)) {
    return [...codeLiterals(node.whenTrue), ...codeLiterals(node.whenFalse)];
  }
  if (!ts.isStringLiteralLike(node)) return [];
  return CODE_LITERAL.test(node.text) ? [node.text] : [];
}

/** Returns the codes of `const name = ...` in the innermost block around `node` that declares it. */
function constantCodes(name: string, node: ts.Node): string[] {
  for (let scope = node.parent; scope !== undefined; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) {
          return codeLiterals(declaration.initializer);
        }
      }
    }
  }
  return [];
}

function expressionCodes(node: ts.Node | undefined): string[] {
  if (node !== undefined && ts.isIdentifier(node)) return constantCodes(node.text, node);
  return codeLiterals(node);
}

/**
 * Returns the codes that the first argument of `call` can have: a literal, a constant, or a
 * parameter of the function declaration around it. For a parameter, the codes are the values that
 * the calls of that function in the same file pass, e.g. `handleBadLine(options, 'TEXT_LINE_LENGTH')`.
 */
function argumentCodes(call: ts.CallExpression | ts.NewExpression, file: ts.SourceFile): string[] {
  const first = call.arguments?.find((argument) => !ts.isNumericLiteral(argument));
  const codes = expressionCodes(first);
  if (codes.length > 0 || first === undefined || !ts.isIdentifier(first)) return codes;
  let declaration: ts.Node = call;
  while (!ts.isSourceFile(declaration) && !ts.isFunctionDeclaration(declaration)) {
    declaration = declaration.parent;
  }
  if (!ts.isFunctionDeclaration(declaration) || declaration.name === undefined) return [];
  const name = declaration.name.text;
  const position = declaration.parameters.findIndex(
    (parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === first.text,
  );
  if (position < 0) return [];
  const visit = (node: ts.Node): void => {
    const isCall =
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === name;
    if (isCall) codes.push(...expressionCodes(node.arguments[position]));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return codes;
}

/**
 * Returns the codes of the error or warning that a `hint` property belongs to: a `code` beside it,
 * the code argument of the call or constructor around it, or the key of a message table such as
 * `DBF_TRUNCATED: (p) => ({ message, hint })`.
 */
function hintedCodes(hint: ts.Node, file: ts.SourceFile): string[] {
  for (let node = hint.parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property) && property.name.getText(file) === 'code') {
          const codes = codeLiterals(property.initializer);
          if (codes.length > 0) return codes;
        }
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const codes = argumentCodes(node, file);
      if (codes.length > 0) return codes;
    }
    if (ts.isPropertyAssignment(node) && CODE_LITERAL.test(node.name.getText(file))) {
      return [node.name.getText(file)];
    }
  }
  return [];
}

/** Names a place in the sources as its path and the function around it, e.g. `a.ts dbfError`. */
function placeName(node: ts.Node, file: ts.SourceFile): string {
  let scope: ts.Node = node;
  while (!ts.isSourceFile(scope)) {
    if (ts.isFunctionDeclaration(scope) || ts.isMethodDeclaration(scope)) {
      const name = scope.name?.getText(file) ?? '';
      return `${file.fileName.slice(root.length)} ${name}`;
    }
    scope = scope.parent;
  }
  return file.fileName.slice(root.length);
}

/**
 * Collects the codes that the sources of @kuryr/nodes and @kuryr/runtime raise or warn with a
 * `hint`, by parsing them with the TypeScript compiler, and the places of `hint` properties whose
 * code is not a literal that the scan can follow.
 */
function runtimeHintedCodes(): { codes: Set<string>; unresolved: Set<string> } {
  const codes = new Set<string>();
  const unresolved = new Set<string>();
  for (const path of [
    ...sourceFiles(join(root, 'nodes/src')),
    ...sourceFiles(join(root, 'runtime/src')),
  ]) {
    const source = readFileSync(path, 'utf8');
    const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const isHint =
        (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
        node.name.getText(file) === 'hint' &&
        ts.isObjectLiteralExpression(node.parent);
      if (isHint) {
        const found = hintedCodes(node, file);
        for (const code of found) codes.add(code);
        if (found.length === 0) unresolved.add(placeName(node, file));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { codes, unresolved };
}

const hinted = runtimeHintedCodes();

describe('runtime texts', () => {
  it('scan finds the known codes', () => {
    for (const known of [
      'DBF_TRUNCATED',
      'DBF_TOO_SHORT',
      'CSV_ROW_SKIPPED',
      'EXPRESSION_WARNING',
      'FLOW_INVALID',
      'NOT_FOUND',
      'RUN_ABORTED',
      'INTERNAL',
      'UNAUTHENTICATED',
      'ENOENT',
      'HOST_KEY_MISMATCH',
    ]) {
      expect(codes, known).toContain(known);
    }
    expect(codes.size).toBeGreaterThan(150);
  });

  it('has a Czech text for every code', () => {
    expect([...codes].filter((code) => runtimeTextsCs[code] === undefined)).toEqual([]);
  });

  it('has no Czech text for a removed code', () => {
    expect(Object.keys(runtimeTextsCs).filter((code) => !codes.has(code))).toEqual([]);
  });

  it('has standalone texts without placeholders', () => {
    for (const [code, text] of Object.entries(runtimeTextsCs)) {
      expect(text.text, code).not.toMatch(/\{\w+\}/);
      expect(text.hint ?? '', code).not.toMatch(/\{\w+\}/);
    }
  });
});

// Codes whose English hint differs per raising site, so that no one Czech hint is true for all:
// the runtime's English hint is shown for them.
const HINT_PER_SITE = new Set([
  // Each HTTP API route gives its own hint, e.g. the expected request body.
  'BAD_REQUEST',
  // The hint lists the allowed fields of a credential, taken from its schema.
  'CREDENTIALS_INVALID',
  // The CSV reader and writer name the allowed values of the parameter that is wrong.
  'CSV_OPTION_INVALID',
  // A run aborted by a restart of the service is simply started again, but a run whose worker
  // did not stop after a cancel points at endless work in Map and Filter expressions.
  'RUN_ABORTED',
]);

// Places that pass on a hint given by their caller: the DBF message table and a run's report.
const HINT_PASSED_ON = [
  'nodes/src/dbf/dbf-errors.ts dbfError',
  'runtime/src/executor/run-report.ts reportError',
];

describe('runtime hints', () => {
  it('scan finds the known hinted codes', () => {
    for (const known of [
      'DBF_TRUNCATED',
      'CSV_CELL_COUNT',
      'CREDENTIAL_INVALID',
      'REMOTE_COMMAND_REFUSED',
      'REMOTE_TIMEOUT',
      'REMOTE_CONNECTION_FAILED',
      'TEXT_LINE_LENGTH',
      'TEXT_CHARACTER_CUT',
      'RUN_TIMED_OUT',
      'LISTEN_FAILED',
      'BAD_REQUEST',
    ]) {
      expect(hinted.codes, known).toContain(known);
    }
    expect(hinted.codes.size).toBeGreaterThan(100);
    expect(hinted.codes.has('RUN_CANCELLED')).toBe(false);
  });

  it('scan follows every hinted site', () => {
    expect([...hinted.unresolved].sort()).toEqual(HINT_PASSED_ON);
  });

  it('has a Czech hint for every hinted code', () => {
    const missing = [...hinted.codes].filter(
      (code) => !HINT_PER_SITE.has(code) && runtimeTextsCs[code]?.hint === undefined,
    );
    expect(missing.sort()).toEqual([]);
  });

  it('lists only hinted codes as varying', () => {
    for (const code of HINT_PER_SITE) {
      expect(hinted.codes, code).toContain(code);
      expect(runtimeTextsCs[code]?.hint, code).toBeUndefined();
    }
  });
});

describe('describeRuntimeMessage', () => {
  const truncated = {
    code: 'DBF_TRUNCATED',
    message: 'truncated: header says 10 records, file holds 7',
    hint: 'The file was cut short or its header is wrong.',
    params: { promised: 10, held: 7 },
    context: { block: 'read-items', file: 'items.dbf', offset: 1234, record: 8 },
  };

  it('words Czech with values and labels', () => {
    const described = describeRuntimeMessage('cs', truncated);
    expect(described.text).toBe(
      'Tabulka DBF je zkrácená: hlavička udává 10 záznamů, soubor jich obsahuje 7.',
    );
    expect(described.hint).toBe(runtimeTextsCs.DBF_TRUNCATED!.hint);
    expect(described.where).toEqual([
      { label: 'blok', value: 'read-items' },
      { label: 'soubor', value: 'items.dbf' },
      { label: 'záznam', value: '8' },
      { label: 'bajt', value: '1234' },
    ]);
    expect(described.detail).toBe(truncated.message);
  });

  it('falls back to the text without values', () => {
    const described = describeRuntimeMessage('cs', { ...truncated, params: undefined });
    expect(described.text).toBe('Tabulka DBF je zkrácená.');
  });

  it('keeps English as the runtime sent it', () => {
    const described = describeRuntimeMessage('en', truncated);
    expect(described.text).toBe(truncated.message);
    expect(described.hint).toBe(truncated.hint);
    expect(described.detail).toBeUndefined();
    expect(described.where.map((line) => line.label)).toEqual(['block', 'file', 'record', 'byte']);
  });

  it('words a failed CSV row with its hint', () => {
    const described = describeRuntimeMessage('cs', {
      code: 'CSV_CELL_COUNT',
      message: 'items.csv: line 4 has 3 cells, but the header has 4',
      hint: 'Fix the row, check the delimiter and quote character, or set the block to skip.',
    });
    expect(described.text).toBe('Řádek CSV má jiný počet buněk než záhlaví.');
    expect(described.hint).toBe(runtimeTextsCs.CSV_CELL_COUNT!.hint);
    expect(described.hint).toContain('oddělovač');
  });

  it('shows no hint the runtime did not give', () => {
    const described = describeRuntimeMessage('cs', { code: 'RUN_TIMED_OUT', message: 'x' });
    expect(described.hint).toBeUndefined();
  });

  it('words an unknown OS error code', () => {
    const line = runtimeMessageLine('cs', { code: 'ECONNRESET', message: 'read ECONNRESET' });
    expect(line).toBe('Chyba operačního systému ECONNRESET. (Podrobnosti: read ECONNRESET)');
  });

  it('words one line with place and detail', () => {
    expect(runtimeMessageLine('cs', truncated)).toBe(
      'Tabulka DBF je zkrácená: hlavička udává 10 záznamů, soubor jich obsahuje 7. ' +
        '(blok read-items, soubor items.dbf, záznam 8, bajt 1234) ' +
        '(Podrobnosti: truncated: header says 10 records, file holds 7)',
    );
    expect(runtimeMessageLine('en', truncated)).toBe(
      'truncated: header says 10 records, file holds 7 ' +
        '(block read-items, file items.dbf, record 8, byte 1234)',
    );
  });

  it('names the block by its name', () => {
    const labels = flowLabels({
      nodes: [
        {
          id: 'read-items',
          type: 'block',
          position: { x: 0, y: 0 },
          data: { type: 'dbf.read', version: 1, name: 'Číst zboží', parameters: {} },
        },
      ],
      catalogByType: {},
    });
    const described = describeRuntimeMessage('cs', truncated, labels);
    expect(described.where[0]).toEqual({ label: 'blok', value: 'Číst zboží' });
    expect(runtimeMessageLine('en', truncated, labels)).toContain('(block Číst zboží, file');
  });

  it('words a failed expression hint in Czech', () => {
    const described = describeRuntimeMessage('cs', {
      code: 'EXPRESSION_FAILED',
      message: 'expression in "expression" failed on record 1: price missing',
      hint: 'Check the expression against the record shown; empty values in the input are null.',
    });
    expect(described.hint).toBe(
      'Ověřte výraz na zobrazeném záznamu. Prázdné hodnoty na vstupu jsou null.',
    );
  });

  it.each([
    ['EXPRESSION_INVALID', 'Opravte výraz. Syntaxi JSONata popisuje https://docs.jsonata.org.'],
    ['FILE_EMPTY', 'Zkontrolujte vstup a filtry, nebo vypněte Odmítnout prázdný soubor.'],
    [
      'TARGET_IS_FOLDER',
      'Zadejte název souboru, nebo cestu ukončete lomítkem / a soubory se zapíší do té složky.',
    ],
    ['REMOTE_TIMEOUT', 'Selhal server nebo síť. Další pokus nebo běh může uspět.'],
    [
      'REMOTE_COMMAND_REFUSED',
      'Server požadavek odmítl; zkontrolujte cestu, např. zda nevede ke složce.',
    ],
  ])('words the hint of %s in Czech', (code, hint) => {
    const described = describeRuntimeMessage('cs', { code, message: 'x', hint: 'English hint' });
    expect(described.hint).toBe(hint);
  });

  it('keeps the message of an unknown code', () => {
    const described = describeRuntimeMessage('cs', { code: 'SOMETHING_NEW', message: 'new' });
    expect(described.text).toBe('new');
  });
});
