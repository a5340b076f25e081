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

  // The wall screen cannot be scrolled by hand: a column with more cards than fit turns its own pages,
  // one screenful every few seconds, and says which page it shows ("2/3").
  var PAGE_SECONDS = 10;
  function turnPages() {
    Array.prototype.forEach.call(document.querySelectorAll("body.tv .board-column"), function (column) {
      var heading = column.querySelector("h2");
      var step = column.clientHeight - (heading ? heading.offsetHeight : 0);
      var pages = step > 0 ? Math.ceil((column.scrollHeight - (heading ? heading.offsetHeight : 0)) / step) : 1;
      var marker = column.querySelector(".page-of");
      if (pages <= 1) {
        if (marker) { marker.remove(); }
        column.scrollTop = 0;
        return;
      }
      var next = (Math.round(column.scrollTop / step) + 1) % pages;
      column.scrollTo({ top: next * step, behavior: "smooth" });
      if (!marker && heading) {
        marker = document.createElement("span");
        marker.className = "page-of";
        heading.insertBefore(marker, heading.querySelector(".count"));
      }
      if (marker) { marker.textContent = (next + 1) + "/" + pages; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.classList.contains("tv")) {
      window.setInterval(turnPages, PAGE_SECONDS * 1000);
    }
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
