// The outcome being typed, kept in the browser's localStorage per call (per account for a
// preview not yet connected) so a reload, a tab closed by mistake or a crashed browser loses
// nothing (the tab's sessionStorage died with it: notes typed in wrap-up were gone when the
// call came back in a new tab): put back on the form when the same screen comes back, listed
// under "Notes not saved" when it does not (a 409 tells the agent to reload and that the notes
// are still there), dropped once the outcome is saved.
(function () {
  "use strict";

  // Drafts are the logged-in agent's own: keyed by user, and every one dropped at logout, so
  // the next agent at a shared floor PC never reads another's notes about a debtor.
  var ROOT = "concord:outcome-draft:";
  var PREFIX = ROOT + (document.body.getAttribute("data-user") || "anon") + ":";
  var MAX_AGE_MS = 12 * 60 * 60 * 1000;  // a shift: older drafts are of no use to anyone
  var restoring = false;
  var shelf = window.localStorage;  // outlives the tab, unlike sessionStorage

  function $(id) { return document.getElementById(id); }

  // A call's draft is also per account: a call in that popped the wrong person is filed under
  // another account, and notes typed about the first must not land on the second's form.
  function keyOf(callId, accountId) {
    return PREFIX + (callId ? "call:" + callId + ":" + accountId : "preview:" + accountId);
  }

  function screenKey() {
    var screen = $("screen");
    var account = screen ? screen.getAttribute("data-account-id") : "";
    return account ? keyOf(screen.getAttribute("data-call-id"), account) : "";
  }

  function read(key) {
    try { return JSON.parse(shelf.getItem(key) || "null"); } catch (e) { return null; }
  }

  // A list left at its first choice (a new number's "mobile") is nothing typed: kept, it made
  // every untouched form a draft, listed as "(no notes)" once the screen moved on.
  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "tz" && typeof value === "string") { fields[name] = value; }
    });
    form.querySelectorAll("select").forEach(function (list) {
      if (list.selectedIndex <= 0) { delete fields[list.name]; }
    });
    return fields;
  }

  function blank(fields) {
    return Object.keys(fields).every(function (name) { return fields[name] === ""; });
  }

  function same(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  function store() {
    var form = $("outcome-form"), key = screenKey();
    if (!form || !key || restoring) { return; }
    var fields = fieldsOf(form);
    if (blank(fields)) { shelf.removeItem(key); return; }
    var screen = $("screen");
    shelf.setItem(key, JSON.stringify({
      fields: fields,
      debtor: screen.getAttribute("data-debtor") || "",
      account_id: screen.getAttribute("data-account-id"),
      at: Date.now(),
    }));
  }

  // The server renders the draft's fields (a code brings its promise or plan fields), so the
  // form comes back as it was, schedule rows and all.
  function restore() {
    var form = $("outcome-form"), key = screenKey();
    if (!form || !key) { return; }
    var draft = read(key);
    var screen = $("screen");
    var previewed = keyOf("", screen.getAttribute("data-account-id"));
    if (!draft && key !== previewed && read(previewed)) {
      draft = read(previewed);  // the preview was dialled and connected: same account, now a call
      shelf.setItem(key, JSON.stringify(draft));
      shelf.removeItem(previewed);
    }
    if (!draft || same(fieldsOf(form), draft.fields)) { return; }
    restoring = true;
    var done = function () { restoring = false; listOrphans(); };
    htmx.ajax("POST", "/agent/outcome/form", {
      source: "#outcome-form", target: "#outcome", swap: "outerHTML", values: draft.fields,
    }).then(done, done);
  }

  function drafts() {
    var found = [];
    for (var i = 0; i < shelf.length; i++) {
      var key = shelf.key(i);
      if (key && key.indexOf(PREFIX) === 0) { found.push(key); }
    }
    return found;
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Drafts of screens no longer shown, to copy from: text only, never HTML.
  function listOrphans() {
    var box = $("unsaved-notes"), list = $("unsaved-notes-list");
    if (!box || !list) { return; }
    var current = screenKey();
    list.textContent = "";
    drafts().forEach(function (key) {
      var draft = read(key);
      if (!draft || !draft.fields || Date.now() - (draft.at || 0) > MAX_AGE_MS) {
        shelf.removeItem(key);
        return;
      }
      if (key === current) { return; }
      var item = el("li", null, { "data-draft": key.slice(PREFIX.length) });
      var about = (draft.debtor || "Account " + draft.account_id) + (draft.fields.code ? " · " + draft.fields.code : "");
      item.appendChild(el("span", about + ": "));
      item.appendChild(el("q", draft.fields.notes || "(no notes)"));
      var discard = el("button", "Discard", { type: "button", "aria-label": "Discard the notes about " + about });
      discard.addEventListener("click", function () { shelf.removeItem(key); listOrphans(); });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(discard);
      list.appendChild(item);
    });
    box.hidden = !list.children.length;
  }

  function typed(ev) {
    if (ev.target.closest && ev.target.closest("#outcome-form")) { store(); }
  }

  function forgetAll(except) {
    var keys = [];
    for (var i = 0; i < shelf.length; i++) {
      var key = shelf.key(i);
      if (key && key.indexOf(ROOT) === 0 && (!except || key.indexOf(except) !== 0)) { keys.push(key); }
    }
    keys.forEach(function (key) { shelf.removeItem(key); });
  }

  forgetAll(PREFIX);  // another login's drafts left in this browser (a shared floor PC)
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.matches && form.matches('form[action="/logout"]') && !ev.defaultPrevented) { forgetAll(""); }
  });
  // Skipped: the account goes back to the campaign, and its notes with it, so a later preview
  // of it (by this agent, hours on) does not bring back an outcome about another day.
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("#btn-skip")) {
      var key = screenKey();
      if (key) { shelf.removeItem(key); }
    }
  }, true);
  document.addEventListener("input", typed);
  document.addEventListener("change", typed);
  // Saved: the draft has done its work. HX-Trigger fires before the screen is swapped.
  document.addEventListener("dispositionSaved", function (ev) {
    var saved = ev.detail || {};
    shelf.removeItem(keyOf(saved.call_id || "", saved.account_id || ""));
  });
  document.addEventListener("concord:settled", function (ev) {
    if (ev.detail.screen) { restore(); } else if (!ev.detail.initial) { store(); }
    listOrphans();
  });
})();
