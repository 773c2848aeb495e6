import { DEFAULT_STYLE, type ShapeStyle } from '../../shared/schema.ts';
import { createEmitter } from './emitter.ts';

/** The style new shapes get: session state, set from the style panel, never stored in the document. */
export interface StyleState {
  get(): ShapeStyle;
  set(patch: Partial<ShapeStyle>): void;
  onChange(listener: (style: ShapeStyle) => void): () => void;
  close(): void;
}

export function createStyleState(initial: ShapeStyle = DEFAULT_STYLE): StyleState {
  let style: ShapeStyle = { ...initial };
  const changes = createEmitter<ShapeStyle>();
  return {
    get: () => style,
    set(patch) {
      style = { ...style, ...patch };
      changes.emit(style);
    },
    onChange: (listener) => changes.on(listener),
    close() {
      changes.clear();
    },
  };
}
