import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError, ValidationError, NotFoundError, type FieldError } from '../errors.ts';
import { toTokenInfo, ROLES, type ApiTokenInfo, type Role, type TokenRepository } from '../repositories/tokens.ts';
import type { UnitRepository } from '../repositories/units.ts';
import { permissionsOf, type Action, type Principal } from './auth.ts';

export type { ApiTokenInfo } from '../repositories/tokens.ts';

/**
 * Tokens look like `rds_<id>_<secret>`: the id (16 hex) finds the stored token by `_id`, the
 * secret (43 base64url chars, 256 bits) is compared in constant time with its stored SHA-256.
 * The secret is shown once, at creation, and never stored.
 */
const TOKEN_FORMAT = /^rds_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** lastUsedAt is refreshed at most this often (one write per token per minute, not per request). */
const TOUCH_INTERVAL_MS = 60_000;

export interface NewToken {
  role: Role;
  name?: string;
  unitClues?: string;
  state?: string;
}

export interface CreatedToken {
  /** The full token — shown once. */
  token: string;
  info: ApiTokenInfo;
}

/** What `GET /api/v1/me` tells a caller about its own token. */
export interface Me {
  tokenId: string;
  name: string;
  role: Role;
  state: string | null;
  unitClues: string | null;
  /** Unit tokens: the name of their unit (null for other roles, or a unit since removed). */
  unitName: string | null;
  permissions: Action[];
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function createTokenService(deps: { tokens: TokenRepository; units: Pick<UnitRepository, 'get'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  function validate(input: NewToken): FieldError[] {
    const errors: FieldError[] = [];
    if (!(ROLES as readonly string[]).includes(input.role)) errors.push({ pointer: '/body/role', detail: `must be one of ${ROLES.join(', ')}` });
    if (input.role === 'unit' && !input.unitClues) errors.push({ pointer: '/body/unitClues', detail: 'a unit token needs the CLUES of its unit' });
    if (input.role !== 'unit' && input.unitClues !== undefined) errors.push({ pointer: '/body/unitClues', detail: 'only unit tokens carry a unit' });
    if (input.state !== undefined && input.role !== 'planner' && input.role !== 'warehouse') {
      errors.push({ pointer: '/body/state', detail: 'only planner and warehouse tokens can be limited to a state' });
    }
    if (input.state !== undefined && !/^\d{2}$/.test(input.state)) errors.push({ pointer: '/body/state', detail: 'must be a 2-digit INEGI state code' });
    return errors;
  }

  return {
    async create(input: NewToken, createdBy?: string): Promise<CreatedToken> {
      const errors = validate(input);
      if (errors.length > 0) throw new ValidationError('The token request is not valid.', errors);
      if (input.unitClues !== undefined && !(await deps.units.get(input.unitClues))) {
        throw new ValidationError('The unit does not exist.', [{ pointer: '/body/unitClues', detail: `no unit with CLUES ${input.unitClues}` }]);
      }
      const id = randomBytes(8).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      const stored = await deps.tokens.insert({
        id,
        name: input.name?.trim() || `${input.role}${input.unitClues ? ` ${input.unitClues}` : ''}${input.state ? ` state ${input.state}` : ''}`,
        role: input.role,
        unitClues: input.unitClues,
        state: input.state,
        createdBy,
        secretHash: sha256(secret).toString('hex'),
      });
      return { token: `rds_${id}_${secret}`, info: toTokenInfo(stored) };
    },

    async list(includeRevoked = false): Promise<ApiTokenInfo[]> {
      return (await deps.tokens.list({ includeRevoked })).map(toTokenInfo);
    },

    async revoke(id: string): Promise<ApiTokenInfo> {
      const token = await deps.tokens.revoke(id, now());
      if (!token) throw new NotFoundError(`No token ${id}.`);
      return toTokenInfo(token);
    },

    /** The caller's own token: role, scope and the actions the role may perform (a read: no audit entry). */
    async me(principal: Principal): Promise<Me> {
      const unit = principal.unitClues === undefined ? undefined : await deps.units.get(principal.unitClues);
      return {
        tokenId: principal.tokenId,
        name: principal.name,
        role: principal.role,
        state: principal.state ?? null,
        unitClues: principal.unitClues ?? null,
        unitName: unit?.name ?? null,
        permissions: permissionsOf(principal.role),
      };
    },

    /** Resolves an Authorization header to a principal; 401 for anything missing, malformed, unknown or revoked. */
    async authenticate(authorization: string | undefined): Promise<Principal> {
      if (authorization === undefined || authorization.trim() === '') throw new UnauthorizedError('Send an API token: Authorization: Bearer <token>.');
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const parsed = match ? TOKEN_FORMAT.exec(match[1]) : null;
      if (!parsed) throw new UnauthorizedError('The Authorization header is not a valid bearer token.');
      const [, id, secret] = parsed;
      const stored = await deps.tokens.get(id);
      const expected = stored ? Buffer.from(stored.secretHash, 'hex') : sha256('absent');
      const given = sha256(secret);
      const matches = expected.length === given.length && timingSafeEqual(expected, given);
      if (!stored || !matches) throw new UnauthorizedError('The token is not valid.');
      if (stored.revokedAt) throw new UnauthorizedError('The token has been revoked.');
      const at = now();
      if (!stored.lastUsedAt || at.getTime() - stored.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
        await deps.tokens.touch(id, at);
      }
      return { tokenId: stored.id, name: stored.name, role: stored.role, unitClues: stored.unitClues, state: stored.state };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
