import type { PresenceUser } from '../../shared/presence.ts';
import type { Follow } from '../presence/follow.ts';
import type { Identity } from '../presence/identity.ts';
import type { Peer, Peers } from '../presence/peers.ts';
import { createNameEditor, type NameEditor } from './name-editor.ts';

export interface PresenceList {
  readonly element: HTMLElement;
  close(): void;
}

/** Up to two initials of a name, for its avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!].map((w) => [...w][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/**
 * The avatars of everyone on the board, the local user first. Clicking your own avatar edits
 * your name; clicking someone else's follows their viewport (again: stop following).
 */
export function createPresenceList(options: { parent: HTMLElement; identity: Identity; peers: Peers; follow: Follow }): PresenceList {
  const { identity, peers, follow } = options;
  const element = document.createElement('div');
  element.className = 'presence-list';
  element.setAttribute('role', 'list');
  element.setAttribute('aria-label', 'People on this board');
  let editor: NameEditor | null = null;

  const avatar = (user: PresenceUser, attributes: Record<string, string>): HTMLButtonElement => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'avatar';
    button.setAttribute('role', 'listitem');
    button.textContent = initials(user.name);
    button.style.backgroundColor = user.color;
    button.dataset.name = user.name;
    button.dataset.color = user.color;
    for (const [key, value] of Object.entries(attributes)) button.setAttribute(key, value);
    return button;
  };

  // Peers change ~30 times a second per moving cursor; rebuilding the avatars each time would
  // swallow clicks, so only what the list shows decides whether to redraw.
  let shownKey = '';
  const render = (): void => {
    if (editor !== null) return;
    const key = JSON.stringify([identity.user, follow.following, peers.list().map((p) => [p.clientId, p.presence.user, p.presence.idle])]);
    if (key === shownKey) return;
    shownKey = key;
    const own = avatar(identity.user, { 'data-self': 'true', title: `${identity.user.name} (you): click to change your name`, 'aria-label': `${identity.user.name} (you), change name` });
    own.addEventListener('click', () => {
      own.remove();
      editor = createNameEditor({
        parent: element,
        name: identity.user.name,
        save: (name) => identity.rename(name),
        done: () => {
          editor = null;
          shownKey = '';
          render();
        },
      });
    });
    const others = peers.list().map((peer: Peer) => {
      const { user, idle } = peer.presence;
      const followed = follow.following === peer.clientId;
      const button = avatar(user, {
        'data-client-id': String(peer.clientId),
        'data-idle': String(idle),
        'aria-pressed': String(followed),
        title: `${user.name}${idle ? ' (idle)' : ''}: ${followed ? 'click to stop following' : 'click to follow their view'}`,
      });
      button.addEventListener('click', () => follow.follow(followed ? null : peer.clientId));
      return button;
    });
    element.replaceChildren(own, ...others);
  };

  render();
  const offs = [identity.onChange(render), peers.onChange(render), follow.onChange(render)];
  options.parent.prepend(element);

  return {
    element,
    close() {
      for (const off of offs) off();
      editor?.close();
      element.remove();
    },
  };
}
