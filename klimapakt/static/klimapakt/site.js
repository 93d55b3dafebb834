// After a form was sent back with errors, move the keyboard and screen-reader focus to the
// summary at the top ("Bitte prüfen Sie Ihre Angaben"), whose links lead to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-error-summary");
  if (summary) { summary.focus(); }
});

// Wide tables: at small widths a table scrolls sideways inside its .kp-table-wrap. Such a
// container becomes a named, focusable region (keyboard users scroll it with the arrow keys)
// with the visible hint "Tabelle seitlich scrollen" above it (text from <body data-table-scroll-hint>).
(function () {
  "use strict";
  var count = 0;

  function hintFor(wrap) {
    var hint = wrap.previousElementSibling;
    if (hint && hint.classList.contains("kp-scroll-hint")) { return hint; }
    hint = document.createElement("p");
    hint.className = "kp-scroll-hint";
    hint.id = "kp-scroll-hint-" + (++count);
    hint.textContent = document.body.getAttribute("data-table-scroll-hint") || "";
    hint.hidden = true;
    wrap.parentNode.insertBefore(hint, wrap);
    return hint;
  }

  function update(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    var hint = hintFor(wrap);
    hint.hidden = !scrolls;
    wrap.classList.toggle("kp-table-wrap--scrolls", scrolls);
    if (scrolls) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", hint.textContent + (caption ? ": " + caption.textContent.trim() : ""));
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function updateAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".kp-table-wrap"), update);
  }

  var pending = null;
  document.addEventListener("DOMContentLoaded", updateAll);
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(updateAll);
  });
  document.addEventListener("htmx:afterSettle", updateAll);  // tables that htmx brought in
}());
