import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { importCluesFile, type CluesImportReport } from '../../../src/services/catalog/import-clues.ts';
import { networkRepositories, type NetworkRepositories } from '../../../src/services/catalog/repositories.ts';
import { MissingColumnsError } from '../../../src/services/catalog/clues-rows.ts';
import { dropAndClose, freshConnection } from '../../support/db.ts';
import { LATIN1_CSV, UTF8_CSV, writeFixtureXlsx } from './helpers.ts';

/** Units of the fixture that are imported (16 of 24 rows; the other 8 cover every skip reason). */
const IMPORTED = [
  'HGIMB000011', 'HGIMB000023', 'HGIMB000035', 'HGIMB000064', 'HGIMB000076', 'HGIMB000081', 'HGIMB000414', 'HGIMB002292',
  'HGIMB002316', 'HGIMB002321', 'HGIMB002333', 'HGIMB002403', 'HGIMB004194', 'HGIMB004882', 'HGIMB005150', 'HGIMB005220',
];

function withoutTimings(report: CluesImportReport): Omit<CluesImportReport, 'durationMs' | 'file' | 'format' | 'encoding' | 'sheet'> {
  const { durationMs: _d, file: _f, format: _fo, encoding: _e, sheet: _s, ...rest } = report;
  return rest;
}

async function snapshot(connection: Connection): Promise<unknown[]> {
  return connection.collection('health_units').find({}).sort({ _id: 1 }).toArray();
}

