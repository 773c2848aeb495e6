/**
 * Key combinations written as text ("Mod+Shift+Z", "Delete", "?"), matched against key events.
 * "Mod" is Ctrl, or Cmd on a Mac, so one table serves both and the help dialog can print it.
 */

/** A command the keyboard, the help dialog and buttons share. */
export interface Command {
  id: string;
  label: string;
  /** Combinations that run it; the first is the one shown. */
  keys: readonly string[];
  /** Returns false if there was nothing to do (the key is then left to the browser). */
  run(): boolean | void;
}

/** The parts of a KeyboardEvent a combination is matched on. */
export interface KeyPress {
  key: string;
  /** The physical key; matched too, so Shift+] (which types "}") still is Shift+]. */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** True if `press` is the combination `combo`. */
export function matchesCombo(press: KeyPress, combo: string): boolean {
  const parts = combo.split('+');
  // "Mod++" would split into empty parts; a lone "+" is the plus key.
  const key = combo.endsWith('++') || combo === '+' ? '+' : parts[parts.length - 1]!;
  const modifiers = new Set(combo === '+' ? [] : parts.slice(0, combo.endsWith('++') ? -2 : -1));
  const mod = press.ctrlKey || press.metaKey;
  if (modifiers.has('Mod') !== mod) return false;
  if (modifiers.has('Alt') !== press.altKey) return false;
  // Shift is implied by the character for keys like "?" and "+", so it only counts when named
  // or when the key is a letter (Ctrl+Z and Ctrl+Shift+Z are different commands).
  const letter = /^[a-z]$/i.test(key);
  if ((letter || modifiers.has('Shift')) && modifiers.has('Shift') !== press.shiftKey) return false;
  if (press.key.toLowerCase() === key.toLowerCase()) return true;
  // Matched by the physical key, the typed character says nothing about Shift: it must be as named.
  return press.code !== undefined && CODES[key.toLowerCase()] === press.code && modifiers.has('Shift') === press.shiftKey;
}

const CODES: Record<string, string> = {
  '[': 'BracketLeft',
  ']': 'BracketRight',
  '=': 'Equal',
  '-': 'Minus',
  '/': 'Slash',
  "'": 'Quote',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, n) => [String(n), `Digit${n}`])),
  // With Alt on a Mac a letter types another character (Alt+H types "˙"): the physical key still matches.
  ...Object.fromEntries(Array.from({ length: 26 }, (_, n) => [String.fromCharCode(97 + n), `Key${String.fromCharCode(65 + n)}`])),
};

/** The label of a combination for people, e.g. "Ctrl+Shift+Z" or "⌘⇧Z". */
export function describeCombo(combo: string, mac: boolean): string {
  const arrows = (text: string): string => text.replace('ArrowLeft', '←').replace('ArrowRight', '→').replace('ArrowUp', '↑').replace('ArrowDown', '↓');
  if (!mac) return arrows(combo.replace('Mod', 'Ctrl'));
  return arrows(combo.replace('Mod+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥'));
}
