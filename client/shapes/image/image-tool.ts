import type { ShapeTool } from '../shape-util.ts';
import type { Tool } from '../../tools/tool.ts';

/**
 * The image tool (9, as in Excalidraw): picking it opens the file picker (the page's, through
 * ShapeToolContext.pickImages) and hands back to the select tool; the files chosen are inserted
 * in the middle of the view (client/assets/insert-images.ts). It never takes pointer input: its
 * tool object only exists because the toolbox holds one per id.
 */
export const imageTool: ShapeTool<'image'> = {
  id: 'image',
  label: 'Image',
  key: '9',
  icon: '<rect x="3.5" y="5" width="17" height="14" rx="1.5"/><circle cx="9" cy="10" r="1.5"/><path d="M3.5 17l5-4.5 4 3.5 3-2.5 5 4.5"/>',
  cursor: 'default',
  pick: (ctx) => ctx.pickImages(),
  create: (): Tool => ({
    id: 'image',
    state: 'idle',
    pointerDown: () => {},
    pointerMove: () => {},
    pointerUp: () => {},
    cancel: () => {},
    keyDown: () => false,
  }),
};
