import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSpatialIndex } from '../../client/canvas/spatial-index.ts';
import { seededRandom } from '../helpers/client.ts';
import type { Bounds } from '../../client/model/geometry.ts';

const intersects = (a: Bounds, b: Bounds): boolean => a.x <= b.x + b.width && a.y <= b.y + b.height && a.x + a.width >= b.x && a.y + a.height >= b.y;

describe('spatial index for culling', () => {
  test('a query finds every shape touching the region (checked against a linear scan), also after moves and deletes', () => {
    const random = seededRandom(7);
    const index = createSpatialIndex();
    const all = new Map<string, Bounds>();
    const place = (id: string): void => {
      const big = random() < 0.02;
      const bounds = { x: (random() - 0.5) * 20_000, y: (random() - 0.5) * 20_000, width: big ? 9_000 : random() * 300, height: big ? 9_000 : random() * 300 };
      all.set(id, bounds);
      index.set(id, bounds);
    };
    for (let i = 0; i < 3_000; i++) place(`s${i}`);
    // At the board's far corners (coordinates up to 1e7, sizes up to 1e6): cells there have keys too.
    for (const [id, bounds] of [
      ['far-a', { x: -1e7, y: 1e7, width: 200, height: 100 }],
      ['far-b', { x: 1e7, y: -1e7, width: 1e6, height: 50 }],
      ['far-c', { x: 1e7 - 300, y: 1e7 - 300, width: 600, height: 600 }],
    ] as const) {
      all.set(id, bounds);
      index.set(id, bounds);
    }
    for (let i = 0; i < 500; i++) place(`s${Math.floor(random() * 3_000)}`);
    for (let i = 0; i < 300; i++) {
      const id = `s${Math.floor(random() * 3_000)}`;
      all.delete(id);
      index.delete(id);
    }
    for (const region of [
      { x: 0, y: 0, width: 1280, height: 800 },
      { x: -3_000, y: 2_000, width: 640, height: 400 },
      { x: -1e6, y: -1e6, width: 2e6, height: 2e6 },
      { x: 50_000, y: 50_000, width: 10, height: 10 },
      { x: -1e7 - 100, y: 1e7 - 100, width: 400, height: 400 },
      { x: 1e7 + 900_000, y: -1e7, width: 400, height: 400 },
      { x: 1e7 - 50, y: 1e7 - 50, width: 100, height: 100 },
      { x: -2e7, y: -2e7, width: 4e7, height: 4e7 },
    ]) {
      const found = index.query(region);
      const expected = [...all].filter(([, b]) => intersects(b, region)).map(([id]) => id);
      for (const id of expected) assert.ok(found.has(id), `${id} is found in ${JSON.stringify(region)}`);
      for (const id of found) assert.ok(all.has(id), `${id} was deleted`);
    }
  });
});
