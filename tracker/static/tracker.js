/* Progressive enhancements on every page. Each page works without this file; with it:
   - the main menu folds behind a "Menu" button on narrow screens;
   - table cells carry their column's name, shown when narrow screens turn rows into cards;
   - text fields with a limit count their characters and say when the text is too long (nothing is cut);
   - selects marked data-picker become searchable pickers (vendor/tom-select), when that library is loaded. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function menu() {
    var button = document.querySelector(".menu-toggle");
    var target = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      target.classList.toggle("open", open);
    });
  }

  function label(root) {
    each("table.list", function (table) {
      var heads = [];
      each("thead th", function (th) {
        var span = parseInt(th.getAttribute("colspan") || "1", 10);
        for (var i = 0; i < span; i += 1) { heads.push(th.textContent.trim()); }
      }, table);
      if (!heads.length) { return; }
      each("tbody tr", function (row) {
        var index = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (heads[index] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[index]); }
          index += parseInt(cell.getAttribute("colspan") || "1", 10);
        });
      }, table);
    }, root);
  }

  function number(n) { return n.toLocaleString("en-US"); }

  function counters(root) {
    each("[data-limit]", function (input) {
      if (input.getAttribute("data-counted")) { return; }
      input.setAttribute("data-counted", "1");
      var limit = parseInt(input.getAttribute("data-limit"), 10);
      var out = document.createElement("small");
      out.className = "counter";
      out.id = input.id + "-count";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
      function update() {
        var length = input.value.length;
        var over = length > limit;
        out.classList.toggle("over", over);
        out.textContent = over
          ? number(length) + " characters: " + number(length - limit) + " over the limit of " + number(limit)
            + ". Shorten it before saving; nothing is cut."
          : number(length) + " of " + number(limit) + " characters";
        input.setAttribute("aria-invalid", over ? "true" : (input.closest(".has-error") ? "true" : "false"));
      }
      input.addEventListener("input", update);
      update();
    }, root);
  }

  function pickers(root) {
    if (typeof window.TomSelect !== "function") { return; }
    each("select[data-picker]", function (select) {
      if (select.tomselect) { return; }
      var plugins = select.multiple ? { remove_button: { title: "Remove" } } : {};
      var picker = new window.TomSelect(select, {
        plugins: plugins, maxOptions: null, hideSelected: true, closeAfterSelect: !select.multiple,
        // The matches follow each key at once (the lists are the page's own): with Tom Select's default pause,
        // Enter pressed right after typing chose the match of the first letters, not of what was typed.
        refreshThrottle: 0,
        placeholder: select.getAttribute("data-placeholder") || "Type to search", allowEmptyOption: true,
        render: { no_results: function () { return '<div class="no-results">Nothing matches</div>'; } }
      });
      // Enter in the typing box chooses the highlighted match (Tom Select's own handler) and never sends the
      // whole form: typed before the matches appear, it would file a half-written draft.
      if (picker.control_input) {
        picker.control_input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); }
        });
      }
      // The typing box gets the field's own label, so screen readers announce it.
      // (Tom Select points the label at its own box; the hidden select keeps the name too.)
      var labelled = document.querySelector('label[for="' + select.id + '-ts-control"]')
        || document.querySelector('label[for="' + select.id + '"]');
      var name = labelled ? labelled.textContent.trim() : "";
      if (name) {
        select.setAttribute("aria-label", name);
        if (picker.control_input) { picker.control_input.setAttribute("aria-label", name); }
      }
    }, root);
  }

  function enhance(root) { label(root); counters(root); pickers(root); }

  document.addEventListener("DOMContentLoaded", function () { menu(); enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
}());
