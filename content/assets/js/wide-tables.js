/* Wide tables on a narrow screen: a table that does not fit scrolls sideways in its frame
 * (.nb-table-wrap, or Material's .md-typeset__scrollwrap around a Markdown table). Such a
 * frame gets a visible hint above it (表格较宽，可左右滑动查看), and is made a labelled,
 * focusable region so keyboard users can scroll it too (axe: scrollable-region-focusable).
 * Checked again when the window is resized; a frame that fits gets nothing. */
(function () {
  "use strict";

  var FRAMES = ".md-typeset .nb-table-wrap, .md-typeset .md-typeset__scrollwrap";
  var HINT = "表格较宽，可左右滑动查看 →";

  function label(frame) {
    var heading = frame.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    var title = heading ? heading.textContent.replace(/\s*¶$/, "").trim() : "";
    return (title ? title + "：" : "") + "表格，可左右滚动";
  }

  function mark(frame) {
    var scrolls = frame.scrollWidth > frame.clientWidth + 1;
    var hint = frame.previousElementSibling;
    var hasHint = hint && hint.classList.contains("nb-scroll-hint");
    frame.classList.toggle("nb-scrolls", scrolls);
    if (scrolls) {
      frame.setAttribute("tabindex", "0");
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", label(frame));
      if (!hasHint) {
        hint = document.createElement("p");
        hint.className = "nb-scroll-hint";
        hint.textContent = HINT;
        frame.parentNode.insertBefore(hint, frame);
      }
    } else {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
      if (hasHint) hint.remove();
    }
  }

  function markAll() {
    Array.prototype.forEach.call(document.querySelectorAll(FRAMES), mark);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markAll, 150);
  });
  // Material wraps Markdown tables in its own script; document$ emits once that is done.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(markAll);
  } else {
    window.addEventListener("load", markAll);
  }
})();
