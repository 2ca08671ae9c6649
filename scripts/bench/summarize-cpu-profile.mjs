// Prints where a run spends its CPU time: the self time per package or source folder and per
// function, from a V8 CPU profile written by `node --cpu-prof`.
//
// Usage: node scripts/bench/summarize-cpu-profile.mjs FILE.cpuprofile [TOP]
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const [profilePath, topArgument = '25'] = process.argv.slice(2);
if (profilePath === undefined) {
  console.error('usage: summarize-cpu-profile.mjs FILE.cpuprofile [TOP]');
  process.exit(2);
}
const top = Number(topArgument);
const root = fileURLToPath(new URL('../../', import.meta.url));

const profile = JSON.parse(await readFile(profilePath, 'utf8'));
const selfMicros = measureSelfTime(profile);
const totalMicros = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);

const byFunction = new Map();
const byArea = new Map();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : `${shortenUrl(url)}:${lineNumber + 1}`;
  addTo(byFunction, `${functionName || '(anonymous)'} ${where}`.trim(), micros);
  addTo(byArea, areaOf(functionName, url), micros);
}

console.log(`${(totalMicros / 1e6).toFixed(2)} s sampled\n\nSelf time by package or folder:`);
printTop(byArea, totalMicros, top);
console.log('\nSelf time by function:');
printTop(byFunction, totalMicros, top);

/**
 * Adds each sample's interval to the node it landed on. The interval before a sample is charged
 * to that sample, as Chrome DevTools does.
 */
function measureSelfTime({ samples, timeDeltas }) {
  const micros = new Map();
  for (let index = 0; index < samples.length; index++) {
    const delta = timeDeltas[index + 1] ?? 0;
    micros.set(samples[index], (micros.get(samples[index]) ?? 0) + delta);
  }
  return micros;
}

function addTo(totals, key, micros) {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

function shortenUrl(url) {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** Names the area that a frame belongs to: a package, a workspace folder, Node.js or V8 itself. */
function areaOf(functionName, url) {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: built-ins';
  const path = shortenUrl(url);
  if (url.includes('/node_modules/')) {
    const parts = path.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return path.split('/').slice(0, -1).join('/') || path;
}

function printTop(totals, total, count) {
  const sorted = [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, micros] of sorted) {
    const share = ((micros / total) * 100).toFixed(1).padStart(5);
    console.log(`${share} %  ${(micros / 1e3).toFixed(0).padStart(7)} ms  ${name}`);
  }
}
