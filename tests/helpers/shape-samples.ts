/**
 * Shapes of every registered type for the shape conformance suite: each type's own example
 * record (ShapeDef.example) with the fields every shape has, plain and rotated with a non-default
 * style. A type added to the registries is sampled without anything written here.
 */
import assert from 'node:assert/strict';
import { DEFAULT_STYLE, readShape, SHAPE_DEFS, type Shape, type ShapeBase, type ShapeDef } from '../../shared/schema.ts';

/** A style unlike the default in every field, so a field dropped or mixed up somewhere shows. */
export const OTHER_STYLE = {
  strokeColor: '#e03131',
  fillColor: '#ffc9c9',
  fillStyle: 'semi',
  strokeWidth: 4,
  dash: 'dashed',
  opacity: 0.8,
  fontSize: 28,
} as const;

/** Every shape type's definition, with its type as a name for test titles. */
export const DEFS: ReadonlyArray<ShapeDef<Shape>> = SHAPE_DEFS as ReadonlyArray<ShapeDef<Shape>>;

/**
 * A shape of `def`'s type from its example, at (100, 80) unless `base` says otherwise, as the
 * schema gate reads it (so its fields are in the order every stored shape has them).
 */
export function sampleShape(def: ShapeDef<Shape>, base: Partial<ShapeBase> = {}): Shape {
  const record = { ...DEFAULT_STYLE, x: 100, y: 80, rotation: 0, index: 'a0', locked: false, ...base, type: def.type, ...structuredClone(def.example) };
  const read = readShape(base.id ?? `${def.type}-1`, record);
  assert.ok(read.ok, `${def.type}: its example is a valid shape (${read.ok ? '' : read.problem.reason})`);
  return read.shape;
}

export interface Sample {
  name: string;
  shape: Shape;
}

/** The shapes a type is tested with: as its example is, and turned by 30° in OTHER_STYLE. */
export function samples(def: ShapeDef<Shape>, base: Partial<ShapeBase> = {}): Sample[] {
  return [
    { name: 'plain', shape: sampleShape(def, base) },
    { name: 'rotated and styled', shape: sampleShape(def, { ...OTHER_STYLE, rotation: 30, ...base }) },
  ];
}

/** An arrow's own fields but its points and place: bound to nothing, straight, an arrowhead at its end, no label. */
export const PLAIN_ARROW = Object.freeze({
  startBinding: null,
  endBinding: null,
  startAnchor: null,
  endAnchor: null,
  startArrowhead: 'none',
  endArrowhead: 'arrow',
  arrowKind: 'straight',
  bend: 0,
  text: '',
} as const);
