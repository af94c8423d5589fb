import { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { evidenceBlobModel, evidenceModel, type EvidenceBlobDoc, type EvidenceDoc } from '../../models/evidence.ts';
import { isDuplicateKey, toValidation } from './common.ts';

export type EvidenceBlob = EvidenceBlobDoc;
export type Evidence = EvidenceDoc;

export const EVIDENCE_BUCKET = 'evidence';

export function evidenceId(planId: string, clues: string, sha256: string): string {
  return `${planId}|${clues}|${sha256}`;
}

export interface NewBlob {
  sha256: string;
  bytes: Buffer;
  thumbnail?: Buffer;
  kind: EvidenceBlobDoc['kind'];
  mime: string;
  ext: string;
  detectedMime: string;
  width?: number;
  height?: number;
}

/**
 * Evidence metadata in `evidence` / `evidence_blobs` and the bytes in GridFS (bucket
 * "evidence", on the connection's own database: works on the embedded server and on Atlas).
 * Blobs are content-addressed; attaching is idempotent by `_id`.
 */
export function createEvidenceRepository(connection: Connection) {
  const Blob = evidenceBlobModel(connection);
  const Evidence = evidenceModel(connection);
  const bucket = (): InstanceType<typeof mongoose.mongo.GridFSBucket> => {
    const db = connection.db;
    if (!db) throw new Error('the database connection is not open');
    return new mongoose.mongo.GridFSBucket(db, { bucketName: EVIDENCE_BUCKET });
  };

  async function upload(name: string, bytes: Buffer, metadata: Record<string, unknown>): Promise<mongoose.mongo.ObjectId> {
    const stream = bucket().openUploadStream(name, { metadata });
    await new Promise<void>((resolve, reject) => {
      Readable.from([bytes]).pipe(stream).on('finish', () => resolve()).on('error', reject);
    });
    return stream.id;
  }

  async function download(id: mongoose.mongo.ObjectId): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of bucket().openDownloadStream(id)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function removeFile(id: mongoose.mongo.ObjectId): Promise<void> {
    await bucket().delete(id).catch(() => undefined);
  }

  return {
    async init(): Promise<void> {
      await Promise.all([Blob.init(), Evidence.init()]);
    },

    async findBlob(sha256: string): Promise<EvidenceBlob | undefined> {
      return (await Blob.findById(sha256).lean<EvidenceBlob>()) ?? undefined;
    },

    /**
     * Stores the bytes once per content hash. Two racing uploads of the same file both write to
     * GridFS; the loser of the unique insert removes its copy and uses the winner's.
     */
    async storeBlob(blob: NewBlob): Promise<{ blob: EvidenceBlob; created: boolean }> {
      const existing = await Blob.findById(blob.sha256).lean<EvidenceBlob>();
      if (existing) return { blob: existing, created: false };
      const gridFsId = await upload(`${blob.sha256}.${blob.ext}`, blob.bytes, { sha256: blob.sha256, mime: blob.mime, role: 'original' });
      const thumbnailGridFsId = blob.thumbnail
        ? await upload(`${blob.sha256}.thumb.jpg`, blob.thumbnail, { sha256: blob.sha256, mime: 'image/jpeg', role: 'thumbnail' })
        : undefined;
      const doc: EvidenceBlob = {
        _id: blob.sha256,
        sha256: blob.sha256,
        gridFsId,
        thumbnailGridFsId,
        kind: blob.kind,
        mime: blob.mime,
        ext: blob.ext,
        sizeBytes: blob.bytes.length,
        detectedMime: blob.detectedMime,
        width: blob.width,
        height: blob.height,
        createdAt: new Date(),
      };
      try {
        await Blob.create(doc);
        return { blob: doc, created: true };
      } catch (error) {
        await removeFile(gridFsId);
        if (thumbnailGridFsId) await removeFile(thumbnailGridFsId);
        if (isDuplicateKey(error)) {
          const winner = await Blob.findById(blob.sha256).lean<EvidenceBlob>();
          if (winner) return { blob: winner, created: false };
        }
        throw toValidation(error);
      }
    },

    async attachOnce(doc: Evidence): Promise<{ evidence: Evidence; created: boolean }> {
      try {
        await Evidence.create(doc);
        return { evidence: doc, created: true };
      } catch (error) {
        if (isDuplicateKey(error)) {
          const existing = await Evidence.findById(doc._id).lean<Evidence>();
          if (existing) return { evidence: existing, created: false };
        }
        throw toValidation(error);
      }
    },

    async findEvidence(planId: string, clues: string, sha256: string): Promise<Evidence | undefined> {
      return (await Evidence.findById(evidenceId(planId, clues, sha256)).lean<Evidence>()) ?? undefined;
    },

    async listByStop(planId: string, clues: string): Promise<Evidence[]> {
      const prefix = `${planId}|${clues}|`;
      return Evidence.find({ _id: { $gte: prefix, $lt: `${planId}|${clues}}` } }).sort({ uploadedAt: 1, _id: 1 }).lean<Evidence[]>();
    },

    async listByPlans(planIds: string[]): Promise<Evidence[]> {
      const lists = await Promise.all(planIds.map((id) => Evidence.find({ _id: { $gte: `${id}|`, $lt: `${id}}` } }).lean<Evidence[]>()));
      return lists.flat();
    },

    async readOriginal(blob: EvidenceBlob): Promise<Buffer> {
      return download(blob.gridFsId);
    },

    async readThumbnail(blob: EvidenceBlob): Promise<Buffer | undefined> {
      return blob.thumbnailGridFsId ? download(blob.thumbnailGridFsId) : undefined;
    },

    /** Opens a stream of the stored bytes (for downloads of large videos). */
    openOriginal(blob: EvidenceBlob): NodeJS.ReadableStream {
      return bucket().openDownloadStream(blob.gridFsId);
    },
  };
}

export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
