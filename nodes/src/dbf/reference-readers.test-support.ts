import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DBFFile } from 'dbffile';
import type { DataRecord } from '../contract/block.js';
import { requireSystemTool } from '../../../scripts/system-packages.mjs';

// Independent DBF readers that the tests compare Kurýr with: dbffile from npm, dbfread from
// Debian's python3-dbfread and GDAL's ogr2ogr from Debian's gdal-bin. Each result is brought
// into the shapes the Kurýr reader returns: blank text and blank values are null, dates are
// YYYY-MM-DD and datetimes YYYY-MM-DDTHH:MM:SS.

const run = promisify(execFile);

/** Turns an empty string into null, as the Kurýr reader returns blank values. */
function blankToNull(value: unknown): unknown {
  return value === '' ? null : value;
}

/** Reads with dbffile; `encoding` is an iconv-lite name such as `cp852`. */
export async function readWithDbffile(path: string, encoding: string): Promise<DataRecord[]> {
  const table = await DBFFile.open(path, { encoding, readMode: 'loose' });
  const types = new Map(table.fields.map((field) => [field.name, field.type]));
  const records = await table.readRecords(1_000_000);
  return records.map((record) =>
    Object.fromEntries(
      Object.entries(record).map(([name, value]) => {
        if (value instanceof Date) {
          return [name, value.toISOString().slice(0, types.get(name) === 'T' ? 19 : 10)];
        }
        return [name, blankToNull(value)];
      }),
    ),
  );
}

const dbfreadScript = `
import datetime, decimal, json, sys
from dbfread import DBF

def convert(value):
    if isinstance(value, datetime.datetime):
        # dbfread adds the milliseconds as a float and can land 1 ms short of a whole second.
        return (value + datetime.timedelta(milliseconds=1)).replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode('latin1')
    return value

table = DBF(sys.argv[1], encoding=sys.argv[2], char_decode_errors='strict')
json.dump([{k: convert(v) for k, v in r.items()} for r in table], sys.stdout)
`;

/** Reads with python3-dbfread; `encoding` is a Python codec name such as `cp852`. */
export async function readWithDbfread(path: string, encoding: string): Promise<DataRecord[]> {
  requireSystemTool('dbfread');
  const { stdout } = await run('/usr/bin/python3', ['-c', dbfreadScript, path, encoding], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const records = JSON.parse(stdout) as DataRecord[];
  return records.map((record) =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name, blankToNull(value)])),
  );
}

/** A field to read with GDAL; `gdalName` is GDAL's name when it differs from Kurýr's. */
export type GdalField = { name: string; type: string; gdalName?: string };

/** GDAL's text for a logical value, as the Kurýr reader returns it. */
const gdalLogicals: Record<string, boolean | null> = { T: true, Y: true, F: false, N: false };

/**
 * Reads the named fields with GDAL's ogr2ogr, as GeoJSON; fields of type L become booleans.
 * GDAL decodes text by the language-driver byte. It does not read memo files (a memo field holds
 * its block number as text) and reads Visual FoxPro's binary types (I, Y, B, T) as raw bytes.
 */
export async function readWithGdal(
  path: string,
  fields: readonly GdalField[],
): Promise<DataRecord[]> {
  requireSystemTool('ogrinfo');
  const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', path], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const features = (JSON.parse(stdout) as { features: { properties: DataRecord }[] }).features;
  return features.map(({ properties }) =>
    Object.fromEntries(
      fields.map(({ name, type, gdalName }) => {
        // GeoJSON leaves out unset properties, and GDAL gives dates as YYYY/MM/DD.
        const value = properties[gdalName ?? name] ?? null;
        if (type === 'L') return [name, gdalLogicals[value as string] ?? null];
        if (type === 'D' && typeof value === 'string') return [name, value.replaceAll('/', '-')];
        return [name, blankToNull(value)];
      }),
    ),
  );
}
