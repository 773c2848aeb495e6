import type { Board } from '../model/board.ts';
import type { Camera } from '../model/camera.ts';
import type { History } from '../model/history.ts';
import type { Selection } from '../model/selection.ts';
import { unionBounds } from '../model/transform.ts';
import { arrangeSelection } from '../tools/actions/arrange.ts';
import { ALIGNMENTS, alignSelection, type Alignment } from '../tools/actions/align.ts';
import { DISTRIBUTIONS, distributeSelection, type Distribution } from '../tools/actions/distribute.ts';
import type { SnapState } from '../model/snap-state.ts';
import { duplicateSelection } from '../tools/actions/duplicate.ts';
import { groupSelection, ungroupSelection } from '../tools/actions/group.ts';
import { toggleLock } from '../tools/actions/lock.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import type { Command } from './keymap.ts';
import { ZOOM_STEP } from '../model/camera.ts';

export interface CommandDeps {
  board: Board;
  selection: Selection;
  history: History;
  camera: Camera;
  toolbox: Toolbox;
  /** Size of the board on screen, for zooming about its middle and fitting. */
  screen(): { width: number; height: number };
  /** The snapping settings the toggles switch; absent: no toggles. */
  snap?: SnapState;
  /** Extra commands from other parts (help, export), listed in the help dialog in this order. */
  extra?: readonly Command[];
}

/** Gestures that are not single commands, for the help dialog. */
export const GESTURES: ReadonlyArray<{ label: string; keys: string }> = [
  { label: 'Pan', keys: 'Space + drag, middle mouse drag, scroll' },
  { label: 'Zoom about the pointer', keys: 'Ctrl + scroll, pinch' },
  { label: 'Keep proportions / snap angle', keys: 'Shift while resizing, rotating or drawing' },
  { label: 'Move or resize without snapping', keys: 'Alt while dragging' },
  { label: 'Add to or remove from the selection', keys: 'Shift + click' },
  { label: 'Edit text or a note', keys: 'Double-click (Enter or Esc to finish, Shift+Enter new line)' },
  { label: 'Select inside a group', keys: 'Double-click a member (Esc goes back out)' },
  { label: 'Delete selection', keys: 'Delete, Backspace' },
  { label: 'Clear selection, cancel', keys: 'Esc' },
  { label: 'Copy, cut, paste', keys: 'Ctrl+C, Ctrl+X, Ctrl+V' },
];

/**
 * Excalidraw's keys for aligning and distributing (actionAlign.tsx, actionDistribute.tsx); it has
 * none for the two centrings, which are buttons only.
 */
const ALIGN_KEYS: Record<Alignment, readonly string[]> = {
  left: ['Mod+Shift+ArrowLeft'],
  center: [],
  right: ['Mod+Shift+ArrowRight'],
  top: ['Mod+Shift+ArrowUp'],
  middle: [],
  bottom: ['Mod+Shift+ArrowDown'],
};
const DISTRIBUTE_KEYS: Record<Distribution, readonly string[]> = { horizontal: ['Alt+H'], vertical: ['Alt+V'] };

/**
 * Ctrl+F, the board's find (client/ui/find-panel.ts) in place of the browser's, which cannot see
 * text drawn on a canvas. It only looks, so the page adds it past the read-only guards.
 */
export function findCommand(open: () => void): Command {
  return { id: 'find', label: 'Find text on the board', keys: ['Mod+F'], run: open };
}

/** The board's keyboard commands; each states its undo semantics in the action it calls. */
export function createCommands(deps: CommandDeps): Command[] {
  const { board, selection, history, camera, toolbox } = deps;
  const middle = () => {
    const { width, height } = deps.screen();
    return { x: width / 2, y: height / 2 };
  };
  const commands: Command[] = [
    { id: 'undo', label: 'Undo', keys: ['Mod+Z'], run: () => history.undo() },
    { id: 'redo', label: 'Redo', keys: ['Mod+Shift+Z', 'Mod+Y'], run: () => history.redo() },
    {
      id: 'select-all',
      label: 'Select all',
      keys: ['Mod+A'],
      run: () => {
        toolbox.setTool('select');
        selection.set(board.ordered().map((shape) => shape.id));
      },
    },
    { id: 'duplicate', label: 'Duplicate', keys: ['Mod+D'], run: () => void duplicateSelection({ board, selection }) },
    { id: 'group', label: 'Group', keys: ['Mod+G'], run: () => void groupSelection({ board, selection }) },
    { id: 'ungroup', label: 'Ungroup', keys: ['Mod+Shift+G'], run: () => void ungroupSelection({ board, selection }) },
    { id: 'bring-forward', label: 'Bring forward', keys: ['Mod+]'], run: () => void arrangeSelection({ board, selection }, 'forward') },
    { id: 'send-backward', label: 'Send backward', keys: ['Mod+['], run: () => void arrangeSelection({ board, selection }, 'backward') },
    { id: 'bring-to-front', label: 'Bring to front', keys: ['Mod+Shift+]'], run: () => void arrangeSelection({ board, selection }, 'front') },
    { id: 'send-to-back', label: 'Send to back', keys: ['Mod+Shift+['], run: () => void arrangeSelection({ board, selection }, 'back') },
    ...ALIGNMENTS.map(({ alignment, label }) => ({ id: `align-${alignment}`, label, keys: ALIGN_KEYS[alignment], run: () => alignSelection({ board, selection }, alignment) })),
    ...DISTRIBUTIONS.map(({ distribution, label }) => ({ id: `distribute-${distribution}`, label, keys: DISTRIBUTE_KEYS[distribution], run: () => distributeSelection({ board, selection }, distribution) })),
    { id: 'lock', label: 'Lock / unlock', keys: ['Mod+Shift+L'], run: () => void toggleLock({ board, selection }) },
    { id: 'zoom-in', label: 'Zoom in', keys: ['Mod+=', 'Mod++'], run: () => camera.zoomAt(middle(), ZOOM_STEP) },
    { id: 'zoom-out', label: 'Zoom out', keys: ['Mod+-'], run: () => camera.zoomAt(middle(), 1 / ZOOM_STEP) },
    { id: 'zoom-reset', label: 'Reset zoom to 100%', keys: ['Mod+0'], run: () => camera.zoomAt(middle(), 1 / camera.viewport().scale) },
    { id: 'zoom-fit', label: 'Zoom to fit', keys: ['Shift+1'], run: () => camera.fit(unionBounds(board.ordered()), deps.screen()) },
  ];
  const snap = deps.snap;
  if (snap !== undefined) {
    commands.push(
      { id: 'toggle-snap', label: 'Snap to shapes on / off', keys: ['Alt+S'], run: () => snap.setObjects(!snap.objects) },
      { id: 'toggle-grid', label: 'Snap to grid on / off', keys: ["Mod+'"], run: () => snap.setGrid(!snap.grid) },
    );
  }
  return [...commands, ...(deps.extra ?? [])];
}
