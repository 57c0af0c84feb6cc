// Live row and column totals for the report form. An enhancement only: without JavaScript the
// server computes the same totals when the form is saved, and the rules are checked there.
(function () {
  "use strict";
  function value(input) {
    var n = parseInt(input && input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }
  function updateRow(row) {
    var inputs = row.querySelectorAll("input.count");
    var out = row.querySelector("output.row-total");
    if (!out) return;
    var sum = 0;
    inputs.forEach(function (i) { sum += value(i); });
    out.value = String(sum);
    out.textContent = String(sum);
  }
  function updateGrid(table) {
    var rows = table.querySelectorAll("tbody tr");
    var targets = (table.dataset.target || "").split(" ").filter(Boolean).map(function (id) {
      return document.getElementById(id);
    });
    var grand = 0;
    for (var col = 0; col < 3; col++) {
      var total = 0;
      rows.forEach(function (row) { total += value(row.querySelectorAll("input.count")[col]); });
      grand += total;
      var out = table.querySelector('output[data-col="' + col + '"]');
      if (!out) continue;
      out.textContent = String(total);
      var cell = out.parentElement;
      var note = cell.querySelector(".mismatch-note");
      if (targets.length) {
        var expected = value(targets[col]);
        var exp = table.querySelector('output[data-expected="' + col + '"]');
        if (exp) exp.textContent = String(expected);
        var ok = expected === total;
        cell.classList.toggle("mismatch", !ok);
        if (note) note.textContent = ok ? "" : " \u2260 " + expected;
      }
    }
    var g = table.querySelector("output.grand-total");
    if (g) g.textContent = String(grand);
    rows.forEach(updateRow);
  }
  function updateAll() {
    document.querySelectorAll("table.participants tbody tr").forEach(updateRow);
    document.querySelectorAll("table.grid").forEach(updateGrid);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("report-form");
    if (!form) return;
    form.addEventListener("input", updateAll);
    // A warning was about the value as saved: once the value is changed it no longer applies
    // (the server checks again on saving), so its note at the cell goes.
    form.addEventListener("input", function (event) {
      var cell = event.target.closest("td.cell");
      if (!cell) return;
      cell.querySelectorAll(".cell-msg .warning").forEach(function (note) { note.hidden = true; });
      cell.classList.add("warning-changed");
    });
    updateAll();
    var summary = document.getElementById("felsammanfattning");
    if (summary) {
      summary.focus();
      // A link in the summary puts the keyboard focus in the cell, not only the scroll position.
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var target = link && document.getElementById(link.getAttribute("href").slice(1));
        if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({block: "center"}); }
      });
    }
  });
})();
