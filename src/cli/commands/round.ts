/**
 * `rutas round create|list|show|cancel|calendar` — distribution rounds from the command line,
 * through the same services as the API.
 */
import { withDatabase } from '../database.ts';
import { parseCommandArgs } from '../args.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import { createLogger } from '../../logging.ts';
import { createRepositories } from '../../repositories/index.ts';
import { createPlanningRepositories } from '../../repositories/plans-repositories.ts';
import { createPlanningModule } from '../../services/planning/module.ts';
import { roundView, type Actor, type CreateRoundRequest, type RoundView } from '../../services/rounds.ts';
import type { Connection } from 'mongoose';
import type { Config } from '../../config.ts';

const usage = `Usage:
  rutas round create --name <name> --type ordinary|extraordinary|emergency --level first|second-third
                     --start YYYY-MM-DD --end YYYY-MM-DD [--states 13,29] [--units CLUES,CLUES]
                     [--coordinator 13="Dra. Ana Pérez"]... [--json]
  rutas round list [--month YYYY-MM] [--status planned|in-progress|closed|cancelled] [--json]
  rutas round show <id> [--json]
  rutas round cancel <id> [--reason <text>] [--json]
  rutas round close <id> [--json]
  rutas round calendar --month YYYY-MM [--create] [--json]
      the default calendar's ordinary round (penultimate week); --create stores it

Rounds ("jornadas") are national or per state; plan one with \`rutas plan --round <id>\`.`;

export const CLI_ACTOR: Actor = { role: 'admin', name: 'cli', tokenId: 'cli' };

export async function planningFor(connection: Connection, config: Config) {
  const repositories = createRepositories(connection);
  await repositories.ensureIndexes();
  return createPlanningModule({ repositories: createPlanningRepositories(repositories.models), config, logger: createLogger(process.env.LOG_LEVEL ?? 'warn'), instanceId: `cli-${process.pid}` });
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

function printRound(io: CliIo, round: RoundView, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(round));
    return;
  }
  io.out(
    [
      `${round.id}  ${round.name}`,
      `  ${round.type}, ${round.level} level, ${round.deliveryStart} → ${round.deliveryEnd}, status ${round.status}`,
      `  states: ${round.states.length > 0 ? round.states.join(', ') : 'all'}${round.units.length > 0 ? `; ${round.units.length} units` : ''}`,
      `  current plan: ${round.currentPlanId ?? '—'}; approved plan: ${round.approvedPlanId ?? '—'}`,
    ].join('\n'),
  );
}

export const command: CliCommand = {
  summary: 'create, list, show, cancel and close distribution rounds; the default calendar',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      name: { type: 'string' },
      type: { type: 'string' },
      level: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      states: { type: 'string' },
      units: { type: 'string' },
      coordinator: { type: 'string', multiple: true },
      month: { type: 'string' },
      status: { type: 'string' },
      reason: { type: 'string' },
      create: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const [action, id] = positionals;
    const json = values.json ?? false;
    if (!action) throw new UsageError('missing action: create, list, show, cancel, close or calendar');
    if (['show', 'cancel', 'close'].includes(action) && !id) throw new UsageError(`round ${action} needs a round id`);
    return withDatabase(async (connection, config) => {
      const module = await planningFor(connection, config);
      switch (action) {
        case 'create': {
          for (const flag of ['name', 'type', 'level', 'start', 'end'] as const) if (!values[flag]) throw new UsageError(`--${flag} is required`);
          const coordinators: Record<string, string> = {};
          for (const entry of values.coordinator ?? []) {
            const match = /^(\d{2})=(.+)$/.exec(entry);
            if (!match) throw new UsageError(`--coordinator must be <state code>=<name>, got "${entry}"`);
            coordinators[match[1]] = match[2];
          }
          const body: CreateRoundRequest = {
            name: values.name!,
            type: values.type as CreateRoundRequest['type'],
            level: values.level as CreateRoundRequest['level'],
            deliveryStart: values.start!,
            deliveryEnd: values.end!,
            states: list(values.states),
            units: list(values.units),
            coordinators,
          };
          if (!['ordinary', 'extraordinary', 'emergency'].includes(body.type)) throw new UsageError('--type must be ordinary, extraordinary or emergency');
          if (!['first', 'second-third'].includes(body.level)) throw new UsageError('--level must be first or second-third');
          printRound(io, roundView(await module.rounds.create(body, CLI_ACTOR, 'cli')), json);
          return 0;
        }
        case 'list': {
          const rounds = await module.rounds.list({ month: values.month, status: values.status as RoundView['status'] | undefined }, CLI_ACTOR);
          if (json) io.out(JSON.stringify(rounds.map(roundView)));
          else if (rounds.length === 0) io.out('no rounds');
          else for (const round of rounds) io.out(`${round.id.padEnd(24)} ${round.status.padEnd(12)} ${round.deliveryStart} → ${round.deliveryEnd}  ${round.name}`);
          return 0;
        }
        case 'show':
          printRound(io, roundView(await module.rounds.get(id, CLI_ACTOR)), json);
          return 0;
        case 'cancel':
          printRound(io, roundView(await module.rounds.cancel(id, values.reason, CLI_ACTOR)), json);
          return 0;
        case 'close':
          printRound(io, roundView(await module.rounds.close(id, CLI_ACTOR)), json);
          return 0;
        case 'calendar': {
          if (!values.month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) throw new UsageError('--month YYYY-MM is required');
          if (values.create) {
            const { round, created } = await module.rounds.ensureOrdinaryRound(values.month, CLI_ACTOR);
            if (!json) io.out(created ? 'created:' : 'already exists:');
            printRound(io, roundView(round), json);
          } else {
            const proposal = module.rounds.propose(values.month);
            io.out(json ? JSON.stringify(proposal) : `${proposal.name}: ${proposal.deliveryStart} → ${proposal.deliveryEnd} (not stored; add --create)`);
          }
          return 0;
        }
        default:
          throw new UsageError(`unknown action "${action}"`);
      }
    });
  },
};
