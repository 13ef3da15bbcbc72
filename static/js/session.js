// Warns two minutes before an idle session ends (accounts/sessions.py) and
// keeps it alive when asked. Without this file the server still ends the
// session; the next request shows that it ended.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) {
    return;
  }
  var warning = box.querySelector(".session-timeout-warning");
  var form = warning.querySelector("form");
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10) * 1000;
  var warn = parseInt(box.getAttribute("data-warn-seconds"), 10) * 1000;
  var warnTimer = null;
  var endTimer = null;

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warning.hidden = true;
    warnTimer = window.setTimeout(function () {
      warning.hidden = false;
      warning.querySelector("button").focus();
    }, Math.max(idle - warn, 0));
    // A little after the limit, so the server has certainly ended it.
    endTimer = window.setTimeout(function () {
      window.location.assign(box.getAttribute("data-ended-url"));
    }, idle + 5000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(box.getAttribute("data-keep-alive-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      if (response.ok) {
        schedule();
      } else {
        window.location.assign(box.getAttribute("data-ended-url"));
      }
    });
  });

  schedule();
})();
