// Folio's small progressive enhancements. Everything works without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("open", open);
      });
    }
    // After a failed submit, put the cursor in the first field with an error.
    var invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }
    // Destructive actions ask first: <form data-confirm="Question?">.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          e.preventDefault();
        }
      });
    });
    // Close the user menu with Escape or a click elsewhere.
    var menu = document.querySelector(".usermenu");
    if (menu) {
      document.addEventListener("click", function (e) {
        if (menu.open && !menu.contains(e.target)) { menu.open = false; }
      });
      document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
      });
    }
  });
})();
