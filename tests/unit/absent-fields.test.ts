/**
 * Fields at the value the gate reads when they are left out are not stored (shared/doc.ts with
 * shared/schema.ts readsAsAbsent): a board of plain shapes stores about half the entries. What
 * must hold: every shape reads back exactly as written, whatever its values (so a field whose
 * absent value follows another field is never left out), and updating a left-out field to that
 * value writes nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { getShapesMap, readShapeFromDoc, updateShape, writeShape } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { readShape, type Shape } from '../../shared/schema.ts';
import { seededRandom } from '../helpers/client.ts';
import { DEFS, OTHER_STYLE, sampleShape } from '../helpers/shape-samples.ts';

const RECT = DEFS.find((def) => def.type === 'rect')!;

function stored(doc: Y.Doc, id: string): string[] {
  return [...(getShapesMap(doc).get(id) as Y.Map<unknown>).keys()].sort();
}

describe('fields at their absent value are left out', () => {
  test('a plain rectangle stores only what the gate cannot fill in', () => {
    const doc = new Y.Doc();
    const rect = sampleShape(RECT, { id: 'plain' });
    doc.transact(() => writeShape(doc, rect), LOCAL_ORIGIN);
    // Its example has a label.
    assert.deepEqual(stored(doc, 'plain'), ['height', 'index', 'text', 'type', 'width', 'x', 'y']);
    const read = readShapeFromDoc(doc, 'plain');
    assert.ok(read.ok);
    assert.deepEqual(read.shape, rect);
  });

  test('a styled, turned, locked rectangle stores those fields', () => {
    const doc = new Y.Doc();
    const rect = sampleShape(RECT, { id: 'styled', ...OTHER_STYLE, rotation: 30, locked: true });
    doc.transact(() => writeShape(doc, rect), LOCAL_ORIGIN);
    for (const key of [...Object.keys(OTHER_STYLE), 'rotation', 'locked']) assert.ok(stored(doc, 'styled').includes(key), key);
    const read = readShapeFromDoc(doc, 'styled');
    assert.ok(read.ok);
    assert.deepEqual(read.shape, rect);
  });

  test('every type reads back as written, with seeded random values in every plain field', () => {
    const random = seededRandom(18);
    for (const def of DEFS) {
      for (let round = 0; round < 40; round++) {
        const base = sampleShape(def, { id: `${def.type}-${round}` }) as unknown as Record<string, unknown>;
        // Each plain field: kept, or changed to another value the gate accepts as it is.
        const record: Record<string, unknown> = { ...base };
        for (const [key, value] of Object.entries(base)) {
          if (key === 'id' || key === 'type' || key === 'index' || random() < 0.5) continue;
          if (typeof value === 'number') record[key] = Math.round(value * (0.5 + random()) + random() * 10);
          else if (typeof value === 'boolean') record[key] = !value;
        }
        const read = readShape(base.id, record);
        if (!read.ok) continue;
        const doc = new Y.Doc();
        doc.transact(() => writeShape(doc, read.shape), LOCAL_ORIGIN);
        const back = readShapeFromDoc(doc, read.shape.id);
        assert.ok(back.ok, `${def.type} round ${round}`);
        assert.deepEqual(back.shape, read.shape, `${def.type} round ${round}`);
      }
    }
  });

  test('setting a left-out field to its absent value writes nothing; another value is stored', () => {
    const doc = new Y.Doc();
    doc.transact(() => writeShape(doc, sampleShape(RECT, { id: 'r' })), LOCAL_ORIGIN);
    let updates = 0;
    doc.on('update', () => updates++);
    doc.transact(() => updateShape(doc, 'r', { rotation: 0, locked: false, strokeWidth: 2 } as Partial<Shape>), LOCAL_ORIGIN);
    assert.equal(updates, 0);
    doc.transact(() => updateShape(doc, 'r', { strokeWidth: 4 } as Partial<Shape>), LOCAL_ORIGIN);
    assert.equal(updates, 1);
    const read = readShapeFromDoc(doc, 'r');
    assert.ok(read.ok);
    assert.equal(read.shape.strokeWidth, 4);
  });
});
