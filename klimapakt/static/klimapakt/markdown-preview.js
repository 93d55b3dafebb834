// Markdown preview (klimapakt/core/markdown_preview.py): every textarea with
// data-markdown-preview="<address>" gets a button "Vorschau anzeigen" below it. The button
// sends the text with the form's CSRF token and shows the sanitised HTML the server renders
// (the same renderer as the published page) in a region below. Without JavaScript the form's
// own "Vorschau" submit button does the same by sending the whole form.
(function () {
  "use strict";
  var count = 0;

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    return input ? input.value : "";
  }

  // The field's name without the "– optional" mark (the label's first text).
  function labelOf(textarea) {
    var label = textarea.labels && textarea.labels.length ? textarea.labels[0] : null;
    if (!label) { return ""; }
    var first = label.firstChild;
    return (first && first.nodeType === 3 ? first.textContent : label.textContent).trim();
  }

  function setup(textarea) {
    if (textarea.getAttribute("data-markdown-preview-ready")) { return; }
    textarea.setAttribute("data-markdown-preview-ready", "1");
    var id = "kp-md-preview-" + (++count);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kern-btn kern-btn--tertiary kp-md-preview__toggle";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    var label = document.createElement("span");
    label.className = "kern-label";
    label.textContent = textarea.getAttribute("data-markdown-preview-show");
    button.appendChild(label);
    var region = document.createElement("div");
    region.id = id;
    region.className = "kp-md-preview kp-prose";
    region.setAttribute("role", "region");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-label", textarea.getAttribute("data-markdown-preview-title") + ": " + labelOf(textarea));
    region.hidden = true;
    textarea.insertAdjacentElement("afterend", region);
    textarea.insertAdjacentElement("afterend", button);

    button.addEventListener("click", function () {
      if (!region.hidden) {
        region.hidden = true;
        button.setAttribute("aria-expanded", "false");
        label.textContent = textarea.getAttribute("data-markdown-preview-show");
        return;
      }
      var body = new URLSearchParams();
      body.append("text", textarea.value);
      fetch(textarea.getAttribute("data-markdown-preview"), {
        method: "POST", credentials: "same-origin", body: body,
        headers: {"X-CSRFToken": csrfToken(textarea), "X-Requested-With": "fetch"}
      }).then(function (response) {
        if (response.status !== 200 && response.status !== 413) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        region.innerHTML = html;  // sanitised on the server (core.text.render_markdown)
      }).catch(function () {
        region.textContent = textarea.getAttribute("data-markdown-preview-error");
      }).then(function () {
        region.hidden = false;
        button.setAttribute("aria-expanded", "true");
        label.textContent = textarea.getAttribute("data-markdown-preview-hide");
      });
    });
  }

  function setupAll() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-markdown-preview]"), setup);
  }
  document.addEventListener("DOMContentLoaded", setupAll);
  document.addEventListener("htmx:afterSettle", setupAll);
}());
