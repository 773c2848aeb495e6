import type { ShareResult } from '../sync/share-link.ts';
import { createDialogHeader } from './dom.ts';

export interface ShareDialogOptions {
  /** Where the Share button goes (next to the connection status). */
  parent: HTMLElement;
  /** Where the dialog element goes. */
  dialogParent: HTMLElement;
  /** True when the page may only view: the dialog then offers the page's own link. */
  readOnly(): boolean;
  /** The page's own link (with its token), for viewers to pass on. */
  currentLink(): string;
  /** Asks the server for a read-only link (sync/share-link.ts). */
  requestViewLink(): Promise<ShareResult>;
  /** navigator.clipboard where there is one; without it the link is selected for Ctrl+C. */
  clipboard?: Pick<Clipboard, 'writeText'> | null;
}

export interface ShareDialog {
  readonly button: HTMLButtonElement;
  readonly dialog: HTMLDialogElement;
  open(): void;
  close(): void;
}

/** What the dialog shows; `data-state` on the dialog carries it for tests and styling. */
type ShareState = 'loading' | 'view-link' | 'sharing-disabled' | 'viewer' | 'error';

const SECRET_NEEDED =
  'Read-only links need the server to be started with an auth secret (--auth-secret or AUTH_SECRET). Without one, anyone with the board link can edit it:';

/**
 * The Share button and its dialog: an editor gets a fresh view-only link from the server, a
 * viewer gets the link they opened, and on a server without an auth secret the dialog says why
 * there is no read-only link and offers the plain one.
 */
export function createShareDialog(options: ShareDialogOptions): ShareDialog {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'share-button';
  button.dataset.action = 'share';
  button.textContent = 'Share';
  button.title = 'Share a link to this board';

  const dialog = document.createElement('dialog');
  dialog.className = 'share-dialog';
  dialog.setAttribute('aria-labelledby', 'share-dialog-title');
  const { header, title } = createDialogHeader(dialog, 'Share this board', 'close-share');
  title.id = 'share-dialog-title';

  const message = document.createElement('p');
  message.className = 'share-message';
  const row = document.createElement('div');
  row.className = 'share-row';
  const input = document.createElement('input');
  input.type = 'text';
  input.readOnly = true;
  input.className = 'share-link';
  input.setAttribute('aria-label', 'Link');
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'chip-button share-copy';
  copy.dataset.action = 'copy-link';
  copy.textContent = 'Copy';
  row.append(input, copy);
  const detail = document.createElement('p');
  detail.className = 'share-detail';
  const copyStatus = document.createElement('p');
  copyStatus.className = 'share-copy-status';
  copyStatus.setAttribute('role', 'status');
  copyStatus.setAttribute('aria-live', 'polite');
  const body = document.createElement('div');
  body.className = 'share-body';
  body.append(message, row, detail, copyStatus);
  dialog.append(header, body);

  // Each opening asks anew; an answer to an earlier opening that arrives late is ignored.
  let generation = 0;

  const show = (state: ShareState, text: string, link: string | null, extra = ''): void => {
    dialog.dataset.state = state;
    message.textContent = text;
    row.hidden = link === null;
    input.value = link ?? '';
    detail.textContent = extra;
    detail.hidden = extra === '';
    copyStatus.textContent = '';
  };

  const showResult = (result: ShareResult): void => {
    if (result.kind === 'view-link') {
      show('view-link', 'Anyone with this link can view the board, but not edit it:', result.url, `The link works until ${result.expiresAt.toLocaleString()}.`);
    } else if (result.kind === 'sharing-disabled') {
      show('sharing-disabled', SECRET_NEEDED, result.url);
    } else {
      show('error', result.message, null);
    }
  };

  const open = (): void => {
    const current = ++generation;
    if (!dialog.open) dialog.showModal();
    if (options.readOnly()) {
      show('viewer', 'You can view this board but not edit it. Anyone with this link can view it too:', options.currentLink());
      return;
    }
    show('loading', 'Making a read-only link…', null);
    void options.requestViewLink().then((result) => {
      if (current === generation && dialog.open) showResult(result);
    });
  };

  const onCopy = async (): Promise<void> => {
    try {
      if (!options.clipboard) throw new Error('no clipboard');
      await options.clipboard.writeText(input.value);
      copyStatus.textContent = 'Link copied.';
    } catch {
      // No permission, or no clipboard at all: the selected text is one Ctrl+C away.
      input.focus();
      input.select();
      copyStatus.textContent = 'Press Ctrl+C (⌘C on a Mac) to copy the selected link.';
    }
  };

  const onDialogClick = (event: MouseEvent): void => {
    // A click on the backdrop (outside the dialog's box) closes it.
    if (event.target === dialog) dialog.close();
  };
  const onCopyClick = (): void => void onCopy();
  const onInputFocus = (): void => input.select();
  // Aborting removes every listener below at once.
  const listening = new AbortController();
  const { signal } = listening;
  button.addEventListener('click', open, { signal });
  copy.addEventListener('click', onCopyClick, { signal });
  input.addEventListener('focus', onInputFocus, { signal });
  dialog.addEventListener('click', onDialogClick, { signal });
  options.parent.append(button);
  options.dialogParent.append(dialog);

  return {
    button,
    dialog,
    open,
    close() {
      generation++;
      listening.abort();
      button.remove();
      dialog.remove();
    },
  };
}
