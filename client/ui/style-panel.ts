import type { Board } from '../model/board.ts';
import type { Selection } from '../model/selection.ts';
import type { StylePatch, StyleState, ToolStyle } from '../model/style-state.ts';
import { restyleSelection } from '../tools/actions/restyle.ts';
import { darkColor } from '../canvas/theme-colors.ts';
import { createButton, createGroup, mount } from './dom.ts';

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

type ChoiceKey = Exclude<keyof ToolStyle, 'opacity'>;

type Choice = { key: ChoiceKey; label: string; options: ReadonlyArray<{ value: string | number; label: string }> };

/** A style field's choices, given as [value, label] pairs. */
const choice = (key: ChoiceKey, label: string, options: ReadonlyArray<[value: string | number, label: string]>): Choice => ({
  key,
  label,
  options: options.map(([value, optionLabel]) => ({ value, label: optionLabel })),
});

/** The choices offered for each style field, with their labels. */
const CHOICES: readonly Choice[] = [
  choice('strokeColor', 'Stroke', [['#1e1e1e', 'Black'], ['#e03131', 'Red'], ['#2f9e44', 'Green'], ['#1971c2', 'Blue'], ['#f08c00', 'Orange']]),
  choice('fillStyle', 'Fill', [['none', 'None'], ['semi', 'Semi'], ['solid', 'Solid']]),
  choice('fillColor', 'Fill colour', [['#a5d8ff', 'Light blue'], ['#ffc9c9', 'Pink'], ['#b2f2bb', 'Light green'], ['#ffec99', 'Yellow'], ['#e9ecef', 'Grey']]),
  choice('strokeWidth', 'Width', [[1, 'Thin'], [2, 'Medium'], [4, 'Bold'], [8, 'Extra bold']]),
  choice('dash', 'Dash', [['solid', 'Solid'], ['dashed', 'Dashed'], ['dotted', 'Dotted']]),
  choice('fontSize', 'Font size', [[16, 'S'], [20, 'M'], [28, 'L'], [40, 'XL']]),
  choice('textAlign', 'Text align', [['left', 'Left'], ['center', 'Center'], ['right', 'Right']]),
  choice('verticalAlign', 'Vertical align', [['top', 'Top'], ['middle', 'Middle'], ['bottom', 'Bottom']]),
  choice('arrowKind', 'Arrow type', [['straight', 'Straight'], ['curved', 'Curved'], ['elbow', 'Elbow']]),
  choice('startArrowhead', 'Start', [['none', 'None'], ['arrow', 'Arrow'], ['triangle', 'Triangle'], ['dot', 'Dot'], ['bar', 'Bar']]),
  choice('endArrowhead', 'End', [['none', 'None'], ['arrow', 'Arrow'], ['triangle', 'Triangle'], ['dot', 'Dot'], ['bar', 'Bar']]),
];

/** Fields every shape has: their rows always show. The others show for a selection of shapes that have them. */
const EVERY_SHAPE: ReadonlySet<string> = new Set<keyof ToolStyle>(['strokeColor', 'fillStyle', 'fillColor', 'strokeWidth', 'dash', 'fontSize', 'opacity']);

/** A labelled row of the panel: a `div`, or a `label` when it holds a single input. */
function styleRow(tag: 'div' | 'label', text: string): HTMLElement {
  const row = document.createElement(tag);
  row.className = 'style-row';
  const title = document.createElement('span');
  title.className = 'style-label';
  title.textContent = text;
  row.append(title);
  return row;
}

/**
 * The style panel: stroke colour, fill, width, dash, opacity and font size. A choice restyles the
 * selection (one undo step) and becomes the style of new shapes. It shows the first selected
 * shape's style, or the style new shapes get when nothing is selected.
 */
export function createStylePanel(options: StylePanelOptions): StylePanel {
  const { parent, board, selection, style } = options;
  const element = createGroup('style-panel panel', 'Style');

  const apply = (patch: StylePatch): void => {
    style.set(patch);
    restyleSelection({ board, selection }, patch);
    show();
  };

  const buttons: Array<{ key: ChoiceKey; value: string | number; button: HTMLButtonElement }> = [];
  const rows: Array<{ key: ChoiceKey; row: HTMLElement }> = [];
  for (const choice of CHOICES) {
    const row = styleRow('div', choice.label);
    const group = createGroup('style-options', choice.label, 'radiogroup');
    for (const option of choice.options) {
      const run = (): void => apply({ [choice.key]: option.value } as StylePatch);
      const button = createButton('style-option', `${choice.label}: ${option.label}`, run, option.label);
      button.dataset.style = choice.key;
      button.dataset.value = String(option.value);
      button.setAttribute('role', 'radio');
      if (typeof option.value === 'string' && option.value.startsWith('#')) {
        button.classList.add('is-swatch');
        button.style.setProperty('--swatch', option.value);
        // The colour as the dark theme draws it: the stylesheet shows it there (client/styles.css).
        button.style.setProperty('--swatch-dark', darkColor(option.value));
      } else if (choice.key === 'strokeWidth') {
        // A width shows as a line of (about) that width, with no text.
        button.style.setProperty('--line', `${Math.min(6, Number(option.value))}px`);
        button.classList.add('is-line');
      } else {
        button.textContent = option.label;
      }
      buttons.push({ key: choice.key, value: option.value, button });
      group.append(button);
    }
    row.append(group);
    row.dataset.styleRow = choice.key;
    rows.push({ key: choice.key, row });
    element.append(row);
  }

  const opacityRow = styleRow('label', 'Opacity');
  const opacity = document.createElement('input');
  opacity.type = 'range';
  opacity.min = '10';
  opacity.max = '100';
  opacity.step = '10';
  opacity.dataset.style = 'opacity';
  opacity.setAttribute('aria-label', 'Opacity');
  // One undo step per setting chosen, not one per pixel the slider passes.
  opacity.addEventListener('change', () => apply({ opacity: Number(opacity.value) / 100 }));
  opacityRow.append(opacity);
  element.append(opacityRow);

  const selected = () => [...selection.ids()].map((id) => board.get(id)).filter((shape) => shape !== undefined);
  function show(): void {
    const shapes = selected();
    const defaults = style.get();
    // A field shows as the first selected shape that has it has it, or as new shapes get it.
    const valueOf = (key: keyof ToolStyle): unknown => {
      const owner = shapes.find((shape) => key in shape);
      return owner !== undefined ? (owner as unknown as Record<string, unknown>)[key] : defaults[key];
    };
    // With nothing selected every row shows (it sets what new shapes get); with a selection, the
    // rows of fields no selected shape has are hidden.
    for (const { key, row } of rows) row.hidden = !EVERY_SHAPE.has(key) && shapes.length > 0 && !shapes.some((shape) => key in shape);
    for (const { key, value, button } of buttons) {
      const on = String(valueOf(key)) === String(value);
      button.classList.toggle('is-active', on);
      button.setAttribute('aria-checked', String(on));
    }
    opacity.value = String(Math.round(Number(valueOf('opacity')) * 100));
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
  return mount(parent, element, offs);
}
