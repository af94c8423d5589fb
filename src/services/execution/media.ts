import { fileTypeFromBuffer } from 'file-type';
import convertHeic from 'heic-convert';
import sharp from 'sharp';
import { PayloadTooLargeError, ValidationError } from '../../errors.ts';

/**
 * What an evidence file really is, decided from its bytes only: the client's file name and
 * Content-Type are never trusted (an executable renamed photo.jpg is rejected). HEIC photos are
 * converted to JPEG so every browser and the PDF report can show them.
 */

export const EVIDENCE_KINDS = ['photo', 'video', 'document'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

interface AcceptedType {
  kind: EvidenceKind;
  mime: string;
  ext: string;
}

/** Types accepted, keyed by the MIME type file-type reports from the bytes. */
const ACCEPTED: Record<string, AcceptedType> = {
  'image/jpeg': { kind: 'photo', mime: 'image/jpeg', ext: 'jpg' },
  'image/png': { kind: 'photo', mime: 'image/png', ext: 'png' },
  'image/webp': { kind: 'photo', mime: 'image/webp', ext: 'webp' },
  'image/heic': { kind: 'photo', mime: 'image/heic', ext: 'heic' },
  'image/heif': { kind: 'photo', mime: 'image/heic', ext: 'heic' },
  'image/heic-sequence': { kind: 'photo', mime: 'image/heic', ext: 'heic' },
  'image/heif-sequence': { kind: 'photo', mime: 'image/heic', ext: 'heic' },
  'video/mp4': { kind: 'video', mime: 'video/mp4', ext: 'mp4' },
  'video/quicktime': { kind: 'video', mime: 'video/quicktime', ext: 'mov' },
  'application/pdf': { kind: 'document', mime: 'application/pdf', ext: 'pdf' },
};

export const ACCEPTED_DESCRIPTION = 'JPEG, PNG, WebP, HEIC photos; MP4, MOV videos; PDF documents';

export interface InspectedMedia {
  kind: EvidenceKind;
  /** MIME type of the stored bytes (HEIC is stored as its JPEG conversion). */
  mime: string;
  ext: string;
  /** The bytes to store: the original, or the JPEG converted from HEIC. */
  bytes: Buffer;
  /** MIME type detected in the uploaded bytes before any conversion. */
  detectedMime: string;
  width?: number;
  height?: number;
}

function mediaProblem(detail: string, fileName: string | undefined): ValidationError {
  return new ValidationError(detail, [{ pointer: '/body/file', detail: fileName ? `${fileName}: ${detail}` : detail }]);
}

/**
 * ISO base media (MP4/MOV/HEIC): the top-level boxes must tile the file exactly. A file cut
 * short by a dropped connection ends inside a box, which this catches without a video decoder.
 */
export function isoBoxesComplete(bytes: Buffer): { complete: boolean; boxes: string[] } {
  const boxes: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) return { complete: false, boxes };
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > bytes.length) return { complete: false, boxes };
      const large = bytes.readBigUInt64BE(offset + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return { complete: false, boxes };
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      // "extends to the end of the file": only legal for the last box.
      size = bytes.length - offset;
    }
    if (size < header || offset + size > bytes.length) return { complete: false, boxes };
    boxes.push(type);
    offset += size;
  }
  return { complete: boxes.length > 0, boxes };
}

/** A PDF must start with its header and end with an end-of-file marker in its last kilobyte. */
export function pdfComplete(bytes: Buffer): boolean {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return false;
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
  return tail.includes('%%EOF');
}

async function decodeImage(bytes: Buffer): Promise<{ width: number; height: number }> {
  // failOn 'truncated' makes a cut-off JPEG/PNG/WebP an error instead of a grey half image.
  const { info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: 100_000_000 }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height };
}

/**
 * Checks an uploaded file and returns what to store. Throws 413 when too large, 422 when empty,
 * not an accepted type (read from the bytes), truncated or undecodable.
 */
export async function inspectEvidence(bytes: Buffer, maxBytes: number, fileName?: string): Promise<InspectedMedia> {
  if (bytes.length === 0) throw mediaProblem('The file is empty.', fileName);
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`The file is larger than the ${maxBytes} bytes allowed for one evidence file.`);
  }
  const detected = await fileTypeFromBuffer(bytes);
  const accepted = detected ? ACCEPTED[detected.mime] : undefined;
  if (!detected || !accepted) {
    // What a file part holds is checked like any other field of a well-formed request: 422, as
    // for schema-valid but invalid data everywhere in the API. 415 stays for a request body that
    // is not multipart/form-data at all.
    const what = detected ? `${detected.mime} content` : 'content of no recognisable format';
    throw new ValidationError(
      `The file holds ${what}; accepted: ${ACCEPTED_DESCRIPTION}. The type is read from the bytes, not from the name or Content-Type.`,
      [{ pointer: '/body/file', detail: fileName ? `${fileName}: not an accepted type` : 'not an accepted type' }],
    );
  }
  if (accepted.mime === 'image/heic') {
    if (!isoBoxesComplete(bytes).complete) throw mediaProblem('The HEIC photo is truncated.', fileName);
    let jpeg: Buffer;
    try {
      jpeg = Buffer.from(await convertHeic({ buffer: bytes, format: 'JPEG', quality: 0.9 }));
    } catch {
      throw mediaProblem('The HEIC photo could not be decoded (damaged or truncated).', fileName);
    }
    const size = await decodeImage(jpeg);
    return { kind: 'photo', mime: 'image/jpeg', ext: 'jpg', bytes: jpeg, detectedMime: accepted.mime, ...size };
  }
  if (accepted.kind === 'photo') {
    let size: { width: number; height: number };
    try {
      size = await decodeImage(bytes);
    } catch {
      throw mediaProblem('The photo could not be decoded (damaged or truncated).', fileName);
    }
    return { ...accepted, bytes, detectedMime: accepted.mime, ...size };
  }
  if (accepted.kind === 'video') {
    const { complete, boxes } = isoBoxesComplete(bytes);
    if (!complete) throw mediaProblem('The video is truncated.', fileName);
    if (!boxes.includes('moov')) throw mediaProblem('The video has no movie header (moov box); it is incomplete.', fileName);
    return { ...accepted, bytes, detectedMime: accepted.mime };
  }
  if (!pdfComplete(bytes)) throw mediaProblem('The PDF is truncated (no end-of-file marker).', fileName);
  return { ...accepted, bytes, detectedMime: accepted.mime };
}

export const THUMBNAIL_WIDTH_PX = 320;

/** A JPEG thumbnail for lists; undefined for videos and documents. */
export async function makeThumbnail(media: InspectedMedia): Promise<Buffer | undefined> {
  if (media.kind !== 'photo') return undefined;
  return sharp(media.bytes, { failOn: 'truncated' })
    .rotate()
    .resize({ width: THUMBNAIL_WIDTH_PX, height: THUMBNAIL_WIDTH_PX, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 75 })
    .toBuffer();
}

/** A JPEG (any photo) suitable for embedding in the PDF report, at most `maxWidthPx` wide. */
export async function reportJpeg(bytes: Buffer, maxWidthPx = 800): Promise<Buffer> {
  return sharp(bytes).rotate().resize({ width: maxWidthPx, height: maxWidthPx, fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer();
}
