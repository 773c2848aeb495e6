/**
 * Composition root: builds the board page from its parts and wires them together. No logic here;
 * each part owns its behaviour and returns close().
 */
import * as Y from 'yjs';
import { PATHS } from '../shared/protocol.ts';
import { createBoard } from './model/board.ts';
import { shapeUtil } from './shapes/registry.ts';
import { createDraft, draftGesture } from './model/draft.ts';
import { createSelection } from './model/selection.ts';
import { createCamera } from './model/camera.ts';
import { createHistory } from './model/history.ts';
import { createTextEditing } from './model/text-editing.ts';
import { createVersionPreview } from './model/version-preview.ts';
import { createLaser } from './model/laser.ts';
import { createStyleState } from './model/style-state.ts';
import { createSnapState, snapContext } from './model/snap-state.ts';
import { createBoardTitle } from './model/board-title.ts';
import { unionBounds } from './model/transform.ts';
import { createConnection, syncUrl } from './sync/connection.ts';
import { resolveRoom } from './sync/room.ts';
import { tokenFromHash, tokenRole } from './sync/access-token.ts';
import { createAccessMode } from './sync/access-mode.ts';
import { watchPermissionDenied } from './sync/permission-denied.ts';
import { requestViewLink } from './sync/share-link.ts';
import { createOfflineCopy } from './sync/offline.ts';
import { loadInitialState } from './sync/initial-state.ts';
import { applyInitialState, applyLateState } from './sync/initial-apply.ts';
import { earlyOpening } from './early-open.ts';
import { createTabSync } from './sync/broadcast.ts';
import { createPendingChanges } from './sync/offline-pending.ts';
import { migrateTextsOnFirstSync } from './sync/text-migration.ts';
import { registerOfflineShell } from './sync/offline-shell.ts';
import { createOpenTimeline, OPEN_MARKS } from './sync/open-timeline.ts';
import { createPresence } from './presence/presence.ts';
import { createStage } from './canvas/stage.ts';
import { createRenderer, type RendererView } from './canvas/renderer.ts';
import { createVersionPreviewRenderer } from './canvas/version-preview-renderer.ts';
import { createDraftRenderer } from './canvas/draft-renderer.ts';
import { createSelectionOverlay } from './canvas/selection-overlay.ts';
import { createPointerInput } from './canvas/pointer-input.ts';
import { createCursor } from './canvas/cursor.ts';
import { createNavigation } from './canvas/navigation.ts';
import { createGrid } from './canvas/grid.ts';
import { createLaserRenderer } from './canvas/laser-renderer.ts';
import { createSnapGuides } from './canvas/snap-guides.ts';
import { createToolbox } from './tools/toolbox.ts';
import { createReadOnlyToolbox } from './tools/read-only-toolbox.ts';
import { createPreviewToolbox } from './tools/preview-toolbox.ts';
import { createToolbar } from './ui/toolbar.ts';
import { createStatusIndicator } from './ui/status.ts';
import { createShortcuts } from './ui/shortcuts.ts';
import { createCommands, findCommand, GESTURES } from './ui/commands.ts';
import { createFindPanel } from './ui/find-panel.ts';
import { createHelpDialog } from './ui/help-dialog.ts';
import { createZoomControls } from './ui/zoom-controls.ts';
import { createHistoryControls } from './ui/history-controls.ts';
import { createStylePanel } from './ui/style-panel.ts';
import { createArrangeButtons } from './ui/arrange-buttons.ts';
import { createSnapToggles } from './ui/snap-toggles.ts';
import { createTextEditor } from './ui/text-editor.ts';
import { createClipboard } from './ui/clipboard.ts';
import { createNotice } from './ui/notice.ts';
import { createExportMenu } from './ui/export-menu.ts';
import { createFramesPanel } from './ui/frames-panel.ts';
import { createFrameTitleEditor } from './ui/frame-title-editor.ts';
import { guardCommands } from './ui/read-only-commands.ts';
import { guardPreviewCommands } from './ui/preview-commands.ts';
import { createHistoryPanel } from './ui/history-panel.ts';
import { createReadOnlyChrome } from './ui/read-only-chrome.ts';
import { createAccessBadge } from './ui/access-badge.ts';
import { createShareDialog } from './ui/share-dialog.ts';
import { createBoardTitleField } from './ui/board-title-field.ts';
import { createTabTitle } from './ui/tab-title.ts';
import { createTheme } from './ui/theme.ts';
import { createThemeToggle, THEME_KEY } from './ui/theme-toggle.ts';
import type { ViewContext } from './canvas/views/view.ts';
import { createBoardList } from './home/board-list.ts';
import { createBoardVisit, THUMBNAIL_SIZE } from './home/board-visit.ts';
import { pngThumbnail } from './export/png-export.ts';
import { createAssetLibrary } from './assets/create-asset-library.ts';
import { createImageInserter } from './assets/insert-images.ts';
import { createImagePicker } from './ui/image-picker.ts';
import { createMinimap } from './ui/minimap.ts';
import { whenIdle } from './ui/when-idle.ts';
import { shapeAssetIds } from '../shared/schema.ts';
import './styles.css';

