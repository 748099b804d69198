// council: the only script of our own. Everything works without it; it only adds the quick exit
// on the keyboard, a history-replacing exit, and keeps focus in place across htmx swaps. No
// inline script anywhere (the CSP forbids it).
(function () {
  "use strict";
  var exitUrl = document.body.getAttribute("data-quick-exit") || "about:blank";
  var lastEscape = 0;

  function leave(event) {
    if (event) { event.preventDefault(); }
    // Hide the page at once, then replace this history entry so Back does not return here.
    document.body.classList.add("leaving");
    window.location.replace(exitUrl);
  }

  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", leave); }

  // When htmx replaces the part of the page that had focus (the comment form after sending,
  // a moderation card after approving), the browser drops focus to the top of the page: a
  // keyboard or screen-reader user would have to find their place again. Move focus to what
  // the new content says happened (its error or status message), else to the new content.
  var MESSAGE = ".error-summary, .nudge, [role=alert], [role=status]";
  document.addEventListener("htmx:after:settle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) { return; }
    var added = (event.detail && event.detail.newContent) || [];
    var target = null;
    var first = null;
    for (var i = 0; i < added.length && !target; i++) {
      var node = added[i];
      if (node.nodeType !== 1) { continue; }
      first = first || node;
      target = node.matches(MESSAGE) ? node : node.querySelector(MESSAGE);
    }
    target = target || first;
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  });

  // Print buttons (receipts, positions): only with JavaScript can a button print, so they are
  // hidden until now and the hint for printing from the browser's menu goes.
  var printers = document.querySelectorAll("[data-print]");
  for (var p = 0; p < printers.length; p++) {
    printers[p].hidden = false;
    printers[p].addEventListener("click", function () { window.print(); });
  }
  var hints = document.querySelectorAll("[data-print-hint]");
  for (var h = 0; h < hints.length; h++) { hints[h].hidden = true; }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1500) { leave(event); }
    lastEscape = now;
  });
})();
