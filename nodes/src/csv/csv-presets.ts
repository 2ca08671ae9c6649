import type { CsvEncoderOptions } from './csv-writer.js';

/** Named sets of Write CSV options for the usual consumers of CSV files. */
export const CSV_PRESETS = [
  'custom',
  'excel-cz',
  'shoptet-upgates',
  'utf-8-bom',
  'rfc-4180',
] as const;

export type CsvPreset = (typeof CSV_PRESETS)[number];

/** The options a preset sets; anything the user sets explicitly wins over them. */
export type CsvPresetOptions = Required<
  Pick<
    CsvEncoderOptions,
    | 'header'
    | 'delimiter'
    | 'quoteChar'
    | 'lineEnding'
    | 'encoding'
    | 'decimalComma'
    | 'formulaGuard'
  >
>;

/** The options of `custom`, which are also the encoder's own defaults. */
const DEFAULTS: CsvPresetOptions = {
  header: true,
  delimiter: ',',
  quoteChar: '"',
  lineEnding: 'CRLF',
  encoding: 'utf-8',
  decimalComma: false,
  formulaGuard: true,
};

/**
 * - `excel-cz`: what Excel with a Czech locale opens by double-click: `;`, CRLF, windows-1250,
 *   decimal comma, formula guard on.
 * - `shoptet-upgates`: the import format of the Shoptet and Upgates e-shops: `;`, `"`, CRLF,
 *   windows-1250, decimal point, formula guard off, because a program reads the file.
 * - `utf-8-bom`: UTF-8 with a BOM, which Excel needs to recognise UTF-8; otherwise the defaults.
 * - `rfc-4180`: exactly RFC 4180: `,`, `"`, CRLF, UTF-8, values unchanged (no formula guard).
 */
const PRESETS: Readonly<Record<CsvPreset, Partial<CsvPresetOptions>>> = {
  custom: {},
  'excel-cz': { delimiter: ';', encoding: 'windows-1250', decimalComma: true },
  'shoptet-upgates': { delimiter: ';', encoding: 'windows-1250', formulaGuard: false },
  'utf-8-bom': { encoding: 'utf-8-bom' },
  'rfc-4180': { formulaGuard: false },
};

/**
 * Returns the options of a preset, with each option the user set (not undefined) in place of
 * the preset's.
 *
 * @example resolveCsvPreset('excel-cz', { delimiter: ',' }).encoding // 'windows-1250'
 */
export function resolveCsvPreset(
  preset: CsvPreset,
  explicit: Partial<Record<keyof CsvPresetOptions, unknown>>,
): CsvPresetOptions {
  const resolved: Record<string, unknown> = { ...DEFAULTS, ...PRESETS[preset] };
  for (const [name, value] of Object.entries(explicit)) {
    if (value !== undefined && name in DEFAULTS) resolved[name] = value;
  }
  return resolved as CsvPresetOptions;
}
