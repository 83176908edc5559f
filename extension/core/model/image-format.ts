// What an image file is, read from its first bytes: the format by its magic number (never by the file name, which
// a tool or a paste may get wrong) and its dimensions from the header, without decoding pixels. Pure (no Node
// APIs), so the webview's composer checks a pasted image by the same rules the extension applies.
import type { ImageAttachment } from './types.js';

export type ImageMimeType = ImageAttachment['mimeType'];

export interface ImageHeader {
  mimeType: ImageMimeType;
  /** Absent when the header is cut short or uses a layout this reader does not know; the image is still sent. */
  width?: number;
  height?: number;
}

export const IMAGE_EXTENSIONS: Record<ImageMimeType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** Positive dimensions only: a zero or missing size is "unknown", not a size. */
function dims(width: number, height: number): { width?: number; height?: number } {
  return width > 0 && height > 0 ? { width, height } : {};
}

/** The format and size of an image, or `undefined` when the bytes are not PNG, JPEG, GIF or WebP. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // The IHDR chunk always comes first: width and height at bytes 16 and 20, big-endian.
    const size = bytes.length >= 24 && ascii(bytes, 12, 4) === 'IHDR' ? dims(view.getUint32(16), view.getUint32(20)) : {};
    return { mimeType: 'image/png', ...size };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mimeType: 'image/jpeg', ...jpegSize(bytes, view) };
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return { mimeType: 'image/gif', ...(bytes.length >= 10 ? dims(view.getUint16(6, true), view.getUint16(8, true)) : {}) };
  }
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return { mimeType: 'image/webp', ...webpSize(bytes, view) };
  return undefined;
}

/** Walks the JPEG segments to the first start-of-frame marker, which holds the size. */
function jpegSize(bytes: Uint8Array, view: DataView): { width?: number; height?: number } {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return {};
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return dims(view.getUint16(at + 7), view.getUint16(at + 5));
    }
    at += 2 + view.getUint16(at + 2);
  }
  return {};
}

function webpSize(bytes: Uint8Array, view: DataView): { width?: number; height?: number } {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ' && bytes.length >= 30) return dims(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  if (chunk === 'VP8L' && bytes.length >= 25) {
    // Byte 20 is the 0x2f signature; then 14 bits of width - 1 and 14 bits of height - 1, little-endian.
    const b0 = bytes[21]!,
      b1 = bytes[22]!,
      b2 = bytes[23]!,
      b3 = bytes[24]!;
    return dims(1 + (((b1 & 0x3f) << 8) | b0), 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)));
  }
  if (chunk === 'VP8X' && bytes.length >= 30) {
    const w = bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16);
    const h = bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16);
    return dims(1 + w, 1 + h);
  }
  return {};
}

/** Larger than any screenshot or mockup a model reads well; providers cap single images at about 20 MB too. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The reason bytes are not an attachable image, or undefined when they are one. */
export function imageProblem(bytes: Uint8Array, name: string): string | undefined {
  if (bytes.length === 0) return `${name} is empty`;
  if (bytes.length > MAX_IMAGE_BYTES) return `${name} is ${formatBytes(bytes.length)}; the limit for an image is ${formatBytes(MAX_IMAGE_BYTES)}`;
  if (!readImageHeader(bytes)) return `${name} is not a PNG, JPEG, GIF or WebP image (its first bytes are not an image signature)`;
  return undefined;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
