#!/usr/bin/env node
import { statSync } from 'node:fs';

/**
 * Returns the module that runs this command. `run` and `validate` load the bundle that
 * scripts/build-cli.mjs makes, which starts in half the time of the separate modules. They load
 * the separate modules when the bundle is missing or older than the last `tsc -b` of either
 * package, because a stale bundle would run old code. `kuryr start` and the rest always load
 * the separate modules (scripts/build-cli.mjs explains why).
 */
function entryModule(command) {
  const compiled = '../dist/cli/main.js';
  if (command !== 'run' && command !== 'validate') return compiled;
  const modifiedAt = (path) =>
    statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  const bundledAt = modifiedAt('../dist/cli-bundle/main.js');
  if (bundledAt === undefined) return compiled;
  const compiledAt = Math.max(
    modifiedAt('../tsconfig.tsbuildinfo') ?? 0,
    modifiedAt('../../nodes/tsconfig.tsbuildinfo') ?? 0,
  );
  return bundledAt >= compiledAt ? '../dist/cli-bundle/main.js' : compiled;
}

const { main } = await import(entryModule(process.argv[2]));
process.exitCode = await main(process.argv.slice(2));
