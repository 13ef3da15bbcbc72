/* The form system's one script (core/forms.py), on top of pages that work
   without JavaScript: the error summary gets focus on load, and its links
   scroll the field's label (or legend) into view as they move focus to the
   field. */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var fieldset = input.closest("fieldset");
    var anchor = fieldset ? fieldset.querySelector("legend") : document.querySelector("label[for='" + input.id + "']");
    (anchor || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
