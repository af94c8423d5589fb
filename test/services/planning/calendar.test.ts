import { expect } from 'chai';
import { deliveryDates, nextMonth, ordinaryRoundWindow, spanishDateRange, clock } from '../../../src/services/planning/calendar.ts';
import { HaversineDistanceProvider, OsrmDistanceProvider, haversineKm } from '../../../src/services/planning/distance.ts';

describe('planning calendar', () => {
  it('proposes the penultimate week of the month, matching the real September 2025 round', () => {
    expect(ordinaryRoundWindow('2025-09')).to.deep.equal({ deliveryStart: '2025-09-22', deliveryEnd: '2025-09-26' });
    expect(ordinaryRoundWindow('2026-02')).to.deep.equal({ deliveryStart: '2026-02-16', deliveryEnd: '2026-02-20' });
  });

  it('lists delivery days without Sundays', () => {
    expect(deliveryDates('2026-11-20', '2026-11-24')).to.deep.equal(['2026-11-20', '2026-11-21', '2026-11-23', '2026-11-24']);
    expect(deliveryDates('2026-11-22', '2026-11-22')).to.deep.equal(['2026-11-22']);
  });

  it('writes the programme date range in Spanish capitals', () => {
    expect(spanishDateRange('2026-08-17', '2026-09-03')).to.equal('17 DE AGOSTO AL 03 DE SEPTIEMBRE 2026');
    expect(spanishDateRange('2026-12-28', '2027-01-02')).to.equal('28 DE DICIEMBRE 2026 AL 02 DE ENERO 2027');
  });

  it('computes the next month in Mexico City time and clock times past midnight', () => {
    expect(nextMonth(new Date('2026-12-01T03:00:00Z'))).to.equal('2026-12'); // still 30 Nov in Mexico City
    expect(nextMonth(new Date('2026-12-15T12:00:00Z'))).to.equal('2027-01');
    expect(clock(1440 + 485)).to.equal('08:05');
  });
});

describe('distance providers', () => {
  it('estimates road distance as haversine times the circuity factor at the average speed', async () => {
    const cdmx = { lng: -99.1332, lat: 19.4326 };
    const puebla = { lng: -98.2063, lat: 19.0414 };
    const straight = haversineKm(cdmx, puebla);
    expect(straight).to.be.within(105, 110);
    const matrix = await new HaversineDistanceProvider(1.3, 50).matrix([cdmx, puebla]);
    expect(matrix.distanceKm[1]).to.be.closeTo(straight * 1.3, 1e-9);
    expect(matrix.durationMin[1]).to.be.closeTo((straight * 1.3 * 60) / 50, 1e-9);
    expect(matrix.distanceKm[0]).to.equal(0);
  });

  it('asks OSRM for the table in blocks and maps null legs to no road', async () => {
    const urls: string[] = [];
    const fakeFetch = (url: string) => {
      urls.push(url);
      const query = new URL(url).searchParams;
      const sources = query.get('sources')!.split(';');
      const destinations = query.get('destinations')!.split(';');
      return Promise.resolve({
        ok: true,
        status: 200,
        json: () =>
          Promise.resolve({
            code: 'Ok',
            distances: sources.map((s) => destinations.map((d) => (s === d ? 0 : s === '0' && d === '2' ? null : 1000))),
            durations: sources.map((s) => destinations.map((d) => (s === d ? 0 : 120))),
          }),
      });
    };
    const provider = new OsrmDistanceProvider('http://osrm.local/', { blockSize: 2, fetch: fakeFetch });
    const points = [0, 1, 2].map((k) => ({ lng: -99 + k * 0.1, lat: 19 }));
    const matrix = await provider.matrix(points);
    expect(urls).to.have.length(4);
    expect(urls[0]).to.match(/^http:\/\/osrm\.local\/table\/v1\/driving\//);
    expect(matrix.distanceKm[0 * 3 + 1]).to.equal(1);
    expect(matrix.durationMin[1 * 3 + 2]).to.equal(2);
  });
});
