import { describe, expect, it } from 'vitest';
import { buildFlow, testCatalog } from '../../test-support/blocks.js';
import { formatProblem } from './flow-problem.js';
import { parseFlow } from './load-flow.js';
import { validateFlow } from './validate-flow.js';
import type { Flow } from './flow-schema.js';

function problemsOf(flow: Flow): string[] {
  return validateFlow(flow, testCatalog).map(formatProblem);
}

describe('validateFlow', () => {
  it('accepts a valid flow', () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate'],
        ['map', 'transform.map', { expression: '{ "n": n, "target": $vars.TARGET }' }],
        ['sink', 'test.collect', { key: 'k' }],
      ],
      ['source.records>map.records', 'map.records>sink.records', 'map.error>sink.records'],
      { TARGET: { description: 'where' } },
    );
    expect(problemsOf(flow)).toEqual([]);
  });

  it('rejects an unknown block type', () => {
    expect(problemsOf(buildFlow([['x', 'dbf.reed']], []))).toEqual([
      'block "x", type: unknown block type "dbf.reed"',
    ]);
  });

  it('rejects a missing required parameter', () => {
    expect(problemsOf(buildFlow([['map', 'transform.map']], []))).toContain(
      'block "map", parameter "expression": missing required parameter',
    );
  });

  it('rejects a download moved after the run without a folder', () => {
    const download = { credential: 'shop', folder: '/orders', afterRun: 'move' };
    const missing = problemsOf(buildFlow([['get', 'ftp.download', download]], []));
    const given = problemsOf(
      buildFlow([['get', 'sftp.download', { ...download, moveTo: '/orders/done' }]], []),
    );

    expect(missing).toEqual([
      'block "get", parameter "moveTo": "After the run" is move, but no folder to move to is given',
    ]);
    expect(given).toEqual([]);
  });

  it('rejects an unknown parameter and a wrong type', () => {
    const problems = problemsOf(
      buildFlow([['g', 'test.generate', { count: 'ten', colour: 1 }]], []),
    );
    expect(problems).toContain('block "g", parameter "colour": unknown parameter');
    expect(problems.some((problem) => problem.startsWith('block "g", parameter "count":'))).toBe(
      true,
    );
  });

  it('rejects invalid JSONata with its position', () => {
    const [problem] = problemsOf(
      buildFlow([['map', 'transform.map', { expression: '{ "a": }' }]], []),
    );
    expect(problem).toMatch(
      /^block "map", parameter "expression": invalid JSONata in "expression" at character \d+/,
    );
  });

  it('rejects an undeclared variable in an expression and an expression parameter', () => {
    const flow = buildFlow(
      [
        ['read', 'file.read', { path: { expression: '$vars.SOURCE' } }],
        ['map', 'transform.map', { expression: '{ "x": $vars.TYPO }' }],
      ],
      [],
    );
    const problems = problemsOf(flow);
    expect(problems).toContain(
      'block "read", parameter "path": uses the undeclared variable $vars.SOURCE; declare it in the flow\'s variables',
    );
    expect(problems).toContain(
      'block "map", parameter "expression": uses the undeclared variable $vars.TYPO; declare it in the flow\'s variables',
    );
  });

  it('rejects an expression for a parameter that takes none', () => {
    const flow = buildFlow(
      [['w', 'file.write', { path: 'a', rejectEmpty: { expression: 'true' } }]],
      [],
    );
    expect(problemsOf(flow)).toContain(
      'block "w", parameter "rejectEmpty": this parameter cannot be an expression',
    );
  });

  it('rejects an unwired input', () => {
    expect(problemsOf(buildFlow([['map', 'transform.map', { expression: '$' }]], []))).toEqual([
      'block "map", input "records": nothing is wired to this input, so the block would receive nothing',
    ]);
  });

  it('rejects a duplicate wire', () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate'],
        ['sink', 'test.collect', { key: 'k' }],
      ],
      ['source.records>sink.records', 'source.records>sink.records'],
    );
    expect(problemsOf(flow)).toEqual([
      'wire 2 (source.records → sink.records): the same wire appears twice, so every item would arrive twice',
    ]);
  });

  it('rejects a block version newer than the catalogue', () => {
    const flow = buildFlow([['source', 'test.generate']], []);
    flow.blocks[0]!.version = 2;
    expect(problemsOf(flow)).toEqual([
      'block "source", version: version 2 of test.generate is newer than this Kurýr knows (1); update Kurýr',
    ]);
  });

  it('reports a syntax error once, without a missing parameter', () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate'],
        ['map', 'transform.map', { expression: '{ "a": }' }],
      ],
      ['source.records>map.records'],
    );
    const problems = problemsOf(flow);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/invalid JSONata/);
  });

  it('rejects a wire between incompatible ports', () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate'],
        ['write', 'file.write', { path: 'a.csv' }],
      ],
      ['source.records>write.file'],
    );
    expect(problemsOf(flow)).toEqual([
      'block "write", wire 1 (source.records → write.file): joins incompatible ports: records cannot flow into a files input',
    ]);
  });

  it('rejects wires to missing blocks and ports', () => {
    const flow = buildFlow(
      [
        ['source', 'test.generate'],
        ['sink', 'test.collect', { key: 'k' }],
      ],
      ['source.rows>sink.records', 'source.records>ghost.records'],
    );
    expect(problemsOf(flow)).toEqual([
      'block "source", wire 1 (source.rows → sink.records): block type test.generate has no output port "rows" (ports: records)',
      'wire 2 (source.records → ghost.records): no block with id "ghost"',
    ]);
  });

  it('rejects a cycle', () => {
    const flow = buildFlow(
      [
        ['a', 'transform.map', { expression: '$' }],
        ['b', 'transform.map', { expression: '$' }],
      ],
      ['a.records>b.records', 'b.records>a.records'],
    );
    expect(problemsOf(flow)).toEqual(['block "a": wires form a cycle: a → b → a']);
  });

  it('rejects duplicate block ids', () => {
    const flow = buildFlow(
      [
        ['a', 'test.generate'],
        ['a', 'test.generate'],
      ],
      [],
    );
    expect(problemsOf(flow)).toEqual(['block "a": duplicate block id']);
  });
});

describe('parseFlow', () => {
  it('names the block of a malformed field', () => {
    const text = JSON.stringify({
      schemaVersion: 1,
      id: 'f',
      blocks: [
        { id: 'ok', type: 't' },
        { id: 'bad', type: 5 },
      ],
    });
    expect(() => parseFlow(text, 'flow.json')).toThrow(/block "bad", type: /);
  });

  it('rejects another schema version', () => {
    expect(() => parseFlow('{"schemaVersion": 2, "id": "f", "blocks": []}', 'flow.json')).toThrow(
      /schemaVersion/,
    );
  });

  it('accepts a byte order mark', () => {
    const text = '\uFEFF' + JSON.stringify({ schemaVersion: 1, id: 'f', blocks: [] });
    expect(parseFlow(text, 'flow.json').id).toBe('f');
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseFlow('{ nope', 'flow.json')).toThrow(
      /invalid flow flow.json:\n {2}- not valid JSON/,
    );
  });
});
