/**
 * The page's theme (client/ui/theme.ts): follows the system's setting until one is chosen, follows
 * its changes, remembers a choice per browser, and the toggle always switches what is shown,
 * going back to following the system when that is what the system shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTheme, THEME_STORAGE_KEY, type ThemeOptions } from '../../client/ui/theme.ts';
import { AS_DRAWN, darkColor } from '../../client/canvas/theme-colors.ts';
import { THEME_KEY } from '../../client/ui/theme-toggle.ts';
import { createCommands } from '../../client/ui/commands.ts';
import { matchesCombo, type KeyPress } from '../../client/ui/keymap.ts';
import { TOOL_CATALOG } from '../../client/ui/tool-catalog.ts';
import { createHistory } from '../../client/model/history.ts';
import { createSnapState } from '../../client/model/snap-state.ts';
import { createToolHarness } from '../helpers/tool-harness.ts';

/** A system setting the test flips, a storage and a root element, as the theme sees them. */
function fakePage(systemDark: boolean, stored: string | null = null) {
  const listeners = new Set<() => void>();
  const media = {
    matches: systemDark,
    addEventListener: (_: string, listener: () => void) => void listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => void listeners.delete(listener),
  };
  const items = new Map<string, string>(stored === null ? [] : [[THEME_STORAGE_KEY, stored]]);
  const storage = { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), removeItem: (key: string) => void items.delete(key) };
  const root = { dataset: {} as Record<string, string> };
  const options = { root: root as unknown as HTMLElement, storage, matchMedia: () => media as unknown as MediaQueryList } satisfies ThemeOptions;
  const setSystem = (dark: boolean): void => {
    media.matches = dark;
    for (const listener of listeners) listener();
  };
  return { options, items, root, setSystem, listeners };
}

test('follows the system setting, and its changes, until a theme is chosen', () => {
  const page = fakePage(true);
  const theme = createTheme(page.options);
  const seen: string[] = [];
  theme.onChange((t) => seen.push(t));
  assert.equal(theme.setting, 'system');
  assert.equal(theme.theme, 'dark');
  assert.equal(page.root.dataset.theme, 'dark');
  assert.equal(theme.paint, darkColor);
  page.setSystem(false);
  assert.equal(theme.theme, 'light');
  assert.equal(page.root.dataset.theme, 'light');
  assert.equal(theme.paint, AS_DRAWN);
  theme.set('dark');
  page.setSystem(true);
  page.setSystem(false);
  assert.equal(theme.theme, 'dark', 'a chosen theme stays whatever the system says');
  assert.deepEqual(seen, ['light', 'dark']);
  theme.close();
  assert.equal(page.listeners.size, 0, 'close stops listening to the system');
  assert.equal(page.root.dataset.theme, undefined);
});

test('the toggle always switches; back to what the system shows, it follows the system again', () => {
  const page = fakePage(true);
  const theme = createTheme(page.options);
  theme.toggle();
  assert.deepEqual([theme.theme, theme.setting, page.items.get(THEME_STORAGE_KEY)], ['light', 'light', 'light']);
  theme.toggle();
  assert.deepEqual([theme.theme, theme.setting, page.items.has(THEME_STORAGE_KEY)], ['dark', 'system', false]);
  theme.close();
});

test('a choice is remembered per browser; a broken storage costs only the memory', () => {
  const page = fakePage(false, 'dark');
  const theme = createTheme(page.options);
  assert.deepEqual([theme.setting, theme.theme], ['dark', 'dark']);
  theme.close();
  assert.equal(createTheme(fakePage(false, 'purple').options).setting, 'system', 'an unknown stored value is ignored');

  const broken = fakePage(false);
  const failing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => {} };
  const warn = console.warn;
  console.warn = () => {};
  try {
    const t = createTheme({ ...broken.options, storage: failing });
    t.set('dark');
    assert.equal(t.theme, 'dark');
    t.close();
  } finally {
    console.warn = warn;
  }
});

test('the theme key (Alt+Shift+D, as a Mac types it too) is no board command and no tool', () => {
  const t = createToolHarness();
  const history = createHistory(t.doc);
  const snap = createSnapState();
  const commands = createCommands({ board: t.board, selection: t.selection, history, camera: t.camera, toolbox: t.toolbox, screen: () => ({ width: 800, height: 600 }), snap });
  const presses: KeyPress[] = [
    { key: 'D', code: 'KeyD', altKey: true, shiftKey: true, ctrlKey: false, metaKey: false },
    // Alt+Shift+D types "Î" on a Mac: the physical key matches.
    { key: 'Î', code: 'KeyD', altKey: true, shiftKey: true, ctrlKey: false, metaKey: false },
  ];
  for (const press of presses) {
    assert.ok(matchesCombo(press, THEME_KEY), `${press.key} is the theme key`);
    const taken = commands.filter((command) => command.keys.some((combo) => matchesCombo(press, combo)));
    assert.deepEqual(taken.map((command) => command.id), []);
    assert.deepEqual(TOOL_CATALOG.filter((tool) => matchesCombo(press, tool.key)).map((tool) => tool.label), []);
  }
  // The key is not a plain D either (the diamond tool).
  assert.equal(matchesCombo({ key: 'd', code: 'KeyD', altKey: false, shiftKey: false, ctrlKey: false, metaKey: false }, THEME_KEY), false);
  snap.close();
  history.close();
  t.close();
});
