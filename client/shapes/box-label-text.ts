import type Konva from 'konva';
import type { BoxFields, LabelFields, ShapeStyle, Shape } from '../../shared/schema.ts';
import { svgText, type SvgTextAnchor } from '../export/svg-markup.ts';
import type { NewShapeOf } from '../model/shape.ts';
import { fitLabel, labelAnchorX, labelArea, labelLinesFitting, labelTop, linesHeight, wrapLabel, type LabelInset } from './box-label.ts';
import { FONT_FAMILY, LINE_HEIGHT } from './constants.ts';
import type { EditorBox, ShapeText } from './shape-util.ts';

/** A box-shaped type with a label: rectangle, ellipse, diamond, note. */
export type LabeledBox = Pick<ShapeStyle, 'fontSize' | 'strokeColor'> & BoxFields & LabelFields;

/**
 * The Konva.Text attributes a box's label is drawn with, in the box's own frame: the text area
 * of its type, wrapped at words and aligned there by Konva, so carets laid out from the same
 * attributes land on the drawn characters.
 */
export function labelLayoutAttrs(shape: LabeledBox, inset: LabelInset): Konva.TextConfig & { text: string } {
  const area = labelArea(shape, inset);
  return {
    text: shape.text,
    fontSize: shape.fontSize,
    fontFamily: FONT_FAMILY,
    lineHeight: LINE_HEIGHT,
    wrap: 'word',
    padding: 0,
    x: area.x,
    y: area.y,
    width: area.width,
    height: area.height,
    align: shape.textAlign,
    verticalAlign: shape.verticalAlign,
  };
}

const ANCHOR = { left: 'start', center: 'middle', right: 'end' } as const satisfies Record<LabelFields['textAlign'], SvgTextAnchor>;

/**
 * A box's label as SVG: wrapped by estimate, aligned in its text area as the canvas aligns it; ''
 * when empty. Lines past the text area's height are left out, as Konva leaves them out on the
 * canvas (a box grows as its label is typed, so only a box made smaller than its label has any).
 */
export function labelSvg(shape: LabeledBox, inset: LabelInset): string {
  if (shape.text === '') return '';
  const area = labelArea(shape, inset);
  const fitting = labelLinesFitting(area.height, shape.fontSize);
  const lines = wrapLabel(shape.text, area.width, shape.fontSize).slice(0, fitting);
  if (lines.length === 0) return '';
  const top = labelTop(area, linesHeight(lines.length, shape.fontSize), shape.verticalAlign);
  return svgText(lines, labelAnchorX(area, shape.textAlign), top, shape.fontSize, shape.strokeColor, ANCHOR[shape.textAlign]);
}

/** The in-place editor over a box's label: the whole box, its text area inset as the canvas draws it. */
export function labelEditorBox(shape: LabeledBox, inset: LabelInset, scale: number, background: string): EditorBox {
  const area = labelArea(shape, inset);
  return {
    width: shape.width * scale,
    height: shape.height * scale,
    padding: inset.padding * scale,
    background,
    inset: {
      left: area.x * scale,
      top: area.y * scale,
      right: (shape.width - area.x - area.width) * scale,
      bottom: (shape.height - area.y - area.height) * scale,
    },
    align: shape.textAlign,
    verticalAlign: shape.verticalAlign,
  };
}

/** The text of a box type with a label in its text area `inset`; `background` is the editor's (a note's card colour). */
export function boxLabelText<S extends Extract<Shape, LabeledBox>>(inset: LabelInset, background: (shape: NewShapeOf<S>) => string = () => ''): ShapeText<S> {
  return {
    layout: (shape) => labelLayoutAttrs(shape, inset),
    editorBox: (shape, _value, scale) => labelEditorBox(shape, inset, scale, background(shape)),
    fit: (shape, text) => fitLabel(shape, text, inset) as Partial<NewShapeOf<S>> | null,
  };
}
