// The reform report's editor (motcua/reports/templates/reports/editor.html); no inline script
// (Content-Security-Policy, docs/security.md).
(function () {
  "use strict";
  // Settling copies `style` attributes with setAttribute, which the policy refuses for inline
  // styles; the editor has none of its own to settle.
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];
  // A refused save (400, 409) still shows its Vietnamese message in place of the form.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var inEditor = event.target instanceof Element && event.target.closest("[data-report-editor]");
    if (inEditor && (status === 400 || status === 403 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // "Chèn vào lời văn": put the figure's reference {{key}} at the cursor of the section's text,
  // so the printed value always comes from the report's figure (reports.md §4.7).
  function reveal(root) {
    root.querySelectorAll("button[data-insert]").forEach(function (button) {
      if (document.getElementById(button.getAttribute("data-target"))) button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("button[data-insert]");
    if (!button) return;
    var area = document.getElementById(button.getAttribute("data-target"));
    if (!area) return;
    var reference = "{{" + button.getAttribute("data-insert") + "}}";
    var start = area.selectionStart || area.value.length;
    var end = area.selectionEnd || start;
    area.value = area.value.slice(0, start) + reference + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + reference.length;
  });
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSwap", function () { reveal(document); });
})();
