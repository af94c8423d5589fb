import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Remembers a write made under an Idempotency-Key. `_id` is "<scope>|<key>" (scope e.g.
 * "stock-report:<CLUES>"), also guarded by a unique (scope, key) index: the first request
 * inserts it ('pending'), concurrent ones lose the insert and wait for 'done'.
 */
export interface IdempotencyRecordDoc {
  _id: string;
  scope: string;
  key: string;
  bodyHash: string;
  status: 'pending' | 'done';
  response?: { status: number; resourceId?: string; body?: unknown };
  createdAt: Date;
  completedAt?: Date;
}

export function idempotencyRecordId(scope: string, key: string): string {
  return `${scope}|${key}`;
}

export const idempotencyRecordSchema = new Schema<IdempotencyRecordDoc>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    key: { type: String, required: true },
    bodyHash: { type: String, required: true },
    status: { type: String, enum: ['pending', 'done'], required: true, default: 'pending' },
    response: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true, default: () => new Date() },
    completedAt: { type: Date },
  },
  { collection: 'idempotency_records', id: false, versionKey: false },
);
idempotencyRecordSchema.index({ scope: 1, key: 1 }, { unique: true });

export type IdempotencyRecordModel = Model<IdempotencyRecordDoc>;
export function idempotencyRecordModel(connection: Connection): IdempotencyRecordModel {
  return (
    (connection.models.IdempotencyRecord as IdempotencyRecordModel | undefined) ??
    connection.model<IdempotencyRecordDoc>('IdempotencyRecord', idempotencyRecordSchema)
  );
}
