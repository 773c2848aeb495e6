/**
 * The client benchmarks' board: `count` shapes of every type, seeded, spread evenly over a square
 * board at a busy density, in a fixed z-order.
 */
import { indicesBetween } from '../shared/doc.ts';
import { DEFAULT_STYLE, type Shape, NO_LABEL } from '../shared/schema.ts';
import { seededRandom } from '../tests/helpers/client.ts';

/** Board area per shape, in square board units: a busy board, ~70 shapes on screen at 100%. */
const AREA_PER_SHAPE = 120 * 120;

/** `count` shapes of every type, spread evenly over a square board, in a fixed z-order. */
export function mixedShapes(count: number, seed: number): Shape[] {
  const random = seededRandom(seed);
  const side = Math.sqrt(count * AREA_PER_SHAPE);
  const indices = indicesBetween(null, null, count);
  const colors = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2', '#f08c00'];
  const shapes: Shape[] = [];
  for (let i = 0; i < count; i++) {
    const base = {
      ...DEFAULT_STYLE,
      id: `s${i}`,
      x: Math.round(random() * side),
      y: Math.round(random() * side),
      rotation: random() < 0.1 ? Math.round(random() * 360) : 0,
      locked: false,
      index: indices[i]!,
      strokeColor: colors[i % colors.length]!,
      fillStyle: (['none', 'semi', 'solid'] as const)[i % 3]!,
    };
    const w = 20 + Math.round(random() * 80);
    const h = 20 + Math.round(random() * 60);
    switch (i % 8) {
      case 0:
        shapes.push({ ...base, type: 'rect', ...NO_LABEL, width: w, height: h });
        break;
      case 1:
        shapes.push({ ...base, type: 'ellipse', ...NO_LABEL, width: w, height: h });
        break;
      case 2:
        shapes.push({ ...base, type: 'diamond', ...NO_LABEL, width: w, height: h });
        break;
      case 3: {
        const points: number[] = [];
        for (let p = 0; p < 24; p++) points.push(Math.round(p * 4), Math.round(Math.sin(p / 3) * 15 + 15), 0.5);
        shapes.push({ ...base, type: 'ink', points });
        break;
      }
      case 4:
        shapes.push({ ...base, type: 'line', points: [0, 0, w, h], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none' as const, arrowKind: 'straight' as const, bend: 0, text: '', endArrowhead: 'none' as const });
        break;
      case 5:
        shapes.push({ ...base, type: 'arrow', points: [0, 0, w, -h], startBinding: null, endBinding: null, startAnchor: null, endAnchor: null, startArrowhead: 'none' as const, arrowKind: 'straight' as const, bend: 0, text: '', endArrowhead: 'arrow' as const });
        break;
      case 6:
        shapes.push({ ...base, type: 'text', text: `note ${i}`, width: 0, fontSize: 16 });
        break;
      default:
        shapes.push({ ...base, type: 'sticky', textAlign: 'left', verticalAlign: 'top', text: `sticky ${i}`, width: 100, height: 80, fillColor: '#ffec99', fillStyle: 'solid' });
    }
  }
  return shapes;
}

