/**
 * Why the browser itself refused or could not give a file: not one of the image types, too large
 * once prepared, not decodable, or not to be had (the server will not send it, or the library
 * closed before it came). `message` is written for the person who added or asked for the file.
 */
export type AssetErrorCode = 'unsupported_type' | 'asset_too_large' | 'decode_failed' | 'unavailable';

export class AssetError extends Error {
  constructor(
    readonly code: AssetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AssetError';
  }
}
