// The catalog's search and filters: every card is in the page, so without this script the
// whole catalog still shows; with it, cards that do not match are hidden and the count is
// announced.
(function () {
  "use strict";
  var fields = document.querySelectorAll("[data-filter]");
  var cards = document.querySelectorAll(".card");
  var count = document.getElementById("count");
  function apply() {
    var want = {};
    fields.forEach(function (f) { want[f.getAttribute("data-filter")] = f.value.trim().toLowerCase(); });
    var shown = 0;
    cards.forEach(function (card) {
      var ok = (!want.q || (card.getAttribute("data-search") || "").indexOf(want.q) >= 0) &&
        ["category", "level", "credit", "unit"].every(function (k) {
          return !want[k] || (card.getAttribute("data-" + k) || "").toLowerCase() === want[k];
        });
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown === 1 ? "1 microcredential" : shown + " microcredentials";
  }
  fields.forEach(function (f) { f.addEventListener("input", apply); f.addEventListener("change", apply); });
  var form = document.querySelector(".filters");
  if (form) { form.addEventListener("submit", function (e) { e.preventDefault(); }); }
})();
