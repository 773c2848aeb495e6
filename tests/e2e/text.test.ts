/**
 * End to end: live, mergeable text. Two pages (separate browser contexts) on one board of the
 * real server, shared by every test here, plus a Node client standing in for a bot and observing
 * the document: typing reaches the other page as it is typed, with the typist's caret; two people
 * typing into one note at once both keep everything, and undo takes back only one's typing; a
 * board written with plain-string text is migrated when an editor opens it.
 *
 * Set E2E_SCREENSHOTS=<folder> to keep screenshots of both pages mid-typing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { getMetaMap, getShapesMap, readSchemaVersion, shapeText } from '../../shared/doc.ts';
import { LOCAL_ORIGIN } from '../../shared/origins.ts';
import { DEFAULT_STYLE, SCHEMA_VERSION, type StickyShape } from '../../shared/schema.ts';
import { poll, waitFor, type TestClient } from '../helpers/client.ts';
import { boardSuite, darkPixelsIn, TIMEOUT } from '../helpers/board-page.ts';

async function ownName(page: Page): Promise<string> {
  const name = await page.locator('.avatar[data-self="true"]').getAttribute('data-name');
  assert.ok(name);
  return name;
}

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`) });
}

/** A note as a bot or an older Easel writes it: every field plain, the text a string. */
function writeStringNote(doc: Y.Doc, id: string, x: number, y: number, text: string, index: string): void {
  const note: Omit<StickyShape, 'id'> = { ...DEFAULT_STYLE, type: 'sticky', textAlign: 'left', verticalAlign: 'top', x, y, rotation: 0, index, locked: false, text, width: 200, height: 200, fillColor: '#ffec99', fillStyle: 'solid' };
  const entry = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(note)) entry.set(key, value);
  getShapesMap(doc).set(id, entry);
}

const noteText = (doc: Y.Doc, id: string): string | undefined => {
  const text = getShapesMap(doc).get(id)?.get('text');
  return text instanceof Y.Text ? text.toString() : typeof text === 'string' ? text : undefined;
};

