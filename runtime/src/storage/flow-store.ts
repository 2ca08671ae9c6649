import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlow } from '../flow/load-flow.js';
import type { Flow } from '../flow/flow-schema.js';
import { writeJsonAtomic } from './atomic-json.js';

/** Flow ids as the flow schema allows them; they are safe as file names. */
const FLOW_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Flows of the service, one JSON file each in `stateDir/flows`, named by flow id. */
export class FlowStore {
  readonly folder: string;

  constructor(stateDir: string) {
    this.folder = join(stateDir, 'flows');
  }

  async open(): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
  }

  /**
   * Returns every stored flow, by id. A file that no longer parses (edited by hand) is left out
   * and passed to `onInvalid`.
   */
  async list(onInvalid?: (id: string, error: unknown) => void): Promise<Flow[]> {
    const names = (await readdir(this.folder)).filter(
      (name) => name.endsWith('.json') && !name.startsWith('.'),
    );
    const flows: Flow[] = [];
    for (const name of names.sort()) {
      const id = name.slice(0, -5);
      try {
        const flow = await this.read(id);
        if (flow !== undefined) flows.push(flow);
      } catch (error) {
        onInvalid?.(id, error);
      }
    }
    return flows;
  }

  async read(id: string): Promise<Flow | undefined> {
    if (!FLOW_ID.test(id)) return undefined;
    let text: string;
    try {
      text = await readFile(this.pathOf(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseFlow(text, this.pathOf(id));
  }

  async exists(id: string): Promise<boolean> {
    return (await this.read(id)) !== undefined;
  }

  async write(flow: Flow): Promise<void> {
    await writeJsonAtomic(this.pathOf(flow.id), flow);
  }

  /** Removes a flow; returns false when there was none. */
  async remove(id: string): Promise<boolean> {
    if (!(await this.exists(id))) return false;
    await rm(this.pathOf(id));
    return true;
  }

  private pathOf(id: string): string {
    return join(this.folder, `${id}.json`);
  }
}
