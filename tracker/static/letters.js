// Letters: the "Copy text for the agency portal" button. A button with data-copy="ID" copies the
// text of the element with that id; the element with data-copy-status="ID" says whether it worked.
(function () {
  "use strict";

  function say(id, message) {
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) { status.textContent = message; }
  }

  function fallbackCopy(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var field = document.getElementById(id);
    if (!field) { return; }
    var text = field.value !== undefined ? field.value : field.textContent;
    var done = function () { say(id, "Copied. Paste it into the portal."); };
    var failed = function () {
      if (fallbackCopy(field)) { done(); } else { say(id, "Could not copy: select the text and copy it by hand."); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });
})();
