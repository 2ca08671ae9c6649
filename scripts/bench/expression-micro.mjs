// Micro-measurement of the flow's Map expression alone: the jsonata library evaluating it per
// record against Kurýr's compiled expression, on the same generated items. It checks that both
// return the same objects and prints { records, jsonataPerSecond, compiledPerSecond }.
//
// Usage: node expression-micro.mjs FLOW_FILE [RECORDS]
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { createExpressionEngine, generateItems, moneyFunctions } from '../../nodes/dist/index.js';

const [flowFile, recordsArgument = '200000'] = process.argv.slice(2);
const count = Number(recordsArgument);
if (flowFile === undefined || !Number.isInteger(count) || count < 1) {
  console.error('usage: node expression-micro.mjs FLOW_FILE [RECORDS]');
  process.exit(2);
}

const flow = JSON.parse(await readFile(flowFile, 'utf8'));
const source = flow.blocks.find((block) => block.type === 'transform.map').parameters.expression;
const records = [];
for (const batch of generateItems(count, 852)) records.push(...batch);

const library = jsonata(source);
for (const [name, { implementation, signature }] of Object.entries(moneyFunctions)) {
  library.registerFunction(name, implementation, signature);
}
const engine = createExpressionEngine({
  variables: {},
  runStartedAt: new Date(),
  onWarning: () => {},
});
const compiled = engine.compile(source, 'expression');
if (!compiled.isCompiled) {
  console.error("the flow's Map expression does not compile; it would run on the library");
  process.exit(1);
}

// A first pass warms both paths up and checks that they agree on every record.
const fromLibrary = [];
for (const record of records) fromLibrary.push(await library.evaluate(record));
records.forEach((record, index) => {
  const result = compiled.evaluateNow(record);
  if (!isDeepStrictEqual({ ...result }, { ...fromLibrary[index] })) {
    console.error(`record ${index + 1}: compiled and library results differ`);
    process.exit(1);
  }
});

const jsonataSeconds = await measure(async () => {
  for (const record of records) await library.evaluate(record);
});
const compiledSeconds = await measure(async () => {
  for (const record of records) compiled.evaluateNow(record);
});
console.log(
  JSON.stringify({
    records: count,
    jsonataPerSecond: count / jsonataSeconds,
    compiledPerSecond: count / compiledSeconds,
  }),
);

async function measure(run) {
  const startedAt = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}
