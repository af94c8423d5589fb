import { NotFoundError, ValidationError } from '../../errors.ts';
import type { DeliveryRepository } from '../../repositories/deliveries.ts';
import { evidenceId, type Evidence, type EvidenceBlob, type EvidenceRepository } from '../../repositories/evidence.ts';
import { inScope, requireAction, requireScope } from './access.ts';
import type { ExecutionEvents } from './events.ts';
import { sha256Hex } from './hashing.ts';
import { inspectEvidence, makeThumbnail, type InspectedMedia } from './media.ts';
import type { UploadedFile } from './multipart.ts';
import { locateStop } from './plan-lookup.ts';
import { regionOf, type RegionMap } from './regions.ts';
import { localDay } from './time.ts';
import type { Actor, PlanSource } from './types.ts';

export interface EvidenceView {
  id: string;
  planId: string;
  roundId: string;
  clues: string;
  unitName: string;
  state: { code: string; name: string };
  region: string | null;
  day: string;
  kind: string;
  mime: string;
  sizeBytes: number;
  sha256: string;
  fileName: string | null;
  caption: string | null;
  uploadedAt: string;
  uploadedBy: { name: string | null; role: string | null };
  downloadUrl: string;
  thumbnailUrl: string | null;
}

export interface UploadOutcome {
  status: 200 | 201;
  body: { items: EvidenceView[]; created: number; alreadyStored: number };
}

export function toEvidenceView(doc: Evidence): EvidenceView {
  const base = `/api/v1/plans/${encodeURIComponent(doc.planId)}/stops/${encodeURIComponent(doc.clues)}/evidence/${doc.sha256}`;
  return {
    id: doc.sha256,
    planId: doc.planId,
    roundId: doc.roundId,
    clues: doc.clues,
    unitName: doc.unitName,
    state: { code: doc.state.code, name: doc.state.name },
    region: doc.region ?? null,
    day: doc.day,
    kind: doc.kind,
    mime: doc.mime,
    sizeBytes: doc.sizeBytes,
    sha256: doc.sha256,
    fileName: doc.fileName ?? null,
    caption: doc.caption ?? null,
    uploadedAt: new Date(doc.uploadedAt).toISOString(),
    uploadedBy: { name: doc.uploadedBy.name ?? null, role: doc.uploadedBy.role ?? null },
    downloadUrl: base,
    thumbnailUrl: doc.hasThumbnail ? `${base}/thumbnail` : null,
  };
}

export interface EvidenceServiceDeps {
  plans: PlanSource;
  evidence: EvidenceRepository;
  deliveries: DeliveryRepository;
  events: ExecutionEvents;
  regions: RegionMap;
  maxBytes: number;
  now?: () => Date;
}

interface Prepared {
  file: UploadedFile;
  sha256: string;
  existing?: EvidenceBlob;
  media?: InspectedMedia;
  thumbnail?: Buffer;
}

