// Import pages: run a check or an import with a progress bar. The server streams one JSON line per step
// ({"done": n, "total": N}), then {"redirect": url} or {"error": message}. Without JavaScript the form posts
// normally and the page waits for the report.
(function () {
  "use strict";

  function show(form, done, total, words) {
    var box = form.querySelector(".progress-box");
    if (!box) return;
    box.hidden = false;
    var bar = box.querySelector("progress");
    var text = box.querySelector(".progress-text");
    if (total) {
      bar.max = total;
      bar.value = done;
      text.textContent = words + " " + done + " of " + total + "…";
    } else {
      text.textContent = words + "…";
    }
  }

  function fail(form, message) {
    var box = form.querySelector(".progress-box");
    if (box) {
      box.querySelector(".progress-text").textContent = message;
      box.classList.add("failed");
    }
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = false;
  }

  function handle(form, line) {
    if (!line.trim()) return false;
    var message = JSON.parse(line);
    if (message.error) {
      fail(form, message.error);
      return true;
    }
    show(form, message.done, message.total, form.dataset.progress);
    if (message.redirect) {
      window.location.assign(message.redirect);
      return true;
    }
    return false;
  }

  async function run(form) {
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    show(form, 0, 0, form.dataset.progress);
    var response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/x-ndjson" },
      credentials: "same-origin",
    });
    var type = response.headers.get("Content-Type") || "";
    if (!type.startsWith("application/x-ndjson")) {
      // Not a run (the form has errors, or was refused): post it the plain way to show the server's page.
      if (response.redirected) {
        window.location.assign(response.url);
      } else {
        form.submit();
      }
      return;
    }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var pending = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      pending += decoder.decode(chunk.value, { stream: true });
      var lines = pending.split("\n");
      pending = lines.pop();
      for (var i = 0; i < lines.length; i++) {
        if (handle(form, lines[i])) return;
      }
    }
    if (!handle(form, pending)) fail(form, "The connection ended before the run finished. Reload the page.");
  }

  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.ReadableStream) return; // the plain form post still works
      event.preventDefault();
      run(form).catch(function () {
        fail(form, "The connection failed. Nothing was imported; try again.");
      });
    });
  });
})();
