import type { VersionInfo } from '../../shared/api.ts';
import { PREVIEW_MARKS, type PreviewMarkKind, type VersionPreviewRenderer } from '../canvas/version-preview-renderer.ts';
import { ReadOnlyError, type Board } from '../model/board.ts';
import { restoreVersion } from '../model/restore-version.ts';
import type { VersionPreview } from '../model/version-preview.ts';
import type { AccessMode } from '../sync/access-mode.ts';
import { captureVersion, fetchVersionBoard, fetchVersions, type VersionsApiRequest } from '../sync/versions-api.ts';
import { createButton, createGroup, mount } from './dom.ts';
import { isEditable } from './editable.ts';
import type { Notice } from './notice.ts';
import { formatVersionTime, VERSION_REASON_LABELS } from './version-time.ts';

export interface HistoryPanelOptions {
  parent: HTMLElement;
  /** Where the versions are asked for: the room, the link's token, fetch. */
  api: VersionsApiRequest;
  /** The live board, which a restore changes. */
  board: Board;
  preview: VersionPreview;
  /** View-only pages browse history and never see Restore. */
  access: Pick<AccessMode, 'readOnly' | 'onChange'>;
  notice: Pick<Notice, 'show'>;
  /** What the preview's marks show, for the legend's counts. */
  marks: Pick<VersionPreviewRenderer, 'diff' | 'onDiff'>;
  /** Where Esc is listened for while a version is shown. */
  keys: Window;
  /** Defaults to the clock; for "5 min ago". */
  now?: () => Date;
}

export interface HistoryPanel {
  readonly element: HTMLElement;
  readonly isOpen: boolean;
  toggle(): void;
  close(): void;
}

const LEGEND_ORDER: readonly PreviewMarkKind[] = ['added', 'removed', 'changed'];

/**
 * The board's versions behind a "History" button, newest first (when, why, who edited, how many
 * shapes). Choosing one shows it on the canvas in place of the live board, read only, with what
 * differs marked (legend here); "Back to the board" or Esc returns to the live board, and Restore
 * (not on view-only pages) makes the live board equal to it as one undoable edit.
 */
