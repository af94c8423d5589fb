import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { MAX_EVIDENCE_FILES_PER_UPLOAD } from '../../src/http/routes/execution.ts';
import { createTestToken, request, startTestService } from '../support/service.ts';
import { seedNetwork } from './fixtures.ts';

/**
 * Regressions for what the long schemathesis run (`npm run fuzz`) found: answers that broke the
 * OpenAPI contract for schema-valid requests. The service validates its responses strictly here,
 * so a response outside its schema is a 500.
 */
describe('contract findings of the long spec fuzzing', () => {
  let service: Awaited<ReturnType<typeof startTestService>>;
  let admin: string;
  let planner: string;

  before(async () => {
    service = await startTestService();
    await seedNetwork(service);
    admin = await createTestToken(service, 'admin', { name: 'auditor' });
    planner = await createTestToken(service, 'planner');
  });

  after(async () => {
    await service.close();
  });

  it('lists an audit entry whose request path is longer than 200 characters', async () => {
    // 40 characters, the most a CLUES may have, but 240 once percent-encoded in the path.
    const clues = encodeURIComponent('ñ'.repeat(40));
    const write = await request(service.url, `/api/v1/units/${clues}`, { method: 'DELETE', token: admin });
    expect(write.status, write.text).to.equal(404);

    const deadline = Date.now() + 5000;
    let page = await request<{ items: { path: string }[] }>(service.url, '/api/v1/audit?method=DELETE&limit=10', { token: admin });
    while (page.status === 200 && !page.body.items.some((entry) => entry.path.includes(clues)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      page = await request<{ items: { path: string }[] }>(service.url, '/api/v1/audit?method=DELETE&limit=10', { token: admin });
    }

    expect(page.status, page.text).to.equal(200);
    const entry = page.body.items.find((item) => item.path.includes(clues));
    expect(entry?.path).to.equal(`/api/v1/units/${clues}`);
  });

  it('refuses round coordinators keyed by anything but a state code', async () => {
    const round = { name: 'JORNADA', type: 'ordinary', level: 'first', deliveryStart: '2027-02-08', deliveryEnd: '2027-02-12', states: ['20'] };

    const dollar = await request<{ errors: { pointer: string }[] }>(service.url, '/api/v1/rounds', { method: 'POST', token: planner, json: { ...round, coordinators: { $where: 'Dra. Ana' } } });
    const word = await request<{ errors: { pointer: string }[] }>(service.url, '/api/v1/rounds', { method: 'POST', token: planner, json: { ...round, coordinators: { oaxaca: 'Dra. Ana' } } });
    const state = await request(service.url, '/api/v1/rounds', { method: 'POST', token: planner, json: { ...round, coordinators: { '20': 'Dra. Ana' } } });

    expect(dollar.status, dollar.text).to.equal(400);
    expect(word.status, word.text).to.equal(422);
    expect(word.body.errors.map((error) => error.pointer)).to.include('/body/coordinators');
    expect(state.status, state.text).to.equal(201);
  });

  it('documents coordinator keys as state codes, so a key the API refuses is not schema-valid', () => {
    const spec = parse(readFileSync('openapi.yaml', 'utf8')) as { components: { schemas: { RoundCreate: { properties: { coordinators: { propertyNames: { pattern: string } } } } } } };
    const keys = new RegExp(spec.components.schemas.RoundCreate.properties.coordinators.propertyNames.pattern, 'u');

    expect(['20', '07'].every((key) => keys.test(key))).to.equal(true);
    expect(['$where', '$©Æ', 'oaxaca', '2', '200'].some((key) => keys.test(key))).to.equal(false);
  });

  it('documents the number of files an evidence upload may carry as the server enforces it', () => {
    const spec = parse(readFileSync('openapi.yaml', 'utf8')) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: { file: { minItems: number; maxItems: number } } } }> } } }>;
    };
    const file = spec.paths['/api/v1/plans/{id}/stops/{clues}/evidence'].post.requestBody.content['multipart/form-data'].schema.properties.file;

    expect(file.maxItems).to.equal(MAX_EVIDENCE_FILES_PER_UPLOAD);
    expect(file.minItems).to.equal(1);
  });
});
