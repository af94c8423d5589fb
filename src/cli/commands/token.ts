/**
 * `rutas token create|revoke|list` — API tokens. The secret is printed once, at creation, and
 * only its SHA-256 is stored. Works with or without a running `npm start` (withDatabase).
 */
import { parseCommandArgs } from '../args.ts';
import { withDatabase } from '../database.ts';
import { UsageError, type CliCommand, type CliIo } from '../types.ts';
import { createRepositories } from '../../repositories/index.ts';
import { ROLES, type Role } from '../../services/auth.ts';
import { createTokenService, type ApiTokenInfo } from '../../services/tokens.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';

const usage = `Usage: rutas token create --role <role> [--unit <CLUES>] [--state <code>] [--name <text>] [--json]
       rutas token revoke <id> [--json]
       rutas token list [--all] [--json]

Roles: admin (everything), planner (reads all; units, fleet, kits, plans), warehouse (reads the
network; lots, dispatch), unit (its own unit: stock reports and stock; needs --unit), national
(reads everything, changes nothing). --state <INEGI code> limits a planner or warehouse token
to one state.

create   prints the new token ONCE (rds_<id>_<secret>) and its id; store it now.
revoke   the token is refused (401) from the next request on.
list     tokens without their secrets (--all includes revoked ones).

Options:
  --json   print JSON ({"id","token",...} for create)`;

function line(info: ApiTokenInfo): string {
  const scope = info.unitClues ? `unit ${info.unitClues}` : info.state ? `state ${info.state}` : 'all';
  const status = info.revokedAt ? `revoked ${info.revokedAt.toISOString()}` : `last used ${info.lastUsedAt?.toISOString() ?? 'never'}`;
  return `${info.id}  ${info.role.padEnd(9)} ${scope.padEnd(18)} ${info.name}  (created ${info.createdAt.toISOString()}, ${status})`;
}

export const command: CliCommand = {
  summary: 'create, revoke and list API tokens',
  usage,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      role: { type: 'string' },
      unit: { type: 'string' },
      state: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    });
    const [action, ...rest] = positionals;
    if (action === 'create') {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      const role = values.role;
      if (role === undefined || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      if (role === 'unit' && values.unit === undefined) throw new UsageError('a unit token needs --unit <CLUES>');
      if (values.state !== undefined && !/^\d{2}$/.test(values.state)) throw new UsageError('--state must be a 2-digit INEGI code, e.g. 20');
      return withDatabase(async (connection) => {
        const repositories = createRepositories(connection);
        const tokens = createTokenService({ tokens: repositories.tokens, units: repositories.units });
        try {
          const created = await tokens.create({ role: role as Role, unitClues: values.unit, state: values.state, name: values.name }, 'cli');
          if (values.json) io.out(JSON.stringify({ ...created.info, token: created.token }));
          else io.out(`${created.token}\n\nid ${created.info.id} · ${line(created.info)}\nThis is the only time the token is shown: store it now.`);
          return 0;
        } catch (error) {
          if (error instanceof ValidationError) {
            io.err(`rutas token: ${error.message} ${error.errors.map((e) => `${e.pointer.replace('/body/', '')}: ${e.detail}`).join('; ')}`);
            return 1;
          }
          throw error;
        }
      });
    }
    if (action === 'revoke') {
      if (rest.length !== 1) throw new UsageError('expected the id of the token to revoke');
      return withDatabase(async (connection) => {
        const repositories = createRepositories(connection);
        const tokens = createTokenService({ tokens: repositories.tokens, units: repositories.units });
        const info = await tokens.revoke(rest[0]).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
        if (!info) {
          io.err(`rutas token: no token with id ${rest[0]}`);
          return 1;
        }
        io.out(values.json ? JSON.stringify(info) : `revoked ${line(info)}`);
        return 0;
      });
    }
    if (action === 'list') {
      return withDatabase(async (connection) => {
        const repositories = createRepositories(connection);
        const tokens = createTokenService({ tokens: repositories.tokens, units: repositories.units });
        const list = await tokens.list(values.all);
        io.out(values.json ? JSON.stringify(list) : list.length === 0 ? 'no tokens' : list.map(line).join('\n'));
        return 0;
      });
    }
    throw new UsageError(action === undefined ? 'expected create, revoke or list' : `unknown action "${action}"`);
  },
};
