import { z } from 'zod';
import { FlowAuthorError } from '../../contract/errors.js';
import { defineBlock, type DataRecord } from '../../contract/block.js';
import { findConstructedFields, findMergedInputFields } from '../../expressions/engine.js';

/**
 * Map: evaluates a JSONata expression on each record. An object result is the new record, an
 * array gives one record per object in it, and an undefined result drops the record.
 */
export const mapBlock = defineBlock({
  type: 'transform.map',
  version: 1,
  title: 'Map',
  category: 'Transform',
  icon: 'shuffle',
  help: {
    summary:
      'Builds a new record from each input record with a JSONata expression. Return an object ' +
      'for one record, an array of objects for several, or nothing to drop the record.',
    inputs: { records: 'The records to transform.' },
    outputs: { records: 'The records the expression returned.' },
  },
  inputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  outputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  parameters: z.object({
    expression: z
      .string()
      .min(1)
      .meta({
        title: 'Expression',
        description:
          'JSONata evaluated on each record, e.g. { "code": CODE, "price": $addVat(PRICE, VAT) }. ' +
          'Flow variables are $vars.NAME; $now() is the start of the run.',
        widget: 'jsonata',
      }),
  }),
  async run(context) {
    const expression = context.expressions.compile(context.params.expression, 'expression');
    const output = context.outputs.records!;
    // An object constructor names its fields before any record comes, e.g. for a CSV header.
    const fields = findConstructedFields(context.params.expression, 'expression');
    if (fields !== undefined) output.announceColumns(fields);
    const addedFields = findMergedInputFields(context.params.expression, 'expression');
    let recordNumber = 0;

    for await (const batch of context.inputs.records!) {
      const results: DataRecord[] = [];
      for (const record of batch) {
        recordNumber++;
        try {
          // evaluateNow returns compiled results directly; only the library's come as promises.
          let result = expression.evaluateNow(record, recordNumber);
          if (result instanceof Promise) result = await result;
          collectRecords(result, recordNumber, results);
        } catch (error) {
          await context.reportItemError(error, record, { record: recordNumber });
        }
      }
      if (results.length > 0) await output.send(results);
    }
    // `$` and `$merge([$, {...}])` keep the input's fields, which are known once the input ends.
    const inputColumns = context.inputColumns('records');
    if (addedFields !== undefined && inputColumns !== undefined) {
      const added = addedFields.filter((field) => !inputColumns.includes(field));
      output.announceColumns([...inputColumns, ...added]);
    }
  },
});

function collectRecords(result: unknown, recordNumber: number, into: DataRecord[]): void {
  if (result === undefined) return;
  if (!Array.isArray(result)) {
    // One object is the common result, so it gets no array of its own.
    into.push(checkRecord(result, recordNumber));
    return;
  }
  for (const member of result) into.push(checkRecord(member, recordNumber));
}

function checkRecord(member: unknown, recordNumber: number): DataRecord {
  if (member === null || typeof member !== 'object' || Array.isArray(member)) {
    throw new FlowAuthorError(
      'MAP_NOT_A_RECORD',
      `the expression returned ${JSON.stringify(member)} for record ${recordNumber}, not an object`,
      {
        hint: 'Return an object such as { "code": CODE }, an array of objects, or nothing.',
        context: { parameter: 'expression', record: recordNumber },
      },
    );
  }
  return member as DataRecord;
}
