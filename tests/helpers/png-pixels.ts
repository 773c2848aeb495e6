/**
 * Reads pixels of a PNG (a download, a screenshot) by decoding it in a page: one decode, any number
 * of rectangles read back. One place for what e2e tests used to inline each time (the page
 * function cannot call a named helper: the test transpiler wraps those in a function the page lacks).
 */
import type { Page } from 'playwright-core';

export interface PngArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PngPixels {
  width: number;
  height: number;
  /** Per area asked for, its pixels as [r, g, b, a], row by row. */
  areas: Array<Array<[number, number, number, number]>>;
}

/** The image's size and the pixels of each of `areas` (none: just the size). */
export function readPng(page: Page, png: Buffer, areas: readonly PngArea[] = []): Promise<PngPixels> {
  return page.evaluate(
    async ({ base64, areas }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(image, 0, 0);
      return {
        width: image.width,
        height: image.height,
        areas: areas.map(({ x, y, width, height }) => {
          const { data } = context.getImageData(x, y, width, height);
          const out: Array<[number, number, number, number]> = [];
          for (let i = 0; i < data.length; i += 4) out.push([data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!]);
          return out;
        }),
      };
    },
    { base64: png.toString('base64'), areas: [...areas] },
  );
}

/** A 1×1 area: one pixel. */
export const pixelAt = (x: number, y: number): PngArea => ({ x, y, width: 1, height: 1 });
