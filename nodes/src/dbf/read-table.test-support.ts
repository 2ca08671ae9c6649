import { expect } from 'vitest';
import type { DataRecord, WarningDetails } from '../contract/block.js';
import { FlowAuthorError } from '../contract/errors.js';
import { openDbf, type DbfReadOptions } from './index.js';

export type CollectedWarning = { code: string; message: string; details: WarningDetails };

/** Reads a whole table in batches of 2 records, collecting its warnings. */
export async function readAll(path: string, options: DbfReadOptions = {}) {
  const warnings: CollectedWarning[] = [];
  const table = await openDbf(path, {
    ...options,
    onWarning: (code, message, details) => warnings.push({ code, message, details }),
  });
  try {
    const records: DataRecord[] = [];
    for await (const batch of table.records(2)) records.push(...batch);
    return {
      records,
      warnings,
      codePage: table.codePage,
      availableRecords: table.availableRecords,
    };
  } finally {
    await table.close();
  }
}

/** Reads a table that must fail, and returns the FlowAuthorError it raised. */
export async function readError(
  path: string,
  options: DbfReadOptions = {},
): Promise<FlowAuthorError> {
  const error = await readAll(path, options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(FlowAuthorError);
  return error as FlowAuthorError;
}
