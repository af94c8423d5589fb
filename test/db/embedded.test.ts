import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { connectMongoose } from '../../src/db/connection.ts';
import { checkJava, EmbeddedServerError, startEmbeddedMongo } from '../../src/db/embedded.ts';
import { dropAndClose, freshConnection } from '../support/db.ts';

/** What the application relies on from the embedded MongoDB wire server, proved on the real thing. */

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('embedded MongoDB wire server', () => {
  let connection: Connection;
  const counterSchema = new mongoose.Schema({ key: { type: String, required: true, unique: true }, value: { type: Number, default: 0 } });

  before(async () => {
    connection = await freshConnection('embedded');
  });
  after(async () => {
    await dropAndClose(connection);
  });

  it('reports a server version the Node driver 7 accepts (wire version 17)', async () => {
    const hello = await connection.db!.admin().command({ isMaster: 1 });
    expect(hello.maxWireVersion).to.equal(17);
  });

  it('enforces unique indexes with duplicate-key error 11000', async () => {
    const Counter = connection.model('UniqueCounter', counterSchema);
    await Counter.init();
    await Counter.create({ key: 'a' });
    let code: unknown;
    try {
      await Counter.create({ key: 'a' });
    } catch (error) {
      code = (error as { code?: number }).code;
    }
    expect(code).to.equal(11000);
    expect(await Counter.countDocuments({ key: 'a' })).to.equal(1);
  });

  it('applies 200 concurrent $inc updates atomically', async () => {
    const Counter = connection.model('IncCounter', counterSchema);
    await Counter.init();
    await Counter.create({ key: 'stock' });
    await Promise.all(Array.from({ length: 200 }, () => Counter.updateOne({ key: 'stock' }, { $inc: { value: 1 } })));
    const doc = await Counter.findOne({ key: 'stock' }).lean();
    expect(doc?.value).to.equal(200);
  });

  it('keeps a single document when 50 concurrent upserts race on a unique key', async () => {
    const Counter = connection.model('UpsertCounter', counterSchema);
    await Counter.init();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => Counter.updateOne({ key: 'report:U1:2026-11' }, { $inc: { value: 1 } }, { upsert: true })),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled').length;
    expect(await Counter.countDocuments({ key: 'report:U1:2026-11' })).to.equal(1);
    const doc = await Counter.findOne({ key: 'report:U1:2026-11' }).lean();
    // Losers of the race get E11000 and are retried by the app; every success is counted once.
    expect(doc?.value).to.equal(fulfilled);
  });

  it('conditional single-document updates never drive a quantity negative', async () => {
    const Counter = connection.model('LotCounter', counterSchema);
    await Counter.init();
    await Counter.create({ key: 'lot-1', value: 10 });
    const results = await Promise.all(
      Array.from({ length: 25 }, () => Counter.updateOne({ key: 'lot-1', value: { $gte: 1 } }, { $inc: { value: -1 } })),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).to.have.length(10);
    expect((await Counter.findOne({ key: 'lot-1' }).lean())?.value).to.equal(0);
  });

  it('runs the aggregation stages the application uses ($match, $group, $sort, $project)', async () => {
    const Delivery = connection.model('AggDelivery', new mongoose.Schema({ state: String, delivered: Boolean, pieces: Number }));
    await Delivery.insertMany([
      { state: '07', delivered: true, pieces: 100 },
      { state: '07', delivered: false, pieces: 50 },
      { state: '20', delivered: true, pieces: 30 },
      { state: '20', delivered: true, pieces: 20 },
    ]);
    const rows = await Delivery.aggregate<{ _id: string; pieces: number; count: number }>([
      { $match: { delivered: true } },
      { $group: { _id: '$state', pieces: { $sum: '$pieces' }, count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
      { $project: { _id: 1, pieces: 1, count: 1 } },
    ]);
    expect(rows).to.deep.equal([
      { _id: '07', pieces: 100, count: 1 },
      { _id: '20', pieces: 50, count: 2 },
    ]);
  });

  it('supports findOneAndUpdate with returnDocument for lease locks', async () => {
    const Lock = connection.model('LeaseLock', new mongoose.Schema({ _id: String, owner: String, until: Date }));
    const now = new Date();
    await Lock.create({ _id: 'scheduler', owner: 'a', until: new Date(now.getTime() - 1000) });
    const taken = await Lock.findOneAndUpdate(
      { _id: 'scheduler', until: { $lt: now } },
      { $set: { owner: 'b', until: new Date(now.getTime() + 60_000) } },
      { returnDocument: 'after' },
    ).lean();
    expect(taken?.owner).to.equal('b');
    const second = await Lock.findOneAndUpdate({ _id: 'scheduler', until: { $lt: now } }, { $set: { owner: 'c' } }, { returnDocument: 'after' }).lean();
    expect(second).to.equal(null);
  });

  it('delivers change-stream events from the oplog when started with --oplog', async () => {
    const server = await startEmbeddedMongo({ oplog: true });
    const c = await connectMongoose(`${server.uri}/oplog`);
    try {
      const collection = c.db!.collection('progress_events');
      const stream = collection.watch([], { maxAwaitTimeMS: 200 });
      try {
        const next = stream.next();
        await new Promise((resolve) => setTimeout(resolve, 300));
        await collection.insertOne({ clues: 'CSSSA000001', delivered: true });
        const event = (await next) as { operationType: string; fullDocument?: { clues: string } };
        expect(event.operationType).to.equal('insert');
        expect(event.fullDocument?.clues).to.equal('CSSSA000001');
      } finally {
        await stream.close();
      }
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('keeps data in the H2 file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rutas-h2-'));
    const file = join(dir, 'rutas.mv');
    try {
      const first = await startEmbeddedMongo({ file });
      const c1 = await connectMongoose(`${first.uri}/persist`);
      await c1.db!.collection('units').insertOne({ _id: 'HGSSA001234' as never, name: 'CENTRO DE SALUD' });
      await c1.close();
      await first.stop();
      expect(processAlive(first.pid)).to.equal(false);

      const second = await startEmbeddedMongo({ file });
      const c2 = await connectMongoose(`${second.uri}/persist`);
      const doc = await c2.db!.collection('units').findOne({ _id: 'HGSSA001234' as never });
      await c2.close();
      await second.stop();
      expect(doc?.name).to.equal('CENTRO DE SALUD');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops the Java process when the Node parent is killed with SIGKILL (no orphans)', async () => {
    const script = `
      import { startEmbeddedMongo } from './src/db/embedded.ts';
      const server = await startEmbeddedMongo();
      process.stdout.write('PID ' + server.pid + '\\n');
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const javaPid = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      parent.stdout.setEncoding('utf8');
      parent.stdout.on('data', (chunk: string) => {
        buffer += chunk;
        const match = /PID (\d+)/.exec(buffer);
        if (match) resolve(Number(match[1]));
      });
      parent.once('exit', () => reject(new Error('parent exited early')));
    });
    expect(processAlive(javaPid)).to.equal(true);
    parent.kill('SIGKILL');
    expect(await waitFor(() => !processAlive(javaPid), 15_000)).to.equal(true);
  });

  it('explains clearly when Java is missing', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => checkJava()).to.throw(EmbeddedServerError, /Java 17 or newer is required/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
