import { processIo, UsageError, type CliCommand, type CliIo } from './types.ts';

/**
 * Registry of sub-commands, loaded lazily so `rutas solve` never loads mongoose and
 * `rutas --help` starts fast. Add a command: one file in ./commands/ and one line here.
 */
interface Entry {
  summary: string;
  load: () => Promise<{ command: CliCommand }>;
}

const commands: Record<string, Entry> = {
  solve: { summary: 'solve a vehicle routing instance (CVRPLIB, Solomon or JSON); no database', load: () => import('./commands/solve.ts') },
  export: { summary: 'back up every collection to a directory (counts and checksums)', load: () => import('./commands/export.ts') },
  'import-dump': { summary: 'restore a backup written by `rutas export`', load: () => import('./commands/import-dump.ts') },
  allocate: { summary: 'fair allocation of scarce items (max-min days of coverage); no database', load: () => import('./commands/allocate.ts') },
  seed: { summary: 'load the national network from data/ (idempotent)', load: () => import('./commands/seed.ts') },
  import: { summary: 'import the CLUES catalogue (xlsx/csv) or the kit items (csv)', load: () => import('./commands/import.ts') },
  token: { summary: 'create, revoke and list API tokens', load: () => import('./commands/token.ts') },
  stats: { summary: 'counts of units, items, kit templates, warehouses and vehicles', load: () => import('./commands/stats.ts') },
  round: { summary: 'create, list, show, cancel and close distribution rounds; the default calendar', load: () => import('./commands/round.ts') },
  plan: { summary: 'generate a round\u2019s plan; --out writes routes, manifests, the route programme and KPIs', load: () => import('./commands/plan.ts') },
  replenish: { summary: 'compute and store a replenishment run for a warehouse or the nation', load: () => import('./commands/replenish.ts') },
};

function helpText(): string {
  const names = Object.keys(commands).sort();
  return [
    'rutas — Rutas de la Salud command line',
    '',
    'Usage: rutas <command> [options]',
    '       rutas <command> --help',
    '',
    'Commands:',
    ...names.map((name) => `  ${name.padEnd(14)} ${commands[name].summary}`),
    '',
    'Database commands use MONGODB_URI when set; otherwise they use the embedded server of',
    'the running service (found through the data directory) or start their own.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`rutas: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.name === 'UsageError')) {
      io.err(`rutas ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`rutas ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
