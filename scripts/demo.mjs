// Writes the demo items table and runs the e-shop stock flow on it with the compiled command.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeDemoItemsDbf, decodeText } from '../nodes/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${root}demo`;
const target = 'eshop/stock.csv';

await mkdir(dataDir, { recursive: true });
await writeDemoItemsDbf(`${dataDir}/items.dbf`, '852');
console.log(`Demo items (code page 852) written to ${dataDir}/items.dbf`);

const run = spawnSync(
  process.execPath,
  [
    `${root}runtime/bin/kuryr.js`,
    'run',
    `${root}flows/eshop-stock-csv.json`,
    '--data-dir',
    dataDir,
    '--var',
    'SOURCE_DBF=items.dbf',
    '--var',
    `TARGET_CSV=${target}`,
  ],
  { stdio: 'inherit' },
);
if (run.status !== 0) process.exit(run.status ?? 1);

const lines = decodeText(await readFile(`${dataDir}/${target}`), '1250').split('\r\n');
console.log(`\nThe e-shop stock file is ${dataDir}/${target} (windows-1250). It begins:`);
for (const line of lines.slice(0, 6)) console.log(`  ${line}`);
