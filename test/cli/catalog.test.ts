import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { main } from '../../src/cli/index.ts';
import type { CliIo } from '../../src/cli/types.ts';
import { connectMongoose } from '../../src/db/connection.ts';
import { networkRepositories, type NetworkRepositories } from '../../src/services/catalog/repositories.ts';
import { dropAndClose, freshDatabaseUri } from '../support/db.ts';
import { UTF8_CSV, FIXTURES } from '../services/catalog/helpers.ts';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text) => out.push(text), err: (text) => err.push(text) }, out, err };
}

describe('rutas import / stats (CLI contract, real database)', function () {
  this.timeout(120_000);
  let connection: Connection;
  let repos: NetworkRepositories;
  let previousUri: string | undefined;
  let dir: string;

  before(async () => {
    const uri = await freshDatabaseUri('catalog_cli');
    connection = await connectMongoose(uri);
    repos = await networkRepositories(connection);
    previousUri = process.env.MONGODB_URI;
    process.env.MONGODB_URI = uri;
    dir = mkdtempSync(join(tmpdir(), 'rutas-catalog-cli-'));
  });
  after(async () => {
    if (previousUri === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previousUri;
    rmSync(dir, { recursive: true, force: true });
    await dropAndClose(connection);
  });

  it('--dry-run prints the JSON report and writes nothing', async () => {
    const { io, out, err } = capture();
    const code = await main(['import', 'clues', UTF8_CSV, '--dry-run', '--json'], io);
    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    const report = JSON.parse(out.join('')) as { dryRun: boolean; units: { created: number }; skipped: { total: number }; warnings: { total: number } };
    expect(report).to.include({ dryRun: true });
    expect(report.units.created).to.equal(16);
    expect(report.skipped.total).to.equal(8);
    expect(report.warnings.total).to.equal(5);
    expect(await repos.units.count()).to.equal(0);
  });

  it('imports and prints a readable summary with the skip reasons and coordinate warnings', async () => {
    const { io, out } = capture();
    expect(await main(['import', 'clues', UTF8_CSV], io)).to.equal(0);
    const text = out.join('\n');
    expect(text).to.match(/units {4}16 in file: 16 new, 0 updated, 0 unchanged/);
    expect(text).to.match(/skipped {2}8: not-in-operation 1, other-institution 1, not-a-care-unit 1, unknown-state-or-municipality 2, malformed 3/);
    expect(text).to.match(/line 4 HGIMB004882: coordinate outside its state; placed at locality ATITALAQUIA/);
    expect(await repos.units.count()).to.equal(16);
  });

  it('prints the stats document with --json', async () => {
    const { io, out } = capture();
    expect(await main(['stats', '--json'], io)).to.equal(0);
    const stats = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(Object.keys(stats)).to.deep.equal(['units', 'items', 'kitTemplates', 'warehouses', 'vehicles']);
    expect(stats.units).to.deep.equal({
      total: 16,
      active: 16,
      real: 16,
      manual: 0,
      byState: { '13': 16 },
      byPrecision: { exact: 11, locality: 3, municipality: 2 },
      bySource: { catalog: 0, 'clues-import': 16, manual: 0 },
    });
    expect(stats.vehicles).to.deep.equal({ byType: {} });
  });

  it('imports items, reporting malformed rows and keeping the good ones', async () => {
    const { io, out } = capture();
    expect(await main(['import', 'items', join(FIXTURES, 'items-sample.csv'), '--json'], io)).to.equal(0);
    const report = JSON.parse(out.join('')) as { created: number; skipped: { line: number; detail: string }[] };
    expect(report.created).to.equal(3);
    expect(report.skipped.map((s) => s.line)).to.deep.equal([5, 6]);
    const saline = (await repos.items.get('010.000.3610.00'))!;
    expect(saline).to.include({ unitWeightKg: 1.08, category: 'medicine' });
    const gauze = (await repos.items.get('060.066.0100.00'))!;
    expect(gauze).to.include({ category: 'supply', packSize: 1 });
    expect(gauze.unitWeightKg).to.equal(0.4);
    const again = capture();
    await main(['import', 'items', join(FIXTURES, 'items-sample.csv'), '--json'], again.io);
    expect(JSON.parse(again.out.join(''))).to.include({ created: 0, updated: 0, unchanged: 3 });
  });

  it('exits 2 on usage errors and 1 on files it cannot read', async () => {
    const usage = capture();
    expect(await main(['import', 'units', UTF8_CSV], usage.io)).to.equal(2);
    expect(usage.err.join('')).to.match(/expected "clues" or "items"/);
    expect(await main(['import', 'clues'], capture().io)).to.equal(2);
    const path = join(dir, 'catalogo.pdf');
    writeFileSync(path, '%PDF-1.4');
    const unreadable = capture();
    expect(await main(['import', 'clues', path], unreadable.io)).to.equal(1);
    expect(unreadable.err.join('')).to.match(/unsupported file type ".pdf"/);
    const noHeader = join(dir, 'sin-encabezado.csv');
    writeFileSync(noHeader, 'a,b,c\n1,2,3\n');
    const bad = capture();
    expect(await main(['import', 'clues', noHeader], bad.io)).to.equal(1);
    expect(bad.err.join('')).to.match(/not a header row with a CLUES column/);
  });
});
