import { DEFAULT_STYLE, type LinearFields, type ShapeStyle, type TextPlacement } from '../../shared/schema.ts';
import { createEmitter } from './emitter.ts';

/**
 * The style new shapes get: what every shape has (ShapeStyle), and the choices only some types
 * have (where a box's text sits; how an arrow runs and ends), set once chosen. A tool takes the
 * fields its type has; the gate drops the rest.
 */
export type ToolStyle = ShapeStyle & Partial<TextPlacement> & Partial<Pick<LinearFields, 'arrowKind' | 'startArrowhead' | 'endArrowhead'>>;

/** A style choice: any field of ToolStyle. */
export type StylePatch = Partial<ToolStyle>;

/** The style new shapes get: session state, set from the style panel, never stored in the document. */
export interface StyleState {
  get(): ToolStyle;
  set(patch: StylePatch): void;
  onChange(listener: (style: ToolStyle) => void): () => void;
  close(): void;
}

export function createStyleState(initial: ToolStyle = DEFAULT_STYLE): StyleState {
  let style: ToolStyle = { ...initial };
  const changes = createEmitter<ToolStyle>();
  return {
    get: () => style,
    set(patch) {
      // A key given as undefined would hide a tool's own default when spread: leave it out.
      const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      style = { ...style, ...defined };
      changes.emit(style);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
