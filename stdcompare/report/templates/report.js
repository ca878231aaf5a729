(function () {
  "use strict";
  function cellValue(td) {
    var v = td.getAttribute("data-sort");
    if (v === null) { v = td.textContent.trim(); }
    var n = parseFloat(v);
    return isNaN(n) || /[^0-9.eE+\-]/.test(v) ? v.toLowerCase() : n;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.setAttribute("title", "sort");
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var x = cellValue(r1.cells[col]), y = cellValue(r2.cells[col]);
          if (x === y) { return 0; }
          if (x === "") { return 1; }
          if (y === "") { return -1; }
          if (typeof x === "number" && typeof y === "number") { return asc ? x - y : y - x; }
          return asc ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  var search = document.getElementById("gap-search");
  var boxes = document.querySelectorAll("input.verdict-filter");
  var counter = document.getElementById("gap-shown");
  function applyFilter() {
    var q = search ? search.value.trim().toLowerCase() : "";
    var allowed = {};
    boxes.forEach(function (b) { allowed[b.value] = b.checked; });
    var shown = 0;
    document.querySelectorAll("#gaps tbody tr").forEach(function (tr) {
      var ok = allowed[tr.getAttribute("data-verdict")] !== false &&
        (!q || tr.textContent.toLowerCase().indexOf(q) !== -1);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (counter) { counter.textContent = String(shown); }
  }
  if (search) { search.addEventListener("input", applyFilter); }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilter); });
  applyFilter();

  var pairSearch = document.getElementById("pair-search");
  var flagged = document.getElementById("pair-flagged");
  var pairCounter = document.getElementById("pair-shown");
  function applyPairFilter() {
    var q = pairSearch ? pairSearch.value.trim().toLowerCase() : "";
    var onlyFlagged = flagged ? flagged.checked : false;
    var shown = 0;
    document.querySelectorAll("#pairs tbody tr").forEach(function (tr) {
      var ok = (!onlyFlagged || tr.getAttribute("data-flagged") === "yes") &&
        (!q || tr.textContent.toLowerCase().indexOf(q) !== -1);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (pairCounter) { pairCounter.textContent = String(shown); }
  }
  if (pairSearch) { pairSearch.addEventListener("input", applyPairFilter); }
  if (flagged) { flagged.addEventListener("change", applyPairFilter); }
  applyPairFilter();
})();
