import Konva from 'konva';
import { PRESENCE_TIMING } from '../../shared/presence.ts';
import type { Peer, Peers } from './peers.ts';
import type { SelectionStage } from './remote-selections.ts';

export interface RemoteLasers {
  close(): void;
}

/**
 * Draws other users' laser pointer trails in their colour, fading out with age, on a layer of
 * its own (`data-layer="presence-laser"`). A point's age is measured against the newest point of
 * the same sender plus the local time since that state arrived, so clocks of different machines
 * never need to agree.
 */
export function createRemoteLasers(options: { stage: SelectionStage; peers: Peers; now?: () => number }): RemoteLasers {
  const { stage, peers } = options;
  const now = options.now ?? Date.now;
  const layer = new Konva.Layer({ listening: false });
  stage.konva.add(layer);
  layer.getNativeCanvasElement().dataset.layer = 'presence-laser';
  let frame: number | null = null;

  const ageOf = (peer: Peer, t: number, newest: number, at: number): number => newest - t + (at - peer.receivedAt);

  const draw = (): void => {
    frame = null;
    layer.destroyChildren();
    const at = now();
    const scale = stage.viewport().scale;
    let visible = false;
    for (const peer of peers.list()) {
      const trail = peer.presence.laser;
      const newest = trail[trail.length - 1]?.t;
      if (newest === undefined) continue;
      for (let i = 1; i < trail.length; i++) {
        const from = trail[i - 1]!;
        const to = trail[i]!;
        const life = 1 - ageOf(peer, to.t, newest, at) / PRESENCE_TIMING.laserFadeMs;
        if (life <= 0) continue;
        visible = true;
        layer.add(
          new Konva.Line({
            points: [from.x, from.y, to.x, to.y],
            stroke: peer.presence.user.color,
            strokeWidth: 4 * life + 1,
            strokeScaleEnabled: false,
            lineCap: 'round',
            opacity: life,
            listening: false,
            perfectDrawEnabled: false,
          }),
        );
      }
      const head = trail[trail.length - 1]!;
      const headLife = 1 - ageOf(peer, head.t, newest, at) / PRESENCE_TIMING.laserFadeMs;
      if (headLife > 0) {
        visible = true;
        layer.add(new Konva.Circle({ x: head.x, y: head.y, radius: 4 / scale, fill: peer.presence.user.color, opacity: headLife, listening: false }));
      }
    }
    layer.batchDraw();
    // Keep fading while anything is left; an empty board costs no frames.
    if (visible) schedule();
  };
  const schedule = (): void => {
    if (frame === null) frame = requestAnimationFrame(draw);
  };

  const offs = [peers.onChange(schedule), stage.onViewportChange(schedule)];
  schedule();

  return {
    close() {
      for (const off of offs) off();
      if (frame !== null) cancelAnimationFrame(frame);
      layer.destroy();
    },
  };
}
