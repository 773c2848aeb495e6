/**
 * Launches the system Chromium (Debian's `chromium` package) through playwright-core, which ships
 * no browser of its own. Installs the package if it is missing, since tests run as root in CI.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Raised when no Chromium can be found or installed; the message says what to do. */
export class BrowserUnavailableError extends Error {
  readonly code = 'browser-unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'BrowserUnavailableError';
  }
}

function findChromium(): string | null {
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    return found === '' ? null : found;
  } catch {
    return null;
  }
}

function aptInstall(): void {
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    install();
  } catch {
    // A fresh machine has no package lists yet.
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
}

/** Path to a Chromium binary, installing Debian's package if needed. */
export function chromiumPath(): string {
  const existing = findChromium();
  if (existing !== null) return existing;
  try {
    aptInstall();
  } catch (error) {
    throw new BrowserUnavailableError(`chromium is not installed and "apt-get install -y chromium" failed (${(error as Error).message}); install it and re-run the e2e tests`);
  }
  const installed = findChromium();
  if (installed === null) throw new BrowserUnavailableError('chromium is still not on PATH after "apt-get install -y chromium"; install it and re-run the e2e tests');
  return installed;
}

/** A headless Chromium; close it with `browser.close()`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
