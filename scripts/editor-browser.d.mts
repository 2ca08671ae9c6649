import type { BrowserContext, Page } from 'playwright-core';

export declare const chromiumPath: string;
export declare const chromiumArgs: string[];

export interface KuryrProcess {
  url: string;
  log(): string;
  /** Sends SIGTERM and waits until the process exits. */
  stop(): Promise<void>;
  /** Sends `signal` and waits until the process exits. */
  kill(signal: NodeJS.Signals): Promise<void>;
}
export declare function startKuryr(options: {
  dataDir: string;
  stateDir: string;
  password: string;
  port?: number;
  args?: string[];
  timeoutMs?: number;
}): Promise<KuryrProcess>;

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
export declare function launchChromium(options?: {
  width?: number;
  height?: number;
}): Promise<BrowserSession>;
