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

  it('keeps real item codes (with dots) as one key when a delivery adds to a reported stock', async () => {
    const deliveries = createDeliveryRepository(connection);
    const reports = createStockReportRepository(registerModels(connection));
    const at = new Date('2026-12-02T15:00:00Z');
    const code = '010.000.0104.00';
    await reports.updateCurrent('U3', () => ({ lastPeriod: '2026-11', lastReportedAt: at, items: { [code]: { soh: 12, amc: 20, period: '2026-11', reportedAt: at, history: [{ period: '2026-11', consumed: 20, stockoutDays: 0 }] } } }));
    expect(await deliveries.applyToStock('U3', 'P|U3', [{ itemCode: code, quantity: 30 }], at, '2026-12')).to.equal('applied');
    const stock = await reports.getCurrent('U3');
    expect(Object.keys(stock!.items)).to.deep.equal([code]);
    expect(stock!.items[code]).to.deep.include({ soh: 42, amc: 20, period: '2026-11' });
    expect(stock!.items[code].reportedAt).to.be.instanceOf(Date);
    expect(stock!.items[code].history).to.deep.equal([{ period: '2026-11', consumed: 20, stockoutDays: 0 }]);
  });

  it('reads and rewrites a current-stock document stored in the earlier layout (items as an object)', async () => {
    const reports = createStockReportRepository(registerModels(connection));
    const deliveries = createDeliveryRepository(connection);
    const at = new Date('2026-10-31T12:00:00Z');
    await connection.db!.collection('current_stock').insertOne({
      _id: 'U4' as never,
      lastPeriod: '2026-10',
      lastReportedAt: at,
      items: { A: { soh: 5, amc: 9, period: '2026-10', reportedAt: at, history: [{ period: '2026-10', consumed: 9, stockoutDays: 0 }] } },
      version: 3,
      updatedAt: at,
    });
    expect((await reports.getCurrent('U4'))!.items.A).to.deep.include({ soh: 5, amc: 9 });
    expect(await deliveries.applyToStock('U4', 'P|U4', [{ itemCode: 'A', quantity: 1 }], at, '2026-11')).to.equal('applied');
    const raw = await connection.db!.collection('current_stock').findOne({ _id: 'U4' as never });
    expect(raw).to.not.have.property('items');
    expect(raw!.version).to.equal(4);
    expect((await reports.getCurrent('U4'))!.items.A).to.deep.include({ soh: 6, amc: 9, period: '2026-10' });
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
