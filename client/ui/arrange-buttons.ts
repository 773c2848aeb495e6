import type { Board } from '../model/board.ts';
import type { Selection } from '../model/selection.ts';
import { ALIGNMENTS, arrangeUnits, type Alignment } from '../tools/actions/align.ts';
import { DISTRIBUTIONS, type Distribution } from '../tools/actions/distribute.ts';
import { createButton, createGroup, mount } from './dom.ts';
import { describeCombo, type Command } from './keymap.ts';

export interface ArrangeButtonsOptions {
  /** The style panel's element: the row goes at its top. */
  parent: HTMLElement;
  board: Board;
  selection: Selection;
  /** The page's commands (guarded for view-only pages): each button runs the one of its id. */
  commands(): readonly Command[];
}

const SVG = 'http://www.w3.org/2000/svg';

/** Rectangles [x, y, width, height] and lines [x1, y1, x2, y2] on a 24×24 grid, drawn for a vertical guide. */
type Icon = { rects: number[][]; lines: number[][] };

/** The icon for an alignment along x; the same turned a quarter serves the alignment along y. */
const ALIGN_ICONS: Record<'start' | 'middle' | 'end', Icon> = {
  start: { lines: [[4, 3, 4, 21]], rects: [[6, 6, 12, 4], [6, 14, 7, 4]] },
  middle: { lines: [[12, 3, 12, 21]], rects: [[6, 6, 12, 4], [8.5, 14, 7, 4]] },
  end: { lines: [[20, 3, 20, 21]], rects: [[6, 6, 12, 4], [11, 14, 7, 4]] },
};
const DISTRIBUTE_ICON: Icon = { lines: [[3, 4, 3, 20], [21, 4, 21, 20]], rects: [[9.5, 7, 5, 10]] };

const ICON_OF: Record<Alignment, { icon: Icon; turned: boolean }> = {
  left: { icon: ALIGN_ICONS.start, turned: false },
  center: { icon: ALIGN_ICONS.middle, turned: false },
  right: { icon: ALIGN_ICONS.end, turned: false },
  top: { icon: ALIGN_ICONS.start, turned: true },
  middle: { icon: ALIGN_ICONS.middle, turned: true },
  bottom: { icon: ALIGN_ICONS.end, turned: true },
};

/** The icon as an SVG element; `turned` swaps x and y (a vertical guide becomes a horizontal one). */
function iconElement({ rects, lines }: Icon, turned: boolean): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  const swap = (a: number, b: number): [number, number] => (turned ? [b, a] : [a, b]);
  for (const [x1, y1, x2, y2] of lines) {
    const line = document.createElementNS(SVG, 'line');
    const [ax, ay] = swap(x1!, y1!);
    const [bx, by] = swap(x2!, y2!);
    Object.entries({ x1: ax, y1: ay, x2: bx, y2: by, stroke: 'currentColor', 'stroke-width': 1.5, 'stroke-linecap': 'round' }).forEach(([k, v]) => line.setAttribute(k, String(v)));
    svg.append(line);
  }
  for (const [x, y, w, h] of rects) {
    const rect = document.createElementNS(SVG, 'rect');
    const [rx, ry] = swap(x!, y!);
    const [rw, rh] = swap(w!, h!);
    Object.entries({ x: rx, y: ry, width: rw, height: rh, rx: 1, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }).forEach(([k, v]) => rect.setAttribute(k, String(v)));
    svg.append(rect);
  }
  return svg;
}

/**
 * A row of align and distribute buttons at the top of the style panel, shown while two or more
 * units (shapes, or groups selected whole) are selected; distributing needs three. Each button
 * runs the command of the same name, so a view-only page refuses it as it refuses the key.
 */
export function createArrangeButtons(options: ArrangeButtonsOptions): { readonly element: HTMLElement; close(): void } {
  const { board, selection } = options;
  const element = createGroup('style-row arrange-buttons', 'Align and distribute');
  const title = document.createElement('span');
  title.className = 'style-label';
  title.textContent = 'Align';
  const row = document.createElement('div');
  row.className = 'style-options';
  element.append(title, row);

  const run = (id: string): void => {
    options.commands().find((command) => command.id === id)?.run();
  };
  const key = (id: string): string => {
    const first = options.commands().find((command) => command.id === id)?.keys[0];
    return first === undefined ? '' : ` — ${describeCombo(first, /Mac|iPhone|iPad/.test(navigator.platform))}`;
  };
  const button = (id: string, label: string, icon: SVGSVGElement): HTMLButtonElement => {
    const b = createButton('style-option', label, () => run(id), `${label}${key(id)}`);
    b.dataset.action = id;
    b.append(icon);
    row.append(b);
    return b;
  };
  for (const { alignment, label } of ALIGNMENTS) button(`align-${alignment}`, label, iconElement(ICON_OF[alignment].icon, ICON_OF[alignment].turned));
  const distribute = DISTRIBUTIONS.map(({ distribution, label }: { distribution: Distribution; label: string }) =>
    button(`distribute-${distribution}`, label, iconElement(DISTRIBUTE_ICON, distribution === 'vertical')),
  );

  const show = (): void => {
    // Counting units asks for the selected shapes only: cheap, whatever the board's size.
    const units = selection.size < 2 ? 0 : arrangeUnits({ ordered: () => [...selection.ids()].flatMap((id) => board.get(id) ?? []) }, selection).length;
    element.hidden = units < 2;
    for (const b of distribute) b.disabled = units < 3;
  };
  show();
  const offs = [
    selection.onChange(show),
    // Grouping or ungrouping the selection changes how many units it is, not which shapes.
    board.onChange(({ ids }) => {
      for (const id of ids) if (selection.has(id)) return show();
    }),
  ];
  // A click must not take focus from the board (the next key would go to the button).
  element.addEventListener('mousedown', (event) => event.preventDefault());
  const mounted = mount(options.parent, element, offs);
  // First in the panel: the style rows below it can run past the bottom of a short window.
  options.parent.prepend(element);
  return mounted;
}