describe('rutas import clues (service, real database)', function () {
  this.timeout(120_000);
  let connection: Connection;
  let repos: NetworkRepositories;
  let dir: string;

  beforeEach(async () => {
    connection = await freshConnection('clues_import');
    repos = await networkRepositories(connection);
  });
  afterEach(async () => {
    await dropAndClose(connection);
  });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rutas-clues-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a UTF-8 DGIS CSV: units in operation of IMB, every skip reason counted', async () => {
    const report = await importCluesFile(UTF8_CSV, repos);
    expect(report).to.include({ format: 'csv', encoding: 'utf-8', dryRun: false, rowsRead: 24 });
    expect(report.units).to.deep.equal({ inFile: 16, created: 16, updated: 0, unchanged: 0, mergedManual: 0 });
    expect(report.skipped.byReason).to.deep.equal({
      'not-in-operation': 1,
      'other-institution': 1,
      'not-a-care-unit': 1,
      'unknown-state-or-municipality': 2,
      malformed: 3,
    });
    expect(report.skipped.total).to.equal(8);
    const reasons = Object.fromEntries(report.skipped.rows.map((row) => [`${row.line}`, `${row.reason} ${row.clues}`]));
    expect(reasons).to.deep.equal({
      '18': 'other-institution HGIMS000093',
      '19': 'not-in-operation HGIMB000105',
      '20': 'not-a-care-unit HGIMB000110',
      '21': 'unknown-state-or-municipality HGIMB000122',
      '22': 'unknown-state-or-municipality HGIMB000040',
      '23': 'malformed HG-IMB-52',
      '24': 'malformed HGIMB002345',
      '25': 'malformed HGIMB000414',
    });
    expect(report.skipped.rows.find((r) => r.line === 25)!.detail).to.match(/duplicate CLUES \(first at line 2\)/);

    const units = await repos.units.all();
    expect(units.map((u) => u.clues)).to.deep.equal(IMPORTED);
    for (const unit of units) {
      expect(unit, unit.clues).to.include({ source: 'clues-import', active: true, institution: 'IMB', warehouseId: 'ALM-13', level: 1 });
      expect(unit.state).to.deep.equal({ code: '13', name: 'Hidalgo' });
    }
    const byClues = new Map(units.map((u) => [u.clues, u]));
    expect(byClues.get('HGIMB000414')).to.include({ name: 'ATITALAQUIA', sizeClass: 'nb-3-5', tipologia: 'URBANO DE 03 NÚCLEOS BÁSICOS', type: 'centro de salud', locationPrecision: 'exact' });
    expect(byClues.get('HGIMB000414')!.municipality).to.deep.equal({ code: '010', name: 'Atitalaquia' });
    expect(byClues.get('HGIMB000414')!.location!.coordinates).to.deep.equal([-99.221677, 20.060223]);
    expect(byClues.get('HGIMB005220')).to.include({ sizeClass: 'movil', type: 'unidad móvil' });
    expect(byClues.get('HGIMB002403')).to.include({ sizeClass: 'nb-6-12' });
    expect(byClues.get('HGIMB005150')).to.include({ sizeClass: 'uneme', type: 'UNEME' });
    expect(byClues.get('HGIMB000023')!.timeWindows).to.deep.equal([{ startMin: 480, endMin: 900 }]);
    expect(byClues.get('HGIMB000023')!.serviceTimeMin).to.equal(20);
  });

  it('places rows with a missing, zero, out-of-Mexico or out-of-state coordinate at their locality or municipality, with warnings', async () => {
    const report = await importCluesFile(UTF8_CSV, repos);
    expect(report.warnings.byProblem).to.deep.equal({ missing: 2, zero: 1, 'outside-mexico': 1, 'outside-state': 1 });
    const warnings = Object.fromEntries(report.warnings.rows.map((w) => [w.clues, `${w.problem} → ${w.placedAt}`]));
    expect(warnings).to.deep.equal({
      HGIMB004882: 'outside-state → locality',
      HGIMB002321: 'missing → locality',
      HGIMB002333: 'zero → locality',
      HGIMB000011: 'outside-mexico → municipality',
      HGIMB000023: 'missing → municipality',
    });
    expect(report.warnings.rows.find((w) => w.clues === 'HGIMB004882')!.coordinate).to.equal('17.0732, -96.7266');

    const byClues = new Map((await repos.units.all()).map((u) => [u.clues, u]));
    const at = (clues: string) => byClues.get(clues)!;
    // Atitalaquia locality 0001: mean of HGIMB000414 and HGIMB004194.
    expect(at('HGIMB004882').locationPrecision).to.equal('locality');
    expect(at('HGIMB004882').location!.coordinates[0]).to.be.closeTo(-99.229001, 1e-6);
    expect(at('HGIMB004882').location!.coordinates[1]).to.be.closeTo(20.0641365, 1e-6);
    // Pachuca locality 0001: mean of the 4 well-located units of the file.
    for (const clues of ['HGIMB002321', 'HGIMB002333']) {
      expect(at(clues).locationPrecision).to.equal('locality');
      expect(at(clues).location!.coordinates[0]).to.be.closeTo(-98.75880575, 1e-6);
      expect(at(clues).location!.coordinates[1]).to.be.closeTo(20.12082335, 1e-6);
    }
    // Alone in their localities: the municipality's point (data/geo/municipalities.csv, Acatlán).
    for (const clues of ['HGIMB000011', 'HGIMB000023']) {
      expect(at(clues).locationPrecision).to.equal('municipality');
      expect(at(clues).location!.coordinates).to.deep.equal([-98.388416, 20.167388]);
    }
  });

  it('reads the same units from a Latin-1 CSV and from an XLSX workbook (sheet BD_IMB)', async () => {
    const utf8 = await importCluesFile(UTF8_CSV, repos, { dryRun: true });
    const latin1 = await importCluesFile(LATIN1_CSV, repos, { dryRun: true });
    expect(latin1.encoding).to.equal('windows-1252');
    expect(withoutTimings(latin1)).to.deep.equal(withoutTimings(utf8));

    const xlsxPath = join(dir, 'CLUES_IMB.xlsx');
    await writeFixtureXlsx(xlsxPath);
    const xlsx = await importCluesFile(xlsxPath, repos);
    expect(xlsx).to.include({ format: 'xlsx', sheet: 'BD_IMB' });
    expect(xlsx.units.created).to.equal(16);
    expect(xlsx.skipped.byReason).to.deep.equal(utf8.skipped.byReason);
    expect(xlsx.warnings.byProblem).to.deep.equal(utf8.warnings.byProblem);
    // Spreadsheet rows are numbered by the sheet (title, blank row, header on row 3), the CSV's by line.
    expect(xlsx.skipped.rows.map((r) => r.line - 2)).to.deep.equal(utf8.skipped.rows.map((r) => r.line));
    const latinConnection = await freshConnection('clues_latin1');
    try {
      const latinRepos = await networkRepositories(latinConnection);
      await importCluesFile(LATIN1_CSV, latinRepos);
      const strip = (u: { name: string; tipologia?: string; municipality: unknown; locality?: string; location?: unknown }) => [u.name, u.tipologia, u.municipality, u.locality, u.location];
      expect((await latinRepos.units.all()).map(strip)).to.deep.equal((await repos.units.all()).map(strip));
      expect((await latinRepos.units.get('HGIMB000011'))!.name).to.equal('ACATLÁN');
    } finally {
      await dropAndClose(latinConnection);
    }
  });

  it('is idempotent: a second run changes nothing', async () => {
    await importCluesFile(UTF8_CSV, repos);
    const before = await snapshot(connection);
    const again = await importCluesFile(UTF8_CSV, repos);
    expect(again.units).to.deep.equal({ inFile: 16, created: 0, updated: 0, unchanged: 16, mergedManual: 0 });
    expect(await snapshot(connection)).to.deep.equal(before);
  });

  it('--dry-run reports the same as a real run and writes nothing', async () => {
    const dry = await importCluesFile(UTF8_CSV, repos, { dryRun: true });
    expect(dry.dryRun).to.equal(true);
    expect(dry.units.created).to.equal(16);
    expect(await repos.units.count()).to.equal(0);
    const real = await importCluesFile(UTF8_CSV, repos);
    expect({ ...withoutTimings(real), dryRun: true }).to.deep.equal(withoutTimings(dry));
  });

  it('merges a manually registered unit with the same CLUES instead of duplicating it', async () => {
    await repos.units.create({
      clues: 'HGIMB000064',
      name: 'CS Acaxochitlán (alta manual)',
      state: { code: '13', name: 'Hidalgo' },
      municipality: { name: 'Acaxochitlán' },
      type: 'centro de salud',
      sizeClass: 'nb-1',
      location: { type: 'Point', coordinates: [-98.178749, 20.125798] },
      locationPrecision: 'municipality',
      source: 'manual',
      serviceTimeMin: 45,
      contact: { receiverName: 'Dra. Pérez', phone: '7767620000' },
    });
    // Field-measured GPS point for a unit whose catalogue row has no coordinate.
    await repos.units.create({
      clues: 'HGIMB000023',
      name: 'Alcholoya',
      state: { code: '13', name: 'Hidalgo' },
      municipality: { name: 'Acatlán' },
      type: 'centro de salud',
      sizeClass: 'nb-1',
      location: { type: 'Point', coordinates: [-98.456115, 20.219313] },
      locationPrecision: 'exact',
      source: 'manual',
    });
    const report = await importCluesFile(UTF8_CSV, repos);
    expect(report.units).to.include({ created: 14, updated: 2, mergedManual: 2 });
    expect(await repos.units.count({})).to.equal(16);

    const merged = (await repos.units.get('HGIMB000064'))!;
    expect(merged).to.include({ source: 'clues-import', name: 'ACAXOCHITLÁN', sizeClass: 'nb-3-5', locationPrecision: 'exact', serviceTimeMin: 45 });
    expect(merged.contact).to.deep.equal({ receiverName: 'Dra. Pérez', phone: '7767620000' });
    expect(merged.location!.coordinates).to.deep.equal([-98.203732, 20.160323]);

    const gps = (await repos.units.get('HGIMB000023'))!;
    expect(gps).to.include({ source: 'clues-import', locationPrecision: 'exact' });
    expect(gps.location!.coordinates).to.deep.equal([-98.456115, 20.219313]);
    const warning = report.warnings.rows.find((w) => w.clues === 'HGIMB000023')!;
    expect(warning.placedAt).to.equal('exact');
    expect(warning.detail).to.match(/kept the unit's previous exact coordinate/);
  });

  it('reports units of the same state absent from the file without deleting or deactivating them', async () => {
    await repos.units.upsertMany([
      {
        set: {
          clues: 'HGIMB009990',
          name: 'UNIDAD AUSENTE',
          state: { code: '13', name: 'Hidalgo' },
          municipality: { name: 'Pachuca de Soto' },
          type: 'centro de salud',
          sizeClass: 'nb-1',
          level: 1,
          location: { type: 'Point', coordinates: [-98.75, 20.12] },
          locationPrecision: 'exact',
          source: 'catalog',
        },
        setOnInsert: { active: true },
      },
      {
        set: {
          clues: 'PLIMB000013',
          name: 'OTRO ESTADO',
          state: { code: '21', name: 'Puebla' },
          municipality: { name: 'Puebla' },
          type: 'centro de salud',
          sizeClass: 'nb-1',
          level: 1,
          location: { type: 'Point', coordinates: [-98.2, 19.04] },
          locationPrecision: 'exact',
          source: 'catalog',
        },
        setOnInsert: { active: true },
      },
    ]);
    const report = await importCluesFile(UTF8_CSV, repos);
    expect(report.absent).to.deep.equal({ total: 1, clues: ['HGIMB009990'] });
    expect((await repos.units.get('HGIMB009990'))!.active).to.equal(true);
    expect(await repos.units.count()).to.equal(18);
  });

  it('keeps other institutions when asked', async () => {
    const report = await importCluesFile(UTF8_CSV, repos, { institutions: ['IMB', 'IMS'], dryRun: true });
    expect(report.skipped.byReason['other-institution']).to.equal(0);
    expect(report.units.inFile).to.equal(17);
  });

  it('refuses a file without the required columns, writing nothing', async () => {
    const path = join(dir, 'sin-columnas.csv');
    writeFileSync(path, 'CLUES,NOMBRE DE LA UNIDAD\nHGIMB000011,ACATLÁN\n');
    let error: unknown;
    try {
      await importCluesFile(path, repos);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(MissingColumnsError);
    expect((error as Error).message).to.match(/CLAVE DE LA ENTIDAD or ENTIDAD/);
    expect(await repos.units.count()).to.equal(0);
  });

  it('keeps a field with stray quotes, counts a shifted line as malformed, and imports the rest', async () => {
    const path = join(dir, 'roto.csv');
    writeFileSync(
      path,
      [
        'CLUES,CLAVE DE LA INSTITUCION,CLAVE DE LA ENTIDAD,CLAVE DEL MUNICIPIO,NOMBRE DE LA UNIDAD,ESTATUS DE OPERACION,LATITUD,LONGITUD',
        'HGIMB000011,IMB,13,1,ACATLÁN,EN OPERACION,20.144656,-98.440023',
        'HGIMB000023,IMB,13,1,"ALCHOLOYA "EL SALTO"",EN OPERACION,20.219313,-98.456115',
        'HGIMB000035,IMB,13,1,SAN BARTOLO,EN OPERACION,20.256043,-98.465955',
        'HGIMB000040,IMB,13,1,SAN DIONISIO,EN OPERACION,20.129901,-98.46126,EXTRA',
      ].join('\n'),
    );
    const report = await importCluesFile(path, repos);
    expect(report.units.created).to.equal(3);
    expect(report.skipped.byReason.malformed).to.equal(1);
    expect(report.skipped.rows[0]).to.include({ line: 5, reason: 'malformed' });
    expect(report.skipped.rows[0].detail).to.match(/9 fields where the header has 8/);
    expect((await repos.units.all()).map((u) => u.clues)).to.deep.equal(['HGIMB000011', 'HGIMB000023', 'HGIMB000035']);
    expect((await repos.units.get('HGIMB000023'))!.name).to.contain('ALCHOLOYA');
  });
});
