// Agent screen: the live websocket (snapshot first, then events), the wrap-up timer, the
// keyboard shortcuts, and what a keyboard or screen-reader user needs after a swap (focus kept
// or moved somewhere useful, a call announced). Everything else is htmx. No timer here ever
// logs an agent out: timers only redraw, and a throttled background tab just redraws later.
(function () {
  "use strict";

  var CLOSE_UNAUTHENTICATED = 4401;
  var CLOSE_FORBIDDEN = 4403;
  var backoffMs = 500;
  var MAX_BACKOFF_MS = 10000;
  var socket = null;
  var refreshing = false;
  var pending = [];

  function $(id) { return document.getElementById(id); }

  function setWsStatus(text, cls) {
    var el = $("ws-status");
    if (el) { el.textContent = text; el.className = "ws-status " + (cls || ""); }
  }

  function screenCallId() {
    var screen = $("screen");
    return screen ? screen.getAttribute("data-call-id") || "" : "";
  }

  // One reload per target at a time, the latest wanted one following. htmx.ajax without a
  // source makes <body> the source of every reload, and htmx keeps only the last request queued
  // behind one in flight: a screen reload between two state-bar reloads was silently dropped
  // (a lost screen pop when the dialer's on_call and call_connected arrive 20 ms apart).
  var inFlight = {};
  var wanted = {};

  function reload(path, target) {
    if (inFlight[target]) { wanted[target] = path; return inFlight[target]; }
    var kept = unsentChoices(target);
    var done = function () {
      delete inFlight[target];
      var next = wanted[target];
      delete wanted[target];
      if (next) { return reload(next, target); }
    };
    inFlight[target] = htmx.ajax("GET", path, { source: target, target: target, swap: "outerHTML" })
      .then(function () { restoreChoices(target, kept); return done(); }, done);
    return inFlight[target];
  }

  // A choice picked and not yet sent (a campaign, a pause reason) survives a reload of its
  // part of the page: a reconnect or the dialer's next event must not undo what the agent was
  // doing. Sending the form swaps in the server's answer, which carries no unsent mark.
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("select[name]")) { ev.target.setAttribute("data-unsent", ""); }
  });

  function unsentChoices(target) {
    var kept = {};
    document.querySelectorAll(target + " select[data-unsent]").forEach(function (s) { kept[s.name] = s.value; });
    return kept;
  }

  function restoreChoices(target, kept) {
    Object.keys(kept).forEach(function (name) {
      var select = document.querySelector(target + ' select[name="' + name + '"]');
      var offered = select && Array.prototype.some.call(select.options, function (o) { return o.value === kept[name]; });
      if (offered) { select.value = kept[name]; select.setAttribute("data-unsent", ""); }
    });
  }

  // Snapshot first: the state bar always, the screen only when the call on it changed, so an
  // agent's half-typed outcome is never wiped by a reconnect.
  function loadSnapshot() {
    refreshing = true;
    return fetch("/agent/snapshot", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 401 || r.redirected) { window.location = "/login"; throw new Error("login"); }
        return r.json();
      })
      .then(function (snap) {
        var jobs = [reload("/agent/state", "#state-bar")];
        var onScreen = screenCallId();
        var shown = $("screen") ? $("screen").getAttribute("data-account-id") || "" : "";
        if (snap.call_id !== onScreen || String(snap.account_id || "") !== shown) {
          jobs.push(reload("/agent/screen", "#screen"));
        }
        return Promise.all(jobs);
      })
      .finally(function () {
        refreshing = false;
        var queued = pending; pending = [];
        queued.forEach(apply);
      });
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function utcText(iso) {
    var when = new Date(iso);
    return isNaN(when) ? iso : when.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  // The dialer's refusals (dialer/console.py): a preview dial the compliance engine or the
  // floor said no to, or a call control it could not carry out. Text only, never HTML.
  function showRefusal(op, data) {
    var box = $("dialer-notice");
    if (!box) { return; }
    box.textContent = "";
    box.setAttribute("data-op", op);
    box.appendChild(el("strong", op === "dial_refused" ? "The call was not placed." : "The call control did not work."));
    box.appendChild(el("p", data.message || "", { id: "dialer-notice-message" }));
    var words = data.explanations || [];
    if (words.length) {
      var list = el("ul");
      words.forEach(function (w, i) { list.appendChild(el("li", w, { "data-reason": (data.reasons || [])[i] || "" })); });
      box.appendChild(list);
    }
    if (op === "dial_refused" && words.length) {
      box.appendChild(el("p", data.next_allowed_at ? "Next allowed: " + utcText(data.next_allowed_at)
        : "No time clears this: only a team lead's change can (a hold lifted, a number taken off the do-not-call list).", { id: "dialer-notice-next" }));
    }
    var close = el("button", "Dismiss", { type: "button", id: "dialer-notice-close" });
    close.addEventListener("click", function () { box.hidden = true; });
    box.appendChild(close);
    box.hidden = false;
  }

  function apply(msg) {
    if (msg.op === "dial_refused" || msg.op === "command_refused") {
      showRefusal(msg.op, msg.data || {});  // no screen state to wait for: show at once
      return;
    }
    if (refreshing) { pending.push(msg); return; }
    var data = msg.data || {};
    if (msg.op === "call_connected") {
      if (data.call_id !== screenCallId()) { reload("/agent/screen", "#screen"); }
      reload("/agent/state", "#state-bar");
    } else if (msg.op === "call_ended") {
      if (data.call_id === screenCallId()) {
        announce("Call ended: record the outcome");
        var banner = $("call-banner");
        var found = $("screen").getAttribute("data-account-id") !== "0";
        if (banner) {
          banner.textContent = "Call ended (" + (data.outcome || "hung up") + ") — " +
            (found ? "record the outcome" : "find the caller's account, or close the call");
        }
        // The line is gone: its controls go quiet as a reload would render them, and a stale
        // "Hanging up…" must not suggest the call is still being worked on.
        document.querySelectorAll(".call-head .controls button").forEach(function (b) { b.disabled = true; });
        var said = $("call-message");
        if (said) { said.textContent = ""; }
      }
      reload("/agent/state", "#state-bar");
    } else if (msg.op === "agent_state_changed") {
      reload("/agent/state", "#state-bar");
    } else if (msg.op === "disposition_saved") {
      // Saved in another window of this agent: this one still showed the account and its
      // outcome form, and a second save would have been refused or filed twice. The window that
      // saved is mid-request (htmx marks its form) and shows its own "Saved" notice.
      var form = $("outcome-form");
      var shown = $("screen") ? $("screen").getAttribute("data-account-id") : "";
      var savingHere = form && form.classList.contains("htmx-request");
      if (!savingHere && shown && shown === String(data.account_id)) {
        var told = "The outcome of this call was saved in another window.";
        announce(told);
        reload("/agent/screen", "#screen").then(function () {
          var screen = $("screen");
          if (screen) { screen.insertBefore(el("p", told, { "class": "notice", id: "saved-elsewhere" }), screen.firstChild); }
        });
      }
    }
    document.dispatchEvent(new CustomEvent("concord:" + msg.op, { detail: data }));
  }

  // A dropped network leaves the socket half-open: no close ever comes, and the page said
  // "live" while the floor had paused the seat. The server sends a beat on a quiet socket every
  // few seconds; silence well past that means the link is gone, so say so and dial in again.
  // (A background tab's throttled timer only checks late; the frames themselves still arrive.)
  var SILENCE_MS = 9000;
  var lastFrameAt = Date.now();
  // Until the server greets a new link, a lost one stays "lost" on screen: a quick "connecting…"
  // would read as recovered to an agent glancing over, while no call can reach the seat yet.
  var linkLost = false;

  function watchLink() {
    if (!socket || socket.readyState !== WebSocket.OPEN) { return; }
    if (Date.now() - lastFrameAt < SILENCE_MS) { return; }
    var dead = socket;
    dead.onclose = null;
    dead.onmessage = null;
    try { dead.close(1000); } catch (e) { /* already gone */ }
    linkLost = true;
    setWsStatus("connection lost: no calls reach you until it is back", "bad");
    announce("Connection to the server lost. No calls reach you until it is back.");
    setTimeout(connect, Math.round(backoffMs * (0.5 + Math.random())));
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/agent");
    lastFrameAt = Date.now();
    if (!linkLost) { setWsStatus("connecting…", ""); }
    socket.onopen = function () { backoffMs = 500; };
    socket.onmessage = function (ev) {
      lastFrameAt = Date.now();
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.v !== 1) { return; }
      // "live" only once the server has subscribed this screen (it says hello then): at open,
      // a frame published before the subscription was lost while the page already said live.
      if (msg.op === "hello") { linkLost = false; setWsStatus("live", "ok"); loadSnapshot(); return; }
      if (msg.op === "beat") { return; }
      apply(msg);
    };
    socket.onclose = function (ev) {
      if (ev.code === CLOSE_UNAUTHENTICATED) { window.location = "/login"; return; }
      if (ev.code === CLOSE_FORBIDDEN) { setWsStatus("not allowed", "bad"); return; }
      var wait = Math.round(backoffMs * (0.5 + Math.random()));
      linkLost = true;
      setWsStatus("connection lost: no calls reach you until it is back (trying again in " +
        Math.ceil(wait / 1000) + "s)", "bad");
      setTimeout(connect, wait);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    };
  }

  // Wrap-up and state timers are computed from the clock, not counted, so throttling is harmless.
  function tick() {
    var bar = $("state-bar"), out = $("state-timer");
    if (!bar || !out) { return; }
    var until = bar.getAttribute("data-until");
    var since = Date.parse(bar.getAttribute("data-since"));
    var now = Date.now();
    if (until) {
      var left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
      out.textContent = left > 0 ? "wrap-up " + left + "s left" : "wrap-up over: press Ready";
    } else if (!isNaN(since)) {
      var s = Math.max(0, Math.round((now - since) / 1000));
      out.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }
  }

  // A polite live region outside every swapped block: #screen itself is replaced on a pop, and
  // a region swapped in with its words already in it is read by no screen reader.
  function announce(text) {
    var region = $("call-announcer");
    if (!region) { return; }
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);  // a change, even if the same
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  // Swapped parts, told apart by node: htmx's event details name the old target for an
  // outerHTML swap, which is gone by then.
  var seen = new WeakSet();
  var announcedCall = null;
  // Where focus was as a swap began: only focus the swap took away is put somewhere else (a
  // draft put back on a reloaded form must not pull the agent away from where they are).
  var hadFocus = { screen: false, outcome: false, script: false };

  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    ["screen", "outcome", "script"].forEach(function (id) {
      var part = $(id);
      hadFocus[id] = !!(part && active && part.contains(active));
    });
    hadFocus.screen = hadFocus.screen || !active || active === document.body;
  });

  function newScreen(screen, initial) {
    var callId = screen.getAttribute("data-call-id") || "";
    if (!initial && callId && callId !== announcedCall && screen.getAttribute("data-source") === "dialer") {
      announce(screen.getAttribute("data-ended") === "yes" ? "Call ended: record the outcome"
        : (screen.getAttribute("data-inbound") === "yes" ? "Call in: " : "Live call: ") + screen.getAttribute("data-debtor") + ", " + screen.getAttribute("data-client"));
    }
    announcedCall = callId;
    if (!initial && hadFocus.screen && focusLost()) {
      var landing = $("saved-notice") || $("debtor-name") || $("waiting");
      if (landing) { landing.focus(); }
    }
  }

  // A refused Save (or a schedule that cannot be built) lands on the first field at fault,
  // whose aria-describedby reads its message; any other swap keeps focus in the panel.
  function newOutcome(outcome, initial) {
    if (initial) { return; }
    var bad = outcome.querySelector('[aria-invalid="true"], [data-error-focus]');
    if (bad) { bad.focus(); } else if (hadFocus.outcome && focusLost() && $("code")) { $("code").focus(); }
  }

  function settled(initial) {
    var screen = $("screen");
    var fresh = screen && !seen.has(screen);
    if (fresh) { seen.add(screen); newScreen(screen, initial); }
    // A script answer (Alt+1…9, Step back) lands on what to say next, not on the page.
    var script = $("script");
    if (script && !seen.has(script)) {
      seen.add(script);
      if (!fresh && !initial && hadFocus.script && focusLost() && $("script-say")) { $("script-say").focus(); }
    }
    var outcome = $("outcome");
    if (outcome && !seen.has(outcome)) {
      seen.add(outcome);
      if (!fresh) { newOutcome(outcome, initial); }
    }
    document.dispatchEvent(new CustomEvent("concord:settled", { detail: { screen: !!fresh, initial: initial } }));
  }

  // A new code makes its message stale: the select stays (type-ahead), so clear it here.
  document.addEventListener("change", function (ev) {
    var code = ev.target;
    if (code.id !== "code" || code.getAttribute("aria-invalid") !== "true") { return; }
    code.removeAttribute("aria-invalid");
    code.removeAttribute("aria-describedby");
    code.classList.remove("invalid");
    var said = $("err-code");
    if (said) { said.remove(); }
  });

  // One keystroke must not walk away from a call or a wrap-up: the outcome would go unsaved.
  function busy() {
    var bar = $("state-bar"), screen = $("screen");
    var state = bar ? bar.getAttribute("data-state") : "";
    return state === "on_call" || state === "wrap_up" || (screen && screen.getAttribute("data-on-call") === "yes");
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('form[action="/logout"]') || !busy()) { return; }
    var sure = window.confirm("A call or its wrap-up is on screen and its outcome is not saved. Log out anyway?");
    if (!sure) { ev.preventDefault(); }
  }, true);

  // Alt+key clicks (or focuses) the element marked data-key="key"; digits pick script answers.
  function onKey(ev) {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var key = ev.key.toLowerCase();
    var el = document.querySelector('[data-key="' + key + '"]:not([disabled])');
    if (!el) { return; }
    ev.preventDefault();
    if (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") { el.focus(); }
    else { el.click(); }
  }

  function fillZone(root) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    (root || document).querySelectorAll("input.tz").forEach(function (el) { if (!el.value) { el.value = zone; } });
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("htmx:afterSwap", function (ev) { fillZone(ev.target); tick(); });
  document.addEventListener("htmx:afterSettle", function () { settled(false); });
  document.addEventListener("DOMContentLoaded", function () {
    fillZone(document);
    settled(true);
    setInterval(tick, 1000);
    setInterval(watchLink, 2000);
    tick();
    connect();
  });
})();
