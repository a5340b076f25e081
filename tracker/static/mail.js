// The request page's reply address: a "Copy" button, shown only when this script runs (without it the
// address is plain text to select). data-copy="ID" names the element whose text is copied.
(function () {
  "use strict";

  function say(id, message) {
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) { status.textContent = message; }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var element = document.getElementById(id);
    if (!element) { return; }
    var text = element.textContent.trim();
    var done = function () { say(id, "Copied."); };
    var failed = function () {
      selectText(element);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      say(id, ok ? "Copied." : "Selected: press Ctrl-C (or ⌘-C) to copy.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.copy-reply[data-copy]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      copy(button);
    });
  });
})();
