// Czech texts of the runtime's block catalogue. The runtime sends its catalogue in English (GET
// /nodes); the editor shows these texts in its Czech interface instead. They are keyed by block
// type, port name and parameter name, and catalogue-texts.test.ts walks the real catalogue of
// @kuryr/nodes, so a block, port or parameter without a Czech text fails the unit tests.

/** Czech title and help of one parameter, or of one field of a list item at any depth. */
export type ParameterTexts = {
  title: string;
  description?: string;
  /** Czech label of each allowed value (`enum`), by the value that the flow stores. */
  values?: Record<string, string>;
  /** Texts of the fields of each list item (array of objects) or of an object, by field name. */
  fields?: Record<string, ParameterTexts>;
};

/**
 * Returns the labels of `values` only, so that a parameter lists exactly its allowed values. A
 * value without a label is left out, so the catalogue-texts unit test reports it.
 */
export function pickLabels(
  labels: Record<string, string>,
  values: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    values.filter((value) => labels[value] !== undefined).map((value) => [value, labels[value]!]),
  );
}

/** Czech texts of one block type. */
export type BlockTexts = {
  title: string;
  summary: string;
  /** Help of each input port, by port name. */
  inputs?: Record<string, string>;
  /** Help of each output port, by port name. */
  outputs?: Record<string, string>;
  /** Label of every port, by port name. */
  ports: Record<string, string>;
  parameters: Record<string, ParameterTexts>;
};

/** Czech names of the palette categories, by their English name. */
export const categoriesCs: Record<string, string> = {
  Files: 'Soubory',
  Transform: 'Transformace',
  Transfer: 'Přenos',
};

/** Czech label of the error output that every block has. */
export const errorPortLabelCs = 'Chyby';

const codePageHelp = 'Kamenický je stará česká stránka pro DOS.';

/** Single-byte code pages that every DBF and text block reads and writes. */
export const codePages = [
  '437',
  '850',
  '852',
  '874',
  '1250',
  '1251',
  '1252',
  'kamenicky',
  'mazovia',
];

const codePagesCs: Record<string, string> = {
  '437': '437 – DOS, angličtina',
  '850': '850 – DOS, západní Evropa',
  '852': '852 – DOS, střední Evropa (Latin 2)',
  '874': '874 – Windows, thajština',
  '1250': '1250 – Windows, střední Evropa',
  '1251': '1251 – Windows, cyrilice',
  '1252': '1252 – Windows, západní Evropa',
  auto: 'Automaticky',
  kamenicky: 'Kamenický (DOS)',
  mazovia: 'Mazovia (DOS, polština)',
  'utf-8': 'UTF-8',
};

const lineEndingsCs = { CRLF: 'CRLF (Windows)', LF: 'LF (Unix)' };

const badLineValues = {
  fail: 'Zastavit běh',
  skip: 'Přeskočit',
  keep: 'Ponechat',
};

const dbfFieldsCs: Record<string, ParameterTexts> = {
  name: { title: 'Název', description: 'Název pole, např. PRICE; stejně se jmenuje klíč záznamů.' },
  type: {
    title: 'Typ',
    description:
      'C text, N nebo F číslo, D datum, L logická hodnota, M memo; Visual FoxPro přidává ' +
      'I celé číslo, Y měnu, B číslo s dvojnásobnou přesností, T datum a čas a V varchar ' +
      '(text, který si ponechá mezery na konci).',
    values: {
      C: 'C – text',
      N: 'N – číslo',
      F: 'F – číslo s plovoucí čárkou',
      D: 'D – datum',
      L: 'L – logická hodnota',
      M: 'M – memo',
      I: 'I – celé číslo',
      Y: 'Y – měna',
      B: 'B – číslo s dvojnásobnou přesností',
      T: 'T – datum a čas',
      V: 'V – varchar',
    },
  },
  length: {
    title: 'Šířka',
    description: 'Šířka v bajtech: C a V 1 až 254, N a F 1 až 20. Ostatní typy mají pevnou šířku.',
  },
  decimals: {
    title: 'Desetinná místa',
    description: 'Číslice za desetinnou čárkou u polí N, F a B. Výchozí 0.',
  },
  nullable: {
    title: 'Může být null',
    description:
      'Jen Visual FoxPro: pole může obsahovat null, označené odděleně od hodnoty. Nutné pro ' +
      'null v polích I, Y a B, která nemají prázdnou hodnotu. Výchozí vypnuto.',
  },
};

