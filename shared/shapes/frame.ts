import { SHAPE_LIMITS, type ShapeBase, type ShapeDef } from './base.ts';
import { readSize } from './fields.ts';

/**
 * A frame: a titled, upright box that holds shapes. A shape is its child when the shape's
 * `frameId` names it; in the document a child's origin is stored from the frame's origin
 * (shared/doc.ts), so moving a frame is one write and whatever someone draws into it meanwhile
 * moves with it. Frames are not turned and are in no frame or group (ShapeDef.holdsShapes).
 */
export interface FrameShape extends ShapeBase {
  type: 'frame';
  width: number;
  height: number;
  /** The title shown above the frame; '' shows as the default name. */
  name: string;
}

export const frameDef: ShapeDef<FrameShape> = {
  type: 'frame',
  holdsShapes: true,
  read(record) {
    const width = readSize(record, 'width');
    if (typeof width === 'string') return width;
    const height = readSize(record, 'height');
    if (typeof height === 'string') return height;
    // A broken title is not worth losing a frame and its children over.
    const name = typeof record.name === 'string' ? record.name.slice(0, SHAPE_LIMITS.maxFrameNameLength) : '';
    return { width, height, name };
  },
  // Small enough that the conformance suite's two samples (tests/e2e/shape-conformance.test.ts PLACES) keep apart.
  example: { width: 320, height: 200, name: 'Sketches' },
};
