import type Konva from 'konva';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Point } from '../model/plane.ts';
import type { Board } from '../model/board.ts';
import type { ViewContext } from '../canvas/views/view.ts';
import { createPresenceList } from '../ui/presence-list.ts';
import { createFollow } from './follow.ts';
import { createIdentity } from './identity.ts';
import { createLocalPresence, type GestureSource, type LaserSource, type TypingSource } from './local-presence.ts';
import { createRemoteGestures, type RemoteGestures } from './remote-gestures.ts';
import { createRemoteDrawings } from './remote-drawings.ts';
import { createPeers, type Peers } from './peers.ts';
import { createRemoteCursors } from './remote-cursors.ts';
import { createRemoteCarets } from './remote-carets.ts';
import { createRemoteLasers } from './remote-lasers.ts';
import { createRemoteSelections } from './remote-selections.ts';

type Viewport = { x: number; y: number; scale: number };

export interface PresenceOptions {
  awareness: Awareness;
  stage: {
    readonly konva: Konva.Stage;
    readonly element: HTMLElement;
    toBoard(clientX: number, clientY: number): Point;
    viewport(): Viewport;
    setViewport(viewport: Viewport): void;
    onViewportChange(listener: (viewport: Viewport) => void): () => void;
  };
  board: Pick<Board, 'get' | 'ordered' | 'onChange' | 'childrenOf'>;
  selection: { ids(): ReadonlySet<string>; onChange(listener: (ids: ReadonlySet<string>) => void): () => void };
  /** The laser tool's trail, published for the others (optional until the tool exists). */
  laser?: LaserSource | undefined;
  /** The local gesture in progress (the draft), published as it happens. */
  gesture?: GestureSource | undefined;
  /** Typing: where the local user's caret is, and the doc the others' carets are found in. */
  text?: { doc: Y.Doc; typing: TypingSource } | undefined;
  /** The layer of shapes in progress, where the shapes the others are drawing are drawn too. */
  drawingLayer: Konva.Layer;
  /** The pictures of the image shapes others draw. */
  images: ViewContext;
  /** Where the avatars go. */
  listParent: HTMLElement;
  window: Window;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export interface PresenceFeature {
  /** The others' gestures in progress, for the renderer to show on the board's shapes. */
  readonly gestures: RemoteGestures;
  /** Everyone else's presence, read once here for every part that shows it (the minimap too). */
  readonly peers: Pick<Peers, 'list' | 'onChange'>;
  close(): void;
}

/**
 * Presence, put together: who I am, what I publish, everyone else's cursors, selections, laser
 * trails and carets, following, and the avatar list. The parts only meet here.
 */
export function createPresence(options: PresenceOptions): PresenceFeature {
  const identity = createIdentity({ storage: options.storage });
  const peers = createPeers(options.awareness);
  const local = createLocalPresence({
    awareness: options.awareness,
    identity,
    stage: options.stage,
    selection: options.selection,
    laser: options.laser,
    gesture: options.gesture,
    typing: options.text?.typing,
    window: options.window,
  });
  const gestures = createRemoteGestures({ peers, board: options.board });
  const drawings = createRemoteDrawings({ layer: options.drawingLayer, gestures, images: options.images });
  const cursors = createRemoteCursors({ stage: options.stage, peers });
  const selections = createRemoteSelections({ stage: options.stage, peers, board: options.board, gestures });
  const lasers = createRemoteLasers({ stage: options.stage, peers });
  const follow = createFollow({ stage: options.stage, peers });
  const list = createPresenceList({ parent: options.listParent, identity, peers, follow });
  const carets = options.text ? [createRemoteCarets({ stage: options.stage, peers, board: options.board, doc: options.text.doc })] : [];
  const parts = [identity, peers, local, gestures, drawings, cursors, selections, lasers, ...carets, follow, list];
  return {
    gestures,
    peers,
    close() {
      for (const part of parts.reverse()) part.close();
    },
  };
}
