/**
 * The board title's limit, apart from shared/doc.ts so that pages which only list boards (the
 * home page) need not load Yjs to know it.
 */

/** Longer titles are cut when read and when written. */
export const MAX_TITLE_LENGTH = 200;
