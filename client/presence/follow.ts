import type { PresenceViewport } from '../../shared/presence.ts';
import { createEmitter } from '../model/emitter.ts';
import type { Peers } from './peers.ts';

/** What following reads and moves: the local camera and the size of the board on screen. */
export interface FollowStage {
  readonly element: HTMLElement;
  viewport(): { x: number; y: number; scale: number };
  setViewport(viewport: { x: number; y: number; scale: number }): void;
  onViewportChange(listener: (viewport: { x: number; y: number; scale: number }) => void): () => void;
}

export interface Follow {
  /** The client id being followed, or null. */
  readonly following: number | null;
  /** Starts following a peer's viewport (null stops). */
  follow(clientId: number | null): void;
  onChange(listener: (following: number | null) => void): () => void;
  close(): void;
}

/**
 * The viewport that shows what `leader` sees on a screen of `width` × `height`: the same zoom,
 * centred on the same board point (screens differ in size, so matching x and y would not do).
 */
export function followedViewport(leader: PresenceViewport, width: number, height: number): { x: number; y: number; scale: number } {
  const centreX = (leader.width / 2 - leader.x) / leader.scale;
  const centreY = (leader.height / 2 - leader.y) / leader.scale;
  return { scale: leader.scale, x: width / 2 - centreX * leader.scale, y: height / 2 - centreY * leader.scale };
}

/**
 * Follows another user's viewport until the local user pans or zooms, or the other user leaves.
 * Moves made here are told apart from the user's own by a flag set around setViewport: the
 * camera reports changes synchronously, so any change seen outside it is the user's.
 */
export function createFollow(options: { stage: FollowStage; peers: Peers }): Follow {
  const { stage, peers } = options;
  let following: number | null = null;
  let applying = false;
  const changes = createEmitter<number | null>();

  const set = (next: number | null): void => {
    if (next === following) return;
    following = next;
    changes.emit(following);
    apply();
  };
  const apply = (): void => {
    if (following === null) return;
    const peer = peers.get(following);
    if (peer === undefined) return set(null);
    const viewport = peer.presence.viewport;
    if (viewport === null) return;
    const target = followedViewport(viewport, stage.element.clientWidth, stage.element.clientHeight);
    const current = stage.viewport();
    if (Math.abs(current.x - target.x) < 0.01 && Math.abs(current.y - target.y) < 0.01 && Math.abs(current.scale - target.scale) < 1e-6) return;
    applying = true;
    try {
      stage.setViewport(target);
    } finally {
      applying = false;
    }
  };

  const offs = [
    peers.onChange(apply),
    stage.onViewportChange(() => {
      if (!applying) set(null);
    }),
  ];

  return {
    get following() {
      return following;
    },
    follow: set,
    onChange: (listener) => changes.on(listener),
    close() {
      for (const off of offs) off();
      changes.clear();
    },
  };
}
