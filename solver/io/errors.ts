/** A file that cannot be read as the announced format; the message names the line or field. */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(
    readonly format: string,
    message: string,
  ) {
    super(`${format}: ${message}`);
  }
}
