// Figures and targets of the e-shop stock benchmark, printed as Markdown tables.

/** Kurýr's speed should be at least this share of the hand-written pipeline's. */
const MIN_HAND_WRITTEN_RATIO = 0.9;
/** Kurýr should be at least this many times as fast as the pipeline glued from the libraries. */
const MIN_GLUED_RATIO = 6;
/** The compiled Map expression should be at least this many times as fast as jsonata's. */
const MIN_EXPRESSION_RATIO = 10;
/** Peak resident set size of a Kurýr run, in MB of 10^6 bytes. */
const MAX_PEAK_RSS_MB = 150;
/** Peak RSS of the largest input ÷ that of the smallest may differ from 1 by at most this. */
const MAX_RSS_GROWTH = 0.2;

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const headings = [
  'Records',
  'Pipeline',
  'Runs',
  'Wall (s)',
  'Records/s',
  'DBF MB/s',
  'Peak RSS (MB)',
  'CPU (s)',
  'Other load (cores)',
];

/**
 * Prints one row per input size and pipeline (the median wall and CPU time and the highest peak
 * RSS over the runs), the Map expression micro-measurement, then the ratios and whether each
 * target is met. MB are 10^6 bytes.
 */
export function printFigures(measurements, sizes, micro) {
  const rows = [];
  for (const size of sizes) {
    for (const pipeline of ['Kurýr', 'glued', 'hand-written']) {
      const runs = measurements.filter((m) => m.size === size && m.pipeline === pipeline);
      rows.push(summarize(runs, size, pipeline));
    }
  }

  console.log(`\n| ${headings.join(' | ')} |`);
  console.log(`| ${headings.map((heading, index) => (index === 1 ? '---' : '--:')).join(' | ')} |`);
  for (const row of rows) {
    const cells = [
      numberFormat.format(row.size),
      row.pipeline,
      row.runs,
      row.wallSeconds.toFixed(2),
      numberFormat.format(row.recordsPerSecond),
      row.megabytesPerSecond.toFixed(1),
      formatOptional(row.peakRssMb, 1),
      formatOptional(row.cpuSeconds, 2),
      formatOptional(row.otherLoad, 2),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    `\nMap expression alone, ${numberFormat.format(micro.records)} records: ` +
      `jsonata ${numberFormat.format(micro.jsonataPerSecond)} records/s, ` +
      `compiled ${numberFormat.format(micro.compiledPerSecond)} records/s`,
  );
  printTargets(rows, sizes, micro);
}

function summarize(runs, size, pipeline) {
  const wallSeconds = median(runs.map((m) => m.wallSeconds));
  const peaks = runs.map((m) => m.peakRssBytes).filter((bytes) => bytes !== undefined);
  const cpuTimes = runs.map((m) => m.cpuSeconds).filter((seconds) => seconds !== undefined);
  const otherCpu = runs.map((m) => m.otherCpuSeconds).filter((seconds) => seconds !== undefined);
  const totalWall = runs.reduce((sum, m) => sum + m.wallSeconds, 0);
  return {
    size,
    pipeline,
    runs: runs.length,
    wallSeconds,
    recordsPerSecond: size / wallSeconds,
    megabytesPerSecond: runs[0].inputBytes / 1e6 / wallSeconds,
    peakRssMb: peaks.length === 0 ? undefined : Math.max(...peaks) / 1e6,
    cpuSeconds: cpuTimes.length === 0 ? undefined : median(cpuTimes),
    // Cores that other processes kept busy on average while this pipeline ran.
    otherLoad:
      otherCpu.length === runs.length ? otherCpu.reduce((a, b) => a + b, 0) / totalWall : undefined,
  };
}

function printTargets(rows, sizes, micro) {
  const find = (size, pipeline) => rows.find((r) => r.size === size && r.pipeline === pipeline);
  console.log('\nTargets:');
  for (const size of sizes) {
    const kuryr = find(size, 'Kurýr');
    const records = `${numberFormat.format(size)} records`;
    const handRatio = kuryr.recordsPerSecond / find(size, 'hand-written').recordsPerSecond;
    printTarget(
      `${records}: Kurýr ÷ hand-written speed ${handRatio.toFixed(2)} ` +
        `(at least ${MIN_HAND_WRITTEN_RATIO.toFixed(1)})`,
      handRatio >= MIN_HAND_WRITTEN_RATIO,
    );
    const gluedRatio = kuryr.recordsPerSecond / find(size, 'glued').recordsPerSecond;
    printTarget(
      `${records}: Kurýr ÷ glued speed ${gluedRatio.toFixed(2)} (at least ${MIN_GLUED_RATIO})`,
      gluedRatio >= MIN_GLUED_RATIO,
    );

    const peak = `Kurýr peak RSS ${formatOptional(kuryr.peakRssMb, 1)} MB`;
    printTarget(
      `${records}: ${peak} (under ${MAX_PEAK_RSS_MB} MB)`,
      kuryr.peakRssMb !== undefined && kuryr.peakRssMb < MAX_PEAK_RSS_MB,
    );
  }
  const expressionRatio = micro.compiledPerSecond / micro.jsonataPerSecond;
  printTarget(
    `Map expression compiled ÷ jsonata speed ${expressionRatio.toFixed(1)} ` +
      `(at least ${MIN_EXPRESSION_RATIO})`,
    expressionRatio >= MIN_EXPRESSION_RATIO,
  );
  if (sizes.length < 2) return;

  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  const growth = find(largest, 'Kurýr').peakRssMb / find(smallest, 'Kurýr').peakRssMb;
  printTarget(
    `Kurýr peak RSS ${numberFormat.format(largest)} ÷ ${numberFormat.format(smallest)} records ` +
      `${formatOptional(growth, 2)} (within ${MAX_RSS_GROWTH * 100} % of 1)`,
    Math.abs(growth - 1) <= MAX_RSS_GROWTH,
  );
}

function printTarget(text, isMet) {
  console.log(`- ${text}: ${isMet ? 'met' : 'MISSED'}`);
}

function formatOptional(value, digits) {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
