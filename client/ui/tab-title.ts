import { tabTitle, type BoardTitle } from '../model/board-title.ts';

/** Keeps the browser tab's title as the board's (`<title> · Easel`, the room while untitled). */
export function createTabTitle(options: { title: Pick<BoardTitle, 'get' | 'onChange'>; room: string; document: Pick<Document, 'title'> }): { close(): void } {
  const { title, room, document } = options;
  document.title = tabTitle(title.get(), room);
  const off = title.onChange((next) => {
    document.title = tabTitle(next, room);
  });
  return { close: off };
}
