import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';
import { connectMongoose } from '../../../src/db/connection.ts';
import { createRepositories } from '../../../src/repositories/index.ts';
import { freshDatabaseUri } from '../../support/db.ts';
import { seedSmallNetwork, type SmallNetwork } from './network.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('rutas round and rutas plan', function () {
  this.timeout(120_000);
  const saved: Record<string, string | undefined> = {};
  const env = { PLAN_TIME_BUDGET_MS: '200', PLAN_MIN_JOB_MS: '100', PLAN_MAX_ITERATIONS: '200', PLAN_CONCURRENCY: '2', LOG_LEVEL: 'silent' };
  let dir: string;
  let network: SmallNetwork;

  before(async () => {
    const uri = await freshDatabaseUri('cli_plan');
    const connection = await connectMongoose(uri);
    const repositories = createRepositories(connection);
    await repositories.ensureIndexes();
    network = await seedSmallNetwork(repositories, { hidalgo: 6, tlaxcala: 3 });
    await connection.close();
    for (const [key, value] of Object.entries({ ...env, MONGODB_URI: uri })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    dir = await mkdtemp(join(tmpdir(), 'rutas-plan-'));
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a round, plans it and writes routes, manifests, the programme and KPIs', async () => {
    const create = capture();
    const code = await main(['round', 'create', '--name', 'JORNADA CLI', '--type', 'ordinary', '--level', 'first', '--start', '2026-12-14', '--end', '2026-12-18', '--coordinator', '13=Dra. Ana Pérez', '--json'], create.io);
    expect(code, create.err.join('\n')).to.equal(0);
    const round = JSON.parse(create.out[0]) as { id: string; source: string; coordinators: Record<string, string> };
    expect(round.source).to.equal('cli');
    expect(round.coordinators).to.deep.equal({ '13': 'Dra. Ana Pérez' });

    const plan = capture();
    const exit = await main(['plan', '--round', round.id, '--out', dir, '--json'], plan.io);
    expect(exit, plan.err.join('\n')).to.equal(0);
    const body = JSON.parse(plan.out[plan.out.length - 1]) as { status: string; kpis: { plan: { unitsDue: number; unitsServed: number } }; unassigned: { reason: string }[] };
    expect(body.status).to.equal('draft');
    expect(body.kpis.plan.unitsDue).to.equal(network.due.length);
    expect(body.kpis.plan.unitsServed + body.unassigned.length).to.equal(network.due.length);
    const files = (await readdir(dir)).sort();
    expect(files).to.deep.equal(['NACIONAL_JORNADA_CLI_RUTAS_CLUES_PIEZAS.xlsx', 'kpis.json', 'manifests.csv', 'routes.geojson', 'unassigned.csv'].sort());
    const geo = JSON.parse(await readFile(join(dir, 'routes.geojson'), 'utf8')) as { type: string };
    expect(geo.type).to.equal('FeatureCollection');
    const csv = await readFile(join(dir, 'manifests.csv'), 'utf8');
    expect(csv.split('\r\n').filter((l) => l !== '')).to.have.length(1 + network.hidalgo.length + network.tlaxcala.length);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'NACIONAL_JORNADA_CLI_RUTAS_CLUES_PIEZAS.xlsx'));
    expect(book.getWorksheet('HIDALGO')!.getCell('E6').value).to.equal('Dra. Ana Pérez');
    expect(await readFile(join(dir, 'unassigned.csv'), 'utf8')).to.include('no_warehouse');

    // A table without --json; a second plan replaces the draft.
    const table = capture();
    expect(await main(['plan', '--round', round.id], table.io)).to.equal(0);
    expect(table.out.join('\n')).to.match(/TOTAL\s+11\s+9\s+2/);
    const listed = capture();
    expect(await main(['round', 'list', '--json'], listed.io)).to.equal(0);
    expect((JSON.parse(listed.out[0]) as { id: string }[]).map((r) => r.id)).to.include(round.id);
  });

  it('answers usage errors with exit code 2', async () => {
    const bad = capture();
    expect(await main(['plan'], bad.io)).to.equal(2);
    expect(bad.err.join('\n')).to.include('--round');
    expect(await main(['round', 'create', '--name', 'X'], capture().io)).to.equal(2);
  });
});
