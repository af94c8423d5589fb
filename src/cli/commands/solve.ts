/**
 * `rutas solve <file> [--format cvrplib|solomon|json] [--time-limit s] [--seed n] [--workers n] --json`
 * — solves a vehicle routing instance with the solver in solver/. Pure: no database.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { numberOption, parseCommandArgs } from '../args.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import { readCvrplib, readJsonProblem, readSolomon, solve, type ProblemInput, type SolveResult } from '../../../solver/index.ts';

const usage = `Usage: rutas solve <file> [--format cvrplib|solomon|json] [--time-limit <seconds>]
                   [--seed <n>] [--workers <n>] [--max-iterations <n>] [--json]

Solves a vehicle routing instance with the hybrid genetic search of solver/routing.

Formats (guessed from the extension when --format is absent: .vrp → cvrplib,
.txt → solomon, .json → json):
  cvrplib   CVRPLIB/TSPLIB .vrp; cost = sum of TSPLIB nint-rounded edge lengths
  solomon   Solomon / Gehring-Homberger text; unrounded Euclidean distances; objective is
            vehicles first, then distance (cost = distance, vehicles reported apart)
  json      our JSON problem format (docs/solver.md); cost = the model's total cost

Output (--json): one JSON object
  {"instance","cost","vehicles","feasible","timeMs","routes","distance","unassigned","iterations"}
  routes: one list per route of client ids as numbered in the input file (depot excluded);
  unassigned: [{"client": id, "reason": "capacity|time_window|skill|shift_length|unreachable|optional"}]

Options:
  --time-limit <s>      wall-clock limit in seconds (default 10)
  --seed <n>            random seed (default 1)
  --workers <n>         parallel independent searches in worker threads (default 2;
                        0 = in this thread; 1 gives the same answer as 0 for a seed)
  --max-iterations <n>  also stop after n genetic iterations (per worker)
  --json                print the JSON object (default: a readable summary)`;

type Format = 'cvrplib' | 'solomon' | 'json';

function guessFormat(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.vrp') return 'cvrplib';
  if (ext === '.txt') return 'solomon';
  if (ext === '.json') return 'json';
  throw new UsageError(`cannot guess the format of "${path}"; pass --format cvrplib|solomon|json`);
}

interface Loaded {
  problem: ProblemInput;
  /** Output id of each client (index in problem.clients). */
  ids: (number | string)[];
}

function load(format: Format, text: string): Loaded {
  if (format === 'cvrplib') {
    const inst = readCvrplib(text);
    return { problem: inst.problem, ids: inst.problem.clients.map((c) => Number(c.id)) };
  }
  if (format === 'solomon') {
    const inst = readSolomon(text);
    return { problem: inst.problem, ids: inst.problem.clients.map((c) => Number(c.id)) };
  }
  const problem = readJsonProblem(text);
  return { problem, ids: problem.clients.map((c) => c.id) };
}

function output(format: Format, instance: string, loaded: Loaded, result: SolveResult) {
  const cost = format === 'json' ? result.cost : result.distance;
  return {
    instance,
    cost,
    vehicles: result.vehicles,
    feasible: result.feasible,
    timeMs: result.runtimeMs,
    routes: result.routes.map((r) => r.clients.map((c) => loaded.ids[c])),
    distance: result.distance,
    unassigned: result.unassigned.map((u) => ({ client: loaded.ids[u.client], reason: u.reason })),
    iterations: result.iterations,
  };
}

export const command: CliCommand = {
  summary: 'solve a vehicle routing instance (CVRPLIB, Solomon or JSON); no database',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      format: { type: 'string' },
      'time-limit': { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      'max-iterations': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one instance file');
    const path = positionals[0];
    const format = (values.format ?? guessFormat(path)) as Format;
    if (!['cvrplib', 'solomon', 'json'].includes(format)) throw new UsageError(`--format must be cvrplib, solomon or json, got "${format}"`);
    const timeLimit = numberOption(values['time-limit'], 'time-limit', 10) ?? 10;
    const seed = numberOption(values.seed, 'seed', 1) ?? 1;
    const workers = numberOption(values.workers, 'workers', 2) ?? 2;
    const maxIterations = numberOption(values['max-iterations'], 'max-iterations');
    if (!(timeLimit > 0)) throw new UsageError('--time-limit must be > 0');
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be an integer ≥ 0');
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be an integer ≥ 0');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const loaded = load(format, text);
    const result = await solve(loaded.problem, { timeLimitMs: timeLimit * 1000, seed, workers, maxIterations });
    const instance = loaded.problem.name ?? basename(path, extname(path));
    const out = output(format, instance, loaded, result);
    if (values.json) {
      io.out(JSON.stringify(out));
    } else {
      const lines = [
        `${instance}: cost ${format === 'solomon' ? out.cost.toFixed(2) : out.cost}, ${out.vehicles} vehicles, ${out.feasible ? 'feasible' : 'INFEASIBLE'}, ${out.timeMs} ms, ${out.iterations} iterations`,
        ...out.routes.map((r, i) => `  route ${i + 1}: ${r.join(' ')}`),
        ...out.unassigned.map((u) => `  unassigned ${u.client}: ${u.reason}`),
        ...result.violations.map((v) => `  violation ${v.code}: ${v.message}`),
      ];
      io.out(lines.join('\n'));
    }
    return 0;
  },
};
