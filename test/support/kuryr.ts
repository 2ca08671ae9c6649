import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Root of the repository. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The installed command, as a user runs it after the README's install. */
export const kuryrBin = fileURLToPath(new URL('../../node_modules/.bin/kuryr', import.meta.url));

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/** Runs the compiled `kuryr` command and collects its output; rejects after `timeoutMs`. */
export function runKuryr(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kuryrBin, args, {
      cwd: options.cwd ?? repositoryRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`kuryr ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms`),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
