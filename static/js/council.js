// council: the only script of our own. Everything works without it; it only adds the quick exit
// on the keyboard and a history-replacing exit. No inline script anywhere (the CSP forbids it).
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

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1500) { leave(event); }
    lastEscape = now;
  });
})();
