import { PRESENCE_LIMITS } from '../../shared/presence.ts';

export interface NameEditor {
  readonly element: HTMLInputElement;
  close(): void;
}

/**
 * An inline text field for the local user's name, opened in place of their avatar. Enter or
 * leaving the field saves, Escape cancels; either way `done` is called once and the field goes.
 */
export function createNameEditor(options: { parent: HTMLElement; name: string; save(name: string): void; done(): void }): NameEditor {
  const element = document.createElement('input');
  element.type = 'text';
  element.className = 'name-editor';
  element.value = options.name;
  element.maxLength = PRESENCE_LIMITS.maxNameLength;
  element.setAttribute('aria-label', 'Your name, as others see it');
  element.spellcheck = false;
  let finished = false;

  const finish = (save: boolean): void => {
    if (finished) return;
    finished = true;
    if (save) options.save(element.value);
    element.remove();
    options.done();
  };
  const onKey = (event: KeyboardEvent): void => {
    // Keys typed into the name are not tool shortcuts.
    event.stopPropagation();
    if (event.key === 'Enter') finish(true);
    else if (event.key === 'Escape') finish(false);
  };
  const onBlur = (): void => finish(true);
  element.addEventListener('keydown', onKey);
  element.addEventListener('blur', onBlur);
  // Placed first, where the avatar was; before focusing, since moving a focused field blurs it.
  options.parent.prepend(element);
  element.focus();
  element.select();

  return {
    element,
    close() {
      finished = true;
      element.removeEventListener('keydown', onKey);
      element.removeEventListener('blur', onBlur);
      element.remove();
    },
  };
}
