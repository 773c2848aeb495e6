import type * as Y from 'yjs';
import { textAnchorIndex } from '../../shared/doc.ts';
import { hasText, type Shape } from '../../shared/schema.ts';
import { createFrameScheduler } from '../canvas/frame-scheduler.ts';
import { layoutText, type TextBox } from '../canvas/views/text-layout.ts';
import type { Peer, Peers } from './peers.ts';

/** What the carets read from the stage: the board element and the camera. */
export interface CaretStage {
  readonly element: HTMLElement;
  viewport(): { x: number; y: number; scale: number };
  onViewportChange(listener: (viewport: { x: number; y: number; scale: number }) => void): () => void;
}

export interface RemoteCarets {
  close(): void;
}

/** Width of a caret on screen, in CSS pixels, at any zoom. */
const CARET_PX = 2;

/**
 * Shows where everyone else is typing: their caret and selection in the text or note, in their
 * colour, with their name over the caret. Anchors in presence are resolved against this page's
 * copy of the text (so a caret stays by its character while others type before it), and laid out
 * with the same wrapping the shape's view draws with. A caret whose character has not arrived yet
 * shows once it does.
 *
 * DOM elements, above the board and above this page's own text editor (a note being typed into
 * here too is covered by the editor, and both typists must see each other), so the label stays
 * crisp at any zoom. Redrawn at most once a frame.
 */
export function createRemoteCarets(options: {
  stage: CaretStage;
  peers: Peers;
  board: { get(id: string): Shape | undefined; onChange(listener: (change: { ids: ReadonlySet<string> }) => void): () => void };
  doc: Y.Doc;
}): RemoteCarets {
  const { stage, peers, board, doc } = options;
  const layer = stage.element.ownerDocument.createElement('div');
  layer.className = 'remote-carets';
  layer.setAttribute('aria-hidden', 'true');
  // Fixed over the board at the text editor's level (z-index 10): see above.
  Object.assign(layer.style, { position: 'fixed', overflow: 'hidden', pointerEvents: 'none', zIndex: '11' });
  stage.element.ownerDocument.body.append(layer);

  const element = (tag: string, className: string, style: Partial<CSSStyleDeclaration>): HTMLElement => {
    const node = stage.element.ownerDocument.createElement(tag);
    node.className = className;
    Object.assign(node.style, { position: 'absolute', ...style });
    return node;
  };

  const drawPeer = (peer: Peer, scale: number, origin: { x: number; y: number }): HTMLElement | null => {
    const typing = peer.presence.typing;
    if (typing === undefined) return null;
    const shape = board.get(typing.id);
    if (shape === undefined || !hasText(shape)) return null;
    const head = textAnchorIndex(doc, typing.id, typing.head);
    const anchor = textAnchorIndex(doc, typing.id, typing.anchor);
    if (head === null) return null;
    const layout = layoutText(shape);
    const { color, name } = peer.presence.user;
    const px = (box: TextBox): Partial<CSSStyleDeclaration> => ({
      left: `${box.x * scale}px`,
      top: `${box.y * scale}px`,
      width: `${box.width * scale}px`,
      height: `${box.height * scale}px`,
    });
    // The shape's own frame on screen: its origin, turned as it is.
    const group = element('div', 'remote-caret', {
      left: '0',
      top: '0',
      transformOrigin: '0 0',
      transform: `translate(${shape.x * scale + origin.x}px, ${shape.y * scale + origin.y}px) rotate(${shape.rotation}deg)`,
    });
    group.dataset.clientId = String(peer.clientId);
    group.dataset.shape = typing.id;
    group.dataset.name = name;
    group.dataset.color = color;
    group.dataset.index = String(head);
    for (const box of layout.selection(anchor ?? head, head)) {
      group.append(element('div', 'remote-caret-selection', { ...px(box), background: color, opacity: '0.25' }));
    }
    const caret = layout.caret(head);
    group.append(element('div', 'remote-caret-bar', { ...px(caret), width: `${CARET_PX}px`, marginLeft: `${-CARET_PX / 2}px`, background: color }));
    const label = element('span', 'remote-caret-name', {
      left: `${caret.x * scale - CARET_PX / 2}px`,
      top: `${caret.y * scale}px`,
      transform: 'translateY(-100%)',
      padding: '1px 4px',
      borderRadius: '3px 3px 3px 0',
      background: color,
      color: '#ffffff',
      font: '11px/14px ui-sans-serif, system-ui, sans-serif',
      whiteSpace: 'nowrap',
    });
    label.textContent = name;
    group.append(label);
    return group;
  };

  const scheduler = createFrameScheduler(() => {
    const rect = stage.element.getBoundingClientRect();
    Object.assign(layer.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
    const { x, y, scale } = stage.viewport();
    const drawn: HTMLElement[] = [];
    for (const peer of peers.list()) {
      const group = drawPeer(peer, scale, { x, y });
      if (group !== null) drawn.push(group);
    }
    layer.replaceChildren(...drawn);
  });

  const typedInto = (id: string): boolean => peers.list().some((peer) => peer.presence.typing?.id === id);
  const offs = [
    peers.onChange(() => scheduler.schedule()),
    stage.onViewportChange(() => scheduler.schedule()),
    // The text changed (a caret moves with it) or a character a caret names has arrived.
    board.onChange(({ ids }) => {
      for (const id of ids) if (typedInto(id)) return scheduler.schedule();
    }),
  ];
  const onResize = (): void => scheduler.schedule();
  stage.element.ownerDocument.defaultView?.addEventListener('resize', onResize);
  scheduler.schedule();

  return {
    close() {
      for (const off of offs) off();
      stage.element.ownerDocument.defaultView?.removeEventListener('resize', onResize);
      scheduler.close();
      layer.remove();
    },
  };
}
