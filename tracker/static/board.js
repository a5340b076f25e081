/* The status board: live refresh housekeeping, filters that apply on change, copying a new share link.
   htmx (vendor/htmx.min.js) polls the fragment; this file only handles what htmx leaves to the page. */
(function () {
  "use strict";

  function live() { return document.getElementById("board-live"); }

  // The fragment was refused: signed out, or the wall-screen link was revoked. Reload the whole page,
  // which then shows the login page or the "link does not work" message instead of stale cards.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 401 || status === 403 || status === 404 || status === 410) {
      window.location.reload();
    } else if (live()) {
      live().classList.add("stale");
    }
  });
  // The server could not be reached: keep the last cards, say so, and keep polling.
  document.addEventListener("htmx:sendError", function () {
    if (live()) { live().classList.add("stale"); }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target === live()) {
      live().classList.remove("stale");
      live().setAttribute("data-refreshed", String(Date.now()));
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var filters = document.querySelector("form.board-filters");
    if (filters) {
      filters.addEventListener("change", function () { filters.submit(); });
    }
    Array.prototype.forEach.call(document.querySelectorAll("button.copy-link"), function (button) {
      button.addEventListener("click", function () {
        var input = document.querySelector(button.getAttribute("data-copy"));
        if (!input) { return; }
        input.select();
        if (navigator.clipboard) {
          navigator.clipboard.writeText(input.value).then(function () { button.textContent = "Copied"; });
        }
      });
    });
  });
}());