const columnFieldsCs: Record<string, ParameterTexts> = {
  name: { title: 'Název', description: 'Název pole záznamu pro tento sloupec.' },
  start: {
    title: 'Začátek',
    description:
      'Pozice prvního znaku (nebo bajtu, když pozice počítají bajty) od 1; výchozí hned za ' +
      'předchozím sloupcem.',
  },
  width: {
    title: 'Šířka',
    description: 'Počet znaků, nebo bajtů, když pozice počítají bajty; pro pevnou šířku povinná.',
  },
  type: {
    title: 'Typ',
    values: { text: 'Text', number: 'Číslo', date: 'Datum' },
  },
  decimals: { title: 'Desetinná místa', description: 'Počet desetinných míst čísla.' },
  decimalPoint: {
    title: 'Desetinná čárka',
    description:
      '„implied“: text nemá oddělovač a poslední číslice jsou desetinná místa (000123450 se ' +
      '2 desetinnými místy je 1234,5); jinak oddělovač, který text používá.',
    values: { implied: 'Bez oddělovače (implicitní)', '.': 'Tečka', ',': 'Čárka' },
  },
  dateFormat: {
    title: 'Formát data',
    description:
      'd nebo dd den, M nebo MM měsíc, yy nebo yyyy rok, např. ddMMyy nebo d.M.yyyy. ' +
      'Dvoumístný rok pod 70 je 20xx, jinak 19xx.',
  },
  align: {
    title: 'Zarovnání',
    description: 'Výchozí vlevo pro text, vpravo pro čísla a data.',
    values: { left: 'Vlevo', right: 'Vpravo' },
  },
  padding: { title: 'Výplň', description: 'Znak, který vyplňuje sloupec, obvykle mezera nebo 0.' },
};

const layoutFieldsCs: Record<string, ParameterTexts> = {
  name: {
    title: 'Druh záznamu',
    description: 'Název, který dostanou záznamy tohoto rozvržení v poli recordType.',
  },
  prefix: {
    title: 'Předpona',
    description:
      'Text, kterým začínají řádky tohoto rozvržení, např. 075, když soubor mísí druhy záznamů.',
  },
  columns: {
    title: 'Sloupce',
    description: 'Sloupce tohoto druhu záznamu v pořadí na řádku.',
    fields: columnFieldsCs,
  },
};

const encodingAuto: ParameterTexts = {
  title: 'Kódování',
  values: pickLabels(codePagesCs, [...codePages, 'auto', 'utf-8']),
  description:
    '„auto“ se řídí značkou BOM, jinak čte soubor jako UTF-8, když je jeho prvních 64 KiB ' +
    `platné UTF-8, jinak použije záložní kódování a varuje. ${codePageHelp}`,
};

const fallbackEncoding: ParameterTexts = {
  title: 'Záložní kódování',
  values: pickLabels(codePagesCs, ['437', '850', '852', '1250', '1252', 'kamenicky']),
  description: 'Kódová stránka, kterou „auto“ použije pro soubor, který není v UTF-8.',
};

const strictEncoding: ParameterTexts = {
  title: 'Selhat místo záložního kódování',
  description: 'S „auto“ selže na souboru bez BOM, který není platné UTF-8.',
};

const textFormat: ParameterTexts = {
  title: 'Formát',
  values: { 'fixed-width': 'Pevná šířka', delimited: 'S oddělovači' },
  description: 'Sloupce pevné šířky na daných pozicích, nebo buňky oddělené oddělovačem.',
};

const layouts: ParameterTexts = {
  title: 'Rozvržení',
  fields: layoutFieldsCs,
  description:
    'Sloupce každého druhu záznamu: název, začátek nebo šířka, typ, desetinná místa, formát ' +
    'data, zarovnání a výplň. Text s oddělovači je může vynechat a číst každou buňku jako text.',
};

const recordSeparator: ParameterTexts = {
  title: 'Oddělovač záznamů',
  values: { ...lineEndingsCs, none: 'Žádný (pevná délka záznamu)' },
  description:
    'Konec řádku za každým záznamem, nebo „none“ pro záznamy pevné délky jeden za druhým. ' +
    'Čtení přijme CRLF, LF i CR, pokud není nastaveno „none“.',
};

const positions: ParameterTexts = {
  title: 'Pozice počítají',
  values: { characters: 'Znaky', bytes: 'Bajty' },
  description:
    'Co počítají začátky, šířky a délka záznamu rozvržení pevné šířky. „bytes“ je pro soubory ' +
    'UTF-8 z programů, které počítají bajty, kde č nebo ř zabírá dva; hranice sloupce uvnitř ' +
    'takového znaku se hlásí s řádkem a bajtem. V jednobajtové kódové stránce je každý znak ' +
    'jeden bajt, takže obě volby čtou i zapisují stejně.',
};

const credential: ParameterTexts = {
  title: 'Přihlašovací údaje',
  description: 'Název přihlašovacích údajů se serverem, účtem a heslem nebo klíčem.',
};

/** Parameters shared by every FTP and SFTP block. */
const connectionParameters: Record<string, ParameterTexts> = {
  credential,
  connectionsPerHost: {
    title: 'Spojení na server',
    description: 'Nejvýše tolik spojení na jeden server najednou, sdílených celým během.',
  },
  timeoutSeconds: {
    title: 'Časový limit (sekundy)',
    description: 'Spojení, příkaz nebo přenos, který je tak dlouho bez odezvy, selže.',
  },
  retries: {
    title: 'Opakování',
    description:
      'Pokusy po přerušeném spojení nebo vypršení limitu, s čekáním, které se pokaždé ' +
      'zdvojnásobí; výchozí 3.',
  },
  retryDelaySeconds: {
    title: 'Čekání před prvním opakováním (s)',
    description: 'Sekundy před prvním opakováním, pro každé další dvojnásobek; výchozí 1.',
  },
  retryMaxDelaySeconds: {
    title: 'Nejdelší čekání mezi opakováními (s)',
    description: 'Horní mez čekání mezi opakováními; výchozí 60.',
  },
};

