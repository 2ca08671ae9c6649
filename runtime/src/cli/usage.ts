/** Help texts of the kuryr command. */
export const mainHelp = `Usage: kuryr COMMAND [OPTIONS]

Runs and checks Kurýr flows.

Commands:
  run FLOW_FILE        run a flow to completion
  validate FLOW_FILE   check a flow without running it
  start                serve the API, the live status and the editor

Options:
  -h, --help           show help; "kuryr COMMAND --help" describes a command
  --version            print the version

Exit codes: 0 success, 1 the run failed, 2 bad usage or an invalid flow,
3 the run completed but some errors went to error ports.
`;

export const runHelp = `Usage: kuryr run FLOW_FILE [OPTIONS]

Runs one flow to completion. Progress goes to stderr, the summary to stdout.

Options:
  --var NAME=VALUE     value of a variable the flow declares; repeat for several
  --data-dir DIR       the one folder file blocks may read and write; every path
                       of the flow resolves against it (default: current folder;
                       it must exist)
  --state-dir DIR      what the runtime keeps between runs; file blocks never
                       reach inside it (default: ~/.kuryr)
  --credentials FILE   JSON object of the credentials the flow names, by name;
                       KURYR_CREDENTIAL_<NAME> variables (one credential's JSON
                       each) override it
  --json               print the summary as JSON (fields in the README)
  --log-level LEVEL    JSON log lines on stderr: silent, error, warn, info,
                       debug or trace (default: silent)
  -h, --help           show this help

Exit codes: 0 the run succeeded; 1 the run failed; 2 bad usage or an invalid
flow; 3 the run completed, but some errors went to error ports.
`;

export const validateHelp = `Usage: kuryr validate FLOW_FILE [OPTIONS]

Checks a flow without running it: block types, parameters, expressions, wires,
cycles, and that every variable the flow uses is declared.

Options:
  --json               print the result as JSON
  -h, --help           show this help

Exit codes: 0 the flow is valid, 2 it is not (every problem is listed).
`;

export const startHelp = `Usage: kuryr start [OPTIONS]

Starts the runtime service: stored flows, their triggers, the HTTP API under
/api/v1, the live status WebSocket and the editor. Stops on SIGTERM or SIGINT,
giving running flows the grace time to finish.

Options:
  --port N             TCP port (default: 4680; 0 picks a free one)
  --host ADDR          address to listen on (default: 127.0.0.1); any other
                       address lets other machines connect and logs a warning
  --state-dir DIR      flows, database and vault key (default: ~/.kuryr)
  --data-dir DIR       the one folder file blocks may read and write (default:
                       current folder; it must exist)
  --keep-runs-days N   days of run history kept (default: 30)
  --keep-runs N        runs kept per flow (default: 200)
  --grace-seconds N    time running flows get to finish at stop before they
                       are cancelled (default: 30)
  --run-heap-limit MB  JavaScript heap of each run's worker thread; a run that
                       needs more fails with RUN_OUT_OF_MEMORY (default: the
                       heap limit of the service's process)
  --max-concurrent-runs N
                       runs of all flows that execute at once; further runs
                       wait as queued, first come first served (default: 4)
  --log-level LEVEL    log lines on stdout: error, warn, info, debug or trace
                       (default: info; JSON, or readable on a terminal)
  -h, --help           show this help

Environment:
  KURYR_VAULT_KEY      the vault key (64 hex digits or base64 of 32 bytes);
                       without it, STATE_DIR/vault.key, created at first start
  KURYR_ADMIN_PASSWORD the administrator's password at the first start;
                       without it, the log shows a one-time setup link
`;
