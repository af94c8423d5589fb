import PDFDocument from 'pdfkit';
import sharp from 'sharp';

/** Evidence samples built at test time (no binary fixtures in the repository). */

export async function jpeg(color = '#c0392b', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).jpeg({ quality: 90 }).toBuffer();
}

export async function png(color = '#27ae60'): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 4, background: color } }).png().toBuffer();
}

export async function webp(color = '#2980b9'): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: color } }).webp().toBuffer();
}

export function pdf(text = 'Acta de entrega'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  doc.end();
  return done;
}

function box(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/** A structurally complete ISO-BMFF file: ftyp with the brand, an (empty) moov and mdat. */
export function isoMedia(brand: string): Buffer {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from(brand, 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from(brand, 'latin1'), Buffer.from('isom', 'latin1')]));
  const mvhd = box('mvhd', Buffer.alloc(100));
  return Buffer.concat([ftyp, box('moov', mvhd), box('mdat', Buffer.alloc(64, 7))]);
}

export const mp4 = (): Buffer => isoMedia('isom');
export const mov = (): Buffer => isoMedia('qt  ');
/** HEIC container brand with no decodable image inside (no HEVC encoder offline). */
export const fakeHeic = (): Buffer => isoMedia('heic');

/** A minimal ELF executable header (what a renamed binary looks like). */
export function elfExecutable(): Buffer {
  const bytes = Buffer.alloc(256, 0);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(bytes, 0);
  bytes.writeUInt16LE(2, 16); // ET_EXEC
  bytes.writeUInt16LE(0x3e, 18); // x86-64
  bytes.writeUInt32LE(1, 20);
  return bytes;
}
