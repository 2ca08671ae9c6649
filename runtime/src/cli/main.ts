import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KuryrError, moderateHeapGrowth } from '@kuryr/nodes';
import { reportError } from '../executor/run-report.js';
import { InvalidFlowError } from '../flow/flow-problem.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { mainHelp, runHelp, startHelp, validateHelp } from './usage.js';

type Command = {
  help: string;
  /** The command takes a FLOW_FILE argument. */
  takesFlowFile: boolean;
  options: NonNullable<ParseArgsConfig['options']>;
  execute(flowFile: string, values: Record<string, unknown>): Promise<number>;
};

const commands: Record<string, Command> = {
  run: {
    help: runHelp,
    takesFlowFile: true,
    options: {
      var: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      'state-dir': { type: 'string' },
      credentials: { type: 'string' },
      json: { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    execute: (flowFile, values) => runCommand(flowFile, values),
  },
  validate: {
    help: validateHelp,
    takesFlowFile: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    execute: (flowFile, values) => validateCommand(flowFile, values),
  },
  start: {
    help: startHelp,
    takesFlowFile: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'state-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      'keep-runs-days': { type: 'string' },
      'keep-runs': { type: 'string' },
      'grace-seconds': { type: 'string' },
      'run-heap-limit': { type: 'string' },
      'max-concurrent-runs': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    // Imported on use, so that `run` and `validate` do not load the web service's modules.
    execute: async (_none, values) => (await import('./start-command.js')).startCommand(values),
  },
};

/** Runs the kuryr command with `args` (without node and script); returns the exit code. */
export async function main(args: string[]): Promise<number> {
  moderateHeapGrowth();
  const [name, ...rest] = args;
  if (name === undefined) {
    process.stderr.write(mainHelp);
    return ExitCode.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp);
    return ExitCode.succeeded;
  }
  if (name === '--version') {
    process.stdout.write(`${readVersion()}\n`);
    return ExitCode.succeeded;
  }
  const command = commands[name];
  const failure = new FailureReporter(rest.includes('--json'));
  if (command === undefined) return failure.usage(`unknown command "${name}"`, mainHelp);

  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: true,
    }));
  } catch (error) {
    return failure.usage((error as Error).message, command.help);
  }
  if (values.help === true) {
    process.stdout.write(command.help);
    return ExitCode.succeeded;
  }
  if (!command.takesFlowFile) {
    if (positionals.length > 0) {
      return failure.usage(`unexpected arguments: ${positionals.join(' ')}`, command.help);
    }
    positionals = [''];
  } else if (positionals.length !== 1) {
    const problem =
      positionals.length === 0
        ? 'missing FLOW_FILE'
        : `unexpected arguments: ${positionals.slice(1).join(' ')}`;
    return failure.usage(problem, command.help);
  }

  try {
    return await command.execute(positionals[0]!, values);
  } catch (error) {
    return failure.report(error, command.help);
  }
}

/**
 * Reports a failure before a run started: on stderr for a person and, with --json, as one JSON
 * object on stdout, so that a caller parsing stdout always gets the reason.
 */
class FailureReporter {
  constructor(private readonly json: boolean) {}

  usage(message: string, help: string): number {
    const usageLine = help.split('\n')[0];
    process.stderr.write(`error: ${message}\n${usageLine}\nRun with --help for all options.\n`);
    this.writeJson(ExitCode.usage, { code: 'USAGE', kind: 'flow', message });
    return ExitCode.usage;
  }

  report(error: unknown, help: string): number {
    if (error instanceof UsageError) return this.usage(error.message, help);
    if (error instanceof KuryrError) {
      const hint = error.hint === undefined ? '' : `\n  hint: ${error.hint}`;
      process.stderr.write(`error: ${error.message}${hint}\n`);
      const isUsage = error instanceof InvalidFlowError || error.code.startsWith('VARIABLE_');
      const exitCode = isUsage ? ExitCode.usage : ExitCode.failed;
      this.writeJson(exitCode, reportError(error));
      return exitCode;
    }
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    this.writeJson(ExitCode.failed, { code: 'INTERNAL', kind: 'internal', message: String(error) });
    return ExitCode.failed;
  }

  private writeJson(exitCode: number, error: Record<string, unknown>): void {
    if (!this.json) return;
    process.stdout.write(
      JSON.stringify({ status: 'not_started', exitCode, error }, null, 2) + '\n',
    );
  }
}

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
