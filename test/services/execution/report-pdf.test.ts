import { expect } from 'chai';
import { buildEvidenceReport, reportPageCount, type ReportGroup } from '../../../src/services/execution/report-pdf.ts';
import { jpeg } from './samples.ts';

function pages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

describe('evidence report PDF', () => {
  it('puts 8 photos on a page, one page run per state and day, after a cover', async () => {
    const photo = await jpeg();
    const group = (state: string, day: string, n: number): ReportGroup => ({
      state,
      day,
      photos: Array.from({ length: n }, (_, i) => ({ clues: `CL${i}`, unitName: `Unidad ${i}`, image: photo })),
    });
    const groups = [group('Chiapas', '2026-11-23', 9), group('Chiapas', '2026-11-24', 8), group('Oaxaca', '2026-11-23', 1)];
    const pdf = await buildEvidenceReport({ roundName: 'Jornada 7', region: 'Sureste', generatedAt: new Date('2026-11-25T00:00:00Z'), groups });
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(reportPageCount(groups)).to.equal(1 + 2 + 1 + 1);
    expect(pages(pdf)).to.equal(5);
  });

  it('still produces a one-page report when there are no photos', async () => {
    const pdf = await buildEvidenceReport({ roundName: 'Jornada 7', region: 'Centro', generatedAt: new Date(), groups: [] });
    expect(pages(pdf)).to.equal(1);
  });
});