/** Parameters of the FTP blocks: the shared ones and the FTP security settings. */
const ftpParameters: Record<string, ParameterTexts> = {
  ...connectionParameters,
  security: {
    title: 'Zabezpečení',
    values: {
      none: 'Žádné (prosté FTP)',
      explicit: 'Explicitní TLS (AUTH TLS)',
      implicit: 'Implicitní TLS',
    },
    description:
      'Explicitní TLS: FTPS po AUTH TLS, obvykle na portu 21. Implicitní TLS: FTPS od prvního ' +
      'bajtu, obvykle na portu 990. Žádné: prosté FTP, které posílá heslo čitelně.',
  },
  transferMode: {
    title: 'Pasivní režim',
    values: {
      auto: 'Automaticky (EPSV, jinak PASV)',
      epsv: 'EPSV',
      pasv: 'PASV',
      active: 'Aktivní',
    },
    description:
      'auto zkusí EPSV a přejde na PASV, když jeho datové spojení selže (zapíše se do logu); ' +
      'epsv nebo pasv použijí jen daný příkaz.',
  },
  fileNameEncoding: {
    title: 'Kódování názvů souborů',
    values: pickLabels(codePagesCs, [...codePages, 'utf-8']),
    description:
      'Kódová stránka názvů souborů a složek na serveru. Starší servery Windows a NAS, které ' +
      'neumí UTF-8, posílají české názvy v 1250 (Windows-1250) nebo 852.',
  },
  serverTimeZone: {
    title: 'Časové pásmo serveru',
    description:
      'Časové pásmo IANA pro časy ve výpisech bez pásma, jako je formát MS-DOS serveru IIS, ' +
      'např. Europe/Prague. Časy z MLSD a MDTM jsou v UTC a tak zůstanou.',
  },
};

const listFolder: ParameterTexts = {
  title: 'Složka',
  description: 'Složka na serveru, jejíž obsah se vypíše, např. /orders.',
};

const downloadParameters: Record<string, ParameterTexts> = {
  folder: {
    title: 'Složka',
    description: 'Složka na serveru, ze které se stahuje, např. /orders.',
  },
  pattern: {
    title: 'Vzor názvu',
    description:
      'Soubory, jejichž názvy odpovídají, s * a ?, bez ohledu na velikost písmen, např. *.csv; ' +
      '* vezme všechny.',
  },
  minimumAgeMinutes: {
    title: 'Minimální stáří (minuty)',
    description: 'Přeskočí soubory změněné později, např. když je druhá strana ještě zapisuje.',
  },
  maximumAgeMinutes: {
    title: 'Maximální stáří (minuty)',
    description: 'Přeskočí starší soubory; prázdné pole vezme soubory libovolného stáří.',
  },
  saveTo: {
    title: 'Uložit do složky',
    description:
      'Složka v datové složce, kam se soubory uloží, když běh uspěje; prázdné pole je jen ' +
      'pošle dalšímu bloku.',
  },
  afterRun: {
    title: 'Po běhu',
    values: { keep: 'Ponechat', delete: 'Smazat', move: 'Přesunout' },
    description:
      'Co se po úspěšném běhu stane s každým staženým souborem na serveru: ponechat ho, ' +
      'smazat, nebo přesunout do složky níže.',
  },
  moveTo: {
    title: 'Přesunout do složky',
    description: 'Složka na serveru pro stažené soubory, když je „Po běhu“ nastaveno na move.',
  },
  acceptRoutedErrors: {
    title: 'Počítat běh s odvedenými chybami jako hotový',
    description:
      'Zapamatuje si soubory (a smaže nebo přesune je) i tehdy, když některé chyby odešly ' +
      'na chybové výstupy.',
  },
};

const uploadParameters: Record<string, ParameterTexts> = {
  folder: { title: 'Složka', description: 'Složka na serveru, kam se nahrává, např. /import.' },
  createFolders: {
    title: 'Vytvořit chybějící složky',
    description: 'Vytvoří složku a její nadřazené složky na serveru, když chybí.',
  },
  ifExists: {
    title: 'Když soubor existuje',
    values: { replace: 'Nahradit', keep: 'Ponechat původní' },
    description:
      'Nahradit: nový soubor nahradí starý v jednom kroku. Ponechat původní: nahrání se ' +
      'přeskočí s varováním.',
  },
  temporaryName: {
    title: 'Dočasný název',
    values: { hidden: 'Skrytý (.NÁZEV…part)', suffix: 'Viditelná přípona (NÁZEV…part)' },
    description:
      'Název souboru během nahrávání. Skrytý: .NÁZEV.kuryr-….part. Viditelná přípona: ' +
      'NÁZEV.kuryr-….part pro servery, které odmítají názvy začínající tečkou. Když server ' +
      'skrytý název odmítne, blok s varováním přejde na viditelnou příponu.',
  },
};

const moveParameters: Record<string, ParameterTexts> = {
  from: { title: 'Odkud', description: 'Cesta k souboru nebo složce na serveru.' },
  to: {
    title: 'Kam',
    description: 'Nová cesta na serveru; nový název ve stejné složce soubor přejmenuje.',
  },
  createFolders: {
    title: 'Vytvořit chybějící složky',
    description: 'Vytvoří cílovou složku a její nadřazené složky, když chybí.',
  },
};

