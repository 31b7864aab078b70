/**
 * The benchmark's result rows and how they print: a fixed-width table for people, JSON for
 * tools. Every row compares Signet with a baseline measured in the same run on the same
 * machine, so the ratio, not the absolute time, is what carries across machines.
 */

/** One measured comparison. `baseline` and `ratio` are null when there is nothing to compare. */
export interface BenchRow {
  readonly part: string;
  readonly measure: string;
  readonly signet: number;
  readonly baseline: number | null;
  /** What `signet` and `baseline` count: ms, MiB, KiB, count. */
  readonly unit: string;
  /** The target as people read it ("<= 1.25x", "< 2000 ms"); '' when the row only reports. */
  readonly target: string;
  /** null when the row has no target. */
  readonly pass: boolean | null;
  /** What the baseline is, or how the number was taken. */
  readonly note?: string;
}

/** A row that is judged by the ratio signet / baseline against `maxRatio`. */
export function ratioRow(
  fields: Omit<BenchRow, 'target' | 'pass' | 'baseline'> & { baseline: number },
  maxRatio: number,
): BenchRow {
  const ratio = fields.signet / fields.baseline;
  return { ...fields, target: `<= ${maxRatio}x`, pass: ratio <= maxRatio };
}

/** A row judged by an absolute limit on the Signet number (no baseline). */
export function limitRow(
  fields: Omit<BenchRow, 'target' | 'pass' | 'baseline'> & { baseline?: number | null },
  limit: number,
): BenchRow {
  return {
    ...fields,
    baseline: fields.baseline ?? null,
    target: `< ${limit} ${fields.unit}`,
    pass: fields.signet < limit,
  };
}

/** A row that only reports a number. */
export function infoRow(
  fields: Omit<BenchRow, 'target' | 'pass' | 'baseline'> & { baseline?: number | null },
): BenchRow {
  return { ...fields, baseline: fields.baseline ?? null, target: '', pass: null };
}

export function ratioOf(row: BenchRow): number | null {
  return row.baseline === null || row.baseline === 0 ? null : row.signet / row.baseline;
}

const COLUMNS = ['measure', 'Signet', 'baseline', 'ratio', 'target', 'result'] as const;

/** The rows as an aligned text table, one section per part, with the unit in each cell. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    `${row.part}: ${row.measure}`,
    formatValue(row.signet, row.unit),
    row.baseline === null ? '-' : formatValue(row.baseline, row.unit),
    formatRatio(ratioOf(row)),
    row.target === '' ? '-' : row.target,
    row.pass === null ? 'info' : row.pass ? 'pass' : 'FAIL',
  ]);
  const widths = COLUMNS.map((title, i) =>
    Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (i === 0 ? value.padEnd(widths[i] ?? 0) : value.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(COLUMNS), rule, ...cells.map(line)].join('\n');
}

/** The notes (what each baseline is), numbered in row order; empty when no row has one. */
export function formatNotes(rows: readonly BenchRow[]): string {
  return rows
    .filter((row) => row.note !== undefined)
    .map((row) => `- ${row.part}: ${row.measure}: ${row.note}`)
    .join('\n');
}

export function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

function formatRatio(ratio: number | null): string {
  return ratio === null ? '-' : `${ratio.toFixed(2)}x`;
}

/** The rows for `--json`: each with its ratio computed. */
export function toJson(rows: readonly BenchRow[], machine: unknown): string {
  return JSON.stringify(
    { machine, rows: rows.map((row) => ({ ...row, ratio: ratioOf(row) })) },
    null,
    2,
  );
}
