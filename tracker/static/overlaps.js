// The draft form asks, as the agency, the matters or the description change, whether a colleague's open request
// to the same agency may overlap (POST /requests/overlaps) and shows the answer above the form. A warning only.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-overlaps-url]");
  var box = document.getElementById("overlap-warning");
  var list = document.getElementById("overlap-list");
  if (!form || !box || !list) { return; }
  var timer = null, asked = 0;

  function field(name) { return form.querySelector("[name='" + name + "']"); }

  function show(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (o) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = o.url;
      a.textContent = o.title;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" · " + o.owner + " · " + o.status_label));
      var why = document.createElement("div");
      why.className = "sub";
      why.textContent = o.reasons.join("; ");
      li.appendChild(why);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  function ask() {
    var agency = field("agency_id");
    if (!agency || !agency.value || agency.value === "0") { show([]); return; }
    var body = new URLSearchParams();
    body.append("csrf_token", field("csrf_token").value);
    body.append("agency_id", agency.value);
    var description = field("records_description");
    body.append("records_description", description ? description.value : "");
    var matters = field("matter_ids");
    if (matters) {
      Array.prototype.forEach.call(matters.selectedOptions || [], function (o) { body.append("matter_ids", o.value); });
    }
    if (form.dataset.requestId) { body.append("request_id", form.dataset.requestId); }
    var mine = ++asked;
    fetch(form.dataset.overlapsUrl, {method: "POST", body: body, credentials: "same-origin",
                                     headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === asked) { show(data.overlaps); } })
      .catch(function () { /* a warning only: the save checks again */ });
  }

  function later() { clearTimeout(timer); timer = setTimeout(ask, 500); }
  ["agency_id", "matter_ids"].forEach(function (name) {
    var el = field(name);
    if (el) { el.addEventListener("change", ask); }
  });
  var description = field("records_description");
  if (description) { description.addEventListener("input", later); }
});
