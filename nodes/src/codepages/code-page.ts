import { FlowAuthorError } from '../contract/errors.js';

/**
 * A code page that Kurýr reads and writes. DOS pages are named by their number, Windows pages
 * too (`1250` is Windows-1250), `kamenicky` is the Czech DOS page also called KEYBCS2 or 895,
 * and `mazovia` the Polish DOS page (CP620).
 */
export type CodePage =
  '437' | '850' | '852' | '1250' | '1251' | '1252' | '874' | 'kamenicky' | 'mazovia' | 'utf-8';

/** Every code page, in the order the editor lists them. */
export const codePages = [
  '852',
  '1250',
  'kamenicky',
  '437',
  '850',
  '1252',
  '1251',
  '874',
  'mazovia',
  'utf-8',
] as const satisfies readonly CodePage[];

/** Accepted spellings of each code page, after lower-casing and removing spaces and underscores. */
const aliases: Readonly<Record<CodePage, readonly string[]>> = {
  '437': ['437', 'cp437', 'ibm437', 'dos437', 'dos-437'],
  '850': ['850', 'cp850', 'ibm850', 'dos850', 'dos-850'],
  '852': ['852', 'cp852', 'ibm852', 'dos852', 'dos-852'],
  '1250': ['1250', 'cp1250', 'windows1250', 'windows-1250', 'win1250', 'win-1250'],
  '1251': ['1251', 'cp1251', 'windows1251', 'windows-1251', 'win1251', 'win-1251'],
  '1252': ['1252', 'cp1252', 'windows1252', 'windows-1252', 'win1252', 'win-1252'],
  '874': ['874', 'cp874', 'windows874', 'windows-874'],
  kamenicky: ['kamenicky', 'kamenický', '895', 'cp895', 'keybcs2', 'kam'],
  mazovia: ['mazovia', '620', 'cp620'],
  'utf-8': ['utf-8', 'utf8'],
};

const codePageByAlias = new Map<string, CodePage>(
  codePages.flatMap((codePage) => aliases[codePage].map((alias) => [alias, codePage] as const)),
);

/**
 * Returns the code page for a name as users write it, e.g. `cp852`, `IBM852`, `Windows-1250`,
 * `KEYBCS2` or `895`. Throws a FlowAuthorError (`CODE_PAGE_UNKNOWN`) that lists the accepted names.
 */
export function normalizeCodePage(name: string): CodePage {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
  const codePage = codePageByAlias.get(key);
  if (codePage !== undefined) return codePage;

  const accepted = codePages.map((page) => aliases[page].join(', ')).join('; ');
  throw new FlowAuthorError('CODE_PAGE_UNKNOWN', `unknown code page "${name}"`, {
    hint: `Use one of: ${accepted}.`,
  });
}

/**
 * DBF language-driver bytes (offset 29 of the header) and their code pages. 0x57 is the "ANSI"
 * mark that shapefile writers use, and 0x1F is a CP852 mark seen in Czech dBase files. 0xF0 is
 * not a FoxPro byte: the Python `dbf` package writes it for UTF-8 tables.
 */
const codePageByLanguageDriver = new Map<number, CodePage>([
  [0x01, '437'],
  [0x02, '850'],
  [0x03, '1252'],
  [0x1f, '852'],
  [0x57, '1252'],
  [0x64, '852'],
  [0x68, 'kamenicky'],
  [0x69, 'mazovia'],
  [0x7c, '874'],
  [0xc8, '1250'],
  [0xc9, '1251'],
  [0xf0, 'utf-8'],
]);

/** The language-driver byte that Visual FoxPro writes for each code page; 0 means none. */
const languageDriverByCodePage: Readonly<Record<CodePage, number>> = {
  '437': 0x01,
  '850': 0x02,
  '852': 0x64,
  '1250': 0xc8,
  '1251': 0xc9,
  '1252': 0x03,
  '874': 0x7c,
  kamenicky: 0x68,
  mazovia: 0x69,
  'utf-8': 0x00,
};

/** Returns the code page of a DBF language-driver byte, or undefined for 0 and unknown bytes. */
export function codePageFromLanguageDriver(languageDriver: number): CodePage | undefined {
  return codePageByLanguageDriver.get(languageDriver);
}

/** Returns the DBF language-driver byte for a code page; 0 for UTF-8, which has none. */
export function languageDriverForCodePage(codePage: CodePage): number {
  return languageDriverByCodePage[codePage];
}
