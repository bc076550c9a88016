import Table from 'cli-table3';

/** What a command prints: the same facts as JSON (`--json`) or as text for a person. */
export interface CommandOutput {
  readonly data: unknown;
  readonly text: string;
}

/** The text or the JSON of a command's output, as `--json` asks. */
export function renderOutput(output: CommandOutput, json: boolean): string {
  return json ? JSON.stringify(output.data, null, 2) : output.text;
}

/**
 * A plain table (no colours, so that a pipe or a log file reads the same as the terminal).
 *
 * @example
 * renderTable(['schedule', 'state'], [['daily-scoring', 'enabled']]);
 */
export function renderTable(
  head: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  table.push(...rows.map((row) => [...row]));
  return table.toString();
}
