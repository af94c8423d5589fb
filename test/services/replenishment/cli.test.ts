import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { registerModels } from '../../../models/index.ts';
import { main } from '../../../src/cli/index.ts';
import { connectMongoose } from '../../../src/db/connection.ts';
import { dropAndClose, freshDatabaseUri } from '../../support/db.ts';
import { RUN_OPTIONS, seedNetwork } from './network.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('rutas replenish (CLI, real database)', () => {
  let connection: Connection;
  let previousUri: string | undefined;

  before(async () => {
    const uri = await freshDatabaseUri('replenish_cli');
    connection = await connectMongoose(uri);
    await seedNetwork(registerModels(connection));
    previousUri = process.env.MONGODB_URI;
    process.env.MONGODB_URI = uri;
  });
  after(async () => {
    if (previousUri === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previousUri;
    await dropAndClose(connection);
  });

  it('stores a warehouse run and prints it as JSON with the rationing report', async () => {
    const { io, out, err } = capture();
    const code = await main(
      ['replenish', '--warehouse', 'ALM-20', '--json', '--horizon-days', '30', '--safety-days', '0', '--days-until-delivery', '0', '--delivery-date', RUN_OPTIONS.deliveryDate],
      io,
    );
    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    const run = JSON.parse(out.join('')) as { id: string; status: string; rationing: { code: string; shortfall: number; minCoverageDays: number }[] };
    expect(run.status).to.equal('completed');
    expect(run.rationing.find((r) => r.code === 'ITEM-A')).to.include({ shortfall: 40, minCoverageDays: 20 });
    const stored = await registerModels(connection).ReplenishmentRun.findById(run.id).lean();
    expect(stored?.status).to.equal('completed');
  });

  it('prints the short items as a table for a national run', async () => {
    const { io, out } = capture();
    const code = await main(['replenish', '--national', '--safety-days', '0', '--days-until-delivery', '0', '--delivery-date', RUN_OPTIONS.deliveryDate], io);
    expect(code).to.equal(0);
    const text = out.join('\n');
    expect(text).to.match(/4 units, 2 warehouse\(s\), 3 items/);
    expect(text).to.match(/ITEM-A\s+570\s+140\s+100\s+40\s+3\s+20\.00/);
  });

  it('needs exactly one of --warehouse and --national (usage error, exit 2)', async () => {
    const { io, err } = capture();
    expect(await main(['replenish', '--warehouse', 'ALM-20', '--national'], io)).to.equal(2);
    expect(err.join('')).to.include('give exactly one of --warehouse <id> or --national');
  });

  it('explains an unknown warehouse (exit 1)', async () => {
    const { io, err } = capture();
    expect(await main(['replenish', '--warehouse', 'ALM-99'], io)).to.equal(1);
    expect(err.join('')).to.include('warehouseId: no warehouse with id "ALM-99"');
  });
});
