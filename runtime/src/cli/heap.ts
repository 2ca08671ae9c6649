import { setFlagsFromString } from 'node:v8';

/**
 * Lets the V8 heap grow by at most half its live size between full collections. Flows allocate
 * much short-lived garbage per record (JSONata above all), and V8's default growth of up to
 * four times let a streaming run reach about 200 MB of resident memory while keeping only 20 to
 * 30 MB alive. With 50 % growth the e-shop stock flow stays near 130 MB at a similar CPU time
 * (figures on the benchmark page).
 */
export function moderateHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
