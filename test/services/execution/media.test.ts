import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import sharp from 'sharp';
import { PayloadTooLargeError, ValidationError } from '../../../src/errors.ts';
import { inspectEvidence, isoBoxesComplete, makeThumbnail, pdfComplete } from '../../../src/services/execution/media.ts';
import { elfExecutable, fakeHeic, jpeg, mov, mp4, pdf, png, webp } from './samples.ts';

const MAX = 1024 * 1024;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('evidence media inspection', () => {
  it('accepts JPEG, PNG and WebP photos by their bytes and reads their size', async () => {
    const photo = await inspectEvidence(await jpeg('#112233', 64, 48), MAX);
    expect(photo).to.include({ kind: 'photo', mime: 'image/jpeg', ext: 'jpg', width: 64, height: 48 });
    expect((await inspectEvidence(await png(), MAX)).mime).to.equal('image/png');
    expect((await inspectEvidence(await webp(), MAX)).mime).to.equal('image/webp');
  });

  it('accepts MP4 and MOV videos and PDF documents', async () => {
    expect(await inspectEvidence(mp4(), MAX)).to.include({ kind: 'video', mime: 'video/mp4' });
    expect(await inspectEvidence(mov(), MAX)).to.include({ kind: 'video', mime: 'video/quicktime' });
    expect(await inspectEvidence(await pdf(), MAX)).to.include({ kind: 'document', mime: 'application/pdf' });
  });

  it('rejects an ELF executable named like a photo with 422 naming what it holds', async () => {
    const error = await rejection(inspectEvidence(elfExecutable(), MAX, 'foto.jpg'));
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).status).to.equal(422);
    expect(error.message).to.match(/application\/x-elf/);
  });

  it('rejects plain text and unknown bytes with 422', async () => {
    const text = await rejection(inspectEvidence(Buffer.from('hello, this is not a photo'), MAX));
    expect(text).to.be.instanceOf(ValidationError);
    expect(text.message).to.match(/no recognisable format/);
  });

  it('rejects an empty file with 422 and an oversize one with 413', async () => {
    const empty = await rejection(inspectEvidence(Buffer.alloc(0), MAX));
    expect(empty).to.be.instanceOf(ValidationError);
    expect((empty as ValidationError).status).to.equal(422);
    expect(await rejection(inspectEvidence(await jpeg(), 100))).to.be.instanceOf(PayloadTooLargeError);
  });

  it('rejects truncated photos, videos and PDFs with 422', async () => {
    const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#888' } }).jpeg().toBuffer();
    for (const cut of [photo.subarray(0, Math.floor(photo.length / 2)), (await png()).subarray(0, 60), mp4().subarray(0, mp4().length - 10), (await pdf()).subarray(0, 200)]) {
      const error = await rejection(inspectEvidence(Buffer.from(cut), MAX));
      expect(error, `a ${cut.length}-byte cut`).to.be.instanceOf(ValidationError);
    }
  });

  it('rejects a video without a movie header', async () => {
    const ftypOnly = mp4().subarray(0, 24);
    expect(isoBoxesComplete(ftypOnly)).to.deep.equal({ complete: true, boxes: ['ftyp'] });
    const error = await rejection(inspectEvidence(Buffer.concat([ftypOnly, Buffer.from([0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74])]), MAX));
    expect(error).to.be.instanceOf(ValidationError);
    expect(error.message).to.match(/moov/);
  });

  it('detects HEIC from its bytes and sends it through the converter (an undecodable HEIC is a 422)', async () => {
    // This HEIC container holds no image: heic-convert must reject it as damaged rather than store it.
    const error = await rejection(inspectEvidence(fakeHeic(), MAX, 'IMG_0001.HEIC'));
    expect(error).to.be.instanceOf(ValidationError);
    expect(error.message).to.match(/HEIC/);
  });

  it('converts a real HEIC photo to a JPEG of the same size and colour', async () => {
    // test/fixtures/evidence/red-64x48.heic: a 64 × 48 solid rgb(200, 60, 40) picture encoded by
    // us with heif-enc (libheif + x265, Debian) from a JPEG made with sharp.
    const heic = readFileSync(new URL('../../fixtures/evidence/red-64x48.heic', import.meta.url));
    const media = await inspectEvidence(heic, MAX, 'IMG_0002.HEIC');
    expect(media).to.include({ kind: 'photo', mime: 'image/jpeg', ext: 'jpg', detectedMime: 'image/heic', width: 64, height: 48 });
    const { data, info } = await sharp(media.bytes).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).to.deep.equal([64, 48]);
    const centre = (24 * 64 + 32) * info.channels;
    expect(data[centre]).to.be.within(185, 215);
    expect(data[centre + 1]).to.be.within(45, 75);
    expect(data[centre + 2]).to.be.within(25, 55);
    expect(await makeThumbnail(media)).to.be.instanceOf(Buffer);
  });

  it('walks ISO boxes and PDF trailers', async () => {
    expect(isoBoxesComplete(mp4())).to.deep.equal({ complete: true, boxes: ['ftyp', 'moov', 'mdat'] });
    expect(isoBoxesComplete(mp4().subarray(0, 30)).complete).to.equal(false);
    expect(pdfComplete(await pdf())).to.equal(true);
    expect(pdfComplete(Buffer.from('%PDF-1.4 no trailer'))).to.equal(false);
  });

  it('makes a JPEG thumbnail no wider than 320 px for photos only', async () => {
    const big = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#345' } }).png().toBuffer();
    const thumb = await makeThumbnail(await inspectEvidence(big, 10 * MAX));
    const meta = await sharp(thumb).metadata();
    expect(meta.format).to.equal('jpeg');
    expect(meta.width).to.equal(320);
    expect(meta.height).to.equal(213);
    expect(await makeThumbnail(await inspectEvidence(mp4(), MAX))).to.equal(undefined);
  });
});