describe('live text in the browser', { timeout: 120_000 }, () => {
  // Any console error or warning fails a test.
  const suite = boardSuite({ watch: 'strict' });
  const roomName = `e2e-text-${Date.now()}`;
  let shared: (Awaited<ReturnType<typeof suite.openRoom>> & { bot: TestClient; names: { a: string; b: string } }) | undefined;

  /** One room for every test: a bot writes an older board's note, then both pages open it. */
  async function room() {
    if (shared) return shared;
    const bot = await suite.connect(roomName);
    bot.doc.transact(() => {
      getMetaMap(bot.doc).set('schemaVersion', 1);
      writeStringNote(bot.doc, 'legacy', 100, 150, 'from a bot', 'a0');
    }, LOCAL_ORIGIN);
    const opened = await suite.openRoom(roomName);
    shared = { ...opened, bot, names: { a: await ownName(opened.pageA), b: await ownName(opened.pageB) } };
    return shared;
  }

  test('a board written with string text is migrated once an editor opens it; a bot’s string written later is shown', async () => {
    const { observer, bot, pageB, errors } = await room();
    await waitFor(() => shapeText(observer.doc, 'legacy') instanceof Y.Text && readSchemaVersion(observer.doc) === SCHEMA_VERSION, { doc: observer.doc }, 'the note’s text became a Y.Text, version 2', TIMEOUT);
    assert.equal(noteText(observer.doc, 'legacy'), 'from a bot');
    // The bot writes a plain string again, as a bot that knows nothing of Y.Text would.
    bot.doc.transact(() => writeStringNote(bot.doc, 'bot2', 100, 450, 'hello from the bot', 'a1'), LOCAL_ORIGIN);
    await poll(async () => (await darkPixelsIn(pageB, [110, 460, 290, 490])) > 30, 'page B draws the bot’s string text', TIMEOUT);
    assert.equal(typeof getShapesMap(observer.doc).get('bot2')?.get('text'), 'string', 'shown as it is, not rewritten');
    assert.deepEqual(errors, []);
  });

  test('B sees A’s characters and caret while A is still typing, on the line where they are', async () => {
    const { pageA, pageB, observer, names, errors } = await room();
    await pageA.keyboard.press('n');
    await pageA.mouse.click(650, 350); // a note from (550, 250) to (750, 450)
    const editor = pageA.locator('.text-editor[data-kind="sticky"]');
    await editor.waitFor({ state: 'visible', timeout: TIMEOUT });
    const firstLine: [number, number, number, number] = [560, 260, 740, 288];
    const blank = await darkPixelsIn(pageB, firstLine);
    await pageA.keyboard.type('Hello');
    const id = (): string | undefined => [...getShapesMap(observer.doc).keys()].find((key) => noteText(observer.doc, key)?.startsWith('Hello'));
    await waitFor(() => id() !== undefined && noteText(observer.doc, id()!) === 'Hello', { doc: observer.doc }, 'the server has Hello', TIMEOUT);
    await poll(async () => (await darkPixelsIn(pageB, firstLine)) > blank + 30, 'page B draws Hello', TIMEOUT);

    const caret = pageB.locator(`.remote-caret[data-name="${names.a}"]`);
    await poll(async () => (await caret.getAttribute('data-index')) === '5', 'B shows A’s caret after Hello', TIMEOUT);
    assert.equal(await caret.getAttribute('data-shape'), id());
    assert.equal(await caret.locator('.remote-caret-name').textContent(), names.a);
    const bar = caret.locator('.remote-caret-bar');
    const first = await bar.boundingBox();
    assert.ok(first, 'a caret bar');
    assert.ok(first.x > 575 && first.x < 660 && first.y > 255 && first.y < 275, `the caret sits after Hello on the first line: ${JSON.stringify(first)}`);
    assert.equal(await bar.evaluate((el) => getComputedStyle(el).backgroundColor), await pageA.locator('.avatar[data-self="true"]').evaluate((el) => {
      const probe = document.createElement('i');
      probe.style.color = (el as HTMLElement).dataset.color ?? '';
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    }), 'in A’s colour');

    await pageA.keyboard.press('Shift+Enter');
    await pageA.keyboard.type('World');
    await poll(async () => (await caret.getAttribute('data-index')) === '11', 'B’s view of A’s caret follows the typing', TIMEOUT);
    const second = await bar.boundingBox();
    assert.ok(second && Math.abs(second.y - first.y - 25) < 3, `one line lower: ${JSON.stringify(second)}`);
    // Too long for the note's width: the view wraps it at a word, and the caret follows the wrap.
    await pageA.keyboard.type(' wraps at a word');
    await poll(async () => (await caret.getAttribute('data-index')) === '27', 'B’s view of A’s caret follows the typing', TIMEOUT);
    const wrapped = await bar.boundingBox();
    assert.ok(wrapped && Math.abs(wrapped.y - first.y - 50) < 3 && wrapped.x < 740, `on the wrapped third line: ${JSON.stringify(wrapped)}`);
    await pageA.keyboard.press('Shift+ArrowLeft');
    await pageA.keyboard.press('Shift+ArrowLeft');
    await caret.locator('.remote-caret-selection').waitFor({ timeout: TIMEOUT });
    await screenshot(pageA, 'typing-a');
    await screenshot(pageB, 'typing-b');
    assert.ok(await editor.isVisible(), 'all of this while A is still typing');

    await pageA.keyboard.press('Escape');
    await caret.waitFor({ state: 'detached', timeout: TIMEOUT });
    assert.equal(noteText(observer.doc, id()!), 'Hello\nWorld wraps at a word');
    assert.deepEqual(errors, []);
  });

  test('both type into one note at once: both keep every character; undo takes back only one user’s typing', async () => {
    const { pageA, pageB, observer, errors } = await room();
    const id = [...getShapesMap(observer.doc).keys()].find((key) => noteText(observer.doc, key) === 'Hello\nWorld wraps at a word');
    assert.ok(id, 'the note of the last test');
    const editors = [pageA, pageB].map((page) => page.locator('.text-editor[data-kind="sticky"]'));
    for (const page of [pageA, pageB]) {
      await page.keyboard.press('v');
      await page.mouse.dblclick(700, 420);
    }
    await Promise.all(editors.map((editor) => editor.waitFor({ state: 'visible', timeout: TIMEOUT })));
    // A types at the start, B at the end (where the editor opens), keystrokes interleaving. The
    // A's stay together only if A's caret stays put as B's characters arrive (a textarea whose
    // value is set moves its caret to the end).
    await pageA.keyboard.press('Control+Home');
    await Promise.all([pageA.keyboard.type('AAAAAA', { delay: 15 }), pageB.keyboard.type('BBBBBB', { delay: 15 })]);
    const both = 'AAAAAAHello\nWorld wraps at a wordBBBBBB';
    await waitFor(() => noteText(observer.doc, id) === both, { doc: observer.doc }, 'the server has both inputs', TIMEOUT);
    await poll(async () => (await editors[0]!.inputValue()) === both && (await editors[1]!.inputValue()) === both, 'both editors show both inputs', TIMEOUT);
    await screenshot(pageA, 'both-a');
    await screenshot(pageB, 'both-b');

    // A stops and undoes: A's burst goes, B's typing stays, in B's open editor too.
    await pageA.keyboard.press('Escape');
    await pageA.keyboard.press('Control+z');
    await waitFor(() => noteText(observer.doc, id) === 'Hello\nWorld wraps at a wordBBBBBB', { doc: observer.doc }, 'A’s typing went, B’s stayed', TIMEOUT);
    await poll(async () => (await editors[1]!.inputValue()) === 'Hello\nWorld wraps at a wordBBBBBB', 'B’s editor shows the undo', TIMEOUT);
    await pageB.keyboard.press('Escape');
    await pageB.keyboard.press('Control+z');
    await waitFor(() => noteText(observer.doc, id) === 'Hello\nWorld wraps at a word', { doc: observer.doc }, 'B’s undo takes back B’s burst alone', TIMEOUT);
    assert.deepEqual(errors, []);
  });
});
