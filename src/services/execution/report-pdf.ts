import PDFDocument from 'pdfkit';

/**
 * The evidence presentation the operation builds by hand today: 8 photos a page, each captioned
 * with the unit's name and CLUES, grouped by state and day, for one round and region.
 */

export interface ReportPhoto {
  clues: string;
  unitName: string;
  /** A JPEG or PNG (the service converts everything to a small JPEG first). */
  image: Buffer;
}

export interface ReportGroup {
  state: string;
  day: string;
  photos: ReportPhoto[];
}

export interface ReportInput {
  roundName: string;
  region: string;
  generatedAt: Date;
  groups: ReportGroup[];
}

export const PHOTOS_PER_PAGE = 8;
const COLUMNS = 4;
const ROWS = 2;

/** Pages the report will have: a cover plus ceil(photos / 8) per state-day group. */
export function reportPageCount(groups: readonly ReportGroup[]): number {
  return 1 + groups.reduce((sum, group) => sum + Math.ceil(group.photos.length / PHOTOS_PER_PAGE), 0);
}

export function buildEvidenceReport(input: ReportInput): Promise<Buffer> {
  // Landscape letter, like the slides the operation presents.
  const doc = new PDFDocument({ size: 'LETTER', layout: 'landscape', margin: 36, info: { Title: `Evidencias ${input.roundName} ${input.region}`, Author: 'Rutas de la Salud' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 72;
  const totalPhotos = input.groups.reduce((sum, group) => sum + group.photos.length, 0);
  doc.fontSize(22).text('Evidencias de entrega', { align: 'center' });
  doc.moveDown(0.5).fontSize(16).text(input.roundName, { align: 'center' });
  doc.moveDown(0.3).fontSize(14).text(`Región ${input.region}`, { align: 'center' });
  doc.moveDown(1).fontSize(11).text(`${totalPhotos} fotografías · ${input.groups.length} grupos por entidad y día`, { align: 'center' });
  doc.moveDown(0.3).text(`Generado ${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`, { align: 'center' });
  if (totalPhotos === 0) doc.moveDown(2).fontSize(13).text('No hay fotografías de entrega para esta región todavía.', { align: 'center' });

  const cellWidth = width / COLUMNS;
  const top = 36 + 40;
  const cellHeight = (doc.page.height - top - 36) / ROWS;
  const captionHeight = 28;
  for (const group of input.groups) {
    for (let start = 0; start < group.photos.length; start += PHOTOS_PER_PAGE) {
      doc.addPage();
      const pageNumber = Math.floor(start / PHOTOS_PER_PAGE) + 1;
      const pages = Math.ceil(group.photos.length / PHOTOS_PER_PAGE);
      doc.fontSize(14).text(`${group.state} · ${group.day}`, 36, 36, { width, continued: false });
      doc.fontSize(9).text(`${input.roundName} · Región ${input.region} · ${pageNumber}/${pages}`, 36, 56, { width });
      group.photos.slice(start, start + PHOTOS_PER_PAGE).forEach((photo, index) => {
        const x = 36 + (index % COLUMNS) * cellWidth;
        const y = top + Math.floor(index / COLUMNS) * cellHeight;
        try {
          doc.image(photo.image, x + 4, y + 4, { fit: [cellWidth - 8, cellHeight - captionHeight - 8], align: 'center', valign: 'center' });
        } catch {
          doc.fontSize(9).text('(imagen no disponible)', x + 4, y + cellHeight / 2, { width: cellWidth - 8, align: 'center' });
        }
        doc.fontSize(8).text(`${photo.unitName}\n${photo.clues}`, x + 4, y + cellHeight - captionHeight, { width: cellWidth - 8, align: 'center', height: captionHeight, ellipsis: true });
      });
    }
  }
  doc.end();
  return done;
}
