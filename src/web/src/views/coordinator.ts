import { itemsOf, newKey } from '../api.ts';
import { h, toast } from '../dom.ts';
import { t } from '../i18n.ts';
import { discard, enqueue, flushOutbox, listOutbox, outboxEvents, type OutboxItem } from '../queue.ts';
import { arr, problemNotice, stateOf, str, type Json, type ViewContext } from '../context.ts';
import { clock, dateOnly, stateSelect } from './common.ts';
import { planPicker } from './warehouse.ts';

const REASONS = ['closed', 'no-receiver', 'refused', 'access', 'security', 'weather', 'vehicle', 'out-of-time', 'other'];
const REASON_LABELS: Record<string, [string, string]> = {
  closed: ['Unidad cerrada', 'Unit closed'],
  'no-receiver': ['Nadie para recibir', 'Nobody to receive'],
  'out-of-time': ['Fuera de horario', 'Out of time'],
  access: ['Sin acceso / camino', 'No access / road'],
  refused: ['Rechazado por la unidad', 'Refused by the unit'],
  vehicle: ['Falla del vehículo', 'Vehicle breakdown'],
  weather: ['Clima', 'Weather'],
  security: ['Inseguridad', 'Security'],
  other: ['Otro', 'Other'],
};

const LAST_PLAN = 'rutas.coordinator.plan';

export async function coordinatorView(ctx: ViewContext, root: HTMLElement, params: string[]): Promise<void> {
  const planId = params[0] ?? sessionStorage.getItem(LAST_PLAN) ?? undefined;
  const dateInput = h('input', { type: 'date', id: 'c-date', value: params[1] ?? '' });
  const state = stateSelect('c-state', ctx.session.state);
  if (ctx.session.state) state.disabled = true;
  const routesSlot = h('div', { id: 'c-routes' });
  const queueSlot = h('section', { class: 'card', id: 'outbox', 'aria-live': 'polite' });
  root.append(
    h('h1', null, t('coord.title')),
    h(
      'div',
      { class: 'card row' },
      await planPicker(ctx, planId, (id) => {
        sessionStorage.setItem(LAST_PLAN, id);
        ctx.navigate(`#/coordinator/${encodeURIComponent(id)}`);
      }),
      h('label', null, t('coord.date'), dateInput),
      h('label', null, t('coord.state'), state),
    ),
    queueSlot,
    routesSlot,
  );

  const renderQueue = async (): Promise<void> => {
    const items = await listOutbox();
    const pending = items.filter((i) => i.status === 'pending');
    queueSlot.dataset.pending = String(pending.length);
    queueSlot.replaceChildren(
      h('h2', null, `${t('coord.queue')} (${pending.length})`),
      items.length === 0
        ? h('p', { class: 'muted', id: 'queue-empty' }, t('coord.queueEmpty'))
        : h(
            'ul',
            { class: 'queue' },
            items.map((i) => h('li', { dataset: { kind: i.kind, status: i.status } }, describe(i), ' ', h('span', { class: `badge ${i.status === 'rejected' ? 'bad' : 'warn'}` }, i.status === 'rejected' ? t('queue.rejected', { msg: i.lastError ?? '' }) : t('queue.waiting')), i.attempts ? ` · ${t('queue.attempts', { n: i.attempts })}` : '', i.status === 'rejected' ? h('button', { type: 'button', class: 'secondary', onclick: () => void discard(i.id) }, '✕') : null)),
          ),
      h('button', { type: 'button', class: 'secondary', id: 'sync-now', onclick: () => void flushOutbox(ctx.api).then((n) => n && toast(`${t('coord.sent')}: ${n}`)) }, t('coord.syncNow')),
    );
  };
  const onChange = (): void => void renderQueue();
  outboxEvents.addEventListener('change', onChange);
  ctx.signal.addEventListener('abort', () => outboxEvents.removeEventListener('change', onChange));
  await renderQueue();

  if (!planId) return;
  let routes: Json[];
  try {
    routes = itemsOf<Json>(await ctx.api.get(`plans/${encodeURIComponent(planId)}/routes`, ctx.signal));
  } catch (error) {
    routesSlot.replaceChildren(problemNotice(error, 'GET /api/v1/plans/{id}/routes'));
    return;
  }
  const stopDay = (s: Json, r: Json): string => dateOnly(s.date ?? s.day ?? r.startDate ?? r.day ?? r.date);
  const days = [...new Set(routes.flatMap((r) => arr(r.stops).map((s) => stopDay(s, r))))].sort();
  const today = new Date().toISOString().slice(0, 10);
  if (!dateInput.value) dateInput.value = days.includes(today) ? today : (days[0] ?? today);

  // Stops recorded from this device: still in the outbox, or already accepted by the server.
  let pendingStops = new Set<string>();
  const sentStops = new Set<string>();
  const draw = (): void => {
    const day = dateInput.value;
    const code = state.value;
    const blocks: HTMLElement[] = [];
    for (const r of routes) {
      const stops = arr(r.stops).filter((s) => stopDay(s, r) === day && (!code || (stateOf(s.state ?? r.state).code || code) === code));
      if (stops.length === 0) continue;
      blocks.push(
        h(
          'section',
          { class: 'card', dataset: { vehicle: str(r.vehicleId), route: str(r.routeKey, '') } },
          h('h2', null, `${r.number !== undefined ? `${t('plan.route')} ${str(r.number)} · ` : ''}${t('plan.vehicle')} ${str(r.vehicleName, str(r.vehicleId))} · ${day}`),
          h(
            'ul',
            { class: 'stop-list' },
            stops.map((s) => {
              const clues = str(s.clues);
              const done = str(s.status, '') === 'delivered' || s.delivered === true || Boolean(s.delivery) || sentStops.has(clues);
              const pending = pendingStops.has(clues);
              return h(
                'li',
                { dataset: { clues } },
                h('strong', null, `${clock(s.eta ?? s.arrival ?? s.arrivalMin)} · ${str(s.name ?? s.unitName)}`),
                ` (${clues}) `,
                pending ? h('span', { class: 'badge warn', dataset: { pending: clues } }, t('coord.pending')) : done ? h('span', { class: 'badge ok', dataset: { done: clues } }, t('coord.stopDone')) : null,
                ' ',
                h('button', { type: 'button', class: 'primary', dataset: { record: clues }, onclick: () => openDeliveryDialog(ctx, planId, clues, str(s.name ?? s.unitName)) }, t('coord.record')),
              );
            }),
          ),
        ),
      );
    }
    routesSlot.replaceChildren(...(blocks.length ? blocks : [h('p', { class: 'muted' }, t('coord.noRoutes'))]));
  };
  const refreshBadges = async (): Promise<void> => {
    const items = await listOutbox();
    const now = new Set(items.filter((i) => i.kind === 'delivery').map((i) => i.clues));
    for (const clues of pendingStops) if (!now.has(clues)) sentStops.add(clues);
    pendingStops = now;
    draw();
  };
  const onOutbox = (): void => void refreshBadges();
  outboxEvents.addEventListener('change', onOutbox);
  ctx.signal.addEventListener('abort', () => outboxEvents.removeEventListener('change', onOutbox));
  dateInput.addEventListener('change', draw);
  state.addEventListener('change', draw);
  await refreshBadges();
}