const deleteParameters: Record<string, ParameterTexts> = {
  path: { title: 'Cesta', description: 'Cesta k souboru na serveru, který se smaže.' },
};

const makeFolderParameters: Record<string, ParameterTexts> = {
  path: {
    title: 'Složka',
    description: 'Složka, která se na serveru vytvoří, i s chybějícími nadřazenými složkami.',
  },
};

const listTexts = {
  summary: 'Vypíše obsah složky na serveru.',
  outputs: { entries: 'Jeden záznam na položku: name, path, kind, size, modifiedAt.' },
  ports: { entries: 'Položky' },
};

const downloadTexts = {
  summary:
    'Stáhne soubory ze složky na serveru, které odpovídají vzoru názvu a stáří a které žádný ' +
    'dřívější běh neimportoval; po úspěšném běhu je lze na serveru smazat nebo přesunout.',
  outputs: { file: 'Každý stažený soubor, předaný přes dočasný soubor.' },
  ports: { file: 'Soubory' },
};

const uploadTexts = {
  summary:
    'Nahraje soubory pod dočasným názvem, ověří jejich velikost a po úspěšném běhu jim dá ' +
    'skutečné názvy.',
  inputs: { file: 'Soubory, které se nahrají.' },
  outputs: { uploaded: 'Jeden záznam na soubor: server, path, name, size.' },
  ports: { file: 'Soubory', uploaded: 'Nahráno' },
};

const moveSummary = 'Přesune nebo přejmenuje soubor či složku na serveru.';
const deleteSummary = 'Smaže soubor na serveru.';
const makeFolderSummary = 'Vytvoří na serveru složku i s chybějícími nadřazenými složkami.';
const donePort = { done: 'Hotovo' };

