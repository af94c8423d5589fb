import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { registerModels } from '../../../models/index.ts';
import { createDeliveryRepository } from '../../../src/repositories/deliveries.ts';
import { createEvidenceRepository } from '../../../src/repositories/evidence.ts';
import { createStockReportRepository } from '../../../src/repositories/stock-reports.ts';
import { sha256Hex } from '../../../src/services/execution/hashing.ts';
import { dropAndClose, freshConnection } from '../../support/db.ts';
import { jpeg } from './samples.ts';

describe('execution storage on the real database', function () {
  this.timeout(30_000);
  let connection: Connection;

  before(async () => {
    connection = await freshConnection('exec_storage');
    const models = registerModels(connection);
    await Promise.all([models.Delivery.init(), models.Evidence.init(), models.EvidenceBlob.init(), models.CurrentStock.init()]);
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('adds each delivery to the stock exactly once, beside a concurrent stock report', async () => {
    const deliveries = createDeliveryRepository(connection);
    const reports = createStockReportRepository(registerModels(connection));
    const at = new Date('2026-12-14T17:00:00Z');
    await reports.updateCurrent('U1', () => ({
      lastPeriod: '2026-11',
      lastReportedAt: at,
      items: { A: { soh: 10, amc: 30, period: '2026-11', reportedAt: at, history: [] } },
    }));
    const results = await Promise.all([
      deliveries.applyToStock('U1', 'P|U1', [{ itemCode: 'A', quantity: 5 }, { itemCode: 'B', quantity: 7 }], at, '2026-12'),
      deliveries.applyToStock('U1', 'P|U1', [{ itemCode: 'A', quantity: 5 }, { itemCode: 'B', quantity: 7 }], at, '2026-12'),
      deliveries.applyToStock('U1', 'Q|U1', [{ itemCode: 'A', quantity: 100 }], at, '2026-12'),
      // A report writing the same document meanwhile (read-modify-write on `version`).
      reports.updateCurrent('U1', (current) => ({ lastPeriod: '2026-11', lastReportedAt: at, items: { ...current!.items }, })),
    ]);
    expect(results.slice(0, 2).sort()).to.deep.equal(['already-applied', 'applied']);
    expect(results[2]).to.equal('applied');
    const stock = await reports.getCurrent('U1');
    expect(stock!.items.A.soh).to.equal(10 + 5 + 100);
    expect(stock!.items.A.amc).to.equal(30);
    expect(stock!.items.B).to.include({ soh: 7, amc: 0, period: '2026-12' });
    // Created at 1, then one write each: two deliveries and the report.
    expect(stock!.version).to.equal(4);
  });

  it('creates the current stock of a unit that never reported', async () => {
    const deliveries = createDeliveryRepository(connection);
    expect(await deliveries.applyToStock('U2', 'P|U2', [{ itemCode: 'A', quantity: 60 }, { itemCode: 'A', quantity: 4 }], new Date(), '2026-12')).to.equal('applied');
    expect(await deliveries.applyToStock('U2', 'P|U2', [{ itemCode: 'A', quantity: 60 }], new Date(), '2026-12')).to.equal('already-applied');
    expect(await deliveries.stockOf('U2')).to.have.nested.property('A.soh', 64);
  });

  it('stores a file once in GridFS when the same bytes are uploaded at the same time', async () => {
    const evidence = createEvidenceRepository(connection);
    const bytes = await jpeg('#445566');
    const sha256 = sha256Hex(bytes);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => evidence.storeBlob({ sha256, bytes, kind: 'photo', mime: 'image/jpeg', ext: 'jpg', detectedMime: 'image/jpeg', thumbnail: bytes })),
    );
    expect(results.filter((r) => r.created)).to.have.length(1);
    expect(new Set(results.map((r) => String(r.blob.gridFsId))).size).to.equal(1);
    const files = await connection.db!.collection('evidence.files').find({ 'metadata.sha256': sha256 }).toArray();
    expect(files.map((f) => (f.metadata as { role: string }).role).sort()).to.deep.equal(['original', 'thumbnail']);
    const blob = await evidence.findBlob(sha256);
    expect((await evidence.readOriginal(blob!)).equals(bytes)).to.equal(true);
  });
});