function describe(item: OutboxItem): string {
  return item.kind === 'delivery' ? t('queue.delivery', { clues: item.clues }) : t('queue.evidence', { clues: item.clues, name: item.fileName ?? '' });
}

function openDeliveryDialog(ctx: ViewContext, planId: string, clues: string, name: string): void {
  const en = document.documentElement.lang === 'en';
  const yes = h('input', { type: 'radio', name: 'delivered', value: 'yes', checked: true, id: 'd-yes' });
  const no = h('input', { type: 'radio', name: 'delivered', value: 'no', id: 'd-no' });
  const reason = h('select', { id: 'd-reason', disabled: true }, REASONS.map((r) => h('option', { value: r }, REASON_LABELS[r][en ? 1 : 0])));
  const receivedBy = h('input', { id: 'd-received', autocomplete: 'name', required: true });
  const files = h('input', { id: 'd-files', type: 'file', multiple: true, accept: 'image/*,application/pdf,video/mp4,video/quicktime', capture: 'environment' });
  const toggle = (): void => {
    reason.disabled = !no.checked;
    receivedBy.required = yes.checked;
  };
  yes.addEventListener('change', toggle);
  no.addEventListener('change', toggle);
  const dialog = h('dialog', { 'aria-labelledby': 'd-title', id: 'delivery-dialog' });
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'd-title' }, `${t('coord.record')}: ${name} (${clues})`),
    h('fieldset', null, h('legend', null, t('coord.delivered')), h('label', { class: 'inline' }, yes, t('coord.yes')), h('label', { class: 'inline' }, no, t('coord.no'))),
    h('label', null, t('coord.reason'), reason),
    h('label', null, t('coord.receivedBy'), receivedBy),
    h('label', null, t('coord.files'), files),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'd-save' }, t('coord.save')), h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, t('coord.cancel'))),
  );
  dialog.appendChild(form);
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const delivered = yes.checked;
    // The time is taken now, when it happened, not when the outbox manages to send it.
    const deliveredAt = new Date().toISOString();
    const body: Json = delivered ? { delivered: true, receivedBy: receivedBy.value.trim(), deliveredAt } : { delivered: false, reason: reason.value, deliveredAt };
    if (!delivered && receivedBy.value.trim()) body.receivedBy = receivedBy.value.trim();
    const chosen = [...(files.files ?? [])];
    void (async () => {
      // Written to IndexedDB before anything is sent: nothing recorded is lost if the tab closes.
      await enqueue({ id: newKey(), kind: 'delivery', planId, clues, body });
      for (const file of chosen) await enqueue({ id: newKey(), kind: 'evidence', planId, clues, file, fileName: file.name });
      dialog.close();
      toast(t('coord.saved'));
      if (navigator.onLine) await flushOutbox(ctx.api);
    })().catch((error: unknown) => toast(t('error.generic', { msg: error instanceof Error ? error.message : String(error) })));
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  receivedBy.focus();
}
