import { z } from 'zod';
import { defineBlock, type DataRecord } from '../../contract/block.js';
import { isTruthy } from './truthiness.js';

/**
 * Filter: sends the records for which a JSONata predicate is true (by JSONata's `$boolean` rules)
 * to `kept`, and the rest to `discarded`, which may stay unwired.
 */
export const filterBlock = defineBlock({
  type: 'transform.filter',
  version: 1,
  title: 'Filter',
  category: 'Transform',
  icon: 'filter',
  help: {
    summary:
      'Keeps the records for which a JSONata condition is true. Empty strings, 0, null, ' +
      "false and missing values count as false, as in JSONata's $boolean.",
    inputs: { records: 'The records to test.' },
    outputs: {
      kept: 'Records for which the condition is true.',
      discarded: 'All other records; may stay unwired.',
    },
  },
  inputs: [{ name: 'records', kind: 'records', label: 'Records' }],
  outputs: [
    { name: 'kept', kind: 'records', label: 'Kept' },
    { name: 'discarded', kind: 'records', label: 'Discarded' },
  ],
  parameters: z.object({
    condition: z.string().min(1).meta({
      title: 'Condition',
      description: 'JSONata evaluated on each record, e.g. ACTIVE and STOCK > 0.',
      widget: 'jsonata',
    }),
  }),
  async run(context) {
    const condition = context.expressions.compile(context.params.condition, 'condition');
    const kept = context.outputs.kept!;
    const discarded = context.outputs.discarded!;
    let recordNumber = 0;

    for await (const batch of context.inputs.records!) {
      const keptBatch: DataRecord[] = [];
      const discardedBatch: DataRecord[] = [];
      for (const record of batch) {
        recordNumber++;
        try {
          // evaluateNow returns compiled results directly; only the library's come as promises.
          let result = condition.evaluateNow(record, recordNumber);
          if (result instanceof Promise) result = await result;
          const verdict = isTruthy(result);
          (verdict ? keptBatch : discardedBatch).push(record as DataRecord);
        } catch (error) {
          await context.reportItemError(error, record, { record: recordNumber });
        }
      }
      if (keptBatch.length > 0) await kept.send(keptBatch);
      if (discardedBatch.length > 0 && discarded.isWired) await discarded.send(discardedBatch);
    }
    // Both outputs carry records of the input's shape.
    const columns = context.inputColumns('records');
    if (columns !== undefined) {
      kept.announceColumns(columns);
      discarded.announceColumns(columns);
    }
  },
});
