/**
 * Renders the app icons in client/public/icons/ from client/public/favicon.svg with the Chromium
 * the e2e tests use, so the PNGs are committed and the build needs no browser or image library:
 *
 *   npm run icons
 *
 * Run it again after changing favicon.svg. The sizes are the ones the web app manifest
 * (vite.config.ts) and the pages' apple-touch-icon link name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/helpers/browser.ts';

const PUBLIC = new URL('../client/public/', import.meta.url);
/** The favicon's own background, so an opaque icon reads as the same mark. */
const BRAND_BLUE = '#4a6cf7';

interface Icon {
  file: string;
  size: number;
  /**
   * Opaque square in the brand colour (maskable: the platform cuts its own shape, and the mark
   * must sit in the middle 80%; Apple's touch icon: iOS draws transparency as black). The
   * favicon's mark already fits that safe zone, so only the rounded corners are filled in.
   */
  opaque: boolean;
}

const ICONS: Icon[] = [
  { file: 'icons/icon-192.png', size: 192, opaque: false },
  { file: 'icons/icon-512.png', size: 512, opaque: false },
  { file: 'icons/icon-maskable-512.png', size: 512, opaque: true },
  { file: 'icons/apple-touch-icon-180.png', size: 180, opaque: true },
];

async function main(): Promise<void> {
  const svg = readFileSync(new URL('favicon.svg', PUBLIC));
  const source = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  const browser = await launchBrowser();
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
      const background = icon.opaque ? BRAND_BLUE : 'transparent';
      await page.setContent(
        `<body style="margin:0;background:${background}"><img src="${source}" width="${icon.size}" height="${icon.size}" style="display:block"></body>`,
      );
      await page.locator('img').evaluate((image: HTMLImageElement) => image.decode());
      const png = await page.screenshot({ omitBackground: !icon.opaque, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
      writeFileSync(new URL(icon.file, PUBLIC), png);
      process.stdout.write(`${fileURLToPath(new URL(icon.file, PUBLIC))} ${icon.size}×${icon.size}\n`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

await main();
