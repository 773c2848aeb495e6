import type { ArrowShape } from '../../../shared/schema.ts';
import { createLinearUtil } from '../line/line-util.ts';
import { arrowTool } from './arrow-tool.ts';

/** Arrow: drawn, hit and exported as a line is (a line draws the arrowheads its record asks for). */
export const arrowUtil = createLinearUtil<ArrowShape, 'arrow'>('arrow', arrowTool);
