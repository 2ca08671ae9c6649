// Czech texts of the codes that the runtime raises errors and warnings with, and of the HTTP API's
// error codes. The runtime words its messages in English; the Czech interface shows these texts
// and keeps the English message as the technical detail. runtime-texts.test.ts scans the sources
// of @kuryr/nodes and @kuryr/runtime, so a code without a Czech text, or a text for a code that
// no longer exists, fails the unit tests.

/**
 * Czech wording of one code. `text` is complete on its own, and `withValues` adds values by `{name}`
 * placeholders from the error's params or the warning's details, and is used only when every
 * placeholder has a value.
 */
export type RuntimeText = { text: string; withValues?: string; hint?: string };

const codePageHint =
  'Nastavte kódovou stránku bloku Číst DBF: 852 pro většinu českých programů pro DOS, 1250 pro ' +
  'programy pro Windows, Kamenický pro staré české programy pro DOS.';
const damagedHeader =
  'Program, který tabulku zapsal, vytvořil poškozenou hlavičku; tabulku znovu vyexportujte.';
const copyAgain = 'Soubor je zkrácený nebo poškozený; zkopírujte ho znovu ze zdroje.';
const certificateHint =
  'Ověřte, že se připojujete ke správnému serveru, nebo v přihlašovacích údajích nastavte ' +
  'důvěryhodný certifikát.';
const badLineHint =
  'Opravte řádek, zkontrolujte rozvržení, nebo nastavte blok, aby takové řádky přeskočil ' +
  'nebo ponechal.';
const osError = (text: string, hint?: string): RuntimeText =>
  hint === undefined ? { text } : { text, hint };

