import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { GridFSBucket, type Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { exportDatabase, importDump, readManifest } from '../../src/services/backup.ts';
import { dropAndClose, freshConnection } from '../support/db.ts';

async function fill(db: Db): Promise<void> {
  await db.collection('units').createIndex({ clues: 1 }, { unique: true });
  await db.collection('units').insertMany(
    Array.from({ length: 250 }, (_, i) => ({ clues: `CSSSA${String(i).padStart(6, '0')}`, name: `CENTRO DE SALUD ${i}`, location: { type: 'Point', coordinates: [-99.1 + i / 1000, 19.4] }, active: i % 7 !== 0, updatedAt: new Date(Date.UTC(2026, 10, 1, 0, i)) })),
  );
  await db.collection('stockreports').insertOne({ _id: 'CSSSA000001:2026-11' as never, lines: [{ code: '010.000.0104.00', soh: 12, consumed: 30 }], amount: 1.5 });
  const bucket = new GridFSBucket(db);
  await new Promise<void>((resolve, reject) => {
    const upload = bucket.openUploadStream('photo.jpg', { metadata: { clues: 'CSSSA000001' } });
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(Buffer.alloc(700_000, 7));
  });
}

describe('backup and restore (rutas export / rutas import-dump)', () => {
  let source: Connection;
  let target: Connection;
  let dir: string;

  beforeEach(async () => {
    source = await freshConnection('backup_src');
    target = await freshConnection('backup_dst');
    dir = mkdtempSync(join(tmpdir(), 'rutas-dump-'));
  });
  afterEach(async () => {
    await dropAndClose(source);
    await dropAndClose(target);
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every collection, GridFS files included, with equal counts and checksums', async () => {
    await fill(source.db!);
    const first = await exportDatabase(source.db!, join(dir, 'a'));
    const names = first.collections.map((c) => c.name);
    expect(names).to.include.members(['units', 'stockreports', 'fs.files', 'fs.chunks']);
    expect(first.collections.find((c) => c.name === 'units')?.count).to.equal(250);

    const report = await importDump(target.db!, join(dir, 'a'));
    expect(report.total).to.equal(first.collections.reduce((sum, c) => sum + c.count, 0));

    const second = await exportDatabase(target.db!, join(dir, 'b'));
    expect(second.collections.map(({ name, count, sha256 }) => ({ name, count, sha256 }))).to.deep.equal(
      first.collections.map(({ name, count, sha256 }) => ({ name, count, sha256 })),
    );
    const restoredFile = await new GridFSBucket(target.db!).openDownloadStreamByName('photo.jpg').toArray();
    expect(Buffer.concat(restoredFile).length).to.equal(700_000);
  });

  it('restores unique indexes so duplicates are still refused', async () => {
    await fill(source.db!);
    await exportDatabase(source.db!, dir);
    await importDump(target.db!, dir);
    let code: unknown;
    try {
      await target.db!.collection('units').insertOne({ clues: 'CSSSA000003' });
    } catch (error) {
      code = (error as { code?: number }).code;
    }
    expect(code).to.equal(11000);
  });

  it('refuses a tampered dump before writing anything', async () => {
    await fill(source.db!);
    const manifest = await exportDatabase(source.db!, dir);
    const units = join(dir, manifest.collections.find((c) => c.name === 'units')!.file);
    writeFileSync(units, readFileSync(units, 'utf8').replace('CENTRO DE SALUD 5"', 'CENTRO DE SALUD X"'));
    let message = '';
    try {
      await importDump(target.db!, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/checksum does not match/);
    expect(await target.db!.listCollections().toArray()).to.have.length(0);
  });

  it('refuses to mix a dump into collections holding data unless --replace', async () => {
    await fill(source.db!);
    await exportDatabase(source.db!, dir);
    await target.db!.collection('units').insertOne({ clues: 'OTHER' });
    let message = '';
    try {
      await importDump(target.db!, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/already holds data/);
    const report = await importDump(target.db!, dir, { replace: true });
    expect(report.collections.find((c) => c.name === 'units')?.count).to.equal(250);
    expect(await target.db!.collection('units').countDocuments({ clues: 'OTHER' })).to.equal(0);
  });

  it('refuses to export into a directory that already holds a dump', async () => {
    await fill(source.db!);
    await exportDatabase(source.db!, dir);
    expect(readManifest(dir).format).to.equal('rutas-dump/1');
    let message = '';
    try {
      await exportDatabase(source.db!, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/already holds a dump/);
  });
});

describe('rutas export and rutas import-dump commands', () => {
  it('back up and restore through the CLI against MONGODB_URI', async () => {
    const { main } = await import('../../src/cli/index.ts');
    const { freshDatabaseUri } = await import('../support/db.ts');
    const { connectMongoose } = await import('../../src/db/connection.ts');
    const sourceUri = await freshDatabaseUri('cli_src');
    const targetUri = await freshDatabaseUri('cli_dst');
    const source = await connectMongoose(sourceUri);
    const dir = mkdtempSync(join(tmpdir(), 'rutas-cli-dump-'));
    const saved = process.env.MONGODB_URI;
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    try {
      await fill(source.db!);
      process.env.MONGODB_URI = sourceUri;
      expect(await main(['export', dir, '--json'], io)).to.equal(0);
      const exported = JSON.parse(out.pop()!) as { collections: { name: string; count: number }[] };
      process.env.MONGODB_URI = targetUri;
      expect(await main(['import-dump', dir, '--json'], io)).to.equal(0);
      const imported = JSON.parse(out.pop()!) as { total: number };
      expect(imported.total).to.equal(exported.collections.reduce((sum, c) => sum + c.count, 0));
      expect(await main(['import-dump', join(dir, 'missing')], io)).to.equal(1);
      expect(out.pop()).to.match(/manifest\.json is missing/);
    } finally {
      process.env.MONGODB_URI = saved;
      if (saved === undefined) delete process.env.MONGODB_URI;
      await dropAndClose(source);
      const target = await connectMongoose(targetUri);
      await dropAndClose(target);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
