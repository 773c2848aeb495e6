import { createEmitter } from '../model/emitter.ts';
import { paintFor, type Paint, type Theme } from '../canvas/theme-colors.ts';

/** What the person chose: follow the system's setting, or one theme whatever it says. */
export type ThemeSetting = 'system' | Theme;

/** Where the choice is remembered, per browser. */
export const THEME_STORAGE_KEY = 'easel-theme';
/** The media query the system's setting is read from. */
const DARK_QUERY = '(prefers-color-scheme: dark)';

export interface ThemeOptions {
  /** Gets `data-theme` (light or dark), which client/styles.css keys the page's colours on. */
  root: HTMLElement;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  matchMedia: (query: string) => MediaQueryList;
}

/** The page's theme: the setting, the theme it resolves to, and the paint the canvas draws with. */
export interface ThemeState {
  readonly setting: ThemeSetting;
  readonly theme: Theme;
  /** Document colour to drawn colour in the current theme. */
  readonly paint: Paint;
  set(setting: ThemeSetting): void;
  /**
   * Switches to the other theme. When the other theme is the system's, the page goes back to
   * following the system, so one button both overrides and restores and always visibly switches.
   */
  toggle(): void;
  /** Calls `listener` whenever the theme shown changes (a new setting, or the system's changed). */
  onChange(listener: (theme: Theme) => void): () => void;
  close(): void;
}

const readSetting = (value: string | null): ThemeSetting => (value === 'light' || value === 'dark' ? value : 'system');
const storedSetting = (storage: ThemeOptions['storage']): ThemeSetting => readSetting(safely(() => storage?.getItem(THEME_STORAGE_KEY) ?? null, null));

/**
 * Marks the page with the theme it opens in, as createTheme would: for the page's first script
 * (early-open.ts), so that a dark page is dark from the start rather than once the app has loaded.
 */
export function markInitialTheme(options: ThemeOptions): void {
  const setting = storedSetting(options.storage);
  options.root.dataset.theme = setting === 'system' ? (options.matchMedia(DARK_QUERY).matches ? 'dark' : 'light') : setting;
}

/** Follows the system's light or dark setting unless the person picked one; remembered per browser. */
export function createTheme(options: ThemeOptions): ThemeState {
  const { root, storage } = options;
  const media = options.matchMedia(DARK_QUERY);
  const changes = createEmitter<Theme>();
  let setting = storedSetting(storage);
  const systemTheme = (): Theme => (media.matches ? 'dark' : 'light');
  const resolve = (): Theme => (setting === 'system' ? systemTheme() : setting);
  let theme = resolve();
  root.dataset.theme = theme;

  const apply = (): void => {
    const next = resolve();
    if (next === theme) return;
    theme = next;
    root.dataset.theme = theme;
    changes.emit(theme);
  };
  const onSystem = (): void => apply();
  media.addEventListener('change', onSystem);

  const set = (next: ThemeSetting): void => {
    setting = next;
    // A full or private-mode storage only loses the memory of the choice, not the choice.
    safely(() => (next === 'system' ? storage?.removeItem(THEME_STORAGE_KEY) : storage?.setItem(THEME_STORAGE_KEY, next)), undefined);
    apply();
  };

  return {
    get setting() {
      return setting;
    },
    get theme() {
      return theme;
    },
    get paint() {
      return paintFor(theme);
    },
    set,
    toggle() {
      const other: Theme = theme === 'dark' ? 'light' : 'dark';
      set(other === systemTheme() ? 'system' : other);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      media.removeEventListener('change', onSystem);
      changes.clear();
      delete root.dataset.theme;
    },
  };
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    console.warn('easel: the theme setting could not be read or stored', error);
    return fallback;
  }
}
