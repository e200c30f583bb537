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
    document.querySelectorAll("form[data-live-list]").forEach(liveList);
    bulkBar();
    document.querySelectorAll("form[data-contact-form]").forEach(contactForm);
    document.querySelectorAll("[data-picker]").forEach(picker);
    document.querySelectorAll("form[data-rel-form]").forEach(relationForm);
    document.querySelectorAll("form[data-erase-form]").forEach(eraseForm);
    document.querySelectorAll("details.colpicker, details.inline-edit").forEach(closeOnEscape);
    document.querySelectorAll("details.colpicker").forEach(function (d) {
      document.addEventListener("click", function (e) {
        if (d.open && !d.contains(e.target)) { d.open = false; }
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

  // --- Contacts -----------------------------------------------------------

  // fetchText GETs or POSTs a same-origin URL and hands back status and text.
  function fetchText(url, opts) {
    opts = opts || {};
    opts.credentials = "same-origin";
    opts.headers = { "Accept": "text/html" };
    return fetch(url, opts).then(function (r) {
      return r.text().then(function (t) { return { status: r.status, text: t }; });
    });
  }

  // liveList makes the contact list search as you type: the same URL with
  // partial=rows answers only the results, and the address bar keeps the
  // state so a reload or a shared link shows the same list.
  function liveList(form) {
    var results = document.getElementById("contact-results");
    var search = form.querySelector("[data-live-search]");
    if (!results || !search) { return; }
    var defaults = form.getAttribute("data-default-cols") || "";
    var timer = null, ctrl = null, seq = 0;

    function state() {
      var p = new URLSearchParams();
      var cols = ["name"];
      new FormData(form).forEach(function (v, k) {
        if (k === "cols") {
          if (cols.indexOf(v) < 0) { cols.push(v); }
        } else if (v !== "") {
          p.append(k, v);
        }
      });
      if (cols.join(",") !== defaults) { p.set("cols", cols.join(",")); }
      return p;
    }

    function refresh() {
      var p = state();
      var path = form.getAttribute("action");
      var qs = p.toString();
      history.replaceState(null, "", path + (qs ? "?" + qs : ""));
      p.set("partial", "rows");
      if (ctrl) { ctrl.abort(); }
      ctrl = window.AbortController ? new AbortController() : null;
      var mine = ++seq;
      results.setAttribute("aria-busy", "true");
      fetchText(path + "?" + p.toString(), ctrl ? { signal: ctrl.signal } : {}).then(function (res) {
        if (mine !== seq) { return; }
        results.innerHTML = res.text;
        results.removeAttribute("aria-busy");
        document.dispatchEvent(new CustomEvent("folio:rows"));
      }).catch(function (e) {
        if (e && e.name === "AbortError") { return; }
        results.removeAttribute("aria-busy");
      });
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
    form.querySelectorAll("[data-live-filter]").forEach(function (sel) {
      sel.addEventListener("change", refresh);
    });
    // The Search button is for browsers without JavaScript; results follow
    // the typing already.
    form.addEventListener("submit", function (e) {
      if (e.submitter && e.submitter.hasAttribute("data-search-button")) {
        e.preventDefault();
        clearTimeout(timer);
        refresh();
      }
    });
  }

  // bulkBar shows the bulk actions once rows are ticked, ticks a whole page
  // with the header checkbox, and asks before deleting.
  function bulkBar() {
    var bar = document.querySelector("form[data-bulkbar]");
    if (!bar) { return; }
    var dialog = document.getElementById("bulk-delete-dialog");
    var del = bar.querySelector("[data-bulk-delete]");
    var tag = bar.querySelector("[data-bulk-tag]");
    var tagButton = bar.querySelector("[data-bulk-tag-button]");

    function rows() { return Array.prototype.slice.call(document.querySelectorAll("input[data-row-select]")); }
    function update() {
      var all = rows();
      var n = all.filter(function (c) { return c.checked; }).length;
      bar.classList.toggle("active", n > 0);
      document.querySelectorAll("[data-bulk-count]").forEach(function (el) { el.textContent = String(n); });
      var head = document.querySelector("input[data-select-all]");
      if (head) {
        head.checked = n > 0 && n === all.length;
        head.indeterminate = n > 0 && n < all.length;
      }
    }
    document.addEventListener("change", function (e) {
      var t = e.target;
      if (t.matches && t.matches("input[data-select-all]")) {
        rows().forEach(function (c) { c.checked = t.checked; });
        update();
      } else if (t.matches && t.matches("input[data-row-select]")) {
        update();
      }
    });
    document.addEventListener("folio:rows", update);
    bar.addEventListener("submit", function () {
      var ret = bar.querySelector("[data-bulk-return]");
      if (ret && (location.pathname === "/contacts" || location.pathname === "/")) {
        ret.value = location.pathname + location.search;
      }
    });
    if (tag && tagButton) {
      tag.addEventListener("keydown", function (e) {
        if (e.key === "Enter") {
          e.preventDefault();
          bar.requestSubmit(tagButton);
        }
      });
    }
    if (del && dialog && dialog.showModal) {
      del.addEventListener("click", function (e) {
        e.preventDefault();
        dialog.showModal();
      });
      dialog.querySelector("[data-dialog-cancel]").addEventListener("click", function () { dialog.close(); });
      dialog.querySelector("[data-dialog-confirm]").addEventListener("click", function () {
        bar.querySelector("[data-bulk-confirm]").value = "yes";
        dialog.close();
        bar.requestSubmit(del);
      });
    }
    update();
  }

  // contactForm shows the fields of the chosen kind, adds and removes
  // repeated rows, and keeps the edit lease alive while the form is open.
  function contactForm(form) {
    var kind = form.querySelector("select[name=kind]");
    function applyKind() {
      var k = kind ? kind.value : "person";
      form.querySelectorAll("[data-kinds]").forEach(function (el) {
        var want = el.getAttribute("data-kinds");
        var show = want === "person" ? k === "person" : want === "entity" ? k !== "person" : want === "joint" ? k === "joint" : true;
        el.hidden = !show;
      });
    }
    if (kind) {
      kind.addEventListener("change", applyKind);
      applyKind();
    }

    function wireRow(row) {
      var rm = row.querySelector("[data-remove-row]");
      if (!rm) { return; }
      rm.hidden = false;
      rm.addEventListener("click", function () {
        var list = row.parentElement;
        var add = form.querySelector('[data-add-row="' + list.getAttribute("data-repeat") + '"]');
        row.remove();
        if (add) { add.focus(); }
      });
    }
    form.querySelectorAll("[data-row]").forEach(wireRow);
    form.querySelectorAll("[data-add-row]").forEach(function (btn) {
      var list = btn.getAttribute("data-add-row");
      var box = form.querySelector('[data-repeat="' + list + '"]');
      var tpl = document.getElementById("tpl-" + list);
      if (!box || !tpl) { return; }
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var next = 0;
        box.querySelectorAll("[data-row]").forEach(function (r) {
          var i = parseInt(r.getAttribute("data-index"), 10);
          if (!isNaN(i) && i >= next) { next = i + 1; }
        });
        box.insertAdjacentHTML("beforeend", tpl.innerHTML.replace(/__i__/g, String(next)));
        var row = box.lastElementChild;
        wireRow(row);
        var first = row.querySelector("input:not([type=hidden]):not([type=radio]):not([type=checkbox])");
        if (first) { first.focus(); }
      });
    });

    var beat = form.getAttribute("data-heartbeat");
    if (beat) {
      var status = form.querySelector("[data-lease-status]");
      var lost = false;
      var timer = setInterval(function () {
        fetchText(beat, { method: "POST" }).then(function (res) {
          if (res.status === 204) { return; }
          if (res.status === 423 || res.status === 403 || res.status === 404) {
            lost = true;
            clearInterval(timer);
            var note = document.createElement("div");
            note.className = "callout callout-warning lease-lost";
            note.setAttribute("role", "alert");
            note.textContent = res.text || "You no longer hold the edit lock of this contact.";
            form.parentNode.insertBefore(note, form);
            if (status) { status.textContent = "Edit lock lost"; }
          }
        }).catch(function () {
          if (status && !lost) { status.textContent = "Offline? The edit lock is renewed when the connection is back."; }
        });
      }, 45000);
    }
  }

  // picker searches contacts as you type and fills a contact number input.
  function picker(box) {
    var input = box.querySelector("[data-picker-value]");
    var ui = box.querySelector("[data-picker-ui]");
    var search = box.querySelector("[data-picker-search]");
    var results = box.querySelector("[data-picker-results]");
    var name = box.querySelector("[data-picker-name]");
    if (!input || !ui || !search || !results) { return; }
    ui.hidden = false;
    var kind = box.getAttribute("data-picker-kind") || "";
    var timer = null, ctrl = null;
    function run() {
      var q = search.value.trim();
      if (ctrl) { ctrl.abort(); }
      if (!q) { results.innerHTML = ""; return; }
      ctrl = window.AbortController ? new AbortController() : null;
      var url = "/contacts?partial=picker&q=" + encodeURIComponent(q) + (kind ? "&kind=" + encodeURIComponent(kind) : "");
      fetchText(url, ctrl ? { signal: ctrl.signal } : {}).then(function (res) {
        results.innerHTML = res.status === 200 ? res.text : "";
      }).catch(function () {});
    }
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = results.querySelector("[data-pick]");
        if (first) { e.preventDefault(); first.focus(); }
      } else if (e.key === "Enter") {
        e.preventDefault(); // never submit the form from the search box
        var only = results.querySelectorAll("[data-pick]");
        if (only.length === 1) { only[0].click(); }
      } else if (e.key === "Escape") {
        search.value = "";
        results.innerHTML = "";
      }
    });
    results.addEventListener("keydown", function (e) {
      var opts = Array.prototype.slice.call(results.querySelectorAll("[data-pick]"));
      var i = opts.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i >= 0 && i < opts.length - 1) { e.preventDefault(); opts[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) { opts[i - 1].focus(); } else { search.focus(); } }
      if (e.key === "Escape") { search.focus(); }
    });
    results.addEventListener("click", function (e) {
      var b = e.target.closest("[data-pick]");
      if (!b) { return; }
      input.value = b.getAttribute("data-pick");
      if (name) { name.textContent = b.getAttribute("data-pick-name") + " (#" + input.value + ")"; }
      results.innerHTML = "";
      search.value = "";
      input.focus();
    });
  }

  // relationForm shows the two label inputs only for a custom relationship.
  function relationForm(form) {
    var kind = form.querySelector("select[name=kind]");
    var custom = form.querySelector("[data-custom-labels]");
    if (!kind || !custom) { return; }
    function apply() { custom.hidden = kind.value !== "custom"; }
    kind.addEventListener("change", apply);
    apply();
  }

  // eraseForm enables the button once the contact's name has been typed.
  function eraseForm(form) {
    var want = norm(form.getAttribute("data-erase-name"));
    var input = form.querySelector("input[name=confirm_name]");
    var button = form.querySelector("[data-erase-button]");
    if (!input || !button) { return; }
    function norm(s) { return (s || "").trim().replace(/\s+/g, " ").toLowerCase(); }
    function apply() { button.disabled = norm(input.value) !== want; }
    input.addEventListener("input", apply);
    apply();
  }

  // closeOnEscape closes a <details> menu with Escape.
  function closeOnEscape(d) {
    d.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && d.open) {
        d.open = false;
        var s = d.querySelector("summary");
        if (s) { s.focus(); }
      }
    });
  }
})();
