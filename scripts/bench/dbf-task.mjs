// One task of the DBF benchmark, run in a child process of its own so that its peak memory is
// measured alone: writing or reading the generated items table with Kurýr or with dbffile.
//
// Usage: node scripts/bench/dbf-task.mjs TASK TABLE RECORDS
//   TASK is kuryr-write, dbffile-write, kuryr-read, dbffile-read or generate (the generator
//   alone, the part of the write tasks that is not writing). Prints {"records", "seconds"}.
import { DBFFile } from 'dbffile';
import { createDbfWriter, demoItemFields, generateItems, openDbf } from '../../nodes/dist/index.js';

const SEED = 852;
const BATCH_SIZE = 1000;
const LAST_UPDATE = new Date(2026, 10, 30);

const [task, path, recordsText] = process.argv.slice(2);
const count = Number(recordsText);
const tasks = {
  generate: async () => {
    let records = 0;
    for (const batch of generateItems(count, SEED, BATCH_SIZE)) records += batch.length;
    return records;
  },
  'kuryr-write': async () => {
    const writer = await createDbfWriter(path, {
      fields: demoItemFields,
      codePage: '852',
      lastUpdate: LAST_UPDATE,
    });
    try {
      for (const batch of generateItems(count, SEED, BATCH_SIZE)) await writer.write(batch);
    } finally {
      await writer.close();
    }
    return writer.recordCount;
  },
  'dbffile-write': async () => {
    const fixedSizes = { D: 8, L: 1 };
    const fields = demoItemFields.map((field) => ({
      name: field.name,
      type: field.type,
      size: fixedSizes[field.type] ?? field.length,
      decimalPlaces: field.decimals ?? 0,
    }));
    const table = await DBFFile.create(path, fields, { encoding: 'cp852' });
    let records = 0;
    for (const batch of generateItems(count, SEED, BATCH_SIZE)) {
      // dbffile takes dates as Date objects.
      const converted = batch.map((item) => ({ ...item, CHANGED: new Date(item.CHANGED) }));
      await table.appendRecords(converted);
      records += batch.length;
    }
    return records;
  },
  'kuryr-read': async () => {
    const table = await openDbf(path);
    let records = 0;
    try {
      for await (const batch of table.records(BATCH_SIZE)) records += batch.length;
    } finally {
      await table.close();
    }
    return records;
  },
  'dbffile-read': async () => {
    const table = await DBFFile.open(path, { encoding: 'cp852' });
    let records = 0;
    for (;;) {
      const batch = await table.readRecords(BATCH_SIZE);
      if (batch.length === 0) break;
      records += batch.length;
    }
    return records;
  },
};

if (!(task in tasks) || !Number.isInteger(count) || count < 1) {
  console.error(`usage: dbf-task.mjs ${Object.keys(tasks).join('|')} TABLE RECORDS`);
  process.exit(2);
}
const startedAt = process.hrtime.bigint();
const records = await tasks[task]();
const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
console.log(JSON.stringify({ records, seconds }));
