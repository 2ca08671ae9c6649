import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import localizeCs from 'ajv-i18n/localize/cs/index.js';
import type { ParameterObjectSchema } from '../api/types.js';
import { findSyntaxError, syntaxMessage } from '../components/JsonataEditor/jsonata-syntax.js';
import type { Language } from '../i18n/i18n.js';
import { isExpressionValue } from './widgets.js';

/** One problem of a block's settings: the parameter, an i18n message key and placeholders. */
export type ParameterProblem = {
  parameter: string;
  key: 'param.required' | 'param.invalid' | 'param.expressionEmpty' | 'param.syntax';
  params: Record<string, string>;
};

// The editor hints (`expression`, `widget`) are not JSON Schema keywords; strict mode would
// reject them.
const ajv = new Ajv2020({ strict: false, allErrors: true });
const compiled = new WeakMap<ParameterObjectSchema, ValidateFunction>();

function validatorFor(schema: ParameterObjectSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describe(error: ErrorObject): ParameterProblem {
  if (error.keyword === 'required') {
    const parameter = String((error.params as { missingProperty: string }).missingProperty);
    return { parameter, key: 'param.required', params: {} };
  }
  const parameter = error.instancePath.split('/')[1] ?? '';
  return { parameter, key: 'param.invalid', params: { detail: error.message ?? error.keyword } };
}

/** Returns the JSONata syntax error of a parameter as a problem, or undefined. */
function syntaxProblem(
  parameter: string,
  source: string,
  language: Language,
): ParameterProblem | undefined {
  const error = findSyntaxError(source);
  if (error === undefined) return undefined;
  return {
    parameter,
    key: 'param.syntax',
    params: { position: String(error.position), message: syntaxMessage(error, language) },
  };
}

/**
 * Checks a block's parameters against its schema, and the JSONata syntax of JSONata fields and
 * expression values. An expression's result is checked only when the block starts. Problem
 * details are in `language`.
 */
export function validateParameters(
  schema: ParameterObjectSchema,
  parameters: Record<string, unknown>,
  language: Language = 'en',
): ParameterProblem[] {
  const plain: Record<string, unknown> = {};
  const problems: ParameterProblem[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    if (!isExpressionValue(value)) {
      if (value !== undefined && value !== '') plain[name] = value;
      const isJsonata = schema.properties?.[name]?.widget === 'jsonata';
      const problem =
        isJsonata && typeof value === 'string' && syntaxProblem(name, value, language);
      if (problem) problems.push(problem);
      continue;
    }
    if (value.expression.trim() === '') {
      problems.push({ parameter: name, key: 'param.expressionEmpty', params: {} });
    }
    const problem = syntaxProblem(name, value.expression, language);
    if (problem !== undefined) problems.push(problem);
    plain[name] = undefined;
  }
  const expressionNames = Object.keys(parameters).filter((name) =>
    isExpressionValue(parameters[name]),
  );
  const validate = validatorFor(schema);
  if (!validate(Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)))) {
    if (language === 'cs') localizeCs(validate.errors);
    for (const error of validate.errors ?? []) {
      const problem = describe(error);
      if (!expressionNames.includes(problem.parameter)) problems.push(problem);
    }
  }
  return problems;
}
