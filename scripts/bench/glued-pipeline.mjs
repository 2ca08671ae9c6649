// The e-shop stock flow rebuilt from the libraries alone, as the baseline for Kurýr's speed:
// dbffile → jsonata (Map, then Filter) → papaparse → iconv-lite → file.
//
// Usage: node glued-pipeline.mjs FLOW_FILE SOURCE_DBF TARGET_CSV
//
// The Map and Filter expressions and the CSV settings come from the flow file, and $vars contains
// SOURCE_DBF and TARGET_CSV as given. Prints { "recordsRead": N, "recordsWritten": M } to stdout.
import { readFile, open } from 'node:fs/promises';
import { DBFFile } from 'dbffile';
import iconv from 'iconv-lite';
import jsonata from 'jsonata';
import Papa from 'papaparse';
import { moneyFunctions } from '../../nodes/dist/index.js';

const BATCH_SIZE = 10_000;
const SOURCE_ENCODING = 'cp852';
/** Any fixed instant: the flow's expressions do not read the clock. */
const FIXED_NOW = new Date(Date.UTC(2026, 10, 30, 8, 0, 0));

const [flowFile, sourcePath, targetPath] = process.argv.slice(2);
if (targetPath === undefined) {
  console.error('usage: node glued-pipeline.mjs FLOW_FILE SOURCE_DBF TARGET_CSV');
  process.exit(2);
}

const flow = JSON.parse(await readFile(flowFile, 'utf8'));
const mapExpression = compile(findBlock(flow, 'transform.map').parameters.expression);
// JSONata's own $boolean gives the truth of the condition, as Kurýr's Filter defines it.
const filterCondition = compile(
  `$boolean((${findBlock(flow, 'transform.filter').parameters.condition}))`,
);
const csv = readCsvSettings(findBlock(flow, 'csv.write').parameters);
const bindings = {
  vars: { SOURCE_DBF: sourcePath, TARGET_CSV: targetPath },
  now: () => FIXED_NOW.toISOString(),
  millis: () => FIXED_NOW.getTime(),
  warn: () => false,
};

const table = await DBFFile.open(sourcePath, { encoding: SOURCE_ENCODING });
const output = await open(targetPath, 'w');
let recordsRead = 0;
let recordsWritten = 0;
try {
  for (;;) {
    const batch = await table.readRecords(BATCH_SIZE);
    if (batch.length === 0) break;
    recordsRead += batch.length;

    const rows = await transformBatch(batch);
    if (rows.length === 0) continue;
    await writeRows(rows);
  }
  if (recordsWritten === 0 && csv.header) await writeRows([]);
} finally {
  await output.close();
}
console.log(JSON.stringify({ recordsRead, recordsWritten }));

function findBlock(flowDocument, type) {
  const block = flowDocument.blocks.find((candidate) => candidate.type === type);
  if (block === undefined) throw new Error(`the flow has no ${type} block`);
  return block;
}

function compile(source) {
  const expression = jsonata(source);
  for (const [name, { implementation, signature }] of Object.entries(moneyFunctions)) {
    expression.registerFunction(name, implementation, signature);
  }
  return expression;
}

/** Takes the CSV block's settings and rejects those that this script does not implement. */
function readCsvSettings(parameters) {
  const isSupported =
    parameters.encoding === 'windows-1250' &&
    parameters.decimalComma === true &&
    parameters.formulaGuard === false &&
    Array.isArray(parameters.columns);
  if (!isSupported) {
    throw new Error(
      'the glued pipeline implements only windows-1250, decimal commas, no formula guard and a ' +
        'column list; the flow now asks for something else',
    );
  }
  return {
    columns: parameters.columns,
    header: parameters.header ?? true,
    config: {
      delimiter: parameters.delimiter ?? ',',
      quoteChar: parameters.quoteChar ?? '"',
      newline: parameters.lineEnding === 'LF' ? '\n' : '\r\n',
      quotes: false,
    },
  };
}

/** Maps and filters one batch and returns the CSV rows of the records kept, as cell arrays. */
async function transformBatch(batch) {
  const rows = [];
  for (const record of batch) {
    const mapped = await mapExpression.evaluate(normalizeRecord(record), bindings);
    const members = mapped === undefined ? [] : Array.isArray(mapped) ? mapped : [mapped];
    for (const member of members) {
      if (!(await filterCondition.evaluate(member, bindings))) continue;
      rows.push(csv.columns.map((name) => toCell(member[name])));
    }
  }
  return rows;
}

/**
 * Brings dbffile's values to the shapes that Kurýr's Read DBF produces: an empty text value
 * becomes null, and a date becomes YYYY-MM-DD text. dbffile already trims trailing spaces.
 */
function normalizeRecord(record) {
  for (const name in record) {
    const value = record[name];
    if (value === '') record[name] = null;
    else if (value instanceof Date) record[name] = value.toISOString().slice(0, 10);
  }
  return record;
}

/** Numbers get a decimal comma; papaparse writes null and undefined as empty cells. */
function toCell(value) {
  return typeof value === 'number' ? String(value).replace('.', ',') : value;
}

async function writeRows(rows) {
  const withHeader = csv.header && recordsWritten === 0;
  const text = Papa.unparse(
    { fields: csv.columns, data: rows },
    { ...csv.config, header: withHeader },
  );
  const bytes = iconv.encode(text + csv.config.newline, 'windows-1250');
  await output.write(bytes);
  recordsWritten += rows.length;
}
