import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { main } from '../../src/cli/index.ts';
import { createRepositories } from '../../src/repositories/index.ts';
import { createTokenService } from '../../src/services/tokens.ts';
import { dropAndClose, freshConnection, freshDatabaseUri } from '../support/db.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('token service', () => {
  let connection: Connection;
  let tokens: ReturnType<typeof createTokenService>;
  let repositories: ReturnType<typeof createRepositories>;

  before(async () => {
    connection = await freshConnection('svc_tokens');
    repositories = createRepositories(connection);
    await repositories.ensureIndexes();
    tokens = createTokenService({ tokens: repositories.tokens, units: repositories.units });
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('stores only the SHA-256 of the secret and authenticates the full token', async () => {
    const created = await tokens.create({ role: 'planner', state: '20', name: 'Oaxaca planner' });
    expect(created.token).to.match(/^rds_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const stored = await repositories.models.ApiToken.findById(created.info.id).lean();
    const secret = created.token.split('_').slice(2).join('_');
    expect(JSON.stringify(stored)).not.to.include(secret);
    const principal = await tokens.authenticate(`Bearer ${created.token}`);
    expect(principal).to.deep.equal({ tokenId: created.info.id, name: 'Oaxaca planner', role: 'planner', unitClues: undefined, state: '20' });
  });

  const refused: [string, string | undefined][] = [
    ['a missing header', undefined],
    ['another scheme', 'Basic abc'],
    ['a malformed token', 'Bearer rds_123'],
    ['an unknown id', `Bearer rds_0123456789abcdef_${'a'.repeat(43)}`],
  ];
  for (const [name, header] of refused) {
    it(`refuses ${name} with 401`, async () => {
      let status: number | undefined;
      try {
        await tokens.authenticate(header);
      } catch (error) {
        status = (error as { status?: number }).status;
      }
      expect(status).to.equal(401);
    });
  }

  it('refuses a wrong secret and a revoked token', async () => {
    const created = await tokens.create({ role: 'admin' });
    const wrong = created.token.slice(0, -1) + (created.token.endsWith('A') ? 'B' : 'A');
    const statusOf = async (header: string) => tokens.authenticate(header).then(() => 200, (e: { status: number }) => e.status);
    expect(await statusOf(`Bearer ${wrong}`)).to.equal(401);
    await tokens.revoke(created.info.id);
    expect(await statusOf(`Bearer ${created.token}`)).to.equal(401);
  });

  it('rejects inconsistent scopes: a unit token without a unit, a state on a unit or admin token', async () => {
    for (const input of [{ role: 'unit' as const }, { role: 'admin' as const, state: '20' }, { role: 'planner' as const, unitClues: 'X' }, { role: 'unit' as const, unitClues: 'NOSUCHUNIT' }]) {
      const status = await tokens.create(input).then(() => 201, (e: { status: number }) => e.status);
      expect(status, JSON.stringify(input)).to.equal(422);
    }
  });
});

describe('rutas token', () => {
  let saved: string | undefined;
  before(async () => {
    saved = process.env.MONGODB_URI;
    process.env.MONGODB_URI = await freshDatabaseUri('cli_tokens');
  });
  after(() => {
    if (saved === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = saved;
  });

  it('creates a token printed once with its id, lists it without the secret and revokes it', async () => {
    const create = capture();
    expect(await main(['token', 'create', '--role', 'planner', '--state', '07', '--name', 'Chiapas', '--json'], create.io)).to.equal(0);
    const created = JSON.parse(create.out[0]) as { id: string; token: string; role: string; state: string };
    expect(created).to.include({ role: 'planner', state: '07' });
    expect(created.token).to.match(new RegExp(`^rds_${created.id}_`));

    const list = capture();
    expect(await main(['token', 'list'], list.io)).to.equal(0);
    expect(list.out.join('\n')).to.include(created.id).and.not.include(created.token);

    const revoke = capture();
    expect(await main(['token', 'revoke', created.id], revoke.io)).to.equal(0);
    expect(revoke.out[0]).to.match(/^revoked /);
    const after = capture();
    await main(['token', 'list', '--json'], after.io);
    expect(JSON.parse(after.out[0])).to.deep.equal([]);
  });

  it('explains usage errors with exit code 2', async () => {
    const noRole = capture();
    expect(await main(['token', 'create'], noRole.io)).to.equal(2);
    expect(noRole.err[0]).to.include('--role');
    const unit = capture();
    expect(await main(['token', 'create', '--role', 'unit'], unit.io)).to.equal(2);
    const missing = capture();
    expect(await main(['token', 'revoke', 'ffffffffffffffff'], missing.io)).to.equal(1);
  });
});
