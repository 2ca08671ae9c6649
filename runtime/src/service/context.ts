import type { DataFolder, Logger } from '@kuryr/nodes';
import type { BlockCatalog } from '../catalog.js';
import type { AccountStore } from '../storage/account-store.js';
import type { VaultCredentials } from '../storage/credential-store.js';
import type { ServiceDatabase } from '../storage/database.js';
import type { FlowStore } from '../storage/flow-store.js';
import type { RunHistory } from '../storage/run-history.js';
import type { VariableStore } from '../storage/variable-store.js';
import type { ExpressionEvaluator } from './evaluate.js';
import type { RunManager } from './run-manager.js';
import type { TriggerManager } from '../triggers/trigger-manager.js';
import type { DatabaseTriggerStore } from '../storage/database-trigger-store.js';

/** Everything the routes use. */
export type ServiceContext = {
  db: ServiceDatabase;
  flows: FlowStore;
  history: RunHistory;
  variables: VariableStore;
  credentials: VaultCredentials;
  accounts: AccountStore;
  catalog: BlockCatalog;
  runs: RunManager;
  /** Schedules and watched folders of the stored flows; every run starts through its gate. */
  triggers: TriggerManager;
  triggerStore: DatabaseTriggerStore;
  dataFolder: DataFolder;
  /** Evaluates the editor's expressions in a warm worker thread. */
  evaluator: ExpressionEvaluator;
  logger: Logger;
  /** Login attempts allowed per client address in `loginWindowMs`. */
  loginLimit: number;
  loginWindowMs: number;
  /** Hash of the one-time setup token while no user exists. */
  setupTokenHash?: string;
  /** Closes the live sockets whose session or token has ended; set by the live socket. */
  recheckLiveClients?: () => Promise<void>;
};
