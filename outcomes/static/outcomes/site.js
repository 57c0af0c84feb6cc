// A box that scrolls sideways (a wide table on a phone) must be reachable by keyboard (WCAG
// 2.1.1, axe's scrollable-region-focusable): when it holds nothing focusable itself, it becomes a
// tab stop, named after its caption or heading. Without JavaScript the box still scrolls.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]";

  function label(box) {
    var caption = box.querySelector("caption, legend, h2, h3");
    return caption ? caption.textContent.trim() : "";
  }

  function mark() {
    document.querySelectorAll("main table, main fieldset, main .table-scroll, main .scroll").forEach(function (box) {
      // Any overflow counts, a pixel too (axe counts it: a table of 1 218.4 px in a 1 217 px box).
      var scrolls = box.scrollWidth > box.clientWidth;
      if (box.dataset.scrollMarked) {
        if (!scrolls) { box.removeAttribute("tabindex"); delete box.dataset.scrollMarked; }
        return;
      }
      if (!scrolls || box.querySelector(FOCUSABLE)) { return; }
      box.setAttribute("tabindex", "0");
      box.dataset.scrollMarked = "1";
      if (box.tagName !== "TABLE" && box.tagName !== "FIELDSET") {
        box.setAttribute("role", "region");
        if (label(box)) { box.setAttribute("aria-label", label(box)); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
