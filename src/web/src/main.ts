/** Console entry point: sign-in, navigation by role, language switch, network status, outbox sync. */
import { ApiClient, ApiError } from './api.ts';
import { byId, h } from './dom.ts';
import { getLang, label, setLang, t, type MessageKey } from './i18n.ts';
import { flushOutbox, outboxEvents, pendingCount, startOutboxSync } from './queue.ts';
import { clearSession, loadSession, sameIdentity, saveSession, viewsFor, whoAmI, type Session, type View } from './session.ts';
import type { ViewContext } from './context.ts';
import { plannerView, planView } from './views/planner.ts';
import { coverageView } from './views/coverage.ts';
import { manifestView, warehouseView } from './views/warehouse.ts';
import { coordinatorView } from './views/coordinator.ts';
import { nationalView } from './views/national.ts';
import { unitView } from './views/unit.ts';
import { settingsView } from './views/settings.ts';

type Renderer = (ctx: ViewContext, root: HTMLElement, params: string[]) => void | Promise<void>;

const ROUTES: Record<string, { view: View; render: Renderer }> = {
  planner: { view: 'planner', render: plannerView },
  plan: { view: 'planner', render: planView },
  coverage: { view: 'coverage', render: coverageView },
  warehouse: { view: 'warehouse', render: warehouseView },
  manifest: { view: 'warehouse', render: manifestView },
  coordinator: { view: 'coordinator', render: coordinatorView },
  national: { view: 'national', render: nationalView },
  unit: { view: 'unit', render: unitView },
  settings: { view: 'settings', render: settingsView },
};

let session: Session | undefined = loadSession();
const api = new ApiClient(() => session?.token);
let current: AbortController | undefined;
/** Shown once on the sign-in form, e.g. why the stored session ended. */
let signInNotice: string | undefined;

function navigate(hash: string): void {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderChrome(): void {
  document.documentElement.lang = getLang();
  document.title = 'Rutas de la Salud';
  document.querySelector('.skip-link')!.textContent = t('app.skip');
  byId('nav').setAttribute('aria-label', t('nav.main'));
  byId('lang').textContent = t('lang.switch');
  byId('lang').setAttribute('lang', getLang() === 'es' ? 'en' : 'es');
  const signout = byId<HTMLButtonElement>('signout');
  signout.hidden = !session;
  signout.textContent = t('signout');
  byId('who').textContent = session
    ? [session.name, label('role', session.role), session.state ? t('scope.state', { s: session.state }) : '', session.unit ?? '', session.unitName ?? ''].filter(Boolean).join(' · ')
    : '';
  const nav = byId('nav');
  nav.replaceChildren();
  if (!session) return;
  const active = location.hash.replace(/^#\/?/, '').split('/')[0];
  const activeView = ROUTES[active]?.view;
  for (const view of viewsFor(session)) {
    nav.appendChild(h('a', { href: `#/${view}`, 'aria-current': view === activeView ? 'page' : undefined, dataset: { view } }, t(`nav.${view}` as MessageKey)));
  }
  void updateNetStatus();
}

async function updateNetStatus(): Promise<void> {
  const el = byId('net-status');
  const pending = await pendingCount().catch(() => 0);
  const parts = [navigator.onLine ? t('net.online') : t('net.offline')];
  if (pending > 0) parts.push(t('net.pending', { n: pending }));
  el.textContent = parts.join(' · ');
  el.dataset.pending = String(pending);
  el.classList.toggle('offline', !navigator.onLine);
}

function signInView(root: HTMLElement): void {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const message = h('p', { role: 'alert', class: 'notice error', hidden: signInNotice === undefined }, signInNotice ?? '');
  signInNotice = undefined;
  const form = h(
    'form',
    { class: 'card signin' },
    h('h1', null, t('signin.title')),
    h('label', { for: 'token' }, t('signin.token'), input),
    h('p', { id: 'token-help', class: 'muted' }, t('signin.help')),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('signin.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.hidden = true;
    whoAmI(input.value.trim()).then(
      (who) => {
        session = who;
        saveSession(who);
        const first = viewsFor(who)[0];
        navigate(`#/${first}`);
        flushOutbox(api).catch(() => undefined);
      },
      (error: unknown) => {
        message.hidden = false;
        message.textContent =
          error instanceof ApiError && (error.status === 401 || error.status === 403) ? t('signin.invalid') : t('signin.error', { msg: error instanceof Error ? error.message : String(error) });
      },
    );
  });
  root.replaceChildren(form);
  input.focus();
}

function route(): void {
  current?.abort();
  current = new AbortController();
  renderChrome();
  const root = byId('main');
  if (!session) {
    signInView(root);
    return;
  }
  const [name, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const allowed = viewsFor(session);
  const target = ROUTES[name];
  if (!target || !allowed.includes(target.view)) {
    navigate(`#/${allowed[0]}`);
    return;
  }
  root.replaceChildren();
  const ctx: ViewContext = { api, session, signal: current.signal, navigate };
  Promise.resolve(target.render(ctx, root, params)).catch((error: unknown) => {
    root.appendChild(h('p', { class: 'notice error', role: 'alert' }, t('error.generic', { msg: error instanceof Error ? error.message : String(error) })));
  });
}

function signOut(notice?: string): void {
  clearSession();
  session = undefined;
  signInNotice = notice;
  // Cached API answers belong to the person who signed out.
  void caches.delete('rutas-api-v1').catch(() => undefined);
  navigate('#/');
}

/**
 * A stored session is shown at once (a coordinator may be offline), then checked with /me: a
 * revoked token signs out; a changed role, scope or unit re-renders; no answer keeps the session.
 */
function refreshSession(): void {
  const stored = session;
  if (!stored) return;
  whoAmI(stored.token).then(
    (who) => {
      if (session !== stored || sameIdentity(who, stored)) return;
      session = who;
      saveSession(who);
      route();
    },
    (error: unknown) => {
      if (session !== stored || !(error instanceof ApiError) || error.status !== 401) return;
      signOut(t('signin.expired'));
    },
  );
}

function start(): void {
  document.documentElement.lang = getLang();
  byId('lang').addEventListener('click', () => {
    setLang(getLang() === 'es' ? 'en' : 'es');
    route();
  });
  byId('signout').addEventListener('click', () => signOut());
  // The skip link must not touch the hash: the hash is the router's.
  document.querySelector('.skip-link')!.addEventListener('click', (event) => {
    event.preventDefault();
    byId('main').focus();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => void updateNetStatus());
  window.addEventListener('offline', () => void updateNetStatus());
  outboxEvents.addEventListener('change', () => void updateNetStatus());
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  }
  startOutboxSync(api);
  route();
  refreshSession();
}

start();
