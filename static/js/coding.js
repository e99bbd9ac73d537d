/* Coding passages by selecting text (research pages only).
 *
 * Selecting words inside a post's text fills that post's "passage" form: the quote, and the start
 * and end offsets in code points (what the server counts in Post.body_text). Without this script
 * the form works by quoting; the server checks the offsets against the text either way.
 */
(function () {
  "use strict";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function containerOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest("[data-coding-text]") : null;
  }

  function fill() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    var container = containerOf(range.startContainer);
    if (!container || containerOf(range.endContainer) !== container) {
      return;
    }
    var prefix = container.getAttribute("data-coding-text");
    var form = document.querySelector('[data-passage-form="' + prefix + '"]');
    if (!form) {
      return;
    }
    var before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var selected = range.toString();
    var lead = selected.length - selected.replace(/^\s+/, "").length;
    var quote = selected.trim();
    if (!quote) {
      return;
    }
    var start = codePoints(before.toString()) + codePoints(selected.slice(0, lead));
    var end = start + codePoints(quote);

    form.querySelector('[name="' + prefix + '-quote"]').value = quote;
    form.querySelector('[name="' + prefix + '-start"]').value = String(start);
    form.querySelector('[name="' + prefix + '-end"]').value = String(end);
    var details = form.closest("details");
    if (details) {
      details.open = true;
    }
    var status = document.getElementById(prefix + "-status");
    if (status) {
      status.textContent = status.getAttribute("data-filled") || "";
    }
  }

  function forget(event) {
    // Typing in the quote field yourself: the offsets no longer belong to it.
    var field = event.target;
    if (!field.name || !/-quote$/.test(field.name)) {
      return;
    }
    var prefix = field.name.slice(0, -"-quote".length);
    var form = field.form;
    form.querySelector('[name="' + prefix + '-start"]').value = "";
    form.querySelector('[name="' + prefix + '-end"]').value = "";
  }

  document.addEventListener("mouseup", fill);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) {
      fill(); // selecting with shift and the arrow keys
    }
  });
  document.addEventListener("input", forget);
})();
