/* Comfort on top of pages that work without JavaScript (the error summary's
   focus is static/js/forms.js, on every page):
   - a description field shows how many characters are left, announced
     politely to screen readers after typing pauses;
   - the contact details hide while "stay anonymous" is chosen. */
(function () {
  "use strict";

  function format(template, count) {
    return template.replace("%(count)s", count.toLocaleString(document.documentElement.lang || "sv"));
  }

  function characterCount(textarea) {
    var max = parseInt(textarea.getAttribute("data-maxlength"), 10);
    if (!max) return;
    var visible = document.createElement("div");
    visible.className = "character-count";
    visible.setAttribute("aria-hidden", "true");
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", live);
    textarea.insertAdjacentElement("afterend", visible);
    var timer = null;

    function message() {
      var length = textarea.value.replace(/\r\n/g, "\n").length;
      var left = max - length;
      if (left >= 0) {
        return format(textarea.getAttribute(left === 1 ? "data-left-one" : "data-left-many"), left);
      }
      return format(textarea.getAttribute(-left === 1 ? "data-over-one" : "data-over-many"), -left);
    }
    function update() {
      visible.textContent = message();
      visible.classList.toggle("is-over", textarea.value.length > max);
    }
    update();
    textarea.addEventListener("input", function () {
      update();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { live.textContent = message(); }, 1000);
    });
  }

  function anonymousToggle() {
    var contact = document.querySelector("fieldset.contact-details");
    var radios = document.querySelectorAll("input[name='reply']");
    if (!contact || !radios.length) return;
    function sync() {
      var chosen = document.querySelector("input[name='reply']:checked");
      contact.hidden = !!chosen && chosen.value === "anonymous";
    }
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }

  document.querySelectorAll("textarea[data-maxlength]").forEach(characterCount);
  anonymousToggle();
})();
