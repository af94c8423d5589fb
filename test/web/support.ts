/**
 * E2E support for the web console: builds it, starts the real service over a fresh database,
 * seeds the national network and creates tokens through the project's own services, and drives
 * Debian's Chromium with playwright-core. Screenshots go to test-output/web/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../src/http/app.ts';
import { createRepositories } from '../../src/repositories/index.ts';
import { seedNetwork } from '../../src/services/catalog/seed.ts';
import { createTokenService } from '../../src/services/tokens.ts';
import { startTestService } from '../support/service.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(projectRoot, 'test-output', 'web');

/** Builds src/web/dist with the project's build script (idempotent, well under a second). */
export function buildConsole(): void {
  execFileSync(process.execPath, [join(projectRoot, 'scripts', 'build-web.mjs')], { cwd: projectRoot, stdio: 'pipe' });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export type RoleName = 'admin' | 'planner' | 'warehouse' | 'national' | 'unit';

export interface ConsoleEnv {
  url: string;
  browser: Browser;
  tokens: Record<RoleName, string>;
  /** The state the warehouse (state coordinator) token is limited to, and a unit in it. */
  state: string;
  unitClues: string;
  unitName: string;
  /** Revokes a token through the project's token service (as `rutas token revoke` does). */
  revoke(token: string): Promise<void>;
  close(): Promise<void>;
}

/** The whole stack for one test file. */
export async function startConsole(state: string): Promise<ConsoleEnv> {
  buildConsole();
  const service = await startTestService({}, 'web');
  try {
    const repos = createRepositories(service.connection);
    await repos.ensureIndexes();
    await seedNetwork(repos);
    const units = await repos.units.all();
    const unit = units.find((u) => u.state.code === state && u.active);
    if (!unit) throw new Error(`no seeded unit in state ${state}`);
    const tokenService = createTokenService({ tokens: repos.tokens, units: repos.units });
    const make = async (role: RoleName, extra: { state?: string; unitClues?: string } = {}): Promise<string> => (await tokenService.create({ role, name: `e2e ${role}`, ...extra })).token;
    const tokens: Record<RoleName, string> = {
      admin: await make('admin'),
      planner: await make('planner'),
      warehouse: await make('warehouse', { state }),
      national: await make('national'),
      unit: await make('unit', { unitClues: unit.clues }),
    };
    const browser = await launchChromium();
    return {
      url: service.url,
      browser,
      tokens,
      state,
      unitClues: unit.clues,
      unitName: unit.name,
      async revoke(token) {
        await tokenService.revoke(token.split('_')[1]);
      },
      async close() {
        await browser.close();
        await service.close();
      },
    };
  } catch (error) {
    await service.close();
    throw error;
  }
}

export async function newContext(env: ConsoleEnv, options: { viewport?: { width: number; height: number }; serviceWorkers?: 'allow' | 'block' } = {}): Promise<BrowserContext> {
  // A tablet in landscape by default: the console must be usable there.
  const context = await env.browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: true,
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
  context.setDefaultTimeout(20_000);
  return context;
}

/** Opens the console and signs in with a token through the form, as a person would. */
export async function signIn(context: BrowserContext, env: ConsoleEnv, role: RoleName, hash = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[browser ${role}] ${error.message}\n`));
  await page.goto(`${env.url}/${hash}`);
  await page.locator('#token').fill(env.tokens[role]);
  await page.locator('form.signin button[type=submit]').click();
  // Signed in (navigation shows) or refused (the form says why): fail with the form's message.
  await page.locator('#nav a, form.signin [role=alert]:not([hidden])').first().waitFor();
  if ((await page.locator('#nav a').count()) === 0) throw new Error(`sign-in as ${role} failed: ${await page.locator('form.signin [role=alert]').textContent()}`);
  if (hash) await page.goto(`${env.url}/${hash}`);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
