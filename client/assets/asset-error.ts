/**
 * Why the browser itself refused a file before any upload: not one of the image types, too large
 * once prepared, or not decodable. `message` is written for the person who added the file.
 */
export type AssetErrorCode = 'unsupported_type' | 'asset_too_large' | 'decode_failed';

export class AssetError extends Error {
  constructor(
    readonly code: AssetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AssetError';
  }
}
