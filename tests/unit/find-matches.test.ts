/**
 * Ctrl+F's search (client/model/find-matches.ts): which shapes match, in which order, with which
 * excerpt; and one pass over 50,000 generated shapes, timed and printed (no timing assertion:
 * the machine decides the number, the test only that the answer is right).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Shape } from '../../shared/schema.ts';
import { excerptAt, findMatches } from '../../client/model/find-matches.ts';
import { DEFS, sampleShape } from '../helpers/shape-samples.ts';

const defOf = (type: string) => DEFS.find((def) => def.type === type)!;

/** A shape of `type` with this id and text (or frame name). */
function shape(type: string, id: string, text: string): Shape {
  const base = sampleShape(defOf(type), { id });
  return (type === 'frame' ? { ...base, name: text } : { ...base, text }) as Shape;
}

describe('findMatches', () => {
  test('texts, notes, labels and frame names match, ignoring case, in z-order; other shapes never', () => {
    const shapes = [
      shape('sticky', 'note', 'Buy MILK tomorrow'),
      sampleShape(defOf('ink'), { id: 'ink' }),
      shape('rect', 'box', 'milkshake'),
      shape('text', 'text', 'no match here'),
      shape('frame', 'frame', 'Milk frame'),
      shape('arrow', 'arrow', 'to the milk'),
      sampleShape(defOf('image'), { id: 'image' }),
    ];
    assert.deepEqual(findMatches(shapes, 'milk').map((match) => match.id), ['note', 'box', 'frame', 'arrow']);
    assert.deepEqual(findMatches(shapes, '  MiLk ').map((match) => match.id), ['note', 'box', 'frame', 'arrow'], 'spaces around the query are left out');
    assert.deepEqual(findMatches(shapes, 'here').map((match) => match.id), ['text']);
    assert.deepEqual(findMatches(shapes, 'absent'), []);
    assert.deepEqual(findMatches(shapes, '   '), [], 'a blank query matches nothing');
  });

  test('an excerpt is the words around the first occurrence, on one line, "…" where cut', () => {
    assert.equal(findMatches([shape('sticky', 'n', 'Short\nnote')], 'note')[0]!.excerpt, 'Short note');
    const long = `${'a'.repeat(50)} needle ${'b'.repeat(80)}`;
    const excerpt = findMatches([shape('sticky', 'n', long)], 'NEEDLE')[0]!.excerpt;
    assert.equal(excerpt, `…${'a'.repeat(19)} needle ${'b'.repeat(39)}…`);
    assert.equal(excerptAt('needle', 0, 6), 'needle', 'nothing cut, no ellipsis');
  });

  test('50,000 shapes: every match found in one pass (time printed, not asserted)', () => {
    const notes = Array.from({ length: 50_000 }, (_, n) => shape('sticky', `s${n}`, `Note number ${n} about the plan`));
    const start = performance.now();
    const matches = findMatches(notes, 'number 4999');
    const elapsed = performance.now() - start;
    // "number 4999" and "number 4999x" for x in 0..9: 11 shapes.
    assert.deepEqual(matches.map((match) => match.id), ['s4999', ...Array.from({ length: 10 }, (_, n) => `s4999${n}`)]);
    const all = findMatches(notes, 'plan');
    assert.equal(all.length, 50_000);
    console.log(`findMatches: 50,000 notes searched in ${elapsed.toFixed(1)} ms (${(performance.now() - start - elapsed).toFixed(1)} ms when all 50,000 match)`);
  });
});
