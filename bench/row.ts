// One line of the `npm run bench` table. Every benchmark module exports `run(): Promise<Row[]>`.
export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Human-readable target, e.g. ">= 10 MB/s"; "" when informational. */
  readonly target?: string;
  /** Whether the target is met; undefined when there is no target. */
  readonly ok?: boolean;
  readonly note?: string;
}
