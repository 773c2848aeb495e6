/**
 * Composition root: builds the board page from its parts and wires them together. No logic here;
 * each part owns its behaviour and returns close().
 */
import * as Y from 'yjs';
import { DEFAULT_STYLE } from '../shared/schema.ts';
import { PATHS } from '../shared/protocol.ts';
import { createBoard } from './model/board.ts';
import { createDraft } from './model/draft.ts';
import { createSelection } from './model/selection.ts';
import { createConnection, syncUrl } from './sync/connection.ts';
import { resolveRoom } from './sync/room.ts';
import { tokenFromHash } from './sync/access-token.ts';
import { createStage } from './canvas/stage.ts';
import { createRenderer } from './canvas/renderer.ts';
import { createDraftRenderer } from './canvas/draft-renderer.ts';
import { createSelectionOverlay } from './canvas/selection-overlay.ts';
import { createPointerInput } from './canvas/pointer-input.ts';
import { createCursor } from './canvas/cursor.ts';
import { createToolbox } from './tools/toolbox.ts';
import { createToolbar } from './ui/toolbar.ts';
import { createStatusIndicator } from './ui/status.ts';
import { createShortcuts } from './ui/shortcuts.ts';
import './styles.css';

function requireElement<T extends HTMLElement>(selector: string, type: new () => T): T {
  const element = document.querySelector(selector);
  if (!(element instanceof type)) throw new Error(`easel: index.html is missing ${selector}`);
  return element;
}

const room = resolveRoom(window.location, window.history);
document.title = `${room} · Easel`;

const doc = new Y.Doc();
const board = createBoard(doc);
const selection = createSelection(board);
const draft = createDraft();
const connection = createConnection({ doc, room, url: syncUrl(window.location, PATHS.sync), token: tokenFromHash(window.location.hash) });

const stage = createStage(requireElement('#board', HTMLDivElement));
const renderer = createRenderer({ board, draft, layers: stage.layers });
const draftRenderer = createDraftRenderer({ draft, layer: stage.layers.draft });
const overlay = createSelectionOverlay({
  board,
  selection,
  draft,
  layer: stage.layers.overlay,
  viewport: () => stage.viewport(),
  onViewportChange: (listener) => stage.onViewportChange(listener),
});

const toolbox = createToolbox({ board, selection, draft, style: () => DEFAULT_STYLE });
const pointerInput = createPointerInput(stage, toolbox);
const cursor = createCursor(stage.element, toolbox);
const shortcuts = createShortcuts(window, toolbox);
const toolbar = createToolbar({ parent: requireElement('#toolbar-slot', HTMLDivElement), toolbox, board, selection });
const status = createStatusIndicator(requireElement('#status-slot', HTMLDivElement), connection);

// Parts close in reverse order of creation, so nothing outlives what it listens to.
const parts = [board, selection, draft, connection, stage, renderer, draftRenderer, overlay, toolbox, pointerInput, cursor, shortcuts, toolbar, status];
if (import.meta.hot) {
  import.meta.hot.dispose(() => {
    for (const part of parts.reverse()) part.close();
    doc.destroy();
  });
}