function requireElement<T extends HTMLElement>(selector: string, type: new () => T): T {
  const element = document.querySelector(selector);
  if (!(element instanceof type)) throw new Error(`easel: index.html is missing ${selector}`);
  return element;
}

performance.mark(OPEN_MARKS.app);
const room = resolveRoom(window.location, window.history);

const token = tokenFromHash(window.location.hash);
// A view link's page never edits (its role is read from the token); other pages turn view only
// if the server refuses their writes.
const access = createAccessMode(tokenRole(token));

// While a past version is shown instead of the board, nothing edits the board out of sight.
const preview = createVersionPreview();
const writable = (): boolean => !access.readOnly && !preview.active;

// The board is applied before anything listens to the doc: it then costs only its decoding.
// Started by the page's first script (early-open.ts) unless this page made its room just now.
const initial = await (earlyOpening?.room === room ? earlyOpening.state : loadInitialState({ room, token, fetch: (...args) => window.fetch(...args), performance }));
const doc = new Y.Doc();
applyInitialState(doc, initial, performance);
// Bound arrow ends stop at each shape's own outline (an ellipse's curve, a diamond's edges).
const board = createBoard(doc, { writable, outlineOf: (shape) => shapeUtil(shape).outline?.(shape as never) ?? null });
performance.mark(OPEN_MARKS.boardReady);
const selection = createSelection(board);
const draft = createDraft();
const camera = createCamera();
const history = createHistory(doc);
const editing = createTextEditing(board, { fit: (shape, text) => shapeUtil(shape).text?.fit?.(shape, text) ?? null });
const laser = createLaser();
const style = createStyleState();
const snap = createSnapState();
const title = createBoardTitle(doc);
const tabTitle = createTabTitle({ title, room, document });
// The offline copy and the other tabs attach before the socket, so nothing typed early is missed.
const offline = createOfflineCopy({ doc, read: initial.offline, fetched: initial.fetched });
const tabSync = createTabSync({ doc, room });
const connection = createConnection({ doc, room, url: syncUrl(window.location, PATHS.sync), token, connect: false });
const pending = createPendingChanges({ doc, room, provider: connection.provider, storage: window.localStorage });
const permissionWatch = watchPermissionDenied(connection.provider, (reason) => access.deny(reason));
const textMigration = migrateTextsOnFirstSync({ doc, connection, writable: () => !access.readOnly });
// The socket opens once the board is in (at once, unless it is still coming over HTTP).
applyLateState(doc, initial, () => connection.connect());
registerOfflineShell({ enabled: import.meta.env.PROD });

// The files image shapes show: from memory, this browser's copy, then the server; uploads queued.
const pictures = createAssetLibrary({
  room,
  token,
  fetch: (...args) => window.fetch(...args),
  online: { connected: () => connection.status === 'connected', onChange: (listener) => connection.onStatus(() => listener()) },
  inUse: (assetId) => board.ordered().some((shape) => shapeAssetIds(shape).includes(assetId)),
});
// Light or dark (the system's unless chosen here): the page's colours and the canvas's paint.
const theme = createTheme({ root: document.documentElement, storage: window.localStorage, matchMedia: (query) => window.matchMedia(query) });
// What every on-screen drawing surface draws with: the pictures, and the theme's colours.
const surface: ViewContext = {
  image: (assetId) => pictures.image(assetId),
  onPicture: (listener) => pictures.onPicture(listener),
  get paint() {
    return theme.paint;
  },
  onRepaint: (listener) => theme.onChange(() => listener()),
};
const stage = createStage(requireElement('#board', HTMLDivElement), camera);
const grid = createGrid(stage.element, camera, (listener) => theme.onChange(() => listener()));
const openTimeline = createOpenTimeline({ doc, provider: connection.provider, shapesLayer: stage.layers.shapes, performance });
// Before the renderer: it shows the others' gestures in progress that presence hears of.
const presence = createPresence({
  awareness: connection.provider.awareness,
  stage,
  board,
  selection,
  laser,
  gesture: { gesture: () => draftGesture(draft), onChange: (listener) => draft.onChange(() => listener()) },
  text: { doc, typing: editing },
  drawingLayer: stage.layers.draft,
  images: surface,
  listParent: requireElement('#status-slot', HTMLDivElement),
  window,
  storage: window.localStorage,
});
/** Work that waits for the page's first paint and first answers: when idle, within a second. */
const soonIdle = (run: () => void): (() => void) => whenIdle(run, { timeout: 1000 });
const view: RendererView = {
  bounds: () => camera.visibleBounds(stage.size()),
  onChange(listener) {
    const offs = [camera.onChange(listener), stage.onResize(listener)];
    return () => offs.forEach((off) => off());
  },
};
const renderer = createRenderer({
  board,
  draft,
  remote: presence.gestures,
  layers: stage.layers,
  images: surface,
  view,
  whenIdle: soonIdle,
});
const versionRenderer = createVersionPreviewRenderer({ stage, live: board, preview, images: surface, view });
const draftRenderer = createDraftRenderer({ draft, layer: stage.layers.draft, images: surface });
const overlay = createSelectionOverlay({
  board,
  selection,
  draft,
  layer: stage.layers.overlay,
  viewport: () => stage.viewport(),
  onViewportChange: (listener) => stage.onViewportChange(listener),
});

