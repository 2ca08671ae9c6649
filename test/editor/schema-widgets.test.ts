// The editor's form generator meets the real block catalogue, as the runtime exports it.
import { blockDefinitions, parameterJsonSchema } from '@kuryr/nodes';
import { describe, expect, it } from 'vitest';
import type { ParameterObjectSchema } from '../../editor/src/api/types.js';
import { blockIcons } from '../../editor/src/components/BlockIcon/block-icons.js';
import { validateParameters } from '../../editor/src/schema/validate.js';
import { defaultParameters, formFields, widgetFor } from '../../editor/src/schema/widgets.js';

function schemaOf(type: string): ParameterObjectSchema {
  const definition = blockDefinitions.find((entry) => entry.type === type);
  if (definition === undefined) throw new Error(`no block ${type}`);
  return parameterJsonSchema(definition) as ParameterObjectSchema;
}

function widgets(type: string): Record<string, string> {
  return Object.fromEntries(formFields(schemaOf(type)).map((field) => [field.name, field.widget]));
}

describe('schema widgets', () => {
  it('maps every Read DBF parameter to its widget', () => {
    expect(widgets('dbf.read')).toEqual({
      path: 'file',
      codePage: 'choice',
      batchSize: 'integer',
      lenient: 'boolean',
      strict: 'boolean',
      requiredFields: 'list',
    });
  });

  it('maps Write CSV encoding to the code-page widget', () => {
    expect(widgets('csv.write')).toMatchObject({
      encoding: 'codepage',
      lineEnding: 'choice',
      columns: 'list',
      fileName: 'text',
      decimalComma: 'boolean',
    });
  });

  it('gives Map and Filter the JSONata editor', () => {
    expect(widgets('transform.map')).toEqual({ expression: 'jsonata' });
    expect(widgets('transform.filter')).toEqual({ condition: 'jsonata' });
  });

  it('offers expressions only where the schema allows them', () => {
    const fields = formFields(schemaOf('dbf.read'));
    expect(fields.filter((field) => field.allowsExpression).map((field) => field.name)).toEqual([
      'path',
      'codePage',
    ]);
  });

  it('gives FTP and SFTP blocks the credential widget', () => {
    const transfer = blockDefinitions.filter((definition) => /^s?ftp\./.test(definition.type));
    expect(transfer.length).toBeGreaterThanOrEqual(12);
    for (const definition of transfer) {
      expect(widgets(definition.type).credential).toBe('credential');
      expect(definition.credentials).toEqual([definition.type.split('.')[0]]);
    }
  });

  it('maps the remaining hints and JSON types', () => {
    expect(widgetFor({ type: 'string', widget: 'cron' })).toBe('cron');
    expect(widgetFor({ type: 'string', widget: 'credential' })).toBe('credential');
    expect(widgetFor({ type: 'number' })).toBe('number');
    expect(widgetFor({ type: ['string', 'null'] })).toBe('text');
  });

  it('reports a missing required parameter of a new block', () => {
    const schema = schemaOf('dbf.read');
    const problems = validateParameters(schema, defaultParameters(schema));
    expect(problems).toEqual([{ parameter: 'path', key: 'param.required', params: {} }]);
  });

  it('accepts an expression where a value is required', () => {
    const schema = schemaOf('dbf.read');
    expect(validateParameters(schema, { path: { expression: '$vars.SOURCE_DBF' } })).toEqual([]);
    expect(validateParameters(schema, { path: { expression: ' ' } })).toEqual([
      { parameter: 'path', key: 'param.expressionEmpty', params: {} },
    ]);
  });

  it('reports a value outside the schema', () => {
    const problems = validateParameters(schemaOf('csv.write'), { quoteChar: '""' });
    expect(problems.map((problem) => problem.parameter)).toEqual(['quoteChar']);
    expect(problems[0]?.key).toBe('param.invalid');
  });
});

describe('block icons', () => {
  it('has an icon for every block of the catalogue', () => {
    const missing = blockDefinitions
      .filter((definition) => blockIcons[definition.icon] === undefined)
      .map((definition) => `${definition.type}: ${definition.icon}`);
    expect(missing).toEqual([]);
  });
});
