// `pnpm bench [SUITE...] [-- OPTIONS]`: runs the named benchmark suites, or all of them, one
// after another in child processes, passing the options on to each.
//
// Usage: node scripts/bench/index.mjs [eshop-stock dbf ...] [OPTIONS]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Suite name → script, in the order `pnpm bench` runs them. */
const suites = {
  'eshop-stock': './eshop-stock.mjs',
  dbf: './dbf.mjs',
  csv: './csv.mjs',
  service: './service.mjs',
  transfer: './transfer.mjs',
  editor: './editor.mjs',
};

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('-'));
const names = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);
const unknown = names.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark suite ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`,
  );
  process.exit(2);
}

let exitCode = 0;
for (const name of names.length > 0 ? names : Object.keys(suites)) {
  console.log(`\n== ${name} ==`);
  const script = fileURLToPath(new URL(suites[name], import.meta.url));
  const result = spawnSync(process.execPath, [script, ...options], { stdio: 'inherit' });
  if (result.status !== 0) exitCode = result.status ?? 1;
}
process.exitCode = exitCode;
