import { Schema, type Connection, type Model } from 'mongoose';

export interface KitLine {
  /** Item code (clave). */
  code: string;
  /** Pieces for 30 days (integer ≥ 0). */
  quantity: number;
}

/** The 30-day kit of one size class. `_id` IS the size class, duplicated in `sizeClass` (unique). */
export interface KitTemplateDoc {
  _id: string;
  sizeClass: string;
  description?: string;
  coverageDays: number;
  lines: KitLine[];
  createdAt: Date;
  updatedAt: Date;
}

export const kitTemplateSchema = new Schema<KitTemplateDoc>(
  {
    _id: { type: String, required: true },
    sizeClass: { type: String, required: true, unique: true, trim: true },
    description: { type: String },
    coverageDays: { type: Number, min: 1, default: 30 },
    lines: {
      type: [
        new Schema<KitLine>(
          {
            code: { type: String, required: true },
            quantity: { type: Number, required: true, min: 0, validate: { validator: Number.isInteger, message: 'quantity must be an integer' } },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { timestamps: true, collection: 'kit_templates', id: false, versionKey: false },
);

kitTemplateSchema.pre('validate', function setIdFromSizeClass() {
  if (this._id === undefined || this._id === null) this._id = this.sizeClass;
});

export type KitTemplateModel = Model<KitTemplateDoc>;
export function kitTemplateModel(connection: Connection): KitTemplateModel {
  return (connection.models.KitTemplate as KitTemplateModel | undefined) ?? connection.model<KitTemplateDoc>('KitTemplate', kitTemplateSchema);
}
