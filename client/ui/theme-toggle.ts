import { createButton, createGroup, mount } from './dom.ts';
import type { ThemeState } from './theme.ts';

/** The key that switches the theme: Excalidraw's, and free among the board's commands (client/ui/commands.ts). */
export const THEME_KEY = 'Alt+Shift+D';

export interface ThemeToggleOptions {
  parent: HTMLElement;
  theme: ThemeState;
}

/**
 * One button (aria-label "Theme") that switches between light and dark; it says which theme is
 * shown and whether that follows the system's setting.
 */
export function createThemeToggle(options: ThemeToggleOptions): { readonly element: HTMLElement; close(): void } {
  const { theme } = options;
  const element = createGroup('theme-toggle panel', 'Theme');
  const button = createButton('chip-button', 'Theme', () => theme.toggle());
  button.dataset.action = 'toggle-theme';
  element.append(button);
  const show = (): void => {
    const dark = theme.theme === 'dark';
    button.textContent = dark ? '☾ Dark' : '☀ Light';
    button.dataset.theme = theme.theme;
    button.dataset.setting = theme.setting;
    const how = theme.setting === 'system' ? 'as the system' : 'chosen here';
    button.title = `Theme: ${theme.theme} (${how}); switch to ${dark ? 'light' : 'dark'} — Alt+Shift+D`;
  };
  show();
  const off = theme.onChange(show);
  // Clicking a control must not leave focus on it (the next Space would press it).
  element.addEventListener('mousedown', (event) => event.preventDefault());
  return mount(options.parent, element, [off]);
}
