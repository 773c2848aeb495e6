import Konva from 'konva';
import { LASER_FADE_MS, type Laser } from '../model/laser.ts';

export interface LaserRendererOptions {
  laser: Laser;
  layer: Konva.Layer;
  /** Current time on the pointer events' clock. */
  now?: () => number;
}

export interface LaserRenderer {
  close(): void;
}

const LASER_COLOR = '#ff3b30';
const LASER_WIDTH_PX = 4;

/**
 * Draws the laser trail, fading by age, and keeps animating until the last point has faded; it
 * asks for no frames while there is no trail.
 */
export function createLaserRenderer(options: LaserRendererOptions): LaserRenderer {
  const { laser, layer } = options;
  const now = options.now ?? (() => performance.now());
  const group = new Konva.Group({ listening: false });
  layer.add(group);
  let frame: number | null = null;

  const draw = (): void => {
    // Pruning emits a change; `frame` is still set, so that does not ask for a second frame.
    const alive = laser.prune(now());
    frame = null;
    group.destroyChildren();
    const points = laser.points();
    const scale = layer.getStage()?.scaleX() ?? 1;
    const t = now();
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const life = 1 - (t - b.t) / LASER_FADE_MS;
      if (life <= 0) continue;
      group.add(
        new Konva.Line({
          points: [a.x, a.y, b.x, b.y],
          stroke: LASER_COLOR,
          strokeWidth: (LASER_WIDTH_PX * (0.4 + 0.6 * life)) / scale,
          opacity: life,
          lineCap: 'round',
          listening: false,
          perfectDrawEnabled: false,
        }),
      );
    }
    layer.batchDraw();
    if (alive) frame = requestAnimationFrame(draw);
  };
  const off = laser.onChange(() => {
    if (frame === null) frame = requestAnimationFrame(draw);
  });
  return {
    close() {
      off();
      if (frame !== null) cancelAnimationFrame(frame);
      group.destroy();
    },
  };
}
