import type { Point } from '../model/plane.ts';

export interface ImagePickerOptions {
  parent: HTMLElement;
  /** Where picked images land: the middle of the view, in board units. */
  center(): Point;
  insert(files: readonly File[], at: Point): void;
}

export interface ImagePicker {
  /** Opens the browser's file picker; call it inside the click or key that asked, or the browser ignores it. */
  open(): void;
  close(): void;
}

/** The four image types and SVG, by type and by extension (some systems give SVG no type). */
export const IMAGE_FILE_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml,.png,.jpg,.jpeg,.gif,.webp,.svg';

/** The image tool's file picker: a hidden file input; the files chosen go to the inserter. */
export function createImagePicker(options: ImagePickerOptions): ImagePicker {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = IMAGE_FILE_ACCEPT;
  input.multiple = true;
  input.hidden = true;
  input.dataset.action = 'image-file';
  const onChange = (): void => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) options.insert(files, options.center());
  };
  input.addEventListener('change', onChange);
  options.parent.append(input);
  return {
    open: () => input.click(),
    close() {
      input.removeEventListener('change', onChange);
      input.remove();
    },
  };
}
