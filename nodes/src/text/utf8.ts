/**
 * Returns the offset of the first byte that breaks UTF-8 in `bytes`, or -1 when there is none.
 * A sequence cut off by the end of `bytes` counts as valid when `isComplete` is false, because
 * the next chunk of a stream may finish it. Overlong forms, surrogates and code points above
 * U+10FFFF are invalid, as the WHATWG decoder treats them.
 */
export function findInvalidUtf8(bytes: Uint8Array, isComplete: boolean): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 0) return index;

    for (let next = 1; next < length; next++) {
      if (index + next >= bytes.length) return isComplete ? index : -1;
      const byte = bytes[index + next]!;
      if (next === 1 ? !isValidSecondByte(lead, byte) : (byte & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return -1;
}

/** Bytes of the sequence that `lead` starts, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Checks the second byte, whose valid range depends on the lead byte (RFC 3629, section 4). */
function isValidSecondByte(lead: number, byte: number): boolean {
  if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
  if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f;
  if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
  if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  return byte >= 0x80 && byte <= 0xbf;
}
