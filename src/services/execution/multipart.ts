import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../errors.ts';

/**
 * Buffers a multipart/form-data upload with hard limits: each file at most `maxFileBytes`
 * (one byte more is read to know it was exceeded), at most `maxFiles` files and small text
 * fields. The whole body is always drained before answering so the client reads our problem
 * document instead of a reset connection.
 */

export interface UploadedFile {
  field: string;
  /** The client's name for the file: kept for display, never used to decide the type. */
  fileName: string;
  /** The client's Content-Type: informative only. */
  declaredType: string;
  bytes: Buffer;
}

export interface ParsedUpload {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxFieldBytes?: number;
  maxFields?: number;
}

export function parseMultipart(stream: Readable, headers: IncomingHttpHeaders, limits: MultipartLimits): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fieldSize: limits.maxFieldBytes ?? 4096,
          fields: limits.maxFields ?? 20,
          parts: limits.maxFiles + (limits.maxFields ?? 20),
        },
      });
    } catch {
      reject(new UnsupportedMediaTypeError('Content-Type must be multipart/form-data with a boundary.'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: UploadedFile[] = [];
    let failure: Error | undefined;
    const fail = (error: Error): void => {
      failure ??= error;
    };
    parser.on('file', (field, file, info) => {
      const chunks: Buffer[] = [];
      file.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      file.on('limit', () => {
        fail(new PayloadTooLargeError(`"${info.filename}" is larger than the ${limits.maxFileBytes} bytes allowed for one evidence file.`, [
          { pointer: `/body/${field}`, detail: `larger than ${limits.maxFileBytes} bytes` },
        ]));
      });
      file.on('end', () => {
        if (!failure) files.push({ field, fileName: info.filename ?? '', declaredType: info.mimeType, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new BadRequestError(`The field "${name}" is too long.`, [{ pointer: `/body/${name}`, detail: 'too long' }]));
      fields[name] = value;
    });
    // The count is part of the contract (maxItems of `file`): more files is an invalid request, not a large one.
    parser.on('filesLimit', () => fail(new ValidationError(`At most ${limits.maxFiles} files per request.`, [{ pointer: '/body/file', detail: `at most ${limits.maxFiles} files` }])));
    parser.on('fieldsLimit', () => fail(new BadRequestError('Too many form fields.')));
    parser.on('partsLimit', () => fail(new BadRequestError('Too many parts in the form.')));
    parser.on('error', (error: Error) => {
      stream.unpipe(parser);
      stream.resume();
      reject(failure ?? new BadRequestError(`The multipart body is malformed: ${error.message}.`));
    });
    parser.on('close', () => {
      if (failure) reject(failure);
      else resolve({ fields, files });
    });
    stream.on('aborted', () => reject(new BadRequestError('The upload was aborted by the client.')));
    stream.pipe(parser);
  });
}
