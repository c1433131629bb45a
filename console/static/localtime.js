// Every page: times are stored and rendered in UTC, in <time datetime="..."> elements; here
// they are shown in the reader's own clock (the browser's time zone), with its name, since an
// agent in Chicago asked "when did we last call?" should not have to subtract six hours. The
// UTC text stays as the element's title, and column headings marked .zone name the clock.
(function () {
  "use strict";

  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  var two = function (n) { return (n < 10 ? "0" : "") + n; };

  function parts(date) {
    var found = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
      minute: "2-digit", hourCycle: "h23", weekday: "short",
    }).formatToParts(date).forEach(function (p) { found[p.type] = p.value; });
    found.monthName = new Intl.DateTimeFormat("en-GB", { timeZone: zone, month: "short" })
      .format(date);
    // The clock's name as the reader's own locale says it: "CDT" in the US, "BST" in Britain
    // (en-GB alone says "GMT-5" for Chicago).
    new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: "short" })
      .formatToParts(date).forEach(function (p) {
        if (p.type === "timeZoneName") { found.timeZoneName = p.value; }
      });
    return found;
  }

  // The server's strftime patterns, as the reader's clock writes them.
  function written(date, pattern) {
    var p = parts(date);
    var clock = two(Number(p.hour)) + ":" + p.minute;
    var seconds = two(date.getSeconds());
    if (pattern === "%H:%M") { return clock; }
    if (pattern === "%H:%M:%S") { return clock + ":" + seconds; }
    if (pattern === "%Y-%m-%d %H:%M:%S") {
      return p.year + "-" + p.month + "-" + p.day + " " + clock + ":" + seconds;
    }
    if (pattern === "%a %d %b %H:%M") {
      return p.weekday + " " + p.day + " " + p.monthName + " " + clock;
    }
    return p.year + "-" + p.month + "-" + p.day + " " + clock;
  }

  function localise(root) {
    var times = (root || document).querySelectorAll("time[datetime][data-fmt]:not([data-local])");
    var name = "";
    times.forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) { return; }
      name = parts(date).timeZoneName || zone;
      el.title = el.textContent.trim();
      el.textContent = written(date, el.dataset.fmt) + (el.dataset.label ? " " + name : "");
      el.setAttribute("data-local", zone);
    });
    var now = parts(new Date()).timeZoneName || zone;
    (root || document).querySelectorAll(".zone:not([data-local])").forEach(function (el) {
      el.textContent = now;
      el.setAttribute("data-local", zone);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:load", function (ev) { localise(ev.detail.elt); });
})();
