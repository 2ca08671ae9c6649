import type { ParameterObjectSchema, ParameterSchema } from '../api/types.js';

/** The kinds of form widget; the parameter panel has one component per kind. */
export type WidgetKind =
  | 'jsonata'
  | 'file'
  | 'folder'
  | 'codepage'
  | 'cron'
  | 'credential'
  | 'variable'
  | 'choice'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'list'
  | 'objects'
  | 'text';

function schemaType(schema: ParameterSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/**
 * Chooses the widget for a parameter: the schema's explicit `widget` hint wins, then the JSON
 * Schema type decides (an `enum` is a choice, an array a list, an array of objects a list of
 * small forms).
 */
export function widgetFor(schema: ParameterSchema): WidgetKind {
  if (schema.widget !== undefined) return schema.widget;
  if (schema.enum !== undefined) return 'choice';
  switch (schemaType(schema)) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'array':
      return schema.items?.properties === undefined ? 'list' : 'objects';
    default:
      return 'text';
  }
}

/** One field of a generated form. */
export type FormField = {
  name: string;
  schema: ParameterSchema;
  widget: WidgetKind;
  required: boolean;
  /** The field may hold a JSONata expression in place of a value. */
  allowsExpression: boolean;
};

/** Lists the fields of a parameter schema in declaration order. */
export function formFields(schema: ParameterObjectSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    schema: property,
    widget: widgetFor(property),
    required: required.has(name),
    allowsExpression: property.expression === true && property.widget !== 'jsonata',
  }));
}

/** Returns whether a parameter value is an expression, `{ "expression": "..." }`. */
export function isExpressionValue(value: unknown): value is { expression: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { expression?: unknown }).expression === 'string'
  );
}

/** Returns the parameters a new block starts with: the schema's defaults. */
export function defaultParameters(schema: ParameterObjectSchema): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.default !== undefined) values[name] = structuredClone(property.default);
  }
  return values;
}
