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
    document.querySelectorAll("button[data-confirm]").forEach(confirmButton);
    document.querySelectorAll("details.advanced").forEach(advancedSearch);
    document.querySelectorAll("[data-enter-submits]").forEach(enterSubmits);
    document.querySelectorAll("input[data-max-bytes]").forEach(fileLimit);
    document.querySelectorAll("form[data-merge-form]").forEach(mergeForm);
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

    // state is the list's query as the server writes it: the names of the
    // forms that post along (a view's or a segment's name) left out, and of
    // the advanced search only the filled rows, without a value where the
    // operator compares none.
    function state() {
      var p = new URLSearchParams();
      var cols = ["name"];
      var data = new FormData(form);
      var skip = {};
      form.querySelectorAll("[data-not-state]").forEach(function (el) { skip[el.name] = true; });
      var filled = {};
      data.forEach(function (v, k) {
        var m = /^f([0-9]+)$/.exec(k);
        if (m && v !== "") { filled[m[1]] = true; }
      });
      data.forEach(function (v, k) {
        var m = /^([fov])([0-9]+)$/.exec(k);
        if (skip[k] || (m && !filled[m[2]]) || (k === "m" && Object.keys(filled).length === 0)) { return; }
        if (m && m[1] === "v" && noValue(data.get("o" + m[2]))) { return; }
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

  // confirmButton asks before a destructive button submits its form:
  // <button data-confirm="Question?">.
  function confirmButton(button) {
    button.addEventListener("click", function (e) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        e.preventDefault();
      }
    });
  }

  // noValue reports whether an advanced search operator compares no value.
  function noValue(op) { return op === "is_empty" || op === "is_not_empty"; }

  // advancedSearch offers only the operators that fit each row's field,
  // hides the value when there is none to type, suggests the field's
  // values, and shows one empty row at a time with "Add a condition".
  function advancedSearch(box) {
    var rows = Array.prototype.slice.call(box.querySelectorAll("[data-cond-row]"));
    var add = box.querySelector("[data-cond-add]");
    var placeholders = { date: "YYYY-MM-DD", time: "YYYY-MM-DD", number: "A whole number", money: "An amount, like 1250.50" };
    function shown() { return rows.filter(function (r) { return !r.hidden; }); }
    function updateAdd() { if (add) { add.hidden = shown().length >= rows.length; } }

    rows.forEach(function (row) {
      var field = row.querySelector("[data-cond-field]");
      var op = row.querySelector("[data-cond-op]");
      var value = row.querySelector("[data-cond-value]");
      var remove = row.querySelector("[data-cond-remove]");
      if (!field || !op || !value) { return; }
      var ops = Array.prototype.map.call(op.options, function (o) { return { value: o.value, label: o.textContent }; });

      function applyOp() {
        var none = noValue(op.value);
        value.hidden = none;
        value.disabled = none;
      }
      function applyField() {
        var chosen = field.options[field.selectedIndex];
        var allowed = chosen && chosen.value ? (chosen.getAttribute("data-ops") || "").split(" ") : ops.map(function (o) { return o.value; });
        var current = op.value;
        op.textContent = "";
        ops.forEach(function (o) {
          if (allowed.indexOf(o.value) < 0) { return; }
          var el = document.createElement("option");
          el.value = o.value;
          el.textContent = o.label;
          op.appendChild(el);
        });
        op.value = allowed.indexOf(current) >= 0 ? current : allowed[0];
        var type = chosen ? chosen.getAttribute("data-type") || "" : "";
        var want = type === "date" || type === "time" ? "date" : "text";
        if (value.type !== want) { value.type = want; }
        var list = chosen ? chosen.getAttribute("data-list") : null;
        if (list) { value.setAttribute("list", list); } else { value.removeAttribute("list"); }
        value.placeholder = placeholders[type] || "Value";
        applyOp();
      }
      field.addEventListener("change", applyField);
      op.addEventListener("change", applyOp);
      applyField();
      if (row.hasAttribute("data-cond-more")) { row.hidden = true; }
      if (remove) {
        remove.hidden = false;
        remove.addEventListener("click", function () {
          field.value = "";
          value.value = "";
          applyField();
          if (shown().length > 1) {
            row.hidden = true;
            var last = shown().pop();
            last.querySelector("[data-cond-field]").focus();
          } else {
            field.focus();
          }
          updateAdd();
        });
      }
    });
    if (add) {
      add.addEventListener("click", function () {
        var next = rows.filter(function (r) { return r.hidden; })[0];
        if (next) {
          next.hidden = false;
          next.querySelector("[data-cond-field]").focus();
        }
        updateAdd();
      });
    }
    updateAdd();
    // Links to #advanced (the segments page's "New segment") open it; the
    // fragment itself brings it into view and starts Tab there.
    if (location.hash === "#" + box.id) { box.open = true; }
  }

  // enterSubmits makes Enter in a field press its own button
  // (data-enter-submits="button id") rather than the form's first one.
  function enterSubmits(input) {
    var button = document.getElementById(input.getAttribute("data-enter-submits"));
    if (!button || !button.form) { return; }
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        button.form.requestSubmit(button);
      }
    });
    // A keypress that still comes would submit with the form's first button.
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter") { e.preventDefault(); }
    });
  }

  // fileLimit refuses a file over the upload limit before it is sent,
  // with the server's own message next to the field.
  function fileLimit(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var msg = input.getAttribute("data-too-large");
    var error = document.getElementById(input.id + "-error");
    var field = input.closest(".field");
    function check() {
      var file = input.files && input.files[0];
      var tooLarge = !!file && file.size > max;
      if (tooLarge) {
        input.setAttribute("aria-invalid", "true");
        if (error) { error.textContent = msg; error.hidden = false; }
      } else {
        input.removeAttribute("aria-invalid");
        if (error) { error.textContent = ""; error.hidden = true; }
      }
      if (field) { field.classList.toggle("has-error", tooLarge); }
      return !tooLarge;
    }
    input.addEventListener("change", check);
    if (input.form) {
      input.form.addEventListener("submit", function (e) {
        if (!check()) {
          e.preventDefault();
          input.focus();
        }
      });
    }
  }

  // mergeForm chooses every value of one side at once.
  function mergeForm(form) {
    form.querySelectorAll("[data-merge-all]").forEach(function (button) {
      button.addEventListener("click", function () {
        var side = button.getAttribute("data-merge-all");
        form.querySelectorAll('input[type=radio][value="' + side + '"]').forEach(function (r) { r.checked = true; });
      });
    });
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

// Imports: the progress of a running import, and asking before a form
// cancels one. Everything works without it: the page has a refresh link
// and the server asks on a page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-import-progress]").forEach(importProgress);
    document.querySelectorAll("form[data-confirm-dialog]").forEach(confirmDialog);
  });

  function formatCount(n) { return Number(n || 0).toLocaleString("en-US"); }

  // importProgress asks for the import's progress every second, moves the
  // bar and the counts, and reloads the page once the import has ended so
  // that it shows the result.
  function importProgress(box) {
    var url = box.getAttribute("data-import-progress");
    var bar = box.querySelector("[data-progress-bar]");
    var pct = box.querySelector("[data-progress-percent]");
    var text = box.querySelector("[data-progress-text]");
    var failures = 0;
    function show(p) {
      if (bar && (p.status === "running" || p.percent > 0)) { bar.value = p.percent; }
      if (pct) { pct.textContent = p.percent + "%"; }
      if (text && p.summary) { text.textContent = p.summary; }
      ["created", "updated", "unchanged", "rejected"].forEach(function (k) {
        var el = box.querySelector('[data-progress-count="' + k + '"]');
        if (el) { el.textContent = formatCount(p[k]); }
      });
    }
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
        if (r.status === 404 || r.status === 403) { failures = -1; }
        if (!r.ok) { throw new Error("progress: " + r.status); }
        return r.json();
      }).then(function (p) {
        failures = 0;
        show(p);
        if (p.finished) {
          location.reload();
          return;
        }
        setTimeout(tick, 1000);
      }).catch(function () {
        if (failures < 0) { return; } // gone or not ours any more: stop asking
        failures++;
        setTimeout(tick, Math.min(15000, 1000 * (failures + 1)));
      });
    }
    setTimeout(tick, 1000);
  }

  // confirmDialog asks in a <dialog> before a form submits:
  // <form data-confirm-dialog="dialog id"> holding an input
  // [data-confirm-field] that is set to "yes" once confirmed.
  function confirmDialog(form) {
    var dialog = document.getElementById(form.getAttribute("data-confirm-dialog"));
    var field = form.querySelector("[data-confirm-field]");
    if (!dialog || !dialog.showModal || !field) { return; }
    var ok = dialog.querySelector("[data-dialog-confirm]");
    var cancel = dialog.querySelector("[data-dialog-cancel]");
    form.addEventListener("submit", function (e) {
      if (field.value === "yes") { return; }
      e.preventDefault();
      dialog.showModal();
    });
    if (cancel) { cancel.addEventListener("click", function () { dialog.close(); }); }
    if (ok) {
      ok.addEventListener("click", function () {
        field.value = "yes";
        dialog.close();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    }
  }
})();