export function createEvidenceService(deps: EvidenceServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function stopContext(actor: Actor, planId: string, clues: string) {
    const { plan, stop } = await locateStop(deps.plans, planId, clues);
    requireScope(actor, { state: stop.state.code, clues });
    return { plan, stop };
  }

  async function blobFor(actor: Actor, planId: string, clues: string, sha256: string): Promise<{ doc: Evidence; blob: EvidenceBlob }> {
    requireAction(actor, 'read-evidence');
    await stopContext(actor, planId, clues);
    const doc = await deps.evidence.findEvidence(planId, clues, sha256);
    const blob = doc ? await deps.evidence.findBlob(doc.sha256) : undefined;
    if (!doc || !blob) throw new NotFoundError(`No evidence ${sha256} for ${clues} in plan ${planId}.`);
    return { doc, blob };
  }

  return {
    /**
     * Validates every file first (nothing is stored when one is bad), then stores each blob once
     * by content hash and attaches it to the stop once. Retrying the same upload changes nothing.
     */
    async upload(actor: Actor, planId: string, clues: string, files: UploadedFile[], fields: Record<string, string>): Promise<UploadOutcome> {
      requireAction(actor, 'upload-evidence');
      const { plan, stop } = await stopContext(actor, planId, clues);
      if (files.length === 0) {
        throw new ValidationError('No file in the upload.', [{ pointer: '/body/file', detail: 'attach at least one file (field "file")' }]);
      }
      const prepared: Prepared[] = [];
      for (const file of files) {
        const sha256 = sha256Hex(file.bytes);
        const existing = file.bytes.length > 0 && file.bytes.length <= deps.maxBytes ? await deps.evidence.findBlob(sha256) : undefined;
        if (existing) {
          prepared.push({ file, sha256, existing });
          continue;
        }
        const media = await inspectEvidence(file.bytes, deps.maxBytes, file.fileName || undefined);
        prepared.push({ file, sha256, media, thumbnail: await makeThumbnail(media) });
      }
      const delivery = await deps.deliveries.find(planId, clues);
      const day = delivery?.day ?? stop.date ?? localDay(now());
      const caption = fields.caption?.trim() || undefined;
      const items: EvidenceView[] = [];
      let created = 0;
      for (const item of prepared) {
        const blob =
          item.existing ??
          (
            await deps.evidence.storeBlob({
              sha256: item.sha256,
              bytes: item.media!.bytes,
              thumbnail: item.thumbnail,
              kind: item.media!.kind,
              mime: item.media!.mime,
              ext: item.media!.ext,
              detectedMime: item.media!.detectedMime,
              width: item.media!.width,
              height: item.media!.height,
            })
          ).blob;
        const attached = await deps.evidence.attachOnce({
          _id: evidenceId(planId, clues, item.sha256),
          planId,
          roundId: plan.roundId,
          clues,
          unitName: stop.name,
          state: stop.state,
          region: regionOf(deps.regions, stop.state.code),
          day,
          sha256: item.sha256,
          kind: blob.kind,
          mime: blob.mime,
          sizeBytes: blob.sizeBytes,
          fileName: item.file.fileName ? item.file.fileName.slice(0, 200) : undefined,
          caption,
          hasThumbnail: blob.thumbnailGridFsId !== undefined && blob.thumbnailGridFsId !== null,
          uploadedBy: { tokenId: actor.tokenId, name: actor.name, role: actor.role },
          uploadedAt: now(),
        });
        if (attached.created) created += 1;
        items.push(toEvidenceView(attached.evidence));
      }
      if (created > 0) deps.events.publish({ kind: 'evidence', roundId: plan.roundId, planId, clues, at: now() });
      return { status: created > 0 ? 201 : 200, body: { items, created, alreadyStored: items.length - created } };
    },

    /** Evidence of a round (gallery), newest first, limited to the caller's scope. */
    async listRound(actor: Actor, roundId: string, filter: { state?: string; day?: string; clues?: string; limit: number }): Promise<{ items: EvidenceView[]; total: number }> {
      requireAction(actor, 'read-evidence');
      if (!(await deps.plans.getRound(roundId))) throw new NotFoundError(`No round ${roundId}.`);
      const plans = await deps.plans.plansOfRound(roundId);
      const all = (await deps.evidence.listByPlans(plans.map((plan) => plan.id))).filter(
        (e) =>
          inScope(actor, { state: e.state.code, clues: e.clues }) &&
          (filter.state === undefined || e.state.code === filter.state) &&
          (filter.day === undefined || e.day === filter.day) &&
          (filter.clues === undefined || e.clues === filter.clues),
      );
      all.sort((a, b) => new Date(b.uploadedAt).getTime() - new Date(a.uploadedAt).getTime() || (a._id < b._id ? -1 : 1));
      return { items: all.slice(0, filter.limit).map(toEvidenceView), total: all.length };
    },

    async list(actor: Actor, planId: string, clues: string): Promise<EvidenceView[]> {
      requireAction(actor, 'read-evidence');
      await stopContext(actor, planId, clues);
      return (await deps.evidence.listByStop(planId, clues)).map(toEvidenceView);
    },

    async download(actor: Actor, planId: string, clues: string, sha256: string): Promise<{ mime: string; fileName: string; sizeBytes: number; stream: NodeJS.ReadableStream }> {
      const { doc, blob } = await blobFor(actor, planId, clues, sha256);
      return { mime: blob.mime, fileName: `${doc.clues}-${doc.day}-${sha256.slice(0, 12)}.${blob.ext}`, sizeBytes: blob.sizeBytes, stream: deps.evidence.openOriginal(blob) };
    },

    async thumbnail(actor: Actor, planId: string, clues: string, sha256: string): Promise<Buffer> {
      const { blob } = await blobFor(actor, planId, clues, sha256);
      const bytes = await deps.evidence.readThumbnail(blob);
      if (!bytes) throw new NotFoundError(`Evidence ${sha256} is a ${blob.kind}; thumbnails exist for photos only.`);
      return bytes;
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
