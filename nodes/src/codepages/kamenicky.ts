/**
 * Upper half (bytes 0x80 to 0xFF) of the Kamenický code page, also called KEYBCS2 or CP895,
 * one string per row of 16 bytes.
 *
 * Written by hand because iconv-lite has no table for it. Kamenický keeps CP437 below 0x80 and
 * from 0xB0 up, and puts the Czech and Slovak letters at 0x80 to 0xAF. GNU recode 3.6 maps six
 * bytes of the CP437 part to other symbols (0xE1 β, 0xE6 μ, 0xED ∅, 0xF8 ∘, 0xF9 ·, 0xFA ∙).
 * This table keeps the CP437 glyphs (ß, µ, φ, °, ∙, ·) there, because DOS programs that wrote
 * Kamenický text showed those bytes with the CP437 font. Unicode's CP437 mapping has the same
 * six, and recode's own IBM437 table the first four. The tests compare all 128 bytes with recode.
 */
export const kamenickyUpperHalf: string = [
  'ČüéďäĎŤčěĚĹÍľĺÄÁ', // 0x80
  'ÉžŽôöÓůÚýÖÜŠĽÝŘť', // 0x90
  'áíóúňŇŮÔšřŕŔ¼§«»', // 0xA0
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐', // 0xB0
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧', // 0xC0
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀', // 0xD0
  'αßΓπΣσµτΦΘΩδ∞φε∩', // 0xE0
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0', // 0xF0
].join('');
