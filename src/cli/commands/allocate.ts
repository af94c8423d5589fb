/**
 * `rutas allocate <input.json> [--json] [--method highs|water-filling]` — fair allocation of scarce
 * items (lexicographic max-min of days of coverage). Pure: no database.
 */
import { readFile } from 'node:fs/promises';
import { parseCommandArgs } from '../args.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import { allocate, parseAllocationInput, type AllocationResult } from '../../../solver/replenishment/allocation.ts';

const usage = `Usage: rutas allocate <input.json> [--json] [--method highs|water-filling]

Allocates each item's available pieces among units so that the minimum days of coverage is as
high as possible, then the next lowest, and so on (optional unit "weight" > 0 gives priority).
Quantities are integers, never above supply, never above a unit's request.

Input:  {"horizonDays":30,"items":[{"code":"A","available":40}],
         "units":[{"id":"U1","weight":1,"lines":[{"code":"A","dailyUse":2.5,"stockOnHand":10}]}]}
Output (--json):
        {"allocations":[{"unit":"U1","code":"A","quantity":40}],
         "items":[{"code":"A","available":40,"requested":65,"allocated":40,"minCoverageDays":20}]}

  requested        Σ over units of max(0, ceil(horizonDays × dailyUse − stockOnHand))
  minCoverageDays  min over units of min(horizonDays, (stockOnHand + quantity) / dailyUse),
                   rounded to 2 decimals in this output; units with dailyUse 0 need nothing
  allocations      one row per unit and item with a request > 0 (quantity may be 0)

Options:
  --json           print the JSON document above (default: a readable table)
  --method <m>     highs (default, LP with HiGHS) or water-filling (closed form, same answer)`;

/** Coverage days are indicators, not quantities: shown with 2 decimals. */
function days(value: number): number {
  return Math.round(value * 100) / 100;
}

function toJson(result: AllocationResult): string {
  return JSON.stringify({
    allocations: result.allocations.map((a) => ({ unit: a.unit, code: a.code, quantity: a.quantity })),
    items: result.items.map((i) => ({
      code: i.code,
      available: i.available,
      requested: i.requested,
      allocated: i.allocated,
      minCoverageDays: days(i.minCoverageDays),
    })),
  });
}

function toTable(result: AllocationResult): string {
  const header = `${'item'.padEnd(18)} ${'available'.padStart(10)} ${'requested'.padStart(10)} ${'allocated'.padStart(10)} ${'short'.padStart(8)} ${'min days'.padStart(9)}`;
  const rows = result.items.map(
    (i) =>
      `${i.code.padEnd(18)} ${String(i.available).padStart(10)} ${String(i.requested).padStart(10)} ${String(i.allocated).padStart(10)} ${String(i.shortfall).padStart(8)} ${days(i.minCoverageDays).toFixed(2).padStart(9)}`,
  );
  return [header, ...rows, '', `${result.allocations.length} unit lines allocated (horizon ${result.horizonDays} days, method ${result.method})`].join('\n');
}

export const command: CliCommand = {
  summary: 'fair allocation of scarce items (max-min days of coverage, HiGHS); no database',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      json: { type: 'boolean', default: false },
      method: { type: 'string', default: 'highs' },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one input file');
    const method = values.method;
    if (method !== 'highs' && method !== 'water-filling') throw new UsageError(`--method must be highs or water-filling, got "${method}"`);
    const path = positionals[0];
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const input = parseAllocationInput(json);
    const result = await allocate(input, { method });
    io.out(values.json ? toJson(result) : toTable(result));
    return 0;
  },
};
