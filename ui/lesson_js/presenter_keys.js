// The Lesson page's presenter keys. A clicker sends PageDown/PageUp (some send the arrow keys): each press
// moves the lesson one step. This only listens for keys and sends "next" or "previous" back; it receives
// no data and writes nothing into the page. Keys pressed inside the embedded step (same origin) count too,
// so a lecturer who clicked into the chart can still advance, but never while typing or moving a control.
const NEXT = new Set(["PageDown", "ArrowRight", "ArrowDown"]);
const PREVIOUS = new Set(["PageUp", "ArrowLeft", "ArrowUp"]);
const CONTROLS = "input, textarea, select, [contenteditable], [role='slider'], [role='combobox'], [role='listbox'], [role='option']";
const VIEW_FRAMES = ".st-key-lesson-view iframe";

export default function ({ setTriggerValue }) {
  if (window.__glLessonKeysCleanup) window.__glLessonKeysCleanup();
  const onKey = (event) => {
    if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target instanceof Element && event.target.closest(CONTROLS)) return;
    const move = NEXT.has(event.key) ? "next" : PREVIOUS.has(event.key) ? "previous" : null;
    if (!move) return;
    event.preventDefault();
    setTriggerValue("nav", move);
  };
  const listened = new Set([document]);
  document.addEventListener("keydown", onKey);

  const listenInside = (frame) => {
    let inner = null;
    try {
      inner = frame.contentDocument; // null unless same origin
    } catch (error) {
      return;
    }
    if (inner && !listened.has(inner)) {
      inner.addEventListener("keydown", onKey);
      listened.add(inner);
    }
  };
  const frames = new WeakSet();
  const watchFrames = () => {
    for (const frame of document.querySelectorAll(VIEW_FRAMES)) {
      if (frames.has(frame)) continue;
      frames.add(frame);
      frame.addEventListener("load", () => listenInside(frame)); // every step loads a new document
      listenInside(frame);
    }
  };
  const observer = new MutationObserver(watchFrames);
  observer.observe(document.body, { childList: true, subtree: true });
  watchFrames();

  const cleanup = () => {
    observer.disconnect();
    for (const target of listened) target.removeEventListener("keydown", onKey);
    window.__glLessonKeysCleanup = null;
  };
  window.__glLessonKeysCleanup = cleanup;
  return cleanup;
}
