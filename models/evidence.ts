import { Schema, Types, type Connection, type Model } from 'mongoose';
import { stateRefSchema, type StateRef } from './common.ts';

export const EVIDENCE_KINDS = ['photo', 'video', 'document'] as const;
export type EvidenceKindName = (typeof EVIDENCE_KINDS)[number];

/**
 * One stored evidence file, content-addressed: `_id` (and the unique `sha256`) is the SHA-256
 * of the stored bytes, so the same photo uploaded twice — from a retry or from two coordinators —
 * is stored once in GridFS (bucket "evidence"). HEIC uploads are stored as their JPEG.
 */
export interface EvidenceBlobDoc {
  _id: string;
  sha256: string;
  gridFsId: Types.ObjectId;
  thumbnailGridFsId?: Types.ObjectId;
  kind: EvidenceKindName;
  mime: string;
  ext: string;
  sizeBytes: number;
  /** Type read from the uploaded bytes (e.g. image/heic when converted). */
  detectedMime: string;
  width?: number;
  height?: number;
  createdAt: Date;
}

export const evidenceBlobSchema = new Schema<EvidenceBlobDoc>(
  {
    _id: { type: String, required: true },
    sha256: { type: String, required: true, unique: true, match: /^[0-9a-f]{64}$/ },
    gridFsId: { type: Schema.Types.ObjectId, required: true },
    thumbnailGridFsId: { type: Schema.Types.ObjectId },
    kind: { type: String, enum: EVIDENCE_KINDS, required: true },
    mime: { type: String, required: true },
    ext: { type: String, required: true },
    sizeBytes: { type: Number, required: true, min: 1 },
    detectedMime: { type: String, required: true },
    width: { type: Number },
    height: { type: Number },
    createdAt: { type: Date, required: true },
  },
  { collection: 'evidence_blobs', id: false, versionKey: false },
);

export interface EvidenceUploader {
  tokenId?: string;
  name?: string;
  role?: string;
}

/**
 * A file attached as evidence to one stop of a plan. `_id` is "<planId>|<CLUES>|<sha256>":
 * attaching the same bytes to the same stop again is a no-op, which makes uploads safe to retry.
 * Carries what the operation files evidence by: round, state, day, CLUES, who and when.
 */
export interface EvidenceDoc {
  _id: string;
  planId: string;
  roundId: string;
  clues: string;
  unitName: string;
  state: StateRef;
  region?: string;
  /** Local ISO date of the visit (delivery day, else the planned day, else upload day). */
  day: string;
  sha256: string;
  kind: EvidenceKindName;
  mime: string;
  sizeBytes: number;
  fileName?: string;
  caption?: string;
  hasThumbnail: boolean;
  uploadedBy: EvidenceUploader;
  uploadedAt: Date;
}

export const evidenceSchema = new Schema<EvidenceDoc>(
  {
    _id: { type: String, required: true },
    planId: { type: String, required: true },
    roundId: { type: String, required: true },
    clues: { type: String, required: true },
    unitName: { type: String, required: true },
    state: { type: stateRefSchema, required: true },
    region: { type: String },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    sha256: { type: String, required: true },
    kind: { type: String, enum: EVIDENCE_KINDS, required: true },
    mime: { type: String, required: true },
    sizeBytes: { type: Number, required: true },
    fileName: { type: String },
    caption: { type: String, trim: true },
    hasThumbnail: { type: Boolean, required: true },
    uploadedBy: { type: new Schema<EvidenceUploader>({ tokenId: String, name: String, role: String }, { _id: false }), required: true },
    uploadedAt: { type: Date, required: true },
  },
  { collection: 'evidence', id: false, versionKey: false },
);
evidenceSchema.index({ planId: 1, clues: 1, sha256: 1 }, { unique: true });

export type EvidenceBlobModel = Model<EvidenceBlobDoc>;
export type EvidenceModel = Model<EvidenceDoc>;
export function evidenceBlobModel(connection: Connection): EvidenceBlobModel {
  return (connection.models.EvidenceBlob as EvidenceBlobModel | undefined) ?? connection.model<EvidenceBlobDoc>('EvidenceBlob', evidenceBlobSchema);
}
export function evidenceModel(connection: Connection): EvidenceModel {
  return (connection.models.Evidence as EvidenceModel | undefined) ?? connection.model<EvidenceDoc>('Evidence', evidenceSchema);
}
