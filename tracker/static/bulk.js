/* The request list's bulk bar. Without this file the boxes and the bar work as a plain form; with it:
   - the box in the header ticks or clears every box on the page;
   - the bar says how many are selected, and shows the owner or matter picker only for the action needing it;
   - "One status letter to this agency" is offered only while the ticked requests are at one agency. */
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=ids]"));
  var all = form.querySelector("input[data-select-all]");
  var action = form.querySelector("select[name=action]");
  var count = form.querySelector("[data-testid=bulk-count]");
  var scope = form.querySelector("input[name=scope]");
  var letter = action && action.querySelector("option[value=agency_letter]");

  function update() {
    var ticked = boxes.filter(function (b) { return b.checked; });
    var agencies = {};
    ticked.forEach(function (b) { agencies[b.getAttribute("data-agency")] = true; });
    var oneAgency = Object.keys(agencies).length === 1;
    if (all) {
      all.checked = ticked.length > 0 && ticked.length === boxes.length;
      all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
    }
    if (count) {
      count.textContent = scope && scope.checked ? "" : ticked.length + " selected";
    }
    if (letter) {
      letter.disabled = !(oneAgency || (scope && scope.checked));
      if (letter.disabled && action.value === "agency_letter") { action.value = ""; }
    }
    Array.prototype.forEach.call(form.querySelectorAll(".bulk-param"), function (label) {
      label.hidden = label.getAttribute("data-for") !== (action ? action.value : "");
    });
  }

  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  if (action) { action.addEventListener("change", update); }
  if (scope) { scope.addEventListener("change", update); }
  // A header box ticked before this script ran (a quick click, or the browser restoring the form) still counts.
  if (all && all.checked) { boxes.forEach(function (b) { b.checked = true; }); }
  update();
}());
