import type { ShapeStyle } from '../../shared/schema.ts';
import type { Board } from '../model/board.ts';
import type { Selection } from '../model/selection.ts';
import type { StyleState } from '../model/style-state.ts';
import { restyleSelection } from '../tools/actions/restyle.ts';

export interface StylePanelOptions {
  parent: HTMLElement;
  board: Board;
  selection: Selection;
  style: StyleState;
}

export interface StylePanel {
  readonly element: HTMLElement;
  close(): void;
}

type ChoiceKey = Exclude<keyof ShapeStyle, 'opacity'>;

/** The choices offered for each style field, with their labels. */
const CHOICES: ReadonlyArray<{ key: ChoiceKey; label: string; options: ReadonlyArray<{ value: string | number; label: string }> }> = [
  {
    key: 'strokeColor',
    label: 'Stroke',
    options: [
      { value: '#1e1e1e', label: 'Black' },
      { value: '#e03131', label: 'Red' },
      { value: '#2f9e44', label: 'Green' },
      { value: '#1971c2', label: 'Blue' },
      { value: '#f08c00', label: 'Orange' },
    ],
  },
  {
    key: 'fillStyle',
    label: 'Fill',
    options: [
      { value: 'none', label: 'None' },
      { value: 'semi', label: 'Semi' },
      { value: 'solid', label: 'Solid' },
    ],
  },
  {
    key: 'fillColor',
    label: 'Fill colour',
    options: [
      { value: '#a5d8ff', label: 'Light blue' },
      { value: '#ffc9c9', label: 'Pink' },
      { value: '#b2f2bb', label: 'Light green' },
      { value: '#ffec99', label: 'Yellow' },
      { value: '#e9ecef', label: 'Grey' },
    ],
  },
  {
    key: 'strokeWidth',
    label: 'Width',
    options: [
      { value: 1, label: 'Thin' },
      { value: 2, label: 'Medium' },
      { value: 4, label: 'Bold' },
      { value: 8, label: 'Extra bold' },
    ],
  },
  {
    key: 'dash',
    label: 'Dash',
    options: [
      { value: 'solid', label: 'Solid' },
      { value: 'dashed', label: 'Dashed' },
      { value: 'dotted', label: 'Dotted' },
    ],
  },
  {
    key: 'fontSize',
    label: 'Font size',
    options: [
      { value: 16, label: 'S' },
      { value: 20, label: 'M' },
      { value: 28, label: 'L' },
      { value: 40, label: 'XL' },
    ],
  },
];

/**
 * The style panel: stroke colour, fill, width, dash, opacity and font size. A choice restyles the
 * selection (one undo step) and becomes the style of new shapes. It shows the first selected
 * shape's style, or the style new shapes get when nothing is selected.
 */
export function createStylePanel(options: StylePanelOptions): StylePanel {
  const { parent, board, selection, style } = options;
  const element = document.createElement('div');
  element.className = 'style-panel panel';
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', 'Style');

  const apply = (patch: Partial<ShapeStyle>): void => {
    style.set(patch);
    restyleSelection({ board, selection }, patch);
    show();
  };

  const buttons: Array<{ key: ChoiceKey; value: string | number; button: HTMLButtonElement }> = [];
  for (const choice of CHOICES) {
    const row = document.createElement('div');
    row.className = 'style-row';
    const title = document.createElement('span');
    title.className = 'style-label';
    title.textContent = choice.label;
    const group = document.createElement('div');
    group.className = 'style-options';
    group.setAttribute('role', 'radiogroup');
    group.setAttribute('aria-label', choice.label);
    for (const option of choice.options) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'style-option';
      button.dataset.style = choice.key;
      button.dataset.value = String(option.value);
      button.setAttribute('role', 'radio');
      button.setAttribute('aria-label', `${choice.label}: ${option.label}`);
      button.title = option.label;
      if (typeof option.value === 'string' && option.value.startsWith('#')) {
        button.classList.add('is-swatch');
        button.style.setProperty('--swatch', option.value);
      } else {
        button.textContent = choice.key === 'strokeWidth' ? '' : option.label;
        if (choice.key === 'strokeWidth') button.style.setProperty('--line', `${Math.min(6, Number(option.value))}px`);
        if (choice.key === 'strokeWidth') button.classList.add('is-line');
      }
      button.addEventListener('click', () => apply({ [choice.key]: option.value } as Partial<ShapeStyle>));
      buttons.push({ key: choice.key, value: option.value, button });
      group.append(button);
    }
    row.append(title, group);
    element.append(row);
  }

  const opacityRow = document.createElement('label');
  opacityRow.className = 'style-row';
  const opacityTitle = document.createElement('span');
  opacityTitle.className = 'style-label';
  opacityTitle.textContent = 'Opacity';
  const opacity = document.createElement('input');
  opacity.type = 'range';
  opacity.min = '10';
  opacity.max = '100';
  opacity.step = '10';
  opacity.dataset.style = 'opacity';
  opacity.setAttribute('aria-label', 'Opacity');
  // One undo step per setting chosen, not one per pixel the slider passes.
  opacity.addEventListener('change', () => apply({ opacity: Number(opacity.value) / 100 }));
  opacityRow.append(opacityTitle, opacity);
  element.append(opacityRow);

  const shown = (): ShapeStyle => {
    for (const id of selection.ids()) {
      const shape = board.get(id);
      if (shape !== undefined) return shape;
    }
    return style.get();
  };
  function show(): void {
    const current = shown();
    for (const { key, value, button } of buttons) {
      const on = String(current[key]) === String(value);
      button.classList.toggle('is-active', on);
      button.setAttribute('aria-checked', String(on));
    }
    opacity.value = String(Math.round(current.opacity * 100));
  }
  show();
  const offs = [
    selection.onChange(show),
    style.onChange(show),
    board.onChange(({ ids }) => {
      for (const id of ids) if (selection.has(id)) return show();
    }),
  ];
  element.addEventListener('mousedown', (event) => {
    if (event.target instanceof HTMLButtonElement) event.preventDefault();
  });
  parent.append(element);
  return {
    element,
    close() {
      for (const off of offs) off();
      element.remove();
    },
  };
}
