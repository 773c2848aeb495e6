import type { Shape } from '../../shared/schema.ts';
import type { BoardList } from './board-list.ts';

/** A board page's changes wait this long before its thumbnail is redrawn (longer on big boards). */
export const THUMBNAIL_DELAY_MS = 3000;
/**
 * Drawing the thumbnail takes the main thread for as long as the board takes to draw (hundreds of
 * ms for tens of thousands of shapes), so the wait after a drawing is at least this many times
 * what it took: thumbnails never take more than about 1 % of the page's time.
 */
export const THUMBNAIL_COST_FACTOR = 100;
/** Largest thumbnail, in pixels: the home page shows them at half this size on a 2x screen. */
export const THUMBNAIL_SIZE = { width: 320, height: 200 } as const;

export interface BoardVisitOptions {
  room: string;
  /** The access token the page was opened with, null for none. */
  token: string | null;
  list: Pick<BoardList, 'opened' | 'retitle' | 'setThumbnail'>;
  title: { get(): string; onChange(listener: (title: string) => void): () => void };
  shapes: { ordered(): readonly Shape[]; onChange(listener: () => void): () => unknown };
  /** The board as a small PNG data URL, null when empty (client/export/png-export.ts pngThumbnail). */
  thumbnail(shapes: readonly Shape[]): string | null;
  /** The page, for when it is hidden (another tab, leaving, closing). */
  page: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  /** Wall clock for `openedAt`; also times the drawings. */
  now?: () => number;
  delayMs?: number;
}

/**
 * Keeps this board's entry in the browser's board list up to date while its page is open: opened
 * now, its title whenever it changes, and its thumbnail redrawn a delay after the board changed
 * (from anyone; the delay grows with what a drawing costs), and at once when the page is hidden, since the home page is most
 * often opened by leaving the board. A list that cannot be written (storage full or blocked) is
 * reported and otherwise leaves the board alone: the list is a convenience, the board is not.
 */
export function createBoardVisit(options: BoardVisitOptions): { close(): void } {
  const { room, list, title, shapes, page } = options;
  const now = options.now ?? Date.now;
  let delayMs = options.delayMs ?? THUMBNAIL_DELAY_MS;
  const minDelayMs = delayMs;
  const guarded = (what: string, write: () => void): void => {
    try {
      write();
    } catch (error) {
      console.warn(`easel: could not record ${what} of board ${room} in the board list`, error);
    }
  };

  guarded('the visit', () => list.opened(room, now(), options.token));
  // Until the board has loaded its title reads '': the entry keeps the title it had.
  if (title.get() !== '') guarded('the title', () => list.retitle(room, title.get()));
  const offTitle = title.onChange((next) => guarded('the title', () => list.retitle(room, next)));

  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const redraw = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!dirty) return;
    dirty = false;
    const started = now();
    guarded('the thumbnail', () => list.setThumbnail(room, options.thumbnail(shapes.ordered())));
    delayMs = Math.max(minDelayMs, (now() - started) * THUMBNAIL_COST_FACTOR);
  };
  const offShapes = shapes.onChange(() => {
    dirty = true;
    timer ??= setTimeout(redraw, delayMs);
  });
  const onHidden = (): void => {
    if (page.visibilityState === 'hidden') redraw();
  };
  page.addEventListener('visibilitychange', onHidden);

  return {
    close() {
      offTitle();
      offShapes();
      page.removeEventListener('visibilitychange', onHidden);
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
