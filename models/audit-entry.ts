import { Schema, Types, type Connection, type Model } from 'mongoose';

/** One write request (POST/PUT/PATCH/DELETE) under /api/v1: who, when, what, and its outcome. */
export interface AuditEntryDoc {
  _id: Types.ObjectId;
  at: Date;
  method: string;
  path: string;
  /** The OpenAPI operation, when matched (e.g. "createStockReport"). */
  operationId?: string;
  status: number;
  tokenId?: string;
  tokenName?: string;
  role?: string;
  state?: string;
  unitClues?: string;
  /** Id of the resource created or changed, when known. */
  resourceId?: string;
  requestId?: string;
  durationMs?: number;
}

export const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    at: { type: Date, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    operationId: { type: String },
    status: { type: Number, required: true },
    tokenId: { type: String },
    tokenName: { type: String },
    role: { type: String },
    state: { type: String },
    unitClues: { type: String },
    resourceId: { type: String },
    requestId: { type: String },
    durationMs: { type: Number },
  },
  { collection: 'audit_entries', id: false, versionKey: false },
);

export type AuditEntryModel = Model<AuditEntryDoc>;
export function auditEntryModel(connection: Connection): AuditEntryModel {
  return (connection.models.AuditEntry as AuditEntryModel | undefined) ?? connection.model<AuditEntryDoc>('AuditEntry', auditEntrySchema);
}
