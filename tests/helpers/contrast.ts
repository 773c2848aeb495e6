/** WCAG 2 contrast, for tests that check the board reads in both themes. */

/** Relative luminance of an sRGB colour given as #rrggbb or as [r, g, b] in 0–255. */
export function luminance(color: string | readonly number[]): number {
  const rgb = typeof color === 'string' ? [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) : color.slice(0, 3);
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white). */
export function contrast(a: string | readonly number[], b: string | readonly number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
