// Forms carrying a one-time token (`{% form_token %}`) are sent once.
// - On submit their buttons are disabled, so a double click sends one request (the server
//   would refuse the second anyway; this spares it).
// - The token sent is remembered for this tab (sessionStorage). When the user comes back to
//   the form with the back button, the form gets that token again even if the browser fetched
//   a fresh page: sending it again is answered with the first result instead of acting twice.
//   A form opened normally (link, menu, reload) keeps its own fresh token.
(function () {
  "use strict";
  var PREFIX = "motcua.once:";

  function keyOf(form) {
    return PREFIX + (form.getAttribute("action") || window.location.pathname);
  }

  function store(form, token) {
    try { window.sessionStorage.setItem(keyOf(form), token); } catch (e) { /* storage off */ }
  }

  function stored(form) {
    try { return window.sessionStorage.getItem(keyOf(form)); } catch (e) { return null; }
  }

  function cameBack(event) {
    if (event && event.persisted) return true;
    var nav = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")[0] : null;
    return !!nav && nav.type === "back_forward";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var token = form.querySelector("input[data-once]");
    if (!token || event.defaultPrevented) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    store(form, token.value);
    // After the submission has started, so the clicked button's name/value is still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    var back = cameBack(event);
    document.querySelectorAll("form").forEach(function (form) {
      var token = form.querySelector("input[data-once]");
      if (!token) return;
      delete form.dataset.sent;
      form.querySelectorAll("[aria-busy]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
      var used = back ? stored(form) : null;
      if (used) token.value = used;
    });
  });
})();
