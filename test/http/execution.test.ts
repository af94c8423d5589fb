import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import sharp from 'sharp';
import { registerModels } from '../../models/index.ts';
import type { RunningService } from '../../src/main.ts';
import { createPlanRepository } from '../../src/repositories/plans.ts';
import { computeKpis } from '../../src/services/planning/kpi.ts';
import type { PlanKpis, PlannedRoute, RationedItem, UnassignedUnit } from '../../src/services/planning/types.ts';
import { createTestToken, request, startTestService, type JsonResponse } from '../support/service.ts';
import { CHIS_1, ITEMS, OAX_1, OAX_2 } from './fixtures.ts';
import { elfExecutable, fakeHeic, jpeg, mp4, pdf, png, webp } from '../services/execution/samples.ts';
import { GENERATION, OAX_3, OAX_4, OAX_5, PLAN_ID, ROUND_ID, seedDispatchedPlan, VAN_1, VAN_2, type PlanFixture } from '../services/execution/plan-fixture.ts';

type Json = Record<string, unknown>;
const MAX_EVIDENCE = 200_000;

function stopPath(clues: string, leaf: string): string {
  return `/api/v1/plans/${PLAN_ID}/stops/${clues}/${leaf}`;
}

async function upload(service: RunningService, token: string, clues: string, files: { bytes: Buffer; name: string; type: string }[]): Promise<JsonResponse<Json>> {
  const form = new FormData();
  for (const file of files) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return request<Json>(service.url, stopPath(clues, 'evidence'), { method: 'POST', token, body: form });
}

function expectProblem(response: JsonResponse<Json>, status: number): void {
  expect(response.status, response.text).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.body.status).to.equal(status);
  expect(response.body.detail).to.be.a('string');
}

async function soh(service: RunningService, token: string, clues: string): Promise<Record<string, number>> {
  const stock = await request<{ items: { code: string; stockOnHand: number }[] }>(service.url, `/api/v1/units/${clues}/stock`, { token });
  expect(stock.status, stock.text).to.equal(200);
  return Object.fromEntries(stock.body.items.map((i) => [i.code, i.stockOnHand]));
}

async function planKpis(service: RunningService, token: string): Promise<PlanKpis> {
  const plan = await request<{ kpis: PlanKpis }>(service.url, `/api/v1/plans/${PLAN_ID}`, { token });
  expect(plan.status, plan.text).to.equal(200);
  return plan.body.kpis;
}

/**
 * After a replan: the plan's KPIs are what computeKpis gives over the routes and unassigned
 * units the API now answers (due units as before), and the header's route index matches the
 * route documents.
 */
async function expectKpisOfCurrentRoutes(service: RunningService, token: string, before: PlanKpis): Promise<{ kpis: PlanKpis; routes: PlannedRoute[] }> {
  const plan = await request<{ kpis: PlanKpis; unassigned: UnassignedUnit[]; rationing: RationedItem[]; deliveryDates: string[] }>(service.url, `/api/v1/plans/${PLAN_ID}`, { token });
  expect(plan.status, plan.text).to.equal(200);
  const routes = await request<{ items: PlannedRoute[] }>(service.url, `/api/v1/plans/${PLAN_ID}/routes`, { token });
  expect(routes.status, routes.text).to.equal(200);
  const expected = computeKpis({
    routes: routes.body.items,
    unassigned: plan.body.unassigned,
    dueByState: new Map(before.byState.map((block) => [block.state.code, { ...block.state, due: block.unitsDue }])),
    rationing: plan.body.rationing,
    warehouseState: new Map([
      ['ALM-20', '20'],
      ['ALM-07', '07'],
    ]),
    days: plan.body.deliveryDates.length,
  });
  expect(plan.body.kpis).to.deep.equal(expected);
  expect(plan.body.kpis.plan.unitsDue).to.equal(before.plan.unitsDue);
  const header = (await createPlanRepository(registerModels(service.connection)).get(PLAN_ID))!;
  expect(routes.body.items.map((r) => `${GENERATION}:${r.routeKey}`).sort()).to.deep.equal([...header.routeIds].sort());
  expect(header.vehicles.flatMap((v) => v.routeIds).sort()).to.deep.equal([...header.routeIds].sort());
  return { kpis: plan.body.kpis, routes: routes.body.items };
}