export const runtimeTextsCs: Record<string, RuntimeText> = {
  // The run and its blocks.
  INTERNAL: {
    text: 'Vnitřní chyba Kurýru.',
    hint: 'Jde o chybu programu; pošlete podrobnosti a záznam běhu vývojářům.',
  },
  RUN_ABORTED: { text: 'Běh byl přerušen.' },
  RUN_CANCELLED: { text: 'Běh byl zrušen.' },
  RUN_SKIPPED: {
    text: 'Běh byl přeskočen, protože tok ještě běží.',
    hint: 'Pravidla běhu toku nedovolují souběžné běhy; počkejte, až předchozí běh skončí.',
  },
  RUN_TIMED_OUT: {
    text: 'Běh překročil časový limit a byl ukončen.',
    hint: 'Prodlužte časový limit v pravidlech běhu toku, nebo zmenšete objem dat.',
  },
  RUN_OUT_OF_MEMORY: {
    text: 'Běhu došla paměť.',
    hint: 'Zmenšete objem dat zpracovaných najednou, nebo zvyšte limit paměti běhu.',
  },
  RUN_WORKER_STOPPED: {
    text: 'Proces, ve kterém běh probíhal, nečekaně skončil.',
    hint:
      'Příčinu uvádí log služby; může ji způsobit běh, který potřebuje víc paměti, než ' +
      'je volné.',
  },
  RUN_NOT_RUNNING: { text: 'Běh už neběží.' },
  SERVICE_STOPPING: {
    text: 'Služba se ukončuje a nový běh nepřijímá.',
    hint: 'Spusťte tok znovu po restartu služby.',
  },
  FLOW_INVALID: {
    text: 'Tok je neplatný.',
    hint: 'Opravte problémy uvedené u bloků a spusťte tok znovu.',
  },
  FLOW_EXISTS: {
    text: 'Tok s tímto identifikátorem už existuje.',
    hint:
      'Zvolte pro tok jiný identifikátor, nebo existující tok upravte přes PUT ' +
      '/api/v1/flows/ID.',
  },
  FLOW_RUNNING: { text: 'Tok právě běží.', hint: 'Počkejte, až běh skončí, nebo ho zrušte.' },
  PARAMETER_INVALID: {
    text: 'Parametr bloku má neplatnou hodnotu.',
    hint: 'Opravte parametr nebo proměnnou, ze které se počítá.',
  },
  VARIABLE_MISSING: {
    text: 'Proměnná toku nemá hodnotu.',
    hint: 'Zadejte hodnotu proměnné při spuštění nebo v nastavení toku.',
  },
  VARIABLE_UNDECLARED: {
    text: 'Tok používá proměnnou, kterou nedeklaruje.',
    withValues: 'Tok používá nedeklarovanou proměnnou {variable}; deklarujte ji v proměnných toku.',
    hint: 'Přidejte proměnnou do proměnných toku.',
  },
  SCHEDULE_INVALID: { text: 'Plán spouštění je neplatný.', hint: 'Zkontrolujte výraz cron.' },
  LEDGER_MISSING: { text: 'Chybí evidence zpracovaných souborů.' },
  MAP_NOT_A_RECORD: {
    text: 'Výraz bloku Mapovat nevrátil záznam (objekt).',
    hint: 'Vraťte objekt, např. { "code": CODE }, pole objektů, nebo nic.',
  },
  USAGE: { text: 'Příkaz byl zadán chybně.' },

  // Problems that the check of a flow finds.
  BLOCK_ID_DUPLICATE: { text: 'Dva bloky mají stejný identifikátor.' },
  BLOCK_TYPE_UNKNOWN: { text: 'Neznámý typ bloku.', withValues: 'Neznámý typ bloku „{type}“.' },
  BLOCK_VERSION_NEWER: {
    text: 'Blok pochází z novější verze Kurýru; aktualizujte Kurýr.',
    withValues:
      'Verze {version} bloku {type} je novější, než tento Kurýr zná ({known}); aktualizujte Kurýr.',
  },
  PARAMETER_NOT_EXPRESSION: { text: 'Tento parametr nemůže být výraz.' },
  PARAMETER_UNKNOWN: { text: 'Neznámý parametr.' },
  PARAMETER_MISSING: { text: 'Chybí povinný parametr.' },
  INPUT_NOT_WIRED: { text: 'K tomuto vstupu nevede žádné spojení, takže by blok nic nedostal.' },
  WIRE_DUPLICATE: {
    text: 'Stejné spojení je v toku dvakrát, takže by každá položka přišla dvakrát.',
  },
  WIRE_BLOCK_UNKNOWN: {
    text: 'Spojení vede k bloku, který v toku není.',
    withValues: 'Spojení vede k bloku „{block}“, který v toku není.',
  },
  WIRE_PORT_UNKNOWN: {
    text: 'Blok nemá port, ke kterému spojení vede.',
    withValues: 'Typ bloku {type} nemá port „{port}“.',
  },
  WIRE_INCOMPATIBLE: {
    text: 'Spojení spojuje neslučitelné porty: záznamy nelze vést do vstupu pro soubory a naopak.',
  },
  WIRES_CYCLE: { text: 'Spojení tvoří cyklus.', withValues: 'Spojení tvoří cyklus: {cycle}.' },
  TRIGGER_DUPLICATE: { text: 'Stejný spouštěč je v toku dvakrát.' },
  TRIGGER_PATTERN_HAS_FOLDER: {
    text: 'Vzor obsahuje „/“, ale porovnává se jen s názvy souborů.',
    withValues: 'Vzor „{pattern}“ obsahuje „/“, ale porovnává se jen s názvy souborů.',
  },
  TRIGGER_PATTERN_INVALID: {
    text: 'Neplatný vzor názvů souborů.',
    withValues: 'Neplatný vzor názvů souborů „{pattern}“.',
  },
  TRIGGER_ARCHIVE_IS_WATCHED: { text: 'Archivní složka je sledovaná složka; zvolte jinou složku.' },

  // Expressions (JSONata) and money.
  EXPRESSION_INVALID: {
    text: 'Výraz JSONata má chybnou syntaxi.',
    hint: 'Opravte výraz. Syntaxi JSONata popisuje https://docs.jsonata.org.',
  },
  EXPRESSION_FAILED: {
    text: 'Výpočet výrazu JSONata selhal.',
    hint: 'Ověřte výraz na zobrazeném záznamu. Prázdné hodnoty na vstupu jsou null.',
  },
  EXPRESSION_TIMEOUT: {
    text: 'Výpočet výrazu trval příliš dlouho.',
    hint: 'Zjednodušte výraz nebo ho rozdělte do více bloků.',
  },
  EXPRESSION_OUT_OF_MEMORY: {
    text: 'Výpočtu výrazu došla paměť.',
    hint: 'Zjednodušte výraz nebo zmenšete zpracovávaná data.',
  },
  EXPRESSION_QUEUE_FULL: {
    text: 'Příliš mnoho výrazů čeká na výpočet.',
    hint: 'Zkuste to za chvíli znovu.',
  },
  EXPRESSION_WARNING: { text: 'Výraz JSONata ohlásil varování.' },
  MONEY_NOT_A_NUMBER: { text: 'Částka není číslo.' },
  MONEY_PLACES_INVALID: { text: 'Neplatný počet desetinných míst částky.' },
  MONEY_SEPARATOR_INVALID: { text: 'Neplatný desetinný oddělovač částky.' },

  // Files and the data folder.
  FILE_NOT_FOUND: {
    text: 'Soubor nebyl nalezen.',
    hint: 'Zkontrolujte cestu k souboru v datové složce.',
  },
  FILE_ACCESS_DENIED: {
    text: 'K souboru nemá Kurýr přístup.',
    hint: 'Upravte oprávnění souboru nebo složky.',
  },
  FILE_IS_FOLDER: {
    text: 'Cesta vede ke složce, ne k souboru.',
    hint: 'Zadejte cestu k souboru uvnitř této složky.',
  },
  FILE_EXISTS: {
    text: 'Soubor už existuje.',
    hint: 'Zvolte jiný název, nebo povolte přepsání souboru.',
  },
  FILE_EMPTY: {
    text: 'Blok by zapsal prázdný soubor.',
    hint: 'Zkontrolujte vstup a filtry, nebo vypněte Odmítnout prázdný soubor.',
  },
  FILE_GONE: { text: 'Soubor mezitím zmizel.' },
  FILE_WRITTEN_TWICE: {
    text: 'Tok zapisuje stejný soubor dvakrát.',
    hint: 'Dejte každému zapisovanému souboru jiný název.',
  },
  FILE_CLAIM_FAILED: {
    text: 'Soubor se nepodařilo zarezervovat pro tento běh.',
    hint: 'Spusťte tok znovu; soubor, který nedrží jiný běh, se zarezervuje hned.',
  },
  FILE_CLAIM_LOST: {
    text: 'Soubory tohoto běhu převzal jiný běh, protože tento běh neobnovil jejich zábor včas; tento běh nic nezveřejnil.',
    hint: 'Zkontrolujte zatížení a hodiny tohoto stroje.',
  },
  FILES_ALREADY_PROCESSED: {
    text: 'Soubory už byly zpracovány dřívějším během a byly přeskočeny.',
  },
  FILES_CLAIMED_BY_OTHER_RUN: { text: 'Soubory zpracovává jiný běh a byly přeskočeny.' },
  TARGET_IS_FOLDER: {
    text: 'Cílová cesta je složka.',
    hint: 'Zadejte název souboru, nebo cestu ukončete lomítkem / a soubory se zapíší do té složky.',
  },
  MOVE_FOLDER_MISSING: {
    text: 'Složka, do které se má soubor přesunout, neexistuje.',
    hint: 'Vyplňte „Přesunout do složky“, nebo zvolte Ponechat či Smazat.',
  },
  PATH_OUTSIDE_DATA_FOLDER: {
    text: 'Cesta vede mimo datovou složku.',
    hint: 'Zadejte cestu uvnitř datové složky, bez „..“ a bez absolutní cesty.',
  },
  PATH_READ_AND_WRITTEN: {
    text: 'Tok čte i zapisuje stejnou cestu.',
    hint: 'Zapisujte výsledek do jiného souboru.',
  },
  PATH_THROUGH_FILE: {
    text: 'Cesta prochází souborem, jako by to byla složka.',
    hint: 'Část cesty před názvem souboru je soubor; zkontrolujte cestu.',
  },
  DISK_FULL: { text: 'Disk je plný.', hint: 'Uvolněte místo na disku a spusťte tok znovu.' },
  EACCES: osError('Přístup odepřen.', 'Upravte oprávnění souboru nebo složky.'),
  EPERM: osError('Operace není povolena.', 'Upravte oprávnění souboru nebo složky.'),
  ENOENT: osError('Soubor nebo složka neexistuje.'),
  EEXIST: osError('Soubor nebo složka už existuje.'),
  EISDIR: osError('Cesta je složka, ne soubor.'),
  ENOTDIR: osError('Část cesty není složka.'),
  ENOSPC: osError('Na disku nezbývá místo.', 'Uvolněte místo na disku a spusťte tok znovu.'),
  EXDEV: osError('Soubor nelze přesunout na jiný disk.'),
  EADDRINUSE: osError('Adresa nebo port je už obsazen.'),
  LISTEN_FAILED: {
    text: 'Službu se nepodařilo spustit na zadané adrese.',
    hint:
      'Používá-li port jiný program, zadejte jiný --port; jinak zadejte v --host adresu ' +
      'tohoto počítače.',
  },

  // DBF tables.
  DBF_TOO_SHORT: {
    text: 'Soubor je na tabulku DBF příliš krátký.',
    withValues: 'Soubor má {size} B, ale potřebuje aspoň {needed} B.',
    hint: copyAgain,
  },
  DBF_TRUNCATED: {
    text: 'Tabulka DBF je zkrácená.',
    withValues:
      'Tabulka DBF je zkrácená: hlavička udává {promised} záznamů, soubor jich obsahuje {held}.',
    hint: 'Zkopírujte soubor znovu, nebo zapněte Číst poškozené tabulky a načtěte úplné záznamy.',
  },
  DBF_MORE_RECORDS_THAN_HEADER: {
    text: 'Tabulka DBF obsahuje více záznamů, než udává hlavička.',
    withValues: 'Hlavička udává {declared} záznamů, soubor jich obsahuje {inFile}.',
    hint: 'Tabulku znovu vyexportujte, nebo zapněte Číst poškozené tabulky a načtěte jen započtené záznamy.',
  },
  DBF_RECORD_ZERO_BYTES: {
    text: 'Záznam obsahuje jen nulové bajty, tabulka je poškozená.',
    hint: 'Zkopírujte tabulku znovu ze zdroje, nebo zapněte Číst poškozené tabulky a načtěte záznamy před ním.',
  },
  DBF_VERSION_UNKNOWN: {
    text: 'Neznámá verze tabulky DBF.',
    hint: 'Uložte tabulku jako dBase III, dBase IV, FoxPro 2 nebo Visual FoxPro.',
  },
  DBF_VERSION_UNSUPPORTED: {
    text: 'Nepodporovaná verze tabulky DBF.',
    withValues: 'Nepodporovaná verze tabulky DBF: {name}.',
    hint: 'Kurýr čte tabulky dBase III, dBase IV, FoxPro 2 a Visual FoxPro; uložte tabulku v jednom z těchto formátů.',
  },
  DBF_HEADER_LENGTH_MISMATCH: {
    text: 'Délka hlavičky tabulky DBF nesouhlasí s jejími poli.',
    hint: damagedHeader,
  },
  DBF_RECORD_LENGTH_MISMATCH: {
    text: 'Délka záznamu tabulky DBF nesouhlasí se součtem šířek polí.',
    hint: damagedHeader,
  },
  DBF_FIELD_TYPE_UNKNOWN: {
    text: 'Pole tabulky DBF má typ, který Kurýr neumí číst.',
    withValues: 'Pole {name} má typ „{type}“, který Kurýr neumí číst.',
    hint: 'Odstraňte pole nebo změňte jeho typ na C, N, F, D, L, I, Y, B, T nebo M v programu, který tabulku zapisuje.',
  },
  DBF_FIELD_INVALID: {
    text: 'Pole tabulky DBF má neplatnou šířku.',
    withValues: 'Pole {name} typu „{type}“ má neplatnou šířku {length} B.',
    hint: 'Hlavička tabulky je poškozená; tabulku znovu vyexportujte.',
  },
  DBF_FIELD_DECIMALS_INVALID: {
    text: 'Pole tabulky DBF má více desetinných míst, než dovoluje jeho šířka.',
    withValues: 'Pole {name} udává {decimals} desetinných míst, ale má šířku jen {length} B.',
    hint: 'Hlavička tabulky je poškozená; tabulku znovu vyexportujte.',
  },
  DBF_FIELD_NAME_REPEATED: {
    text: 'Tabulka DBF má více polí se stejným názvem; opakované pole bylo přejmenováno.',
    withValues: 'Tabulka má více polí s názvem {name}; další se čte jako {renamed}.',
    hint: 'V dalších blocích použijte nový název, nebo pole přejmenujte v programu, který tabulku zapisuje.',
  },
  DBF_FIELDS_MISSING: {
    text: 'Tabulce DBF chybějí povinná pole.',
    withValues: 'Tabulce {table} chybějí pole {missing}.',
    hint: 'Ověřte, že cesta vede ke správné tabulce, nebo opravte názvy v parametru Povinná pole.',
  },
  DBF_VALUE_INVALID: {
    text: 'Hodnotu pole nelze přečíst.',
    withValues: 'Hodnotu „{text}“ pole {name} (typ {type}) nelze přečíst.',
    hint: 'Opravte hodnotu v programu, který tabulku zapisuje, nebo tabulku znovu vyexportujte.',
  },
  DBF_NUL_IN_TEXT: {
    text: 'Text pole obsahoval nulové bajty; byly nahrazeny mezerami.',
    hint: 'Program, který tabulku zapisuje, ukládá do textu nulové bajty; opravte hodnotu v něm.',
  },
  DBF_RECORD_FLAG_INVALID: {
    text: 'Záznam nezačíná příznakem smazání, tabulka je poškozená.',
    hint: 'Délka záznamu nebo hlavičky je chybná, takže je tabulka poškozená.',
  },
  DBF_CODE_PAGE_OVERRIDDEN: {
    text: 'Tabulka se čte v jiné kódové stránce, než jakou udává.',
    withValues:
      'Tabulka udává kódovou stránku {declared}, ale čte se v kódové stránce {chosen} podle nastavení bloku.',
    hint: 'Ponechte kódovou stránku na „automaticky“, pokud udaná není chybná; zkontrolujte, zda text nemá špatná písmena.',
  },
  DBF_CODE_PAGE_UNKNOWN: {
    text: 'Tabulka obsahuje text s diakritikou, ale neudává známou kódovou stránku.',
    hint: codePageHint,
  },
  DBF_CODE_PAGE_GUESSED: {
    text: 'Tabulka neudává kódovou stránku, Kurýr ji odhadl podle prvních záznamů.',
    withValues:
      'Tabulka neudává kódovou stránku, text se čte v odhadnuté kódové stránce {codePage}.',
    hint: codePageHint,
  },
  DBF_BYTE_UNMAPPABLE: {
    text: 'Bajt v textu pole nemá v kódové stránce žádný znak.',
    withValues: 'Bajt v textu pole nemá v kódové stránce {codePage} žádný znak.',
    hint: 'Tabulka používá jinou kódovou stránku nebo je hodnota poškozená. Nastavte kódovou stránku bloku Číst DBF, nebo hodnotu opravte.',
  },
  DBF_CPG_UNKNOWN: {
    text: 'Soubor .cpg neuvádí kódovou stránku, kterou Kurýr zná, a byl ignorován.',
    hint: 'Zapište do souboru .cpg číslo kódové stránky, např. 852, 1250 nebo 1252, nebo UTF-8, nebo nastavte kódovou stránku bloku.',
  },
  DBF_MEMO_FILE_MISSING: {
    text: 'Tabulka má pole memo, ale soubor memo nebyl nalezen.',
    withValues: 'Tabulka má pole memo, ale soubor memo {expected} nebyl nalezen.',
    hint: 'Zkopírujte soubor memo spolu s tabulkou, nebo zapněte Číst poškozené tabulky a pole memo se načtou prázdná.',
  },
  DBF_MEMO_INVALID: {
    text: 'Blok souboru memo je neplatný.',
    hint: 'Soubor memo k této tabulce nepatří nebo je poškozený; zkopírujte znovu oba soubory.',
  },
  DBF_WRITE_VALUE_INVALID: {
    text: 'Hodnotu nelze zapsat do pole DBF.',
    hint: 'Změňte hodnotu nebo definici pole, nebo zapněte Zkrátit hodnoty, které se nevejdou, a blok je ohlásí.',
  },
  DBF_WRITE_VALUE_FITTED: {
    text: 'Hodnota byla upravena, aby se vešla do pole DBF.',
    hint: 'Rozšiřte pole nebo zkraťte hodnotu, aby se nic neořezávalo.',
  },
  DBF_WRITE_FIELDS_INVALID: {
    text: 'Seznam polí DBF je neplatný.',
    withValues: 'Seznam polí DBF je neplatný: {reason}.',
    hint: 'Názvy polí mají 1 až 10 písmen ASCII, číslic nebo podtržítek; ověřte typy a šířky vůči zvolenému formátu tabulky.',
  },
  DBF_WRITE_LAYOUT_MISSING: {
    text: 'Blok Zapsat DBF nemá pole ani šablonu tabulky.',
    hint: 'Vyplňte pole, nebo zadejte šablonu tabulky.',
  },
  CODE_PAGE_UNKNOWN: {
    text: 'Neznámá kódová stránka.',
    hint: 'Zvolte kódovou stránku ze seznamu.',
  },

  // CSV.
  // The reader raises this code when it stops on such a row and warns with it when it keeps the
  // row, so the text names neither outcome.
  CSV_CELL_COUNT: {
    text: 'Řádek CSV má jiný počet buněk než záhlaví.',
    hint:
      'Opravte řádek, zkontrolujte oddělovač a znak uvozovek, nebo nastavte blok, aby ' +
      'takové řádky přeskočil nebo ponechal. Zapisuje-li soubor uvozovky uvnitř buňky v ' +
      'uvozovkách jako \\", nastavte znak escape na \\.',
  },
  CSV_ROW_SKIPPED: { text: 'Řádek CSV má jiný počet buněk než záhlaví; řádek byl přeskočen.' },
  CSV_CHARACTER_UNMAPPABLE: {
    text: 'Znak nelze zapsat ve zvoleném kódování CSV.',
    hint: 'Zvolte kódování, které znak obsahuje, např. UTF-8.',
  },
  CSV_DIALECT_DETECTED: { text: 'Kurýr rozpoznal oddělovač a formát souboru CSV.' },
  CSV_EMPTY: { text: 'Soubor CSV je prázdný.' },
  CSV_ENCODER_FINISHED: { text: 'Zápis CSV už skončil, další data nelze přidat.' },
  CSV_FIELDS_DROPPED: {
    text: 'Některá pole záznamů nejsou mezi sloupci CSV a nebyla zapsána.',
    hint: 'Přidejte pole do sloupců bloku Zapsat CSV.',
  },
  CSV_NO_COLUMNS: {
    text: 'Soubor CSV by neměl žádné sloupce.',
    hint: 'Zadejte sloupce bloku Zapsat CSV.',
  },
  CSV_OPTION_INVALID: { text: 'Neplatné nastavení formátu CSV.' },
  CSV_QUOTE_UNCLOSED: {
    text: 'Uvozovky v souboru CSV nejsou uzavřené.',
    hint: 'Opravte soubor, nebo zvolte správný znak uvozovek.',
  },
  CSV_RECORD_TOO_LONG: {
    text: 'Záznam CSV je příliš dlouhý.',
    hint: 'Soubor má pravděpodobně neuzavřené uvozovky nebo jiný oddělovač.',
  },
  CSV_STRAY_QUOTE: {
    text: 'Uvozovky uprostřed buňky CSV.',
    hint: 'Opravte soubor, nebo zvolte správný znak uvozovek.',
  },
  CSV_TEXT_COLUMN_UNKNOWN: {
    text: 'Textový sloupec není v záhlaví CSV.',
    hint: 'Opravte název sloupce v parametrech bloku.',
  },

  // Fixed-width and delimited text.
  TEXT_CHARACTER_CUT: {
    text: 'Vícebajtový znak byl rozdělen na hranici sloupce nebo řádku.',
    hint:
      'Zkontrolujte podle souboru délku záznamu a začátky a šířky sloupců, které se ' +
      'nesmí překrývat, nebo počítejte pozice ve znacích.',
  },
  TEXT_CHARACTER_UNMAPPABLE: {
    text: 'Znak nelze zapsat ve zvoleném kódování.',
    hint: 'Zvolte kódování, které znak obsahuje, např. UTF-8.',
  },
  TEXT_ENCODER_FINISHED: { text: 'Zápis textu už skončil, další data nelze přidat.' },
  TEXT_ENCODING_BOM: { text: 'Kódování určila značka BOM na začátku souboru.' },
  TEXT_ENCODING_FALLBACK: { text: 'Soubor není v UTF-8, čte se v záložním kódování.' },
  TEXT_ENCODING_UNKNOWN: {
    text: 'Neznámé kódování textu.',
    hint:
      'Nastavte kódování na kódovou stránku, ve které byl soubor zapsán (např. 1250 ' +
      'nebo 852), nebo soubor uložte v UTF-8 či v UTF-16 s BOM (text Unicode), které se ' +
      'rozpoznají samy.',
  },
  TEXT_LAYOUT_INVALID: {
    text: 'Rozvržení textového souboru je neplatné.',
    hint:
      'Zadejte každému sloupci rozvržení s pevnou šířkou jeho šířku ve znacích. Při ' +
      'pozicích v bajtech doplňujte znakem ASCII, např. mezerou nebo 0.',
  },
  TEXT_LINE_BREAK_IN_RECORD: {
    text: 'Záznam obsahuje zalomení řádku.',
    hint:
      'Záznamy končí zalomením řádku: nastavte oddělovač záznamů na CRLF nebo LF. ' + badLineHint,
  },
  TEXT_LINE_LENGTH: {
    text: 'Řádek má jinou délku, než určuje rozvržení.',
    hint: badLineHint,
  },
  TEXT_LINE_TOO_LONG: {
    text: 'Řádek je příliš dlouhý.',
    hint: 'Zkontrolujte oddělovač záznamů a kódování souboru.',
  },
  TEXT_NOT_UTF8: {
    text: 'Soubor není platné UTF-8.',
    hint: 'Zvolte kódování souboru, nebo „automaticky“.',
  },
  TEXT_NOT_UTF16: {
    text: 'Soubor není platné UTF-16.',
    hint: 'Zvolte kódování souboru, nebo „automaticky“.',
  },
  TEXT_OPTION_INVALID: {
    text: 'Neplatné nastavení textového formátu.',
    hint: 'Počítejte pozice ve znacích, nebo soubor uložte v UTF-8 či v kódové stránce.',
  },
  TEXT_RECORD_TYPE_UNKNOWN: {
    text: 'Řádek neodpovídá žádnému druhu záznamu z rozvržení.',
    hint: badLineHint + ' Při zápisu nastavte pole recordType na název druhu záznamu z rozvržení.',
  },
  TEXT_VALUE_HAS_DELIMITER: {
    text: 'Hodnota obsahuje oddělovač.',
    hint:
      'Zvolte jiný oddělovač, odstraňte znak v bloku Mapovat, nebo použijte blok Zapsat ' +
      'CSV, který hodnotu uzavře do uvozovek.',
  },
  TEXT_VALUE_HAS_LINE_BREAK: {
    text: 'Hodnota obsahuje zalomení řádku.',
    hint: 'Nahraďte zalomení řádku v bloku Mapovat, např. mezerou.',
  },
  TEXT_VALUE_INVALID: {
    text: 'Hodnotu sloupce nelze přečíst.',
    hint: 'Zkontrolujte podle souboru pozice a typy sloupců rozvržení.',
  },
  TEXT_VALUE_TOO_LONG: {
    text: 'Hodnota se nevejde do šířky sloupce.',
    hint: 'Rozšiřte sloupec, zkraťte hodnotu v bloku Mapovat, nebo nechte blok hodnotu oříznout.',
  },

  // Transfers (FTP, SFTP) and the network.
  REMOTE_CONNECTION_FAILED: {
    text: 'Připojení k serveru se nezdařilo.',
    hint: 'Ověřte adresu a port serveru a síťové spojení.',
  },
  REMOTE_CONNECTION_LOST: { text: 'Spojení se serverem bylo přerušeno.' },
  REMOTE_TIMEOUT: {
    text: 'Server neodpověděl včas.',
    hint: 'Selhal server nebo síť. Další pokus nebo běh může uspět.',
  },
  REMOTE_COMMAND_REFUSED: {
    text: 'Server odmítl příkaz.',
    hint: 'Server požadavek odmítl; zkontrolujte cestu, např. zda nevede ke složce.',
  },
  REMOTE_PATH_UNAVAILABLE: {
    text: 'Cesta na serveru neexistuje nebo není přístupná.',
    hint: 'Ověřte, že cesta na serveru existuje a že ji účet smí používat.',
  },
  REMOTE_FILE_KEPT: { text: 'Soubor na serveru už existuje a byl ponechán.' },
  REMOTE_NAME_INVALID: {
    text: 'Název souboru na serveru je neplatný.',
    hint:
      'Přejmenujte soubor tak, aby název neobsahoval zalomení řádku, nebo ho přeneste ' +
      'přes SFTP.',
  },
  REMOTE_NAME_NOT_UTF8: {
    text: 'Název souboru na serveru není v UTF-8.',
    hint: 'Nastavte kódování názvů souborů serveru.',
  },
  REMOTE_NAME_UNENCODABLE: {
    text: 'Název souboru nelze zapsat v kódování názvů serveru.',
    hint: 'Nastavte kódování názvů souborů serveru.',
  },
  DOWNLOAD_INCOMPLETE: {
    text: 'Stahování souboru nebylo dokončeno.',
    hint:
      'Soubor, který druhá strana ještě zapisuje, stáhne až některý další běh. Aby se ' +
      'čekalo na jeho dokončení, nastavte „Minimální stáří“.',
  },
  UPLOAD_SIZE_MISMATCH: { text: 'Velikost nahraného souboru na serveru nesouhlasí.' },
  UNSAFE_FILE_NAME_SKIPPED: { text: 'Soubor s nebezpečným názvem byl přeskočen.' },
  MODIFICATION_TIME_UNKNOWN: { text: 'Server neuvádí čas změny souboru.' },
  CLEAN_UP_FAILED: { text: 'Úklid souborů na serveru po běhu selhal.' },
  CLEAN_UP_SKIPPED: { text: 'Úklid souborů na serveru po běhu byl vynechán.' },
  DISCONNECT_PROBLEM: { text: 'Odpojení od serveru neproběhlo čistě.' },
  EPSV_FALLBACK: { text: 'Datové spojení EPSV selhalo, použije se PASV.' },
  HOST_KEY_UNKNOWN: {
    text: 'Klíč serveru SFTP není známý.',
    hint: 'Zadejte otisk klíče serveru v přihlašovacích údajích.',
  },
  HOST_KEY_MISMATCH: {
    text: 'Klíč serveru SFTP nesouhlasí s uloženým otiskem.',
    hint: 'Ověřte, že se připojujete ke správnému serveru; pokud byl klíč změněn, aktualizujte otisk.',
  },
  CERTIFICATE_REJECTED: { text: 'Certifikát serveru byl odmítnut.', hint: certificateHint },
  TLS_NOT_STARTED: {
    text: 'Server nezahájil šifrované spojení TLS.',
    hint: 'Zvolte správné zabezpečení FTP (explicitní nebo implicitní TLS).',
  },
  LOGIN_FAILED: {
    text: 'Přihlášení k serveru selhalo.',
    hint: 'Zkontrolujte uživatelské jméno a heslo v přihlašovacích údajích.',
  },
  NETWORK_RETRY: { text: 'Síťové volání selhalo a zkouší se znovu.' },
  LISTING_FORMAT_UNSUPPORTED: {
    text: 'Server vypsal složku ve formátu, který není Unix, MS-DOS ani MLSD.',
    hint:
      'Přepněte server na výpisy ve stylu Unix, pokud je nabízí (na IIS styl výpisu adresáře ' +
      'UNIX), nebo použijte SFTP, pokud ho server má.',
  },
  REMOTE_STORAGE_FULL: {
    text: 'Úložiště serveru je plné nebo je překročena kvóta účtu.',
    hint: 'Uvolněte místo na serveru nebo zvyšte kvótu účtu a spusťte tok znovu.',
  },
  CONNECTION_LIMIT_REACHED: {
    text: 'Server odmítl další spojení; běh pokračuje se spojeními, která server přijal.',
    hint: 'Snižte počet spojení na server na limit serveru, aby odmítnutý pokus odpadl.',
  },
  FILE_CLAIM_TAKEN_OVER: {
    text: 'Soubor zabraný jiným během, jehož zábor vypršel bez obnovení, převzal tento běh.',
    hint: 'Pokud ten běh stále žije, zkontrolujte hodiny a zatížení obou strojů.',
  },
  REMOTE_ENTRY_SKIPPED: {
    text: 'Některé položky odpovídají vzoru, ale nejsou to čitelné soubory, a byly přeskočeny.',
    hint: 'Nasměrujte symbolické odkazy na běžné soubory, nebo zužte vzor.',
  },
  SAVE_NAME_CONFLICT: {
    text: 'Dva soubory by se v jednom běhu uložily pod stejným názvem a pozdější by nahradil dřívější.',
    hint: 'Dejte stahováním různé složky pro uložení, nebo zužte jejich vzory.',
  },
  TEMPORARY_NAME_REJECTED: {
    text: 'Server odmítl skrytý dočasný název, blok proto nahrává pod viditelnými dočasnými názvy.',
    hint: 'Nastavte dočasný název na „suffix“, aby odmítnutý pokus odpadl.',
  },
  NETWORK_TIMEOUT: {
    text: 'Síťové volání nebylo dokončeno včas.',
    hint: 'Ověřte, že je server dostupný, nebo prodlužte časový limit bloku.',
  },

  // Credentials and the vault.
  CREDENTIAL_MISSING: {
    text: 'Chybí přihlašovací údaje.',
    hint: 'Vyberte přihlašovací údaje v parametrech bloku.',
  },
  CREDENTIAL_NOT_FOUND: {
    text: 'Přihlašovací údaje nebyly nalezeny.',
    hint: 'Vytvořte je, nebo vyberte jiné.',
  },
  CREDENTIAL_INCOMPLETE: {
    text: 'Přihlašovací údaje nejsou úplné.',
    hint: 'Doplňte chybějící údaje.',
  },
  CREDENTIAL_INVALID: {
    text: 'Přihlašovací údaje jsou neplatné.',
    hint:
      'Zadejte klíč ve formátu OpenSSH nebo PEM i se zalomeními řádků (v JSON jako \\n) ' +
      'a u šifrovaného klíče také jeho heslo.',
  },
  CREDENTIAL_UNDECLARED: {
    text: 'Blok používá přihlašovací údaje, které tok nedeklaruje.',
    hint: 'Přidejte název přihlašovacích údajů do seznamu „credentials“ toku.',
  },
  CREDENTIAL_EXISTS: {
    text: 'Přihlašovací údaje s tímto názvem už existují.',
    hint:
      'Vynechte je ze seznamu „credentials“, aby se použily uložené, nebo je v šabloně ' +
      'přejmenujte.',
  },
  CREDENTIAL_IN_USE: {
    text: 'Přihlašovací údaje používá některý tok.',
    hint: 'Nejdřív je odeberte z toků.',
  },
  CREDENTIALS_INVALID: { text: 'Soubor s přihlašovacími údaji je neplatný.' },
  CREDENTIALS_UNREADABLE: { text: 'Soubor s přihlašovacími údaji nelze přečíst.' },
  VAULT_KEY_MISSING: {
    text: 'Chybí klíč trezoru přihlašovacích údajů.',
    hint: 'Obnovte vault.key ze zálohy do složky se stavem, nebo nastavte KURYR_VAULT_KEY. Bez klíče nelze uložené přihlašovací údaje přečíst.',
  },
  VAULT_KEY_INVALID: {
    text: 'Klíč trezoru přihlašovacích údajů je neplatný.',
    hint: 'Klíč trezoru má 32 bajtů, zapsaných jako 64 šestnáctkových číslic nebo v base64.',
  },
  VAULT_KEY_WRONG: {
    text: 'Klíč trezoru přihlašovacích údajů je chybný.',
    hint: 'Použijte klíč, kterým byly přihlašovací údaje zašifrovány (vault.key ze zálohy nebo původní KURYR_VAULT_KEY).',
  },

  // The HTTP API.
  BAD_REQUEST: { text: 'Neplatný požadavek.' },
  NOT_FOUND: { text: 'Nenalezeno.', withValues: '„{id}“ nebylo nalezeno.' },
  BODY_TOO_LARGE: {
    text: 'Požadavek je příliš velký.',
    withValues: 'Požadavek je větší než limit {limit} B.',
  },
  UNSUPPORTED_MEDIA_TYPE: { text: 'Nepodporovaný typ obsahu požadavku.' },
  UNAUTHENTICATED: { text: 'Nejste přihlášeni.', hint: 'Přihlaste se znovu.' },
  CSRF_TOKEN_INVALID: { text: 'Relace vypršela.', hint: 'Obnovte stránku a přihlaste se znovu.' },
  TOO_MANY_ATTEMPTS: { text: 'Příliš mnoho pokusů o přihlášení.', hint: 'Zkuste to později.' },
  SETUP_DONE: { text: 'Účet správce už existuje.' },
  SETUP_TOKEN_WRONG: {
    text: 'Instalační kód je chybný.',
    hint: 'Použijte instalační odkaz z logu aktuálního spuštění.',
  },
};