/** Czech texts of every block type, by type. */
export const blocksCs: Record<string, BlockTexts> = {
  'dbf.read': {
    title: 'Číst DBF',
    summary:
      'Čte tabulku dBase III/IV, FoxPro 2 nebo Visual FoxPro a posílá její záznamy bez ' +
      'smazaných. Textová pole ztratí koncové mezery, prázdné hodnoty se stanou null, data ' +
      'jsou YYYY-MM-DD a data s časem YYYY-MM-DDTHH:MM:SS.',
    outputs: { records: 'Jeden záznam na řádek tabulky, s klíči podle názvů polí.' },
    ports: { records: 'Záznamy' },
    parameters: {
      path: {
        title: 'Soubor',
        description: 'Cesta k tabulce DBF v datové složce; soubor memo vedle ní se najde také.',
      },
      codePage: {
        title: 'Kódová stránka',
        values: pickLabels(codePagesCs, [...codePages, 'auto', 'utf-8']),
        description:
          'Kódová stránka textu v tabulce. „auto“ použije stránku, kterou uvádí soubor .cpg ' +
          'vedle tabulky, jinak tu, kterou tabulka deklaruje v bajtu jazykového ovladače. Když ' +
          'není ani jedna, Kurýr ji odhadne z textu a varuje. Kamenický je stará česká stránka ' +
          'pro DOS a Mazovia stará polská.',
      },
      batchSize: { title: 'Velikost dávky', description: 'Počet záznamů poslaných dál najednou.' },
      lenient: {
        title: 'Číst poškozené tabulky',
        description:
          'Přečte tabulku kratší, než udává její hlavička, tabulku se záznamem nulové délky nebo ' +
          'bez souboru memo, kam až to jde, a místo selhání ohlásí varování.',
      },
      strict: {
        title: 'Selhat na nepřevoditelných bajtech',
        description:
          'Selže na bajtu textu, pro který kódová stránka nemá znak. Ve výchozím stavu vypnuto: ' +
          'takový bajt se přečte jako náhradní znak U+FFFD a ohlásí se varování.',
      },
      requiredFields: {
        title: 'Povinná pole',
        description:
          'Názvy polí, která tabulka musí mít, bez ohledu na velikost písmen. Tabulka bez ' +
          'některého z nich selže dřív, než se přečte první záznam. Výchozí: bez kontroly.',
      },
    },
  },
  'file.read': {
    title: 'Číst soubor',
    summary: 'Přečte soubor z datové složky a předá ho dál beze změny.',
    outputs: { file: 'Soubor s názvem, typem média a velikostí.' },
    ports: { file: 'Soubor' },
    parameters: {
      path: {
        title: 'Cesta',
        description: 'Cesta k souboru v datové složce, např. export/items.dbf.',
      },
    },
  },
  'file.write': {
    title: 'Zapsat soubor',
    summary:
      'Zapíše soubory do datové složky a vytvoří nadřazené složky. Soubor se pod svým názvem ' +
      'objeví, až když běh uspěje, a starší soubor nahradí v jednom kroku.',
    inputs: { file: 'Soubory, které se zapíší.' },
    outputs: { file: 'Zapsané soubory pro bloky, které je posílají dál.' },
    ports: { file: 'Soubor' },
    parameters: {
      path: {
        title: 'Cesta',
        description:
          'Cíl v datové složce, např. out/stock.csv. Cesta končící / je složka: každý soubor ' +
          'se do ní zapíše pod svým názvem.',
      },
      rejectEmpty: {
        title: 'Odmítnout prázdný soubor',
        description:
          'Běh selže místo zápisu souboru bez záznamů nebo bajtů, aby např. prázdný export ' +
          'skladu nikdy nevymazal e-shop.',
      },
      overwrite: {
        title: 'Nahradit existující soubor',
        description:
          'Nahradí existující soubor atomicky; když je vypnuto, existující soubor běh zastaví.',
      },
    },
  },
  'transform.map': {
    title: 'Mapovat',
    summary:
      'Sestaví z každého vstupního záznamu nový záznam výrazem JSONata. Vraťte objekt pro ' +
      'jeden záznam, pole objektů pro více záznamů, nebo nic, a záznam se zahodí.',
    inputs: { records: 'Záznamy k transformaci.' },
    outputs: { records: 'Záznamy, které výraz vrátil.' },
    ports: { records: 'Záznamy' },
    parameters: {
      expression: {
        title: 'Výraz',
        description:
          'JSONata vyhodnocená na každém záznamu, např. { "code": CODE, "price": ' +
          '$addVat(PRICE, VAT) }. Proměnné toku jsou $vars.NAZEV; $now() je začátek běhu.',
      },
    },
  },
  'transform.filter': {
    title: 'Filtrovat',
    summary:
      'Ponechá záznamy, pro které je podmínka JSONata pravdivá. Prázdný text, 0, null, false ' +
      'a chybějící hodnoty platí za nepravdu, stejně jako v $boolean jazyka JSONata.',
    inputs: { records: 'Záznamy k otestování.' },
    outputs: {
      kept: 'Záznamy, pro které je podmínka pravdivá.',
      discarded: 'Všechny ostatní záznamy; výstup nemusí být zapojen.',
    },
    ports: { records: 'Záznamy', kept: 'Ponechané', discarded: 'Vyřazené' },
    parameters: {
      condition: {
        title: 'Podmínka',
        description: 'JSONata vyhodnocená na každém záznamu, např. ACTIVE and STOCK > 0.',
      },
    },
  },
  'csv.read': {
    title: 'Číst CSV',
    summary:
      'Čte soubory CSV libovolného dialektu jako záznamy, proudově v konstantní paměti. ' +
      'Oddělovač, uvozovky, řádek záhlaví a kódování se rozpoznají, pokud nejsou nastaveny, ' +
      'a zpráva o běhu ukáže, co se rozpoznalo, abyste to mohli nastavit napevno. Fungují ' +
      'konce řádků CRLF, LF i CR.',
    inputs: { file: 'Soubory CSV, např. z bloku Číst soubor nebo ze stažení.' },
    outputs: {
      records: 'Jeden záznam na řádek, s klíči podle záhlaví (nebo field1, field2, ...).',
    },
    ports: { file: 'Soubor', records: 'Záznamy' },
    parameters: {
      delimiter: {
        title: 'Oddělovač',
        description:
          'Jeden znak mezi buňkami, např. ; , | nebo tabulátor, nebo „auto“, které rozpozná ; ' +
          'tabulátor | nebo , z prvních řádků. První řádek sep=; určuje oddělovač a přeskočí ' +
          'se. Čárka jen uvnitř čísel jako 1,5 je desetinná čárka, takže takový soubor má jeden ' +
          'sloupec; když je každý řádek dvojicí celých čísel, zpráva o běhu to uvede a „,“ ' +
          'přečte dva sloupce.',
      },
      quoteChar: {
        title: 'Uvozovky',
        description:
          'Znak, který uzavírá buňky s oddělovačem nebo koncem řádku, „none“ pro text bez ' +
          'uvozovek, nebo „auto“: ", pokud je soubor nemá a jeho řádky nesedí jen tehdy, když ' +
          "buňky uzavírají apostrofy, jako v 'a;b';c.",
      },
      escapeChar: {
        title: 'Escape znak',
        description:
          'Znak, který ruší význam uvozovek uvnitř buňky v uvozovkách, např. \\ pro soubory, ' +
          'které píší \\". Rozpoznání oddělovače a záhlaví s ním čte buňky v uvozovkách také. ' +
          'Prázdné (výchozí), když se uvozovky zdvojují jako v RFC 4180 a v Excelu.',
      },
      header: {
        title: 'Řádek záhlaví',
        values: { auto: 'Rozpoznat automaticky', yes: 'Ano', no: 'Ne' },
        description:
          '„yes“, když první řádek pojmenovává sloupce, „no“ je pojmenuje field1, field2, .... ' +
          '„auto“ předpokládá záhlaví, pokud první řádek neobsahuje čísla nebo data a ' +
          'neopakuje název.',
      },
      encoding: encodingAuto,
      fallbackEncoding,
      strictEncoding,
      values: {
        title: 'Hodnoty',
        values: { text: 'Vše jako text', czech: 'Česká čísla a data' },
        description:
          '„text“ ponechá každou buňku jako text. „czech“ čte čísla s desetinnou čárkou a ' +
          'mezerou nebo tečkou mezi tisíci (-21.419,06 je -21419.06) a data jako d.M.yyyy ' +
          '(z 8.1.2024 je 2024-01-08).',
      },
      textColumns: {
        title: 'Sloupce ponechané jako text',
        description: 'Sloupce, které profil „czech“ ponechá jako text, např. kódy jako 12345.',
      },
      formulaGuard: {
        title: 'Ochrana proti vzorcům',
        values: { keep: 'Ponechat', remove: 'Odstranit' },
        description:
          "„remove“ odebere jeden úvodní ' z každé buňky a názvu v záhlaví, čímž vrátí ochranu " +
          'proti vzorcům bloku Zapsat CSV (zapnutou v jeho předvolbách custom, excel-cz a ' +
          'utf-8-bom), takže se soubor přečte přesně tak, jak byl zapsán. „keep“ čte buňky, ' +
          'jak jsou.',
      },
      wrongCellCount: {
        title: 'Řádky se špatným počtem buněk',
        values: badLineValues,
        description:
          'Řádek s více nebo méně buňkami než záhlaví: „fail“ běh zastaví, „skip“ řádek ' +
          'zahodí, „keep“ ho předá dál (buňky navíc jako fieldN). Každý se ohlásí s číslem ' +
          'řádku.',
      },
      maxRecordLength: {
        title: 'Maximální délka záznamu',
        description:
          'Počet znaků, které smí mít jeden řádek (výchozí 64 Mi); delší řádek čtení zastaví, ' +
          'což zachytí neuzavřené uvozovky dřív, než zaplní paměť.',
      },
    },
  },
  'csv.write': {
    title: 'Zapsat CSV',
    summary:
      'Zapíše záznamy jako jeden soubor CSV s řádkem záhlaví, uvozovkami tam, kde jsou třeba, ' +
      'a koncem řádku za každým řádkem. Text, který by tabulkový procesor spustil jako vzorec, ' +
      'je ve výchozím stavu chráněn.',
    inputs: { records: 'Záznamy k zápisu, každý jako jeden řádek.' },
    outputs: {
      file:
        'Jeden soubor text/csv, odeslaný po konci vstupu. Když nepřišel žádný záznam, obsahuje ' +
        'jen záhlaví: parametr Sloupce, jinak sloupce, které ohlásil blok Číst CSV, Číst DBF, ' +
        'Mapovat (s konstruktorem objektu) nebo Filtrovat před ním.',
    },
    ports: { records: 'Záznamy', file: 'Soubor' },
    parameters: {
      fileName: {
        title: 'Název souboru',
        description:
          'Název souboru CSV bez složek, např. stock.csv. Kam se uloží, určí blok Zapsat ' +
          'soubor nebo blok nahrávání.',
      },
      columns: {
        title: 'Sloupce',
        description:
          'Pole k zápisu v pořadí sloupců. Chybějící pole dají prázdné buňky a ostatní pole se ' +
          'vynechají. Když je seznam prázdný, použijí se pole prvního záznamu a pole, které ' +
          'mají až pozdější záznamy, se vynechá s varováním: taková pole uveďte ve sloupcích.',
      },
      preset: {
        title: 'Předvolba',
        values: {
          custom: 'Vlastní',
          'excel-cz': 'Excel (česky)',
          'shoptet-upgates': 'Shoptet, Upgates',
          'utf-8-bom': 'UTF-8 s BOM',
          'rfc-4180': 'RFC 4180',
        },
        description:
          'Volby pro obvyklého příjemce; každá volba nastavená níže má přednost před ' +
          'předvolbou. „excel-cz“: ; CRLF windows-1250 a desetinná čárka pro český Excel. ' +
          '„shoptet-upgates“: ; " CRLF windows-1250 pro importy do e-shopů. „utf-8-bom“: UTF-8, ' +
          'které Excel rozpozná. „rfc-4180“: , " CRLF UTF-8 s nezměněnými hodnotami. „custom“: ' +
          'výchozí hodnoty níže.',
      },
      header: {
        title: 'Řádek záhlaví',
        description: 'Zapíše názvy sloupců jako první řádek (výchozí: ano).',
      },
      delimiter: {
        title: 'Oddělovač',
        description:
          'Znak mezi poli, např. , nebo ; (Excel s českým nastavením čeká ;). Výchozí: , pokud ' +
          'ho nenastaví předvolba.',
      },
      quoteChar: {
        title: 'Uvozovky',
        description:
          'Uzavírají pole, která obsahují oddělovač, uvozovky nebo konec řádku, nebo začínají či ' +
          'končí mezerou; uvozovky uvnitř se zdvojí. Výchozí: ".',
      },
      lineEnding: {
        title: 'Konec řádku',
        values: lineEndingsCs,
        description: 'CRLF (výchozí) pro programy ve Windows a Excel, LF pro programy v Unixu.',
      },
      encoding: {
        title: 'Kódování',
        values: {
          'utf-8': 'UTF-8',
          'utf-8-bom': 'UTF-8 s BOM',
          'windows-1250': codePagesCs['1250']!,
          cp852: codePagesCs['852']!,
          kamenicky: codePagesCs.kamenicky!,
          cp437: codePagesCs['437']!,
          cp850: codePagesCs['850']!,
          'windows-1252': codePagesCs['1252']!,
        },
        description:
          'utf-8-bom umožní Excelu rozpoznat UTF-8; windows-1250 a cp852 jsou české kódové ' +
          'stránky Windows a DOS, které znak, jenž nemají, zapíší jako ? s varováním. Výchozí: ' +
          'utf-8, pokud ho nenastaví předvolba.',
      },
      decimalComma: {
        title: 'Desetinná čárka',
        description:
          'Zapisuje čísla jako 1,5 místo 1.5. Textová pole se nemění. Výchozí: vypnuto, pokud ' +
          'to nenastaví předvolba.',
      },
      formulaGuard: {
        title: 'Ochrana proti vzorcům',
        description:
          "Text začínající =, +, -, @, tabulátorem nebo CR dostane na začátek ', aby ho " +
          'tabulkový procesor zobrazil, a nespustil jako vzorec. Text, který je prosté číslo ' +
          "jako -5 nebo -21419,06, zůstane, jak je, a text začínající ' dostane druhý, takže " +
          'blok Číst CSV s „Ochrana proti vzorcům: remove“ přečte každou buňku beze změny. Pro ' +
          'soubory, které čtou programy, ji vypněte. Výchozí: zapnuto, kromě předvoleb ' +
          'shoptet-upgates a rfc-4180.',
      },
    },
  },
  'dbf.write': {
    title: 'Zapsat DBF',
    summary:
      'Zapíše záznamy jako tabulku DBF, kterou čtou FoxPro, nástroje dBase a programy GIS: ' +
      'čísla zarovnaná vpravo s desetinnými místy, data jako YYYYMMDD, pole memo v souboru ' +
      '.dbt nebo .fpt a bajt jazykového ovladače podle nastavené kódové stránky.',
    inputs: { records: 'Záznamy k zápisu, každý jako jeden řádek, s klíči podle názvů polí.' },
    outputs: {
      file: 'Jeden soubor application/dbase, odeslaný po konci vstupu, se souborem memo.',
    },
    ports: { records: 'Záznamy', file: 'Soubor' },
    parameters: {
      fileName: {
        title: 'Název souboru',
        description:
          'Název tabulky bez složek, např. items.dbf. Soubor memo dostane stejný název s .dbt ' +
          'nebo .fpt. Kam se uloží, určí blok Zapsat soubor nebo blok nahrávání.',
      },
      fields: {
        title: 'Pole',
        fields: dbfFieldsCs,
        description:
          'Pole tabulky v pořadí záznamu. Klíče záznamů se s názvy polí párují bez ohledu na ' +
          'velikost písmen a chybějící hodnota se zapíše prázdná. Zadejte buď pole, nebo ' +
          'šablonu tabulky.',
      },
      template: {
        title: 'Šablona tabulky',
        description:
          'Cesta k tabulce DBF v datové složce, jejíž pole se zkopírují, např. prázdná tabulka, ' +
          'kterou importuje skladový program. Použije se její formát a kódová stránka, pokud ' +
          'nejsou nastaveny zde. Názvy polí si ponechají velikost písmen ze šablony. Pole ' +
          'autoincrement šablony Visual FoxPro dostane další hodnoty v záznamech, které ho ' +
          'nemají, a zapsaná tabulka uloží hodnotu po posledním záznamu.',
      },
      format: {
        title: 'Formát',
        values: { dbase3: 'dBase III', foxpro: 'FoxPro 2', 'visual-foxpro': 'Visual FoxPro' },
        description:
          'dbase3 (dBase III, memo v .dbt), foxpro (FoxPro 2, memo v .fpt) nebo visual-foxpro ' +
          '(Visual FoxPro, memo v .fpt; nutný pro pole I, Y, B a T). Výchozí: formát šablony, ' +
          'jinak dbase3.',
      },
      codePage: {
        title: 'Kódová stránka',
        values: pickLabels(codePagesCs, codePages),
        description:
          'Kódová stránka textových hodnot a memo; tabulka ji deklaruje v bajtu jazykového ' +
          'ovladače. Výchozí: stránka šablony, jinak 852 (české programy pro DOS).',
      },
      truncate: {
        title: 'Zkrátit hodnoty, které se nevejdou',
        description:
          'Ořízne text delší než jeho pole, zaokrouhlí nebo vyprázdní čísla, která jsou na něj ' +
          'příliš široká, a znaky, které kódová stránka nemá, zapíše jako ?, vše s varováním. ' +
          'Ve výchozím stavu vypnuto: běh selže a uvede záznam a pole.',
      },
    },
  },
  'text.read': {
    title: 'Číst text',
    summary:
      'Čte text s pevnou šířkou sloupců nebo s oddělovači, jak ho píší pokladny, váhy, čtečky ' +
      'čárových kódů, banky (výpisy ABO/GPC) a účetní programy, do záznamů podle rozvržení ' +
      'sloupců, v libovolné kódové stránce včetně Kamenických. Řádky špatné délky se hlásí ' +
      'číslem.',
    inputs: { file: 'Textové soubory, např. z bloku Číst soubor nebo ze stažení.' },
    outputs: {
      records:
        'Jeden záznam na řádek, s klíči podle názvů sloupců, s recordType, když má rozvržení ' +
        'název.',
    },
    ports: { file: 'Soubor', records: 'Záznamy' },
    parameters: {
      format: textFormat,
      layouts,
      recordSeparator,
      positions,
      recordLength: {
        title: 'Délka záznamu',
        description:
          'Znaky (nebo bajty, s pozicemi v bajtech) na záznam při oddělovači záznamů „none“; ' +
          'výchozí je délka rozvržení.',
      },
      badLines: {
        title: 'Chybné řádky',
        values: badLineValues,
        description:
          'Řádek kratší nebo delší než jeho rozvržení, bez rozvržení, nebo s neplatným číslem ' +
          'či datem: „fail“ běh zastaví, „skip“ ho zahodí, „keep“ ho předá dál (neplatné ' +
          'hodnoty jako text). Každý se ohlásí s číslem řádku.',
      },
      delimiter: { title: 'Oddělovač', description: 'Znak mezi buňkami textu s oddělovači.' },
      quoteChar: {
        title: 'Uvozovky',
        description:
          'Uzavírají buňky textu s oddělovači, které obsahují oddělovač; prázdné pro žádné.',
      },
      header: {
        title: 'Řádek záhlaví',
        description: 'První řádek textu s oddělovači pojmenovává sloupce.',
      },
      encoding: encodingAuto,
      fallbackEncoding,
      strictEncoding,
      maxRecordLength: {
        title: 'Maximální délka záznamu',
        description:
          'Počet znaků, které smí mít jeden řádek (výchozí 64 Mi); delší řádek čtení zastaví.',
      },
    },
  },
  'text.write': {
    title: 'Zapsat text',
    summary:
      'Zapíše záznamy jako text s pevnou šířkou sloupců nebo s oddělovači podle rozvržení ' +
      'sloupců, pro pokladny, váhy, čtečky čárových kódů, banky a importy do účetnictví, ' +
      'v libovolné kódové stránce včetně Kamenických. S více rozvrženími vybere rozvržení ' +
      'každého záznamu jeho pole recordType.',
    inputs: { records: 'Záznamy k zápisu, každý jako jeden řádek.' },
    outputs: { file: 'Jeden soubor text/plain, odeslaný po konci vstupu.' },
    ports: { records: 'Záznamy', file: 'Soubor' },
    parameters: {
      fileName: {
        title: 'Název souboru',
        description: 'Název textového souboru bez složek. Kam se uloží, určí blok Zapsat soubor.',
      },
      format: textFormat,
      layouts,
      recordSeparator,
      positions,
      delimiter: {
        title: 'Oddělovač',
        description:
          'Text mezi buňkami textu s oddělovači. Hodnota, která ho obsahuje, běh zastaví.',
      },
      header: {
        title: 'Řádek záhlaví',
        description: 'Zapíše názvy sloupců jako první řádek textu s oddělovači.',
      },
      encoding: {
        title: 'Kódování',
        values: pickLabels(codePagesCs, [...codePages, 'utf-8']),
        description:
          'Kódová stránka souboru; znak, který nemá, se zapíše jako ? s varováním. ' + codePageHelp,
      },
      truncate: {
        title: 'Zkrátit dlouhé hodnoty',
        description: 'Ořízne text širší než jeho sloupec, místo aby běh selhal.',
      },
    },
  },
  'ftp.list': {
    title: 'FTP výpis',
    ...listTexts,
    parameters: { ...ftpParameters, folder: listFolder },
  },
  'ftp.download': {
    title: 'FTP stažení',
    ...downloadTexts,
    parameters: { ...ftpParameters, ...downloadParameters },
  },
  'ftp.upload': {
    title: 'FTP nahrání',
    ...uploadTexts,
    parameters: { ...ftpParameters, ...uploadParameters },
  },
  'ftp.move': {
    title: 'FTP přesun',
    summary: moveSummary,
    ports: donePort,
    parameters: { ...ftpParameters, ...moveParameters },
  },
  'ftp.delete': {
    title: 'FTP smazání',
    summary: deleteSummary,
    ports: donePort,
    parameters: { ...ftpParameters, ...deleteParameters },
  },
  'ftp.make-folder': {
    title: 'FTP nová složka',
    summary: makeFolderSummary,
    ports: donePort,
    parameters: { ...ftpParameters, ...makeFolderParameters },
  },
  'sftp.list': {
    title: 'SFTP výpis',
    ...listTexts,
    parameters: { ...connectionParameters, folder: listFolder },
  },
  'sftp.download': {
    title: 'SFTP stažení',
    ...downloadTexts,
    parameters: { ...connectionParameters, ...downloadParameters },
  },
  'sftp.upload': {
    title: 'SFTP nahrání',
    ...uploadTexts,
    parameters: { ...connectionParameters, ...uploadParameters },
  },
  'sftp.move': {
    title: 'SFTP přesun',
    summary: moveSummary,
    ports: donePort,
    parameters: { ...connectionParameters, ...moveParameters },
  },
  'sftp.delete': {
    title: 'SFTP smazání',
    summary: deleteSummary,
    ports: donePort,
    parameters: { ...connectionParameters, ...deleteParameters },
  },
  'sftp.make-folder': {
    title: 'SFTP nová složka',
    summary: makeFolderSummary,
    ports: donePort,
    parameters: { ...connectionParameters, ...makeFolderParameters },
  },
};
