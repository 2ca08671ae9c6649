// One measured step of the csv benchmark, in its own process so that its peak RSS is its own.
// Prints one JSON line: { records, seconds, bytes }.
//
// Usage: node csv-child.mjs kuryr-write|papaparse-write|kuryr-read|papaparse-read SIZE FILE
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const nodesDir = fileURLToPath(new URL('../../nodes/', import.meta.url));
const requireFromNodes = createRequire(nodesDir);
const Papa = requireFromNodes('papaparse');
const iconv = requireFromNodes('iconv-lite');
const { createCsvEncoder, readCsv, resolveCsvPreset } = await import(
  new URL('../../nodes/dist/index.js', import.meta.url)
);

const [mode, sizeText, path] = process.argv.slice(2);
const size = Number(sizeText);
const BATCH = 1000;
const NAMES = ['Šroub M8 pozinkovaný', 'Žluťoučký kůň', 'Čaj "Earl Grey"', 'Pivo; 0,5 l', 'Mýdlo'];

/**
 * Generates the records of one batch, the same in every run, so memory stays constant. The EAN is
 * built from the 32-bit integer n, valid for n below 10^9. `String(8_594_000_000_000 + n)` made V8
 * allocate every EAN's text in the old generation, as its number-to-string cache does for larger
 * numbers. Both writers then paid for that garbage, and it made peak RSS grow with the size.
 */
function batchAt(start) {
  const records = [];
  for (let n = start; n < Math.min(start + BATCH, size); n++) {
    records.push({
      code: `A${n}`,
      ean: `8594${String(n).padStart(9, '0')}`,
      name: NAMES[n % NAMES.length],
      price_vat: Math.round((n % 9973) * 1.21 * 100) / 100,
      stock: n % 250,
      unit: 'ks',
    });
  }
  return records;
}

async function writeAll(encodeBatch, finish) {
  const out = createWriteStream(path);
  for (let start = 0; start < size; start += BATCH) {
    if (!out.write(encodeBatch(batchAt(start), start === 0))) await once(out, 'drain');
  }
  out.end(finish());
  await once(out, 'finish');
}

const modes = {
  async 'kuryr-write'() {
    const encoder = createCsvEncoder(resolveCsvPreset('excel-cz', {}));
    await writeAll(
      (records) => encoder.encode(records),
      () => encoder.finish(),
    );
    return size;
  },
  async 'papaparse-write'() {
    const config = { delimiter: ';', newline: '\r\n', quoteChar: '"' };
    const withComma = (record) => {
      const row = { ...record };
      for (const key of Object.keys(row)) {
        if (typeof row[key] === 'number') row[key] = String(row[key]).replace('.', ',');
      }
      return row;
    };
    await writeAll(
      (records, isFirst) =>
        iconv.encode(
          Papa.unparse(records.map(withComma), { ...config, header: isFirst }) + '\r\n',
          'windows-1250',
        ),
      () => Buffer.alloc(0),
    );
    return size;
  },
  async 'kuryr-read'() {
    let records = 0;
    const options = { file: path, delimiter: ';', quoteChar: '"', header: true, encoding: '1250' };
    for await (const batch of readCsv(createReadStream(path), options)) records += batch.length;
    return records;
  },
  async 'papaparse-read'() {
    let records = 0;
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
      header: true,
      delimiter: ';',
      newline: '\r\n',
    });
    parser.on('data', () => records++);
    createReadStream(path).pipe(iconv.decodeStream('windows-1250')).pipe(parser);
    await once(parser, 'end');
    return records;
  },
};

if (!(mode in modes) || !Number.isInteger(size) || size < 1 || size > 1e9 || path === undefined) {
  console.error('usage: csv-child.mjs MODE SIZE FILE, with SIZE from 1 to 10^9');
  process.exit(2);
}
const startedAt = process.hrtime.bigint();
const records = await modes[mode]();
const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
console.log(JSON.stringify({ records, seconds, bytes: (await stat(path)).size }));
