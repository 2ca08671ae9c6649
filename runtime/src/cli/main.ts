import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KuryrError } from '@kuryr/nodes';
import { InvalidFlowError } from '../flow/flow-problem.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { moderateHeapGrowth } from './heap.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { mainHelp, runHelp, validateHelp } from './usage.js';

type Command = {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  execute(flowFile: string, values: Record<string, unknown>): Promise<number>;
};

const commands: Record<string, Command> = {
  run: {
    help: runHelp,
    options: {
      var: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      'state-dir': { type: 'string' },
      json: { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    execute: (flowFile, values) => runCommand(flowFile, values),
  },
  validate: {
    help: validateHelp,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    execute: (flowFile, values) => validateCommand(flowFile, values),
  },
};

/** Runs the kuryr command with `args` (without node and script); returns the exit code. */
export async function main(args: string[]): Promise<number> {
  moderateHeapGrowth();
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp);
    return name === undefined ? ExitCode.usage : ExitCode.succeeded;
  }
  if (name === '--version') {
    process.stdout.write(`${readVersion()}\n`);
    return ExitCode.succeeded;
  }
  const command = commands[name];
  if (command === undefined) return usageFailure(`unknown command "${name}"`, mainHelp);

  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: true,
    }));
  } catch (error) {
    return usageFailure((error as Error).message, command.help);
  }
  if (values.help === true) {
    process.stdout.write(command.help);
    return ExitCode.succeeded;
  }
  if (positionals.length !== 1) {
    const problem =
      positionals.length === 0
        ? 'missing FLOW_FILE'
        : `unexpected arguments: ${positionals.slice(1).join(' ')}`;
    return usageFailure(problem, command.help);
  }

  try {
    return await command.execute(positionals[0]!, values);
  } catch (error) {
    return reportFailure(error, command.help);
  }
}

function usageFailure(message: string, help: string): number {
  const usageLine = help.split('\n')[0];
  process.stderr.write(`error: ${message}\n${usageLine}\nRun with --help for all options.\n`);
  return ExitCode.usage;
}

function reportFailure(error: unknown, help: string): number {
  if (error instanceof UsageError) return usageFailure(error.message, help);
  if (error instanceof InvalidFlowError) {
    process.stderr.write(`error: ${error.message}\n`);
    return ExitCode.usage;
  }
  if (error instanceof KuryrError) {
    const hint = error.hint === undefined ? '' : `\n  hint: ${error.hint}`;
    process.stderr.write(`error: ${error.message}${hint}\n`);
    return error.code.startsWith('VARIABLE_') ? ExitCode.usage : ExitCode.failed;
  }
  process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failed;
}

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
