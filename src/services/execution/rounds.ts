import { NotFoundError, ValidationError } from '../../errors.ts';
import type { DeliveryRepository } from '../../repositories/deliveries.ts';
import type { EvidenceRepository } from '../../repositories/evidence.ts';
import { inScope, requireAction, visibleStates } from './access.ts';
import type { ExecutionEvents } from './events.ts';
import { reportJpeg } from './media.ts';
import { computeProgress, type RoundProgress } from './progress.ts';
import { REGIONS, regionOf, type Region, type RegionMap } from './regions.ts';
import { buildEvidenceReport, type ReportGroup } from './report-pdf.ts';
import type { Actor, ExecRound, PlanSource } from './types.ts';

export interface RoundExecutionDeps {
  plans: PlanSource;
  deliveries: DeliveryRepository;
  evidence: EvidenceRepository;
  events: ExecutionEvents;
  regions: RegionMap;
  /** How often an open progress stream re-reads the database (changes made by other instances). */
  pollMs: number;
  now?: () => Date;
}

export interface ProgressStream {
  /** Resolves when the stream is stopped (signal aborted). */
  done: Promise<void>;
}

export function createRoundExecutionService(deps: RoundExecutionDeps) {
  const now = deps.now ?? (() => new Date());

  async function round(roundId: string): Promise<ExecRound> {
    const found = await deps.plans.getRound(roundId);
    if (!found) throw new NotFoundError(`No round ${roundId}.`);
    return found;
  }

  /**
   * What progress is computed from, shared by every caller and open stream of a round for a
   * short while (half the poll interval): 64 coordinators watching the same round cost one read
   * of the deliveries, not 64. A change recorded through this instance drops the entry at once.
   */
  const inputs = new Map<string, { at: number; value: Promise<ProgressInputs> }>();
  interface ProgressInputs {
    plans: Awaited<ReturnType<PlanSource['plansOfRound']>>;
    deliveries: Awaited<ReturnType<DeliveryRepository['listByPlans']>>;
    evidenceStops: Set<string>;
  }
  deps.events.subscribeAll((change) => inputs.delete(change.roundId));

  async function readInputs(roundId: string): Promise<ProgressInputs> {
    const plans = await deps.plans.plansOfRound(roundId);
    const planIds = plans.map((plan) => plan.id);
    const [deliveries, evidence] = await Promise.all([deps.deliveries.listByPlans(planIds), deps.evidence.listByPlans(planIds)]);
    return { plans, deliveries, evidenceStops: new Set(evidence.map((e) => `${e.planId}|${e.clues}`)) };
  }

  function cachedInputs(roundId: string): Promise<ProgressInputs> {
    const hit = inputs.get(roundId);
    if (hit && Date.now() - hit.at < deps.pollMs / 2) return hit.value;
    const value = readInputs(roundId);
    inputs.set(roundId, { at: Date.now(), value });
    value.catch(() => inputs.delete(roundId));
    return value;
  }

  async function progress(actor: Actor, roundId: string): Promise<RoundProgress> {
    requireAction(actor, 'read-progress');
    await round(roundId);
    const { plans, deliveries, evidenceStops } = await cachedInputs(roundId);
    const states = visibleStates(actor);
    return computeProgress({
      roundId,
      plans,
      deliveries,
      evidenceStops,
      regions: deps.regions,
      states,
      now: now(),
    });
  }

  return {
    progress,

    /**
     * Streams progress: once at start, then whenever this instance records a change for the
     * round, and at least every `pollMs` when another instance did (sent only if it differs).
     */
    watch(actor: Actor, roundId: string, send: (progress: RoundProgress) => void, signal: AbortSignal, alreadySent = ''): ProgressStream {
      let last = alreadySent;
      let running = false;
      let again = false;
      const refresh = async (): Promise<void> => {
        if (signal.aborted) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            const current = await progress(actor, roundId);
            const { generatedAt: _ignored, ...comparable } = current;
            const text = JSON.stringify(comparable);
            if (text !== last && !signal.aborted) {
              last = text;
              send(current);
            }
          } while (again && !signal.aborted);
        } finally {
          running = false;
        }
      };
      const done = new Promise<void>((resolve) => {
        const unsubscribe = deps.events.subscribe(roundId, () => {
          refresh().catch(() => undefined);
        });
        const timer = setInterval(() => {
          refresh().catch(() => undefined);
        }, deps.pollMs);
        signal.addEventListener(
          'abort',
          () => {
            unsubscribe();
            clearInterval(timer);
            resolve();
          },
          { once: true },
        );
      });
      refresh().catch(() => undefined);
      return { done };
    },

    /** The PDF of photo evidence for a round and region (state tokens: their state only). */
    async evidenceReport(actor: Actor, roundId: string, region: string | undefined, state: string | undefined): Promise<{ pdf: Buffer; fileName: string }> {
      requireAction(actor, 'read-evidence');
      const found = await round(roundId);
      if (region !== undefined && !(REGIONS as readonly string[]).includes(region)) {
        throw new ValidationError('Unknown region.', [{ pointer: '/query/region', detail: `must be one of ${REGIONS.join(', ')}` }], 400);
      }
      const plans = await deps.plans.plansOfRound(roundId);
      const evidence = await deps.evidence.listByPlans(plans.map((plan) => plan.id));
      const photos = evidence.filter(
        (e) =>
          e.kind === 'photo' &&
          inScope(actor, { state: e.state.code, clues: e.clues }) &&
          (state === undefined || e.state.code === state) &&
          (region === undefined || (e.region ?? regionOf(deps.regions, e.state.code)) === (region as Region)),
      );
      photos.sort((a, b) => a.state.name.localeCompare(b.state.name, 'es') || a.day.localeCompare(b.day) || a.unitName.localeCompare(b.unitName, 'es') || a.clues.localeCompare(b.clues) || a.sha256.localeCompare(b.sha256));
      const groups: ReportGroup[] = [];
      for (const photo of photos) {
        const blob = await deps.evidence.findBlob(photo.sha256);
        if (!blob) continue;
        const image = (await deps.evidence.readThumbnail(blob)) ?? (await reportJpeg(await deps.evidence.readOriginal(blob)));
        let group = groups[groups.length - 1];
        if (!group || group.state !== photo.state.name || group.day !== photo.day) {
          group = { state: photo.state.name, day: photo.day, photos: [] };
          groups.push(group);
        }
        group.photos.push({ clues: photo.clues, unitName: photo.unitName, image });
      }
      const label = region ?? (state ? `entidad ${state}` : actor.state ? `entidad ${actor.state}` : 'Nacional');
      const pdf = await buildEvidenceReport({ roundName: found.name, region: label, generatedAt: now(), groups });
      const safe = `${found.name}_${label}`.normalize('NFD').replace(/[^\w.-]+/g, '_');
      return { pdf, fileName: `EVIDENCIAS_${safe}.pdf` };
    },
  };
}

export type RoundExecutionService = ReturnType<typeof createRoundExecutionService>;