async function evidenceFileCount(service: RunningService): Promise<number> {
  return service.connection.db!.collection('evidence.files').countDocuments({ 'metadata.role': 'original' });
}

describe('round execution through the API', function () {
  this.timeout(60_000);
  let service: RunningService;
  let fixture: PlanFixture;
  let admin: string;
  let oaxaca: string;
  let oaxacaWarehouse: string;
  let chiapas: string;
  let national: string;

  before(async () => {
    service = await startTestService({ EVIDENCE_MAX_BYTES: String(MAX_EVIDENCE) }, 'execution');
    fixture = await seedDispatchedPlan(service);
    admin = await createTestToken(service, 'admin');
    oaxaca = await createTestToken(service, 'planner', { state: '20', name: 'Coordinación Oaxaca' });
    oaxacaWarehouse = await createTestToken(service, 'warehouse', { state: '20' });
    chiapas = await createTestToken(service, 'planner', { state: '07', name: 'Coordinación Chiapas' });
    national = await createTestToken(service, 'national');
  });
  after(async () => {
    await service.close();
  });

  describe('proof of delivery', () => {
    it('records a delivery with received lines and discrepancies, updates the stock and replays the same answer', async () => {
      const body = {
        delivered: true,
        receivedBy: 'Dra. Ana López',
        lines: [
          { itemCode: ITEMS[0], lotNumber: 'L-PARA-1', quantityReceived: 55, discrepancies: [{ kind: 'damaged', quantity: 5, note: 'cajas mojadas' }] },
          { itemCode: ITEMS[1], lotNumber: 'L-ASA-1', quantityReceived: 30 },
        ],
      };
      const key = randomUUID();
      const first = await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { method: 'POST', token: oaxaca, json: body, headers: { 'idempotency-key': key } });
      expect(first.status, first.text).to.equal(201);
      expect(first.body).to.include({ planId: PLAN_ID, roundId: ROUND_ID, clues: OAX_1, delivered: true, receivedBy: 'Dra. Ana López', piecesDelivered: 85, discrepancyPieces: 5, region: 'Sureste', stockUpdated: true, day: fixture.today });
      expect(first.body.recordedBy).to.deep.equal({ name: 'Coordinación Oaxaca', role: 'planner' });
      expect(await soh(service, admin, OAX_1)).to.deep.equal({ [ITEMS[0]]: 55, [ITEMS[1]]: 30 });

      const replay = await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { method: 'POST', token: oaxaca, json: body, headers: { 'idempotency-key': key } });
      expect(replay.status).to.equal(201);
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(replay.body).to.deep.equal(first.body);

      const otherBody = await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { method: 'POST', token: oaxaca, json: { ...body, receivedBy: 'Otra persona' }, headers: { 'idempotency-key': key } });
      expectProblem(otherBody, 409);

      // The same facts under a new key (the device lost the first answer): the stored record, once.
      const again = await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { method: 'POST', token: oaxaca, json: body, headers: { 'idempotency-key': randomUUID() } });
      expect(again.status).to.equal(200);
      expect(again.body.recordedAt).to.equal(first.body.recordedAt);
      // Different facts for a closed stop: refused, nothing changes.
      const contradicting = await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { method: 'POST', token: oaxaca, json: { delivered: false, reason: 'closed' }, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(contradicting, 409);
      expect(await soh(service, admin, OAX_1)).to.deep.equal({ [ITEMS[0]]: 55, [ITEMS[1]]: 30 });

      const read = await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { token: national });
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal(first.body);
    });

    it('applies a delivery once when the same request arrives many times at once', async () => {
      const body = { delivered: true, receivedBy: 'Enf. Juan Pérez' };
      const key = randomUUID();
      const responses = await Promise.all([
        ...Array.from({ length: 4 }, () => request<Json>(service.url, stopPath(OAX_2, 'delivery'), { method: 'POST', token: oaxacaWarehouse, json: body, headers: { 'idempotency-key': key } })),
        ...Array.from({ length: 4 }, () => request<Json>(service.url, stopPath(OAX_2, 'delivery'), { method: 'POST', token: oaxacaWarehouse, json: body, headers: { 'idempotency-key': randomUUID() } })),
      ]);
      for (const response of responses) expect(response.status, response.text).to.be.oneOf([200, 201]);
      expect(new Set(responses.map((r) => r.body.recordedAt)).size).to.equal(1);
      // Without lines the planned kit counts as received as shipped, once.
      expect(responses[0].body.piecesDelivered).to.equal(90);
      expect(await soh(service, admin, OAX_2)).to.deep.equal({ [ITEMS[0]]: 60, [ITEMS[1]]: 30 });
    });

    it('records a failed visit with its reason and rejects incomplete bodies with field pointers', async () => {
      const missingReason = await request<Json>(service.url, stopPath(CHIS_1, 'delivery'), { method: 'POST', token: chiapas, json: { delivered: false }, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(missingReason, 422);
      expect(missingReason.body.errors).to.deep.include({ pointer: '/body/reason', detail: 'is required when delivered is false' });
      const missingReceiver = await request<Json>(service.url, stopPath(CHIS_1, 'delivery'), { method: 'POST', token: chiapas, json: { delivered: true }, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(missingReceiver, 422);
      const unknownItem = await request<Json>(service.url, stopPath(CHIS_1, 'delivery'), { method: 'POST', token: chiapas, json: { delivered: true, receivedBy: 'X', lines: [{ itemCode: 'NOPE', quantityReceived: 1 }] }, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(unknownItem, 422);
      expect(unknownItem.body.errors).to.deep.equal([{ pointer: '/body/lines/0/itemCode', detail: `item NOPE is not in the kit planned for ${CHIS_1}` }]);
      const negative = await request<Json>(service.url, stopPath(CHIS_1, 'delivery'), { method: 'POST', token: chiapas, json: { delivered: true, receivedBy: 'X', lines: [{ itemCode: ITEMS[0], quantityReceived: -1 }] }, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(negative, 422);
      const noKey = await request<Json>(service.url, stopPath(CHIS_1, 'delivery'), { method: 'POST', token: chiapas, json: { delivered: false, reason: 'closed' } });
      expectProblem(noKey, 400);

      const failed = await request<Json>(service.url, stopPath(CHIS_1, 'delivery'), { method: 'POST', token: chiapas, json: { delivered: false, reason: 'closed', reasonNote: 'cerrada por obra' }, headers: { 'idempotency-key': randomUUID() } });
      expect(failed.status, failed.text).to.equal(201);
      expect(failed.body).to.include({ delivered: false, reason: 'closed', piecesDelivered: 0, stockUpdated: false });
    });

    it('answers 404 for a unit that is not a stop of the plan and for an unknown plan', async () => {
      expectProblem(await request<Json>(service.url, stopPath('NOSUCHUNIT', 'delivery'), { method: 'POST', token: admin, json: { delivered: false, reason: 'other' }, headers: { 'idempotency-key': randomUUID() } }), 404);
      expectProblem(await request<Json>(service.url, `/api/v1/plans/nope/stops/${OAX_1}/delivery`, { token: admin }), 404);
    });
  });

  describe('state-scoped access', () => {
    it('keeps a state token to its own state and the national role read-only', async () => {
      const body = { delivered: true, receivedBy: 'Alguien' };
      const foreign = await request<Json>(service.url, stopPath(OAX_5, 'delivery'), { method: 'POST', token: chiapas, json: body, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(foreign, 403);
      expect(foreign.body.detail).to.match(/limited to state 07/);
      expectProblem(await request<Json>(service.url, stopPath(OAX_1, 'delivery'), { token: chiapas }), 403);
      expectProblem(await request<Json>(service.url, stopPath(OAX_1, 'evidence'), { token: chiapas }), 403);
      expectProblem(await upload(service, chiapas, OAX_5, [{ bytes: await jpeg('#010203'), name: 'a.jpg', type: 'image/jpeg' }]), 403);
      expectProblem(await request<Json>(service.url, stopPath(OAX_5, 'delivery'), { method: 'POST', token: national, json: body, headers: { 'idempotency-key': randomUUID() } }), 403);
      expectProblem(await request<Json>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, { method: 'POST', token: national, json: { vehiclesOut: [VAN_2] } }), 403);
      expectProblem(await request<Json>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, { method: 'POST', token: chiapas, json: { vehiclesOut: [VAN_2] } }), 403);
      // Nothing was recorded for OAX_5 by those attempts.
      expectProblem(await request<Json>(service.url, stopPath(OAX_5, 'delivery'), { token: admin }), 404);
    });

    it('shows a state token only its state in progress and in the round evidence', async () => {
      const scoped = await request<{ byState: { state: { code: string } }[]; totals: Json }>(service.url, `/api/v1/rounds/${ROUND_ID}/progress`, { token: chiapas });
      expect(scoped.status, scoped.text).to.equal(200);
      expect(scoped.body.byState.map((s) => s.state.code)).to.deep.equal(['07']);
      expect(scoped.body.totals.unitsPlanned).to.equal(1);
    });
  });

  describe('evidence', () => {
    it('stores photos, video and PDF checked from their bytes, each file once, and lists and serves them', async () => {
      const files = [
        { bytes: await jpeg('#aa0000'), name: 'entrega.jpg', type: 'image/jpeg' },
        { bytes: await png('#00aa00'), name: 'firma.png', type: 'image/png' },
        { bytes: await webp('#0000aa'), name: 'anaquel.webp', type: 'image/webp' },
        { bytes: await pdf('Acta de entrega OAX 1'), name: 'acta.pdf', type: 'application/pdf' },
        // The name and header lie; the bytes are an MP4.
        { bytes: mp4(), name: 'video.bin', type: 'application/octet-stream' },
      ];
      const before = await evidenceFileCount(service);
      const first = await upload(service, oaxaca, OAX_1, files);
      expect(first.status, first.text).to.equal(201);
      expect(first.body).to.include({ created: 5, alreadyStored: 0 });
      const items = first.body.items as Json[];
      expect(items.map((i) => [i.kind, i.mime])).to.deep.equal([
        ['photo', 'image/jpeg'],
        ['photo', 'image/png'],
        ['photo', 'image/webp'],
        ['document', 'application/pdf'],
        ['video', 'video/mp4'],
      ]);
      expect(items[0]).to.include({ clues: OAX_1, roundId: ROUND_ID, day: fixture.today, region: 'Sureste' });
      expect(items[0].uploadedBy).to.deep.equal({ name: 'Coordinación Oaxaca', role: 'planner' });
      expect(await evidenceFileCount(service)).to.equal(before + 5);

      // A retry of the whole upload changes nothing.
      const retry = await upload(service, oaxaca, OAX_1, files);
      expect(retry.status).to.equal(200);
      expect(retry.body).to.include({ created: 0, alreadyStored: 5 });
      expect(await evidenceFileCount(service)).to.equal(before + 5);
      // The same photo as evidence of another stop: attached there, stored once.
      const shared = await upload(service, oaxaca, OAX_2, [files[0]]);
      expect(shared.status).to.equal(201);
      expect(await evidenceFileCount(service)).to.equal(before + 5);

      const list = await request<{ items: Json[] }>(service.url, stopPath(OAX_1, 'evidence'), { token: national });
      expect(list.status).to.equal(200);
      expect(list.body.items).to.have.length(5);

      const download = await fetch(`${service.url}${String(items[3].downloadUrl)}`, { headers: { authorization: `Bearer ${national}` } });
      expect(download.status).to.equal(200);
      expect(download.headers.get('content-type')).to.equal('application/pdf');
      expect(Buffer.from(await download.arrayBuffer()).equals(files[3].bytes)).to.equal(true);

      const thumb = await fetch(`${service.url}${String(items[0].thumbnailUrl)}`, { headers: { authorization: `Bearer ${oaxaca}` } });
      expect(thumb.status).to.equal(200);
      expect(thumb.headers.get('content-type')).to.match(/^image\/jpeg/);
      const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      expect(meta.format).to.equal('jpeg');
      expect(items[4].thumbnailUrl).to.equal(null);
    });

    it('rejects a spoofed executable, oversize, empty and truncated files with problem+json and stores nothing', async () => {
      const before = await evidenceFileCount(service);
      const spoof = await upload(service, oaxaca, OAX_5, [{ bytes: elfExecutable(), name: 'foto.jpg', type: 'image/jpeg' }]);
      expectProblem(spoof, 422);
      expect(spoof.body.detail).to.match(/application\/x-elf/);

      const noisy = await sharp(randomBytes(300 * 300 * 3), { raw: { width: 300, height: 300, channels: 3 } }).png().toBuffer();
      expect(noisy.length).to.be.greaterThan(MAX_EVIDENCE);
      expectProblem(await upload(service, oaxaca, OAX_5, [{ bytes: noisy, name: 'grande.png', type: 'image/png' }]), 413);

      expectProblem(await upload(service, oaxaca, OAX_5, [{ bytes: Buffer.alloc(0), name: 'vacio.jpg', type: 'image/jpeg' }]), 422);
      const photo = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#777' } }).jpeg().toBuffer();
      expectProblem(await upload(service, oaxaca, OAX_5, [{ bytes: photo.subarray(0, Math.floor(photo.length / 2)), name: 'cortada.jpg', type: 'image/jpeg' }]), 422);
      // One bad file in a batch: the good one is not stored either.
      const mixed = await upload(service, oaxaca, OAX_5, [
        { bytes: await jpeg('#123456'), name: 'buena.jpg', type: 'image/jpeg' },
        { bytes: elfExecutable(), name: 'mala.jpg', type: 'image/jpeg' },
      ]);
      expectProblem(mixed, 422);
      expectProblem(await request<Json>(service.url, stopPath(OAX_5, 'evidence'), { method: 'POST', token: oaxaca, json: { file: 'x' } }), 400);
      expect(await evidenceFileCount(service)).to.equal(before);
      const list = await request<{ items: Json[] }>(service.url, stopPath(OAX_5, 'evidence'), { token: oaxaca });
      expect(list.body.items).to.deep.equal([]);
    });

    it('answers 422 for more files than the contract allows and for a zip or bytes of no recognisable format (found by spec fuzzing)', async () => {
      const before = await evidenceFileCount(service);
      const photo = await jpeg('#345678');
      const eleven = await upload(service, oaxaca, OAX_5, Array.from({ length: 11 }, (_, i) => ({ bytes: photo, name: `foto-${i}.jpg`, type: 'image/jpeg' })));
      expectProblem(eleven, 422);
      expect(eleven.body.errors).to.deep.equal([{ pointer: '/body/file', detail: 'at most 10 files' }]);

      const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]);
      for (const bytes of [zip, randomBytes(64).fill(0, 0, 4)]) {
        const refused = await upload(service, oaxaca, OAX_5, [{ bytes, name: 'file.zip', type: 'application/octet-stream' }]);
        expectProblem(refused, 422);
        expect(refused.body.errors).to.deep.equal([{ pointer: '/body/file', detail: 'file.zip: not an accepted type' }]);
      }
      expect(await evidenceFileCount(service)).to.equal(before);
    });

    it('accepts evidence before the delivery is recorded, filed under the planned day, and lists it for the round', async () => {
      const early = await upload(service, oaxacaWarehouse, OAX_4, [{ bytes: await jpeg('#fedcba'), name: 'llegada.jpg', type: 'image/jpeg' }]);
      expect(early.status, early.text).to.equal(201);
      expect((early.body.items as Json[])[0]).to.include({ clues: OAX_4, day: fixture.tomorrow });
      const round = await request<{ items: Json[]; total: number }>(service.url, `/api/v1/rounds/${ROUND_ID}/evidence?state=20&limit=2`, { token: national });
      expect(round.status, round.text).to.equal(200);
      expect(round.body.total).to.equal(7);
      expect(round.body.items).to.have.length(2);
      expect(round.body.items[0]).to.include({ clues: OAX_4 });
      const scoped = await request<{ total: number }>(service.url, `/api/v1/rounds/${ROUND_ID}/evidence`, { token: chiapas });
      expect(scoped.body.total).to.equal(0);
    });

    it('detects HEIC from the bytes and refuses one that cannot be converted to JPEG', async () => {
      // No HEVC encoder is available offline to make a real HEIC photo: this one has the HEIC
      // container and brand but no image, so it reaches heic-convert and must be refused.
      const heic = await upload(service, oaxaca, OAX_5, [{ bytes: fakeHeic(), name: 'IMG_0042.HEIC', type: 'image/heic' }]);
      expectProblem(heic, 422);
      expect(heic.body.detail).to.match(/HEIC/);
    });

    it('builds the evidence report PDF of a region', async () => {
      const response = await fetch(`${service.url}/api/v1/rounds/${ROUND_ID}/evidence-report?region=Sureste`, { headers: { authorization: `Bearer ${national}` } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('application/pdf');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).to.equal('%PDF-');
      // Cover + Oaxaca today (3 photos of OAX_1 and the shared one of OAX_2) + Oaxaca tomorrow (OAX_4).
      expect((bytes.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length).to.equal(3);
      const badRegion = await request<Json>(service.url, `/api/v1/rounds/${ROUND_ID}/evidence-report?region=Norte`, { token: national });
      expect(badRegion.status).to.be.oneOf([400, 422]);
    });
  });

  describe('planned vs delivered', () => {
    it('reports progress per state and region with evidence and reasons', async () => {
      const progress = await request<Json & { totals: Json; byRegion: Json[]; byState: Json[] }>(service.url, `/api/v1/rounds/${ROUND_ID}/progress`, { token: national });
      expect(progress.status, progress.text).to.equal(200);
      expect(progress.body.totals).to.include({ unitsPlanned: 6, unitsDelivered: 2, unitsNotDelivered: 1, unitsPending: 3, unitsWithEvidence: 3, piecesDelivered: 85 + 90 });
      expect(progress.body.totals.notDeliveredReasons).to.deep.equal({ closed: 1 });
      expect(progress.body.byRegion.map((r) => r.region)).to.deep.equal(['Sureste']);
      const oaxacaRow = progress.body.byState.find((s) => (s.state as Json).code === '20')!;
      expect(oaxacaRow).to.include({ unitsPlanned: 5, unitsDelivered: 2, percentDelivered: 40 });
    });

    it('streams a new progress event when a delivery is recorded', async () => {
      const controller = new AbortController();
      const response = await fetch(`${service.url}/api/v1/rounds/${ROUND_ID}/progress/events`, { headers: { authorization: `Bearer ${national}` }, signal: controller.signal });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      const nextEvent = async (): Promise<Json> => {
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline) {
          const index = buffer.indexOf('\n\n');
          if (index >= 0) {
            const block = buffer.slice(0, index);
            buffer = buffer.slice(index + 2);
            const data = block.split('\n').find((line) => line.startsWith('data: '));
            if (block.includes('event: progress') && data) return JSON.parse(data.slice(6)) as Json;
            continue;
          }
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
        }
        throw new Error('no progress event before the deadline');
      };
      try {
        const first = await nextEvent();
        const delivered = (first.totals as Json).unitsDelivered as number;
        const recorded = await request<Json>(service.url, stopPath(OAX_5, 'delivery'), { method: 'POST', token: oaxaca, json: { delivered: true, receivedBy: 'Dr. Luis' }, headers: { 'idempotency-key': randomUUID() } });
        expect(recorded.status, recorded.text).to.equal(201);
        const second = await nextEvent();
        expect((second.totals as Json).unitsDelivered).to.equal(delivered + 1);
      } finally {
        controller.abort();
      }
    });
  });

  describe('replanning', () => {
    async function routesNow(): Promise<Map<string, PlannedRoute>> {
      const plans = createPlanRepository(registerModels(service.connection));
      const header = await plans.get(PLAN_ID);
      const docs = await plans.routes(header!.routeIds);
      return new Map(docs.map((d) => [d.routeKey, d.route as PlannedRoute]));
    }

    it('after a vehicle breaks down keeps the other routes identical and the delivered stops in place', async () => {
      // OAX_3 (tomorrow, on the van that will break down) is delivered early.
      const early = await request<Json>(service.url, stopPath(OAX_3, 'delivery'), { method: 'POST', token: oaxaca, json: { delivered: true, receivedBy: 'Adelantada' }, headers: { 'idempotency-key': randomUUID() } });
      expect(early.status).to.equal(201);
      const before = await routesNow();
      const kpisBefore = await planKpis(service, admin);
      const key = randomUUID();
      const response = await request<{ planId: string; changes: Json }>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, {
        method: 'POST',
        token: oaxaca,
        json: { vehiclesOut: [VAN_1], from: fixture.tomorrow },
        headers: { 'idempotency-key': key },
      });
      expect(response.status, response.text).to.equal(200);
      const changes = response.body.changes;
      expect(changes.keptRoutes).to.deep.equal(['ALM-20-1', 'ALM-20-3', 'ALM-07-1']);
      expect(changes.changedRoutes).to.deep.equal([{ routeKey: 'ALM-20-2', vehicleId: VAN_1, removedStops: [OAX_4], why: 'vehicle-out' }]);
      expect(changes.newRoutes).to.deep.equal([{ routeKey: 'ALM-20-R4', vehicleId: VAN_2, date: fixture.tomorrow, stops: [OAX_4] }]);
      expect(changes.unassigned).to.deep.equal([]);

      const after = await routesNow();
      for (const key of ['ALM-20-1', 'ALM-20-3', 'ALM-07-1']) expect(after.get(key), key).to.deep.equal(before.get(key));
      expect(after.get('ALM-20-2')!.stops.map((s) => s.clues)).to.deep.equal([OAX_3]);
      // The delivered stop stays closed on its route.
      expect((after.get('ALM-20-2')!.stops[0] as unknown as { status: string }).status).to.equal('delivered');
      expect(after.get('ALM-20-R4')).to.include({ vehicleId: VAN_2, startDate: fixture.tomorrow });
      expect(after.get('ALM-20-R4')!.stops.map((s) => [s.clues, s.date])).to.deep.equal([[OAX_4, fixture.tomorrow]]);

      // The KPIs follow the new routes: one route more (tomorrow) with the solver's km; the
      // delivered stop still counts on its route, the moved one on the new route.
      const { kpis } = await expectKpisOfCurrentRoutes(service, admin, kpisBefore);
      const newKm = after.get('ALM-20-R4')!.distanceKm;
      expect(after.get('ALM-20-R4')).to.include({ dayIndex: 1 });
      expect(after.get('ALM-20-R4')!.load).to.deep.equal({ weightKg: 6, volumeM3: 0.05, coldBoxes: 0 });
      expect(after.get('ALM-20-2')!.load).to.deep.equal({ weightKg: 6, volumeM3: 0.05, coldBoxes: 0 });
      expect(kpisBefore.plan).to.include({ routes: 4, unitsServed: 6, unitsUnassigned: 0, distanceKm: 480, itemsRationed: 1 });
      expect(kpis.plan).to.include({ routes: 5, unitsServed: 6, unitsUnassigned: 0, vehicles: 3, distanceKm: Math.round((480 + newKm) * 10) / 10, itemsRationed: 1 });
      expect(kpis.plan.routesPerDay).to.deep.equal([3, 2]);
      const oaxacaBefore = kpisBefore.byState.find((b) => b.state.code === '20')!;
      const oaxacaAfter = kpis.byState.find((b) => b.state.code === '20')!;
      expect(oaxacaBefore).to.include({ routes: 3, unitsServed: 5, distanceKm: 360 });
      expect(oaxacaAfter).to.include({ routes: 4, unitsDue: 5, unitsServed: 5, unitsUnassigned: 0, vehicles: 2, distanceKm: Math.round((360 + newKm) * 10) / 10, itemsRationed: 1 });
      expect(oaxacaAfter.routesPerDay).to.deep.equal([2, 2]);
      // 30 kg on four 3.5 t trucks instead of three.
      expect(oaxacaBefore.utilisation.weightKg).to.equal(0.003);
      expect(oaxacaAfter.utilisation.weightKg).to.equal(0.002);
      expect(kpis.byState.find((b) => b.state.code === '07')).to.deep.equal(kpisBefore.byState.find((b) => b.state.code === '07'));

      // The moved stop is delivered on its new route.
      const moved = await request<Json>(service.url, stopPath(OAX_4, 'delivery'), { method: 'POST', token: oaxaca, json: { delivered: true, receivedBy: 'Recibe' }, headers: { 'idempotency-key': randomUUID() } });
      expect(moved.status, moved.text).to.equal(201);
      expect(moved.body).to.include({ routeKey: 'ALM-20-R4', vehicleId: VAN_2 });

      // The same replan request again: the stored answer, the plan untouched.
      const replay = await request<{ changes: Json }>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, { method: 'POST', token: oaxaca, json: { vehiclesOut: [VAN_1], from: fixture.tomorrow }, headers: { 'idempotency-key': key } });
      expect(replay.status).to.equal(200);
      expect(replay.body.changes).to.deep.equal(changes);
      const header = await createPlanRepository(registerModels(service.connection)).get(PLAN_ID);
      expect(header!.generation).to.equal(GENERATION);
      expect(header!.routeIds).to.have.length(5);

      const unknown = await request<Json>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, { method: 'POST', token: oaxaca, json: { vehiclesOut: ['nope'] } });
      expectProblem(unknown, 422);
      expect(unknown.body.errors).to.deep.equal([{ pointer: '/body/vehiclesOut/0', detail: `vehicle nope has no route in plan ${PLAN_ID}` }]);
    });
  });
});