const laserRenderer = createLaserRenderer({ laser, layer: stage.layers.overlay });
const snapGuides = createSnapGuides({ snap, layer: stage.layers.overlay, viewport: () => stage.viewport() });

const toolbox = createPreviewToolbox(
  createReadOnlyToolbox(createToolbox({ board, selection, draft, camera, editing, laser, style: () => style.get(), pickImages: () => imagePicker.open(), snap: snapContext(snap, (region) => renderer.shapesIn(region)) }), access, selection),
  preview,
  selection,
);
// Navigation listens first (capture phase): a pan or pinch never reaches the active tool.
const navigation = createNavigation({ element: stage.element, camera, toolbox, keys: window });
const pointerInput = createPointerInput(stage, toolbox);
const cursor = createCursor(stage.element, toolbox);
const notice = createNotice(requireElement('.app', HTMLElement));
const viewCenter = () => stage.toBoard(stage.element.getBoundingClientRect().left + stage.size().width / 2, stage.element.getBoundingClientRect().top + stage.size().height / 2);
// The image tool, paste and drop all add images through this one inserter.
const images = createImageInserter({ board, selection, library: pictures, notice, writable });
const imagePicker = createImagePicker({ parent: document.body, center: viewCenter, insert: (files, at) => void images.insert(files, at) });
const exportMenu = createExportMenu({
  parent: requireElement('#bottom-left-slot', HTMLDivElement),
  dropTarget: stage.element,
  board,
  selection,
  room,
  title,
  notice,
  files: pictures,
  dropFiles: (files, clientX, clientY) => void images.insert(files, stage.toBoard(clientX, clientY)),
});
const minimap = createMinimap({
  parent: requireElement('.app', HTMLElement),
  board,
  camera,
  screen: () => stage.size(),
  onScreenChange: (listener) => stage.onResize(listener),
  peers: presence.peers,
  storage: window.localStorage,
  window,
  whenIdle: soonIdle,
});
const fit = (): void => camera.fit(unionBounds(board.ordered()), stage.size());
const help = createHelpDialog({ parent: document.body, commands: () => commands, gestures: GESTURES, mac: /Mac|iPhone|iPad/.test(navigator.platform) });
const findPanel = createFindPanel({ parent: requireElement('.app', HTMLElement), board, camera, selection, screen: () => stage.size() });
const themeToggle = createThemeToggle({ parent: requireElement('#bottom-left-slot', HTMLDivElement), theme });
// Finding and switching the theme edit nothing: they stay outside the view-only and version-preview guards.
const commands = [...guardPreviewCommands(guardCommands(createCommands({
  board,
  selection,
  history,
  camera,
  toolbox,
  screen: () => stage.size(),
  snap,
  extra: [...exportMenu.commands, minimap.command, { id: 'help', label: 'Keyboard shortcuts', keys: ['?'], run: () => help.open() }],
}), access, notice), preview, notice), findCommand(() => findPanel.open()), { id: 'toggle-theme', label: 'Light / dark theme', keys: [THEME_KEY], run: () => theme.toggle() }];
const shortcuts = createShortcuts(window, toolbox, commands);
const clipboard = createClipboard({
  target: window,
  board,
  selection,
  style: () => style.get(),
  center: viewCenter,
  writable,
  files: pictures,
  notice,
  pasteFiles: (files, at) => void images.insert(files, at),
});
const textEditor = createTextEditor({ parent: document.body, editing, camera, toClient: (point) => stage.toClient(point), paint: () => theme.paint, onRepaint: (listener) => theme.onChange(() => listener()) });
const frameTitleEditor = createFrameTitleEditor({
  parent: document.body,
  target: stage.element,
  board,
  camera,
  toBoard: (clientX, clientY) => stage.toBoard(clientX, clientY),
  toClient: (point) => stage.toClient(point),
  enabled: () => writable() && toolbox.active === 'select',
});
const toolbar = createToolbar({ parent: requireElement('#toolbar-slot', HTMLDivElement), toolbox, board, selection });
const status = createStatusIndicator(requireElement('#status-slot', HTMLDivElement), connection, {
  pending,
  firstVisit: offline.loaded.then(({ hadCopy }) => !hadCopy),
});
const accessBadge = createAccessBadge(requireElement('#status-slot', HTMLDivElement), access);
const shareDialog = createShareDialog({
  parent: requireElement('#status-slot', HTMLDivElement),
  dialogParent: document.body,
  readOnly: () => access.readOnly,
  currentLink: () => window.location.href,
  requestViewLink: () => requestViewLink({ origin: window.location.origin, room, token, fetch: (...args) => window.fetch(...args) }),
  clipboard: navigator.clipboard ?? null,
});
const titleField = createBoardTitleField({ parent: requireElement('#title-slot', HTMLDivElement), title, access, homeHref: '/' });
const visit = createBoardVisit({
  room,
  token,
  list: createBoardList(window.localStorage),
  title,
  shapes: board,
  thumbnail: (shapes) => pngThumbnail(shapes, THUMBNAIL_SIZE.width, THUMBNAIL_SIZE.height, pictures),
  page: document,
});
const stylePanel = createStylePanel({ parent: requireElement('#style-slot', HTMLDivElement), board, selection, style });
const arrangeButtons = createArrangeButtons({ parent: stylePanel.element, board, selection, commands: () => commands });
const snapToggles = createSnapToggles({ parent: requireElement('#bottom-left-slot', HTMLDivElement), snap });
const historyControls = createHistoryControls(requireElement('#bottom-left-slot', HTMLDivElement), history);
const framesPanel = createFramesPanel({
  parent: requireElement('#bottom-left-slot', HTMLDivElement),
  board,
  camera,
  screen: () => stage.size(),
  exportFrame: (frameId, format) => void exportMenu.exportFrame(frameId, format),
});
const historyPanel = createHistoryPanel({
  parent: requireElement('#bottom-left-slot', HTMLDivElement),
  api: { room, token, fetch: (...args) => window.fetch(...args) },
  board,
  preview,
  access,
  notice,
  marks: versionRenderer,
  keys: window,
});
const zoomControls = createZoomControls({ parent: requireElement('#bottom-left-slot', HTMLDivElement), camera, screen: () => stage.size(), fit });
const readOnlyChrome = createReadOnlyChrome({
  access,
  root: requireElement('.app', HTMLElement),
  toolbar: toolbar.element,
  editOnly: [stylePanel.element, historyControls.element, snapToggles.element],
  editButtons: [...exportMenu.element.querySelectorAll<HTMLButtonElement>('button[data-action="import"]')],
});
openTimeline.ready();

// Parts close in reverse order of creation, so nothing outlives what it listens to.
const parts = [
  access,
  preview,
  board,
  selection,
  draft,
  camera,
  history,
  editing,
  laser,
  style,
  snap,
  title,
  tabTitle,
  offline,
  ...(tabSync ? [tabSync] : []),
  connection,
  pending,
  permissionWatch,
  textMigration,
  pictures,
  theme,
  stage,
  grid,
  openTimeline,
  presence,
  renderer,
  versionRenderer,
  draftRenderer,
  overlay,
  laserRenderer,
  snapGuides,
  toolbox,
  navigation,
  pointerInput,
  cursor,
  notice,
  images,
  imagePicker,
  exportMenu,
  themeToggle,
  minimap,
  help,
  findPanel,
  shortcuts,
  clipboard,
  textEditor,
  frameTitleEditor,
  toolbar,
  status,
  accessBadge,
  shareDialog,
  titleField,
  visit,
  stylePanel,
  arrangeButtons,
  snapToggles,
  historyControls,
  framesPanel,
  historyPanel,
  zoomControls,
  readOnlyChrome,
];
if (import.meta.hot) {
  import.meta.hot.dispose(() => {
    for (const part of parts.reverse()) part.close();
    doc.destroy();
  });
}
