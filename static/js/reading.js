/* Moving your read position once you have seen a thread page.
 *
 * The thread page carries a small form ("Markeer als gelezen") after its posts. Showing a page
 * writes nothing; this script sends that form in the background once the end of the posts has
 * been on screen, as a reader who scrolled there would press it. Without the script the button
 * does the same.
 */
(function () {
  "use strict";

  function send(form) {
    if (form.dataset.sent) {
      return;
    }
    form.dataset.sent = "1";
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      keepalive: true,
    }).then(function (answer) {
      if (answer.ok) {
        form.hidden = true;
      }
    });
  }

  document.querySelectorAll("form[data-read-mark]").forEach(function (form) {
    if (!("IntersectionObserver" in window)) {
      send(form);
      return;
    }
    var watcher = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        watcher.disconnect();
        send(form);
      }
    });
    watcher.observe(form);
  });
})();
