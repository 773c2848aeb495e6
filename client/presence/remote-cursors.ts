import type { Peer, Peers } from './peers.ts';

/** What the cursors read from the stage: the board element and the camera. */
export interface CursorStage {
  readonly element: HTMLElement;
  viewport(): { x: number; y: number; scale: number };
  onViewportChange(listener: (viewport: { x: number; y: number; scale: number }) => void): () => void;
}

export interface RemoteCursors {
  close(): void;
}

/**
 * Shows everyone else's pointer with a name label in their colour. DOM elements rather than
 * canvas: the label text stays crisp at any zoom, and a cursor is a single transform per frame.
 *
 * Updates arrive about 30 times a second; drawing them as they come looks jumpy, so each cursor
 * glides towards its latest position (exponential smoothing in board coordinates, about 60 ms to
 * close most of the gap). Positions are board coordinates, so pan and zoom move cursors at once.
 */
export function createRemoteCursors(options: { stage: CursorStage; peers: Peers }): RemoteCursors {
  const { stage, peers } = options;
  const layer = document.createElement('div');
  layer.className = 'remote-cursors';
  layer.setAttribute('aria-hidden', 'true');
  stage.element.append(layer);

  interface Shown {
    element: HTMLElement;
    label: HTMLElement;
    arrow: SVGPathElement;
    x: number;
    y: number;
    targetX: number;
    targetY: number;
  }
  const shown = new Map<number, Shown>();
  let frame: number | null = null;
  let lastFrame = 0;
  const SMOOTHING_MS = 60;

  const place = (cursor: Shown): void => {
    const { x, y, scale } = stage.viewport();
    cursor.element.style.transform = `translate3d(${cursor.x * scale + x}px, ${cursor.y * scale + y}px, 0)`;
  };

  const tick = (time: number): void => {
    frame = null;
    const dt = lastFrame === 0 ? 16 : Math.min(100, time - lastFrame);
    lastFrame = time;
    const keep = 1 - Math.exp(-dt / SMOOTHING_MS);
    const { scale } = stage.viewport();
    let moving = false;
    for (const cursor of shown.values()) {
      const dx = cursor.targetX - cursor.x;
      const dy = cursor.targetY - cursor.y;
      // Within half a screen pixel: arrive.
      if (Math.hypot(dx, dy) * scale < 0.5) {
        cursor.x = cursor.targetX;
        cursor.y = cursor.targetY;
      } else {
        cursor.x += dx * keep;
        cursor.y += dy * keep;
        moving = true;
      }
      place(cursor);
    }
    if (moving) animate();
    else lastFrame = 0;
  };
  const animate = (): void => {
    if (frame === null) frame = requestAnimationFrame(tick);
  };

  const create = (peer: Peer): Shown => {
    const element = document.createElement('div');
    element.className = 'remote-cursor';
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 16 20');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '20');
    const arrow = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    arrow.setAttribute('d', 'M1 1 L1 17 L5.5 12.5 L8.5 19 L11 18 L8 11.5 L14.5 11.5 Z');
    arrow.setAttribute('stroke', '#ffffff');
    arrow.setAttribute('stroke-width', '1.2');
    svg.append(arrow);
    const label = document.createElement('span');
    label.className = 'remote-cursor-name';
    element.append(svg, label);
    layer.append(element);
    const point = peer.presence.cursor ?? { x: 0, y: 0 };
    return { element, label, arrow, x: point.x, y: point.y, targetX: point.x, targetY: point.y };
  };

  const sync = (list: readonly Peer[]): void => {
    const present = new Set<number>();
    for (const peer of list) {
      const { cursor, user, idle } = peer.presence;
      if (cursor === null) continue;
      present.add(peer.clientId);
      let item = shown.get(peer.clientId);
      if (item === undefined) {
        item = create(peer);
        shown.set(peer.clientId, item);
        place(item);
      }
      item.targetX = cursor.x;
      item.targetY = cursor.y;
      item.element.dataset.clientId = String(peer.clientId);
      item.element.dataset.name = user.name;
      item.element.dataset.color = user.color;
      item.element.dataset.idle = String(idle);
      item.label.textContent = user.name;
      item.label.style.backgroundColor = user.color;
      item.arrow.setAttribute('fill', user.color);
    }
    for (const [clientId, item] of shown) {
      if (present.has(clientId)) continue;
      item.element.remove();
      shown.delete(clientId);
    }
    animate();
  };

  sync(peers.list());
  const offs = [
    peers.onChange(sync),
    stage.onViewportChange(() => {
      for (const cursor of shown.values()) place(cursor);
    }),
  ];

  return {
    close() {
      for (const off of offs) off();
      if (frame !== null) cancelAnimationFrame(frame);
      layer.remove();
      shown.clear();
    },
  };
}
