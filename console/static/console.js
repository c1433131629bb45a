// Every page: a request the server refused, or that never reached it, says so. htmx swaps no
// 4xx/5xx answer by default, so without this a refused Save (a 409 from a second tab, say) left
// the page as it was, with nothing to tell the agent it had not been saved.
(function () {
  "use strict";

  function box() { return document.getElementById("request-error"); }

  function say(text) {
    var target = box();
    if (!target) { return; }
    target.querySelector(".request-error-text").textContent = text;
    target.hidden = false;
  }

  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail.xhr;
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var alert = page.querySelector("[role=alert]");
    var words = alert ? alert.textContent.trim() : "";
    say(words || "The request failed (" + xhr.status + "). Try again, or tell your team lead.");
  });
  document.addEventListener("htmx:sendError", function (ev) {
    // A background refresh (a GET) saved nothing to lose: saying "Nothing was saved" after a
    // blip told agents who had just saved an outcome that it was gone.
    var config = ev.detail && ev.detail.requestConfig;
    var verb = config && config.verb ? String(config.verb).toLowerCase() : "post";
    say(verb === "get"
      ? "The connection to the server is down: this screen updates again once it is back."
      : "The server did not answer: check the connection, then try again. Nothing was saved.");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var target = box();
    if (target) { target.hidden = true; }
  });
  document.addEventListener("click", function (ev) {
    if (ev.target && ev.target.id === "request-error-close") { box().hidden = true; }
  });
})();