export function createHistoryPanel(options: HistoryPanelOptions): HistoryPanel {
  const { board, preview, access, notice } = options;
  const now = options.now ?? (() => new Date());
  const element = createGroup('history-panel panel', 'Version history');
  const popup = document.createElement('div');
  popup.className = 'history-popup';
  popup.hidden = true;
  const heading = document.createElement('h2');
  heading.textContent = 'Version history';
  const message = document.createElement('p');
  message.className = 'history-message';
  message.setAttribute('role', 'status');
  message.hidden = true;
  const list = document.createElement('ol');
  list.className = 'history-list';
  list.setAttribute('aria-label', 'Versions of this board, newest first');

  const previewBox = document.createElement('div');
  previewBox.className = 'history-preview';
  previewBox.hidden = true;
  const previewTitle = document.createElement('p');
  previewTitle.className = 'history-preview-title';
  const legend = document.createElement('ul');
  legend.className = 'history-legend';
  legend.setAttribute('aria-label', 'What the marks on the board mean');
  const legendCounts = new Map<PreviewMarkKind, HTMLElement>();
  for (const kind of LEGEND_ORDER) {
    const item = document.createElement('li');
    item.dataset.mark = kind;
    const swatch = document.createElement('span');
    swatch.className = 'history-swatch';
    swatch.style.borderColor = PREVIEW_MARKS[kind].color;
    swatch.style.borderStyle = PREVIEW_MARKS[kind].dash.length > 0 ? 'dashed' : 'solid';
    const label = document.createElement('span');
    label.textContent = PREVIEW_MARKS[kind].label;
    const count = document.createElement('span');
    count.className = 'history-count';
    legendCounts.set(kind, count);
    item.append(swatch, label, count);
    legend.append(item);
  }
  const back = createButton('chip-button', 'Back to the board (Esc)', () => preview.exit());
  back.dataset.action = 'back-to-board';
  back.textContent = 'Back to the board';
  const restore = createButton('chip-button history-restore', 'Restore this version', () => void restoreShown());
  restore.dataset.action = 'restore-version';
  restore.textContent = 'Restore this version';
  const actions = document.createElement('div');
  actions.className = 'history-actions';
  actions.append(back, restore);
  previewBox.append(previewTitle, legend, actions);
  popup.append(heading, message, list, previewBox);

  const toggleButton = createButton('chip-button', 'History', () => toggle(), 'History: earlier versions of this board');
  toggleButton.dataset.action = 'history';
  toggleButton.textContent = 'History';
  toggleButton.setAttribute('aria-expanded', 'false');
  element.append(popup, toggleButton);
  // A click must not take focus from the board: shortcuts (Ctrl+Z after a restore) keep working.
  element.addEventListener('mousedown', (event) => event.preventDefault());

  const say = (text: string | null): void => {
    message.hidden = text === null;
    message.textContent = text ?? '';
  };
  const describe = (version: VersionInfo): string => formatVersionTime(new Date(version.at), now());

  // Only the latest request's answer is shown: an older one arriving late is dropped.
  let request = 0;
  let versions: VersionInfo[] = [];

  const entry = (version: VersionInfo): HTMLLIElement => {
    const item = document.createElement('li');
    item.className = 'history-entry';
    const button = createButton('history-version', `Show the version of ${describe(version)}`, () => void show(version));
    button.dataset.action = 'preview-version';
    button.dataset.versionId = version.id;
    const time = document.createElement('time');
    time.dateTime = version.at;
    time.textContent = describe(version);
    const reason = document.createElement('span');
    reason.className = 'history-reason';
    reason.textContent = VERSION_REASON_LABELS[version.reason];
    const who = document.createElement('span');
    who.className = 'history-editors';
    who.textContent = version.editors.length === 0 ? 'no edits recorded' : version.editors.join(', ');
    const count = document.createElement('span');
    count.className = 'history-shapes';
    count.textContent = `${version.shapes} ${version.shapes === 1 ? 'shape' : 'shapes'}`;
    button.append(time, reason, who, count);
    item.append(button);
    return item;
  };

  const renderList = (): void => {
    const shown = preview.current?.version.id ?? null;
    list.replaceChildren(...versions.map(entry));
    for (const button of list.querySelectorAll<HTMLButtonElement>('button[data-version-id]')) {
      if (button.dataset.versionId === shown) button.setAttribute('aria-current', 'true');
    }
  };

  const load = async (): Promise<void> => {
    const mine = ++request;
    say('Loading the versions…');
    const result = await fetchVersions(options.api);
    if (mine !== request || popup.hidden) return;
    if (result.kind !== 'versions') {
      versions = [];
      renderList();
      say(result.message);
      return;
    }
    versions = result.versions;
    renderList();
    say(versions.length === 0 ? 'No versions yet: the server keeps one every few minutes while the board changes, and when everyone leaves it.' : null);
  };

  const show = async (version: VersionInfo): Promise<void> => {
    const mine = ++request;
    say(`Loading the version of ${describe(version)}…`);
    const result = await fetchVersionBoard(options.api, version.id);
    if (mine !== request || popup.hidden) return;
    if (result.kind === 'error') {
      say(result.message);
      return;
    }
    say(null);
    preview.show({ version, board: result.board });
  };

  /**
   * Restore: first the server keeps a version of the board as it is (the restore is this page's
   * own edit, which the server cannot see coming), then the board is made equal to the shown
   * version. If the server does not keep one, nothing is restored and the person is told why.
   */
  let restoring = false;
  const restoreShown = async (): Promise<void> => {
    const current = preview.current;
    if (current === null || access.readOnly || restoring) return;
    const when = describe(current.version);
    restoring = true;
    restore.disabled = true;
    say('Keeping a version of the board as it is first…');
    let captured;
    try {
      captured = await captureVersion(options.api, 'restore');
    } finally {
      restoring = false;
      showRestore();
    }
    if (captured.kind === 'error') {
      say(captured.message);
      notice.show(captured.message, 'error');
      return;
    }
    say(null);
    // Left or changed meanwhile (Esc, another version): restore only what is still shown.
    if (preview.current !== current) return;
    // Back to the live board first: the board refuses edits while a version is shown.
    preview.exit();
    try {
      restoreVersion(board, current.board);
    } catch (error) {
      if (!(error instanceof ReadOnlyError)) throw error;
      notice.show('This board is view only: it cannot be restored from here.', 'error');
      return;
    }
    notice.show(`Restored the version of ${when}. Ctrl+Z undoes it.`, 'info');
  };

  const updateLegend = (): void => {
    const diff = options.marks.diff;
    for (const kind of LEGEND_ORDER) legendCounts.get(kind)!.textContent = diff === null ? '' : String(diff[kind].size);
  };

  const onPreview = (): void => {
    const current = preview.current;
    previewBox.hidden = current === null;
    element.dataset.previewing = String(current !== null);
    if (current !== null) {
      previewTitle.textContent = `Showing the version of ${describe(current.version)}, read only. The marks compare it with the board now.`;
      updateLegend();
    }
    renderList();
  };

  const showRestore = (): void => {
    restore.hidden = access.readOnly;
    restore.disabled = access.readOnly || restoring;
  };
  showRestore();

  const setOpen = (open: boolean): void => {
    popup.hidden = !open;
    toggleButton.setAttribute('aria-expanded', String(open));
    toggleButton.classList.toggle('is-active', open);
    if (open) void load();
    else {
      request++;
      preview.exit();
    }
  };
  const toggle = (): void => setOpen(popup.hidden);

  // Esc leaves the version before any tool or command sees the key.
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !preview.active || isEditable(event.target)) return;
    event.preventDefault();
    event.stopPropagation();
    preview.exit();
  };
  options.keys.addEventListener('keydown', onKey, true);

  const mounted = mount(options.parent, element, [
    preview.onChange(onPreview),
    access.onChange(showRestore),
    // The counts follow the marks, which follow the live board as others edit.
    options.marks.onDiff(updateLegend),
    () => options.keys.removeEventListener('keydown', onKey, true),
  ]);
  return {
    element,
    get isOpen() {
      return !popup.hidden;
    },
    toggle,
    close() {
      request++;
      mounted.close();
    },
  };
}
