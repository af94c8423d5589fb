/**
 * The web console end to end, in Debian's headless Chromium against the real service and a real
 * database: every role signs in; a planner creates a round, generates it and sees its routes;
 * a warehouse prints a manifest; a state coordinator records a delivery with a photo while the
 * browser is offline and sees it arrive once; national staff watch progress live; a unit sends
 * its stock report twice and one report is stored.
 *
 * The `it`s run in order and share the round and plan the planner creates.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { request } from '../support/service.ts';
import { newContext, screenshot, signIn, startConsole, type ConsoleEnv, type RoleName } from './support.ts';

/** Baja California Sur: 71 catalogue units, a small round that plans in seconds. */
const STATE = '03';

interface Progress {
  totals: { unitsPlanned: number; unitsDelivered: number; unitsWithEvidence: number };
}

describe('web console (headless Chromium, real service)', function () {
  this.timeout(180_000);
  let env: ConsoleEnv;
  let roundId = '';
  let planId = '';
  let deliveredClues = '';
  let roundMonth = '';

  before(async function () {
    this.timeout(120_000);
    env = await startConsole(STATE);
  });

  after(async () => {
    await env?.close();
  });

  const api = <T>(role: RoleName, path: string, init: Parameters<typeof request>[2] = {}) => request<T>(env.url, `/api/v1/${path}`, { ...init, token: env.tokens[role] });

  async function navViews(page: Page): Promise<string[]> {
    return page.locator('#nav a').evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.view ?? ''));
  }

  it('signs in with a token as each role and shows only the views of that role', async () => {
    const expected: Record<RoleName, string[]> = {
      admin: ['planner', 'coverage', 'warehouse', 'coordinator', 'national', 'unit', 'settings'],
      planner: ['planner', 'coverage', 'warehouse', 'coordinator', 'national', 'settings'],
      warehouse: ['warehouse', 'coordinator', 'settings'],
      national: ['national', 'coverage', 'planner', 'settings'],
      unit: ['unit', 'settings'],
    };
    for (const role of Object.keys(expected) as RoleName[]) {
      const context = await newContext(env);
      const page = await signIn(context, env, role);
      expect(await navViews(page), role).to.deep.equal(expected[role]);
      const who = await page.locator('#who').textContent();
      // Role, scope and unit come from GET /api/v1/me.
      expect(who).to.contain(`e2e ${role}`);
      if (role === 'warehouse') expect(who).to.contain(`Estado ${STATE}`);
      else expect(who).to.not.contain('Estado');
      if (role === 'unit') expect(who).to.contain(`Unidad de salud · ${env.unitClues} · ${env.unitName}`);
      await screenshot(page, `signin-${role}`);
      await context.close();
    }
    // A wrong token is refused with a message, and nothing else is shown.
    const context = await newContext(env);
    const page = await context.newPage();
    await page.goto(env.url);
    await page.locator('#token').fill('rds_0000000000000000_' + 'x'.repeat(43));
    await page.locator('form.signin button[type=submit]').click();
    await page.locator('form.signin [role=alert]:not([hidden])').waitFor();
    expect(await page.locator('#nav a').count()).to.equal(0);
    await context.close();
  });

  it('checks the stored session on load and sends a revoked token back to the sign-in form', async () => {
    const token = (await api<{ token: string }>('admin', 'tokens', { method: 'POST', json: { role: 'national', name: 'e2e revoked' } })).body.token;
    const context = await newContext(env);
    const page = await context.newPage();
    await page.goto(env.url);
    await page.locator('#token').fill(token);
    await page.locator('form.signin button[type=submit]').click();
    await page.locator('#nav a').first().waitFor();
    expect(await page.locator('#who').textContent()).to.contain('e2e revoked · Nivel nacional');
    await env.revoke(token);
    await page.reload();
    await page.locator('form.signin [role=alert]:not([hidden])').waitFor();
    expect(await page.locator('form.signin [role=alert]').textContent()).to.equal('Su sesión terminó: el token ya no es válido. Inicie sesión de nuevo.');
    expect(await page.locator('#nav a').count()).to.equal(0);
    expect(await page.evaluate(() => sessionStorage.getItem('rutas.session'))).to.equal(null);
    await context.close();
  });

  it('shows the national map of units clustered, and one state with approximate locations drawn differently', async () => {
    const context = await newContext(env);
    const page = await signIn(context, env, 'planner', '#/planner');
    await page.waitForFunction(() => Number(document.querySelector('#unit-count')?.getAttribute('data-count')) > 0, undefined, { timeout: 30_000 });
    const total = Number(await page.locator('#unit-count').getAttribute('data-count'));
    expect(total).to.be.greaterThan(9000);
    // Clustered: far fewer markers than units at the national zoom.
    const clusterCounts = await page.locator('.cluster-icon').allTextContents();
    expect(clusterCounts.length).to.be.greaterThan(0).and.lessThan(1000);
    await screenshot(page, 'planner-map');

    await page.locator('#f-state').selectOption(STATE);
    await page.waitForFunction(() => Number(document.querySelector('#unit-count')?.getAttribute('data-count')) < 200);
    const stateUnits = Number(await page.locator('#unit-count').getAttribute('data-count'));
    const seeded = await api<{ total: number }>('planner', `units?state=${STATE}&limit=1`);
    expect(stateUnits).to.equal(seeded.body.total);
    // Every unit is on the map exactly once: in a cluster or as its own marker.
    await page.waitForFunction((n) => {
      const clustered = [...document.querySelectorAll('.cluster-icon')].reduce((sum, el) => sum + Number(el.textContent), 0);
      return clustered + document.querySelectorAll('path.unit-exact, path.unit-approx').length === n;
    }, stateUnits);
    const approx = await api<{ items: { locationPrecision: string }[] }>('planner', `units?state=${STATE}&limit=500`);
    const approxSeeded = approx.body.items.filter((u) => u.locationPrecision !== 'exact').length;
    if (approxSeeded > 0) {
      // Zoom until single markers show: approximate ones are hollow and dashed.
      for (let i = 0; i < 8 && (await page.locator('path.unit-approx').count()) === 0; i++) await page.locator('.leaflet-control-zoom-in').click();
      expect(await page.locator('path.unit-approx').count()).to.be.greaterThan(0);
      expect(await page.locator('path.unit-approx').first().getAttribute('stroke-dasharray')).to.equal('2 3');
    }

    // Colour by stockout risk from the newest replenishment run of the state's warehouse.
    const unitsOfState = await api<{ items: { warehouseId?: string }[] }>('planner', `units?state=${STATE}&limit=1`);
    const run = await api<{ id: string }>('planner', 'replenishment/runs', { method: 'POST', json: { warehouseId: unitsOfState.body.items[0].warehouseId } });
    expect(run.status).to.equal(201);
    const runUnits = await api<{ items: { clues: string; emergencyLines: number; linesShort: number }[] }>('planner', `replenishment/runs/${run.body.id}/units?limit=500`);
    const expectedTally: Record<string, number> = {};
    for (const u of runUnits.body.items) {
      const key = u.emergencyLines > 0 ? 'high' : u.linesShort > 0 ? 'medium' : 'low';
      expectedTally[key] = (expectedTally[key] ?? 0) + 1;
    }
    await page.locator('#f-color').selectOption('risk');
    await page.waitForFunction(() => document.querySelector('#unit-count')?.getAttribute('data-mode') === 'risk' && !document.querySelector('#unit-count')?.getAttribute('data-tally')?.includes('unknown'));
    expect(JSON.parse((await page.locator('#unit-count').getAttribute('data-tally'))!)).to.deep.equal(expectedTally);
    await context.close();
  });

  it('creates a round, generates its plan with a live progress bar and draws its routes on the map', async () => {
    const context = await newContext(env);
    const page = await signIn(context, env, 'planner', '#/planner');
    const name = `E2E ${Date.now()}`;
    await page.locator('#r-name').fill(name);
    await page.locator('#r-states').fill(STATE);
    await page.locator('#round-form button[type=submit]').click();
    const row = page.locator('#rounds-table tr', { hasText: name });
    await row.waitFor();
    const rounds = await api<{ items: { id: string; name: string; month: string }[] }>('planner', 'rounds');
    const created = rounds.body.items.find((r) => r.name === name)!;
    roundId = created.id;
    roundMonth = created.month;
    expect(roundId).to.be.a('string').and.not.equal('');

    // A short routing budget keeps the suite quick; the plan is still complete (every unit routed or listed with a reason).
    await page.locator('#gen-budget').fill('3');
    // Record every value the progress bar shows (the page is not reloaded: hash navigation).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const value = document.querySelector('#plan-bar')?.getAttribute('aria-valuenow');
        if (value && seen[seen.length - 1] !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await row.locator('button[data-generate]').click();
    await page.waitForURL(/#\/plan\//);
    planId = decodeURIComponent(page.url().split('#/plan/')[1]);
    await page.locator('#plan-bar').waitFor();
    // The plan finishes (the bar reaches 100 and the status leaves running) and routes appear.
    await page.waitForFunction(() => document.querySelector('#plan-bar')?.getAttribute('aria-valuenow') === '100', undefined, { timeout: 120_000 });
    await page.waitForFunction(() => Number(document.querySelector('#plan-map')?.getAttribute('data-routes')) > 0, undefined, { timeout: 30_000 });
    // The bar moved through intermediate values on its way to 100.
    const seen = (await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen)).map(Number);
    expect(seen.some((v) => v > 0 && v < 100), `progress values seen: ${seen.join(', ')}`).to.equal(true);
    expect(seen[seen.length - 1]).to.equal(100);
    const plan = await api<{ status: string; routes?: unknown[] }>('planner', `plans/${planId}`);
    expect(plan.body.status).to.equal('draft');
    const routes = await api<{ items?: unknown[] } | unknown[]>('planner', `plans/${planId}/routes`);
    const routeCount = Array.isArray(routes.body) ? routes.body.length : (routes.body.items ?? []).length;
    expect(routeCount).to.be.greaterThan(0);
    expect(await page.locator('#routes-table tbody tr').count()).to.equal(routeCount);
    expect(await page.locator('path.route-line').count()).to.equal(routeCount);
    expect(await page.locator('#timeline .lane').count()).to.equal(routeCount);
    expect(await page.locator('[data-kpi="kpi.routes"] .v').textContent()).to.equal(String(routeCount));
    await page.locator('#unassigned h2').waitFor();
    // KPIs per state: one state in this round, its routes are the plan's routes.
    const stateRow = await page.locator('#state-kpis tbody tr').allTextContents();
    expect(stateRow).to.have.length(1);
    expect(await page.locator('#state-kpis tbody tr td').nth(4).textContent()).to.equal(String(routeCount));
    await screenshot(page, 'plan-view');

    // The official route programme downloads as an XLSX (a ZIP container).
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#programme').click()]);
    const xlsx = readFileSync(await download.path());
    expect(xlsx.subarray(0, 2).toString('latin1')).to.equal('PK');

    await page.locator('#approve').click();
    await page.locator('#dispatch').waitFor();
    await page.waitForFunction(() => document.querySelector('#plan-progress-text')?.getAttribute('data-status') === 'approved');
    await context.close();
  });

  it('dispatches the approved plan from the warehouse, opens a vehicle manifest with its pick list and prints it', async () => {
    const context = await newContext(env);
    const page = await signIn(context, env, 'warehouse', `#/warehouse/${encodeURIComponent(planId)}`);
    // The warehouse confirms the dispatch of the approved plan.
    await page.locator('#w-dispatch').click();
    await page.locator('#w-plan [data-status="dispatched"]').waitFor();
    expect((await api<{ status: string }>('planner', `plans/${planId}`)).body.status).to.equal('dispatched');
    await page.locator('#vehicles a.button').first().click();
    await page.locator('.pick-list tbody tr').first().waitFor();
    const stops = await page.locator('.manifest-stops tbody tr').count();
    expect(stops).to.be.greaterThan(0);
    // Cold-chain lines are highlighted; every line has a check box.
    const coldRows = await page.locator('.pick-list tr[data-cold="true"]').count();
    expect(await page.locator('.pick-list tr.cold').count()).to.equal(coldRows);
    const lines = await page.locator('.pick-list tbody tr').count();
    expect(await page.locator('.pick-list tbody input[type=checkbox]').count()).to.equal(lines);
    await page.locator('.pick-list tbody input[type=checkbox]').first().check();

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.topbar').isVisible()).to.equal(false);
    expect(await page.locator('#print').isVisible()).to.equal(false);
    expect(await page.locator('.print-only').first().isVisible()).to.equal(true);
    await screenshot(page, 'manifest-print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(pdf.length).to.be.greaterThan(5000);
    await context.close();
  });

  it('records a delivery with a photo while offline and, back online, it arrives exactly once', async () => {
    const context = await newContext(env, { viewport: { width: 1024, height: 768 } });
    const page = await signIn(context, env, 'warehouse', `#/coordinator/${encodeURIComponent(planId)}`);
    const button = page.locator('button[data-record]').first();
    await button.waitFor();
    const clues = (await button.getAttribute('data-record'))!;
    deliveredClues = clues;
    const before = await api<Progress>('national', `rounds/${roundId}/progress`);
    expect(before.body.totals.unitsDelivered).to.equal(0);
    // Once the service worker controls the page, a reload caches the day's routes for offline use.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.reload();
    await button.waitFor();

    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    // Offline, the console still opens: the shell and the routes come from the service worker.
    await page.reload();
    await button.waitFor();
    await button.click();
    await page.locator('#d-received').fill('Dra. María López');
    const photo = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#2e7d32' } }).jpeg().toBuffer();
    await page.locator('#d-files').setInputFiles({ name: 'entrega.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('#d-save').click();
    // Queued in IndexedDB: the person sees two items pending (the delivery and the photo).
    await page.waitForFunction(() => document.querySelector('#outbox')?.getAttribute('data-pending') === '2');
    await page.locator(`[data-pending="${clues}"]`).waitFor();
    expect(await page.locator('#net-status').textContent()).to.contain('Sin conexión');
    await screenshot(page, 'coordinator-offline-queue');
    const whileOffline = await api<Progress>('national', `rounds/${roundId}/progress`);
    expect(whileOffline.body.totals.unitsDelivered).to.equal(0);

    await context.setOffline(false);
    await page.locator('#queue-empty').waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      throw new Error(`the outbox did not empty: ${await page.locator('#outbox').textContent()} (${String(error)})`);
    });
    await page.locator(`[data-done="${clues}"]`).waitFor();
    // Sending again changes nothing: the keys were consumed and the outbox is empty.
    await page.locator('#sync-now').click();
    const after = await api<Progress>('national', `rounds/${roundId}/progress`);
    expect(after.body.totals.unitsDelivered).to.equal(1);
    expect(after.body.totals.unitsWithEvidence).to.equal(1);
    const evidence = await api<{ items?: unknown[] } | unknown[]>('national', `plans/${planId}/stops/${clues}/evidence`);
    expect(Array.isArray(evidence.body) ? evidence.body.length : (evidence.body.items ?? []).length).to.equal(1);
    const delivery = await api<{ receivedBy: string; delivered: boolean }>('national', `plans/${planId}/stops/${clues}/delivery`);
    expect(delivery.body).to.include({ receivedBy: 'Dra. María López', delivered: true });
    await context.close();
  });

  it('shows national progress by region and state and updates it live when a delivery arrives', async () => {
    const context = await newContext(env);
    const page = await signIn(context, env, 'national', `#/national/${encodeURIComponent(roundId)}`);
    await page.waitForFunction(() => document.querySelector('#n-kpis')?.getAttribute('data-delivered') === '1');
    const planned = Number(await page.locator('#n-kpis').getAttribute('data-planned'));
    const progress = await api<Progress>('national', `rounds/${roundId}/progress`);
    expect(planned).to.equal(progress.body.totals.unitsPlanned);
    expect(await page.locator('#n-states tbody tr').count()).to.equal(1);

    // Another stop is delivered through the API: the open page follows without a reload.
    const routes = await api<{ items: { stops: { clues: string }[] }[] }>('planner', `plans/${planId}/routes`);
    const next = routes.body.items.flatMap((r) => r.stops).find((s) => s.clues !== deliveredClues)!;
    const posted = await api('warehouse', `plans/${planId}/stops/${next.clues}/delivery`, { method: 'POST', json: { delivered: true, receivedBy: 'Enf. Juan Pérez' }, headers: { 'idempotency-key': `e2e-${next.clues}` } });
    expect(posted.status).to.equal(201);
    await page.waitForFunction(() => document.querySelector('#n-kpis')?.getAttribute('data-delivered') === '2', undefined, { timeout: 20_000 });
    // The gallery shows the one photo sent from the field, with its thumbnail loaded.
    await page.locator(`#n-gallery figure figcaption:has-text("${deliveredClues}")`).waitFor();
    expect(await page.locator('#n-gallery figure').count()).to.equal(1);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#n-gallery img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await screenshot(page, 'national-progress');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#n-report').click()]);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    await context.close();
  });

  it('shows the month coverage: every unit with its planned or actual date or why it is not covered', async () => {
    const context = await newContext(env);
    const page = await signIn(context, env, 'planner', `#/coverage/${roundMonth}`);
    type Summary = { units: number; covered: number; delivered: number; planned: number; notDelivered: number; uncovered: number };
    const report = await api<{ summary: Summary; units: unknown[] }>('planner', `coverage?month=${roundMonth}`);
    expect(report.body.summary.delivered).to.equal(2);
    const total = page.locator('#coverage-summary tbody tr').last();
    await total.waitFor();
    const cells = await total.locator('td').allTextContents();
    expect(cells[0]).to.equal('Total nacional');
    const { units, covered, delivered, planned, notDelivered, uncovered } = report.body.summary;
    expect(cells.slice(1).map((c) => Number(c.replace(/,/g, '')))).to.deep.equal([units, covered, delivered, planned, notDelivered, uncovered]);
    expect(await page.locator('#coverage-units tbody tr').count()).to.equal(Math.min(200, report.body.units.length));
    // Filtered by status: exactly the units the API reports as delivered.
    await page.locator('#cov-status').selectOption('delivered');
    expect(await page.locator('#coverage-units tbody tr').count()).to.equal(delivered);
    await screenshot(page, 'coverage');
    await context.close();
  });

  it('lets a unit send its stock report twice and stores one report', async () => {
    const context = await newContext(env);
    // The unit's CLUES comes from /me: no prompt, straight to its own stock.
    const page = await signIn(context, env, 'unit');
    expect(await page.locator('main h1').textContent()).to.equal(`Existencias de la unidad ${env.unitClues}`);
    expect(await page.locator('#u-clues').count()).to.equal(0);
    const rows = page.locator('#stock-form tbody tr');
    await rows.first().waitFor().catch(async (error: unknown) => {
      await screenshot(page, 'unit-failure');
      throw new Error(`no stock form: ${await page.locator('main').textContent()} (${String(error)})`);
    });
    const items = await api<{ total: number }>('unit', 'items?limit=1');
    expect(await rows.count()).to.equal(items.body.total);
    const codes = await rows.evaluateAll((trs) => trs.slice(0, 3).map((tr) => (tr as HTMLElement).dataset.code ?? ''));
    for (const [i, code] of codes.entries()) {
      await page.locator(`input[name="${code}.soh"]`).fill(String(100 + i));
      await page.locator(`input[name="${code}.consumed"]`).fill(String(30 + i));
      await page.locator(`input[name="${code}.soh"]`).dispatchEvent('change');
      await page.locator(`input[name="${code}.consumed"]`).dispatchEvent('change');
    }
    await page.locator('#u-submit').click();
    await page.locator('#u-ok').waitFor();
    const first = await page.locator('#u-ok').getAttribute('data-report');
    // The same draft sent again (a lost answer, a double tap) is the same report.
    await page.locator('#u-ok').evaluate((el) => el.remove());
    await page.locator('#u-submit').click();
    await page.locator('#u-ok').waitFor();
    expect(await page.locator('#u-ok').getAttribute('data-report')).to.equal(first);
    const reports = await api<{ items?: unknown[] } | unknown[]>('unit', `units/${env.unitClues}/stock-reports`);
    expect(Array.isArray(reports.body) ? reports.body.length : (reports.body.items ?? []).length).to.equal(1);
    // The stock now shows what was reported, and the chart has the period's consumption.
    const firstRow = page.locator('#stock-table tbody tr', { hasText: codes[0] });
    await firstRow.waitFor();
    expect((await firstRow.locator('td').allTextContents())[2]).to.equal('100');
    await page.locator('#consumption-chart rect.bar').first().waitFor();
    expect(await page.locator('#consumption-chart rect.bar').count()).to.equal(1);
    expect(await page.locator('#consumption-chart').getAttribute('aria-label')).to.contain(String(30 + 31 + 32));
    await screenshot(page, 'unit-stock');
    await context.close();
  });

  it('retries a delivery whose answer was lost with the same key, and the server records it once', async () => {
    // Service workers blocked here so Playwright's router sees the page's requests.
    const context = await newContext(env, { serviceWorkers: 'block' });
    const page = await signIn(context, env, 'warehouse', `#/coordinator/${encodeURIComponent(planId)}`);
    await page.locator('button[data-record]').first().waitFor();
    const before = await api<Progress>('national', `rounds/${roundId}/progress`);
    const candidates = await page.locator('button[data-record]').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.record ?? ''));
    let clues = '';
    for (const candidate of candidates) {
      if ((await api('national', `plans/${planId}/stops/${candidate}/delivery`)).status === 404) {
        clues = candidate;
        break;
      }
    }
    expect(clues).to.not.equal('');
    // The first POST reaches the server, but its answer never reaches the page.
    let lost = 0;
    await page.route('**/api/v1/plans/*/stops/*/delivery', async (route) => {
      if (lost === 0) {
        lost++;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.locator(`button[data-record="${clues}"]`).click();
    await page.locator('#d-received').fill('Lic. Ana Ruiz');
    await page.locator('#d-save').click();
    await page.locator('#outbox li[data-kind="delivery"]', { hasText: '1 intentos' }).waitFor();
    expect((await api('national', `plans/${planId}/stops/${clues}/delivery`)).status).to.equal(200);
    await page.locator('#sync-now').click();
    await page.locator('#queue-empty').waitFor();
    const after = await api<Progress>('national', `rounds/${roundId}/progress`);
    expect(after.body.totals.unitsDelivered).to.equal(before.body.totals.unitsDelivered + 1);
    await context.close();
  });

  it('switches to English and back, and can be used with the keyboard', async () => {
    const context = await newContext(env);
    const page = await signIn(context, env, 'warehouse', '#/warehouse');
    expect(await page.locator('#nav a[data-view="warehouse"]').textContent()).to.equal('Almacén');
    await page.locator('#lang').click();
    expect(await page.locator('#nav a[data-view="warehouse"]').textContent()).to.equal('Warehouse');
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    await page.locator('#lang').click();
    expect(await page.locator('html').getAttribute('lang')).to.equal('es');
    await page.reload();
    await page.locator('#nav a').first().waitFor();
    // The first Tab reaches the skip link; Enter moves focus to the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).to.equal('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('main');
    await context.close();
  });
});
