import type { LinearShape, LineShape } from '../../../shared/schema.ts';
import { escapeXml, svgNumber, svgStroke } from '../../export/svg-markup.ts';
import { distanceToPolyline, pointsBounds, roundCoordinate, type Bounds } from '../../model/plane.ts';
import { FONT_FAMILY, LINE_HEIGHT } from '../constants.ts';
import type { ShapeTool, ShapeUtil } from '../shape-util.ts';
import { arrowheads, barOf, distanceToArrowhead, dotOf, headExtent, type Arrowhead } from './arrowheads.ts';
import { lineTool } from './line-tool.ts';
import { lineView } from './line-view.ts';
import { linearPath } from './linear-path.ts';
import { drawnLabelBox, labelBox, labelLines, linearLabelLayout, pathPieces, LABEL_PADDING } from './linear-label.ts';

/**
 * A head as the canvas draws it, in the line's colour and width (round joins), never dashed: the
 * triangle and the dot filled, the chevron and the bar stroked.
 */
function arrowheadSvg(head: Arrowhead, shape: Pick<LinearShape, 'strokeColor' | 'strokeWidth'>): string {
  const n = svgNumber;
  const stroke = `stroke="${shape.strokeColor}" stroke-width="${n(shape.strokeWidth)}" stroke-linecap="round" stroke-linejoin="round"`;
  switch (head.kind) {
    case 'triangle':
      return `<polygon points="${[head.tip, head.left, head.right].flatMap((p) => [p.x, p.y]).map(n).join(' ')}" fill="${shape.strokeColor}" ${stroke}/>`;
    case 'arrow':
      return `<polyline points="${[head.left, head.tip, head.right].flatMap((p) => [p.x, p.y]).map(n).join(' ')}" fill="none" ${stroke}/>`;
    case 'dot': {
      const { center, radius } = dotOf(head);
      return `<circle cx="${n(center.x)}" cy="${n(center.y)}" r="${n(radius)}" fill="${shape.strokeColor}" ${stroke}/>`;
    }
    case 'bar': {
      const [u, v] = barOf(head);
      return `<line x1="${n(u.x)}" y1="${n(u.y)}" x2="${n(v.x)}" y2="${n(v.y)}" fill="none" ${stroke}/>`;
    }
  }
}

/** The label as SVG: its lines centred in its box, as the canvas lays them out. */
function labelSvg(shape: Pick<LinearShape, 'text' | 'fontSize' | 'strokeColor'>, box: Bounds): string {
  const lines = labelLines(shape.text, shape.fontSize);
  const cx = box.x + box.width / 2;
  const top = box.y + LABEL_PADDING;
  const spans = lines.map((line, i) => `<tspan x="${svgNumber(cx)}" y="${svgNumber(top + (i + 0.5) * LINE_HEIGHT * shape.fontSize)}">${escapeXml(line)}</tspan>`).join('');
  return `<text font-family="${FONT_FAMILY}" font-size="${svgNumber(shape.fontSize)}" fill="${shape.strokeColor}" text-anchor="middle" dominant-baseline="central" xml:space="preserve">${spans}</text>`;
}

const boxCorners = (box: Bounds | null): number[] => (box === null ? [] : [box.x, box.y, box.x + box.width, box.y + box.height]);

/**
 * The util of a line-like type (an arrow is a line with a head at its end: see arrow-util.ts): a
 * polyline along its path (linear-path.ts: straight, curved or elbow), with an arrowhead at either end where the record asks for one.
 */
export function createLinearUtil<S extends LinearShape, ToolId extends string>(type: S['type'], tool: ShapeTool<ToolId>): ShapeUtil<S, ToolId> {
  return {
    type,
    tool,
    // The heads' corners reach past the points, and the stroke half its width past everything.
    // The label's box is inside the bounds too (grown by the half stroke like the rest: a little room).
    localBounds: (shape) => pointsBounds([...linearPath(shape), ...arrowheads(shape).flatMap((head) => headExtent(head).flatMap((p) => [p.x, p.y])), ...boxCorners(drawnLabelBox(shape))], 2, shape.strokeWidth / 2),
    // A press on a head selects its line, wings included, as it does on the line itself.
    hitTest: (shape, p, tolerance) => {
      const reach = shape.strokeWidth / 2 + tolerance;
      const label = drawnLabelBox(shape);
      const onLabel = label !== null && p.x >= label.x && p.x <= label.x + label.width && p.y >= label.y && p.y <= label.y + label.height;
      return onLabel || distanceToPolyline(p, linearPath(shape), 2) <= reach || arrowheads(shape).some((head) => distanceToArrowhead(p, head) <= reach);
    },
    resize: (shape, sx, sy) => ({ ...shape, points: shape.points.map((n, i) => roundCoordinate(i % 2 === 0 ? n * sx : n * sy)) }),
    view: lineView,
    toSvg(shape) {
      // The line leaves a gap for its label, as the canvas draws it.
      const label = drawnLabelBox(shape);
      const line = pathPieces(linearPath(shape), label)
        .map((piece) => `<polyline points="${piece.map(svgNumber).join(' ')}" ${svgStroke(shape)} fill="none"/>`)
        .join('');
      return line + arrowheads(shape).map((head) => arrowheadSvg(head, shape)).join('') + (label === null ? '' : labelSvg(shape, label));
    },
    text: {
      layout: linearLabelLayout,
      // The editor opens at the shape's origin (the start): it reaches over the label's box there,
      // grown as the label is typed.
      editorBox: (shape, value, scale) => {
        const box = labelBox(shape, value === '' ? ' ' : value);
        return { width: box.width * scale, height: box.height * scale, padding: LABEL_PADDING * scale, background: '', offset: { x: box.x, y: box.y }, align: 'center' };
      },
    },
  };
}

/** Line: a polyline, no arrowheads unless its record asks for them. */
export const lineUtil = createLinearUtil<LineShape, 'line'>('line', lineTool);
