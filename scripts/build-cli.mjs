// Bundles the compiled `kuryr run` and `kuryr validate` into runtime/dist/cli-bundle with
// rolldown, after `tsc -b`. Node.js loads the bundle in about half the time of the 250-odd
// separate modules (0.11 s against 0.22 s of wall time for a flow without blocks, on the 2-core
// machine of docs/benchmarks.md), and every run pays that start-up. runtime/bin/kuryr.js falls
// back to the separate modules when the bundle is missing or older than the last `tsc -b`.
//
// Usage: node scripts/build-cli.mjs
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const runtime = fileURLToPath(new URL('../runtime/', import.meta.url));
const outputDir = `${runtime}dist/cli-bundle`;

/**
 * Packages that stay separate: native add-ons (better-sqlite3, and ssh2 with its optional
 * crypto binding), and pino, whose transports load files in worker threads by name.
 */
const external = /^(better-sqlite3|ssh2-sftp-client|ssh2|pino|pino-pretty)$/;

/**
 * Returns the path by which the bundle imports an external package: the file that Node.js
 * finds from the importing module, relative to the bundle. A bare name would be looked up from
 * runtime/, which lacks the packages of nodes/ such as ssh2-sftp-client.
 */
function externalPath(packageName, importer) {
  const file = createRequire(importer).resolve(packageName);
  return relative(outputDir, file).split(sep).join('/');
}

const bundle = await rolldown({
  input: `${runtime}dist/cli/main.js`,
  platform: 'node',
  plugins: [
    {
      // `kuryr start` runs the web service, which starts worker threads and child processes from
      // files next to its own modules, so it keeps loading the compiled modules. The bin script
      // sends only `run` and `validate` to the bundle, so this import stays unused there.
      name: 'keep-start-command-separate',
      resolveId(source) {
        if (source !== './start-command.js') return null;
        return { id: '../cli/start-command.js', external: true };
      },
    },
    {
      name: 'import-external-packages-by-path',
      resolveId(source, importer) {
        if (!external.test(source) || importer === undefined) return null;
        return { id: externalPath(source, importer), external: true };
      },
    },
  ],
  logLevel: 'warn',
});
await rm(outputDir, { recursive: true, force: true });
// The entry keeps the depth of dist/cli/main.js below runtime/, because main.js finds
// package.json relative to itself.
await bundle.write({ dir: outputDir, format: 'esm', entryFileNames: 'main.js' });
await bundle.close();
