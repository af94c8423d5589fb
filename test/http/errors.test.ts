import { expect } from 'chai';
import { NotFoundError, toProblem } from '../../src/errors.ts';

describe('mapping errors to problems', () => {
  const socketEnded = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });

  it('answers 503 when the database went away mid-write (raw socket errors, network causes)', () => {
    expect(toProblem(socketEnded).status).to.equal(503);
    expect(toProblem(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).status).to.equal(503);
    const bulk = new Error('bulk write failed', { cause: socketEnded });
    bulk.name = 'MongoBulkWriteError';
    expect(toProblem(bulk).status).to.equal(503);
    const selection = new Error('Server selection timed out after 5000 ms');
    selection.name = 'MongoServerSelectionError';
    expect(toProblem(selection)).to.include({ status: 503, title: 'Service unavailable' });
  });

  it('keeps other errors as a 500 without internals, and domain errors as they are', () => {
    const problem = toProblem(new TypeError("Cannot read properties of undefined (reading 'x')"), '/api/v1/x');
    expect(problem).to.include({ status: 500, instance: '/api/v1/x' });
    expect(JSON.stringify(problem)).to.not.match(/Cannot read|TypeError/);
    expect(toProblem(new NotFoundError('No unit with CLUES X.'))).to.include({ status: 404, detail: 'No unit with CLUES X.' });
  });
});
