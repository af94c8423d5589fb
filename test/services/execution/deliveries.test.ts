import { expect } from 'chai';
import { ValidationError } from '../../../src/errors.ts';
import { resolveLines } from '../../../src/services/execution/deliveries.ts';
import type { ExecLine, ExecStop } from '../../../src/services/execution/types.ts';

const stop: ExecStop = { clues: 'U1', name: 'CS U1', state: { code: '20', name: 'Oaxaca' }, seq: 1, date: '2026-12-14', medicinePieces: 90, supplyPieces: 10 };
const planned: ExecLine[] = [
  { itemCode: 'A', quantity: 60, lots: [{ lotNumber: 'L1', quantity: 40 }, { lotNumber: 'L2', quantity: 20 }] },
  { itemCode: 'B', quantity: 30, lots: [], short: 5 },
  { itemCode: 'C', quantity: 10, lots: [], short: 10 },
];

describe('proof of delivery lines', () => {
  it('takes the kit as shipped when a delivery gives no lines: picked lots, or the planned quantity less the unfilled part', () => {
    expect(resolveLines({ delivered: true, receivedBy: 'X' }, stop, planned)).to.deep.equal([
      { itemCode: 'A', lotNumber: 'L1', quantityReceived: 40, discrepancies: [] },
      { itemCode: 'A', lotNumber: 'L2', quantityReceived: 20, discrepancies: [] },
      { itemCode: 'B', quantityReceived: 25, discrepancies: [] },
    ]);
  });

  it('keeps the received lines as given, with their discrepancies', () => {
    const lines = resolveLines({ delivered: true, receivedBy: 'X', lines: [{ itemCode: 'A', lotNumber: 'L1', quantityReceived: 38, discrepancies: [{ kind: 'expired', quantity: 2 }] }] }, stop, planned);
    expect(lines).to.deep.equal([{ itemCode: 'A', lotNumber: 'L1', quantityReceived: 38, discrepancies: [{ kind: 'expired', quantity: 2 }] }]);
  });

  it('records nothing received for a failed visit and names every problem of a bad body', () => {
    expect(resolveLines({ delivered: false, reason: 'refused' }, stop, planned)).to.deep.equal([]);
    let error: ValidationError | undefined;
    try {
      resolveLines({ delivered: false, reason: undefined, lines: [{ itemCode: 'Z', quantityReceived: 1 }, { itemCode: 'Z', quantityReceived: 2 }] }, stop, planned);
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.errors.map((e) => e.pointer)).to.deep.equal(['/body/reason', '/body/lines', '/body/lines/0/itemCode', '/body/lines/1/itemCode', '/body/lines/1']);
  });
});