describe('plan KPIs after a replan that leaves units unassigned', function () {
  this.timeout(60_000);
  let service: RunningService;
  let fixture: PlanFixture;
  let admin: string;

  before(async () => {
    service = await startTestService({}, 'execution_replan_kpis');
    fixture = await seedDispatchedPlan(service);
    admin = await createTestToken(service, 'admin');
  });
  after(async () => {
    await service.close();
  });

  it('counts the stops no free vehicle-day could take as unassigned and drops the cancelled route', async () => {
    const kpisBefore = await planKpis(service, admin);
    const response = await request<{ changes: Json }>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, {
      method: 'POST',
      token: admin,
      json: { vehiclesOut: [VAN_1, VAN_2], from: fixture.tomorrow },
    });
    expect(response.status, response.text).to.equal(200);
    expect(response.body.changes.cancelledRoutes).to.deep.equal(['ALM-20-2']);
    expect(response.body.changes.unassigned).to.deep.equal([
      { clues: OAX_3, reason: 'fleet_days' },
      { clues: OAX_4, reason: 'fleet_days' },
    ]);

    const { kpis } = await expectKpisOfCurrentRoutes(service, admin, kpisBefore);
    expect(kpis.plan).to.include({ unitsDue: 6, routes: 3, unitsServed: 4, unitsUnassigned: 2, vehicles: 3, distanceKm: 360, kits: 4, medicinePieces: 360 });
    expect(kpis.plan.routesPerDay).to.deep.equal([3, 0]);
    const oaxaca = kpis.byState.find((b) => b.state.code === '20')!;
    expect(oaxaca).to.include({ unitsDue: 5, routes: 2, unitsServed: 3, unitsUnassigned: 2, vehicles: 2, distanceKm: 240, itemsRationed: 1 });
    expect(kpis.byState.find((b) => b.state.code === '07')).to.deep.equal(kpisBefore.byState.find((b) => b.state.code === '07'));
  });

  it('lists a unit closed during the round as unassigned (unit_closed) and the plan still reads within its contract', async () => {
    const response = await request<{ changes: Json }>(service.url, `/api/v1/plans/${PLAN_ID}/replan`, {
      method: 'POST',
      token: admin,
      json: { unitsClosed: [OAX_2], from: fixture.tomorrow },
    });
    expect(response.status, response.text).to.equal(200);
    expect(response.body.changes.closedUnits).to.deep.equal([OAX_2]);
    // Strict response validation is on in tests: a reason missing from openapi.yaml would be a 500.
    const plan = await request<{ unassigned: { clues: string; reason: string }[] }>(service.url, `/api/v1/plans/${PLAN_ID}`, { token: admin });
    expect(plan.status, plan.text).to.equal(200);
    expect(plan.body.unassigned.find((u) => u.clues === OAX_2)).to.include({ clues: OAX_2, reason: 'unit_closed' });
  });
});
