// Keyboard-only helpers: move with Tab, act with Enter and Space, and check at every stop that the focused
// element shows a focus indicator (an outline or a box-shadow on it, or on the label that stands in for a
// visually hidden checkbox) and sits on screen.
'use strict';

const { assert } = require('./expect');

/** Describes the focused element and whether its focus can be seen. Runs in the page. */
function focusState() {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return { focused: false, what: 'nothing (focus is on the page itself)' };
  }
  const name = element.getAttribute('aria-label') || element.textContent.replace(/\s+/g, ' ').trim().slice(0, 60);
  const what = `<${element.tagName.toLowerCase()}${element.id ? ` id="${element.id}"` : ''}> "${name}"`;
  const indicator = (node) => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    return outline || shadow;
  };
  const seen = (node) => {
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    return parseFloat(style.opacity) > 0 && style.visibility !== 'hidden' && box.width >= 2 && box.height >= 2;
  };
  // A checkbox styled as a tile is transparent; its label carries the focus ring (`input:focus-visible + label`).
  const shown = [element, ...(element.labels ? Array.from(element.labels) : [])].filter(seen);
  const box = (shown[0] || element).getBoundingClientRect();
  const onScreen = box.bottom > 0 && box.right > 0 && box.top < window.innerHeight && box.left < window.innerWidth;
  return {
    focused: true,
    what,
    visible: shown.some(indicator),
    onScreen,
    tag: element.tagName.toLowerCase(),
    id: element.id,
    type: element.getAttribute('type'),
    name: element.getAttribute('name'),
    href: element.getAttribute('href'),
    classes: element.className,
    checked: Boolean(element.checked),
    text: element.textContent.replace(/\s+/g, ' ').trim(),
  };
}

async function assertFocusVisible(page) {
  const state = await page.evaluate(focusState);
  assert.ok(state.focused, `focus was lost: ${state.what}`);
  assert.ok(state.visible, `focus is not visible on ${state.what} at ${page.url()}`);
  assert.ok(state.onScreen, `the focused ${state.what} is off screen at ${page.url()}`);
  return state;
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `wanted(state)` holds, checking the focus indicator at every
 * stop. Fails after `limit` presses. Returns the state of the element reached and the stops on the way.
 */
async function tabTo(page, description, wanted, { limit = 120, backwards = false } = {}) {
  const stops = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const state = await assertFocusVisible(page);
    stops.push(state.what);
    if (wanted(state)) {
      return { state, stops };
    }
  }
  throw new Error(`Tab never reached ${description} in ${limit} presses; stops: ${stops.slice(-12).join(' → ')}`);
}

module.exports = { assertFocusVisible, focusState, tabTo };
