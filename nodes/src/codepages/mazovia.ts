/**
 * Polish letters of the Mazovia code page (CP620, language driver 0x69) and the bytes where they
 * replace CP437 characters. Every other byte is as in CP437.
 *
 * Written by hand because iconv-lite and GNU recode have no table for it.
 * NOTE: only 0x98 (Ś) and 0x9E (ś) are checked against a table that the team did not write, a
 * Visual FoxPro test table. The other 15 letters are unconfirmed.
 */
export const mazoviaLetters: readonly (readonly [number, string])[] = [
  [0x86, 'ą'],
  [0x8d, 'ć'],
  [0x8f, 'Ą'],
  [0x90, 'Ę'],
  [0x91, 'ę'],
  [0x92, 'ł'],
  [0x95, 'Ć'],
  [0x98, 'Ś'],
  [0x9c, 'Ł'],
  [0x9e, 'ś'],
  [0xa0, 'Ź'],
  [0xa1, 'Ż'],
  [0xa3, 'Ó'],
  [0xa4, 'ń'],
  [0xa5, 'Ń'],
  [0xa6, 'ź'],
  [0xa7, 'ż'],
];
