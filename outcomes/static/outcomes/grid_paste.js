// Pasting a block of cells copied from a spreadsheet into a count cell of the report form fills
// the grid from that cell: rightwards along the row, downwards over the rows of the same table.
// An enhancement only: without JavaScript a paste puts the text into one cell, and the server
// refuses what is not a count with the cell's name.
(function () {
  "use strict";
  function rowsOf(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines.map(function (line) { return line.split("\t"); });
  }
  function clean(value) {
    // Spreadsheets copy "1 234" or "1 234" for thousands; the form takes plain digits.
    return value.replace(/[\s\u00a0]/g, "");
  }
  function onPaste(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input.count")) return;
    var data = event.clipboardData || window.clipboardData;
    var text = data && data.getData("text");
    if (!text) return;
    var block = rowsOf(text);
    if (block.length < 2 && block[0].length < 2) return; // one value: the browser's own paste
    event.preventDefault();
    var table = input.closest("table");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var startRow = rows.indexOf(input.closest("tr"));
    var startCol = Array.prototype.indexOf.call(input.closest("tr").querySelectorAll("input.count"), input);
    block.forEach(function (values, r) {
      var row = rows[startRow + r];
      if (!row) return;
      var inputs = row.querySelectorAll("input.count");
      values.forEach(function (value, c) {
        var target = inputs[startCol + c];
        if (target && !target.disabled && !target.readOnly) target.value = clean(value);
      });
    });
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("report-form");
    if (form) form.addEventListener("paste", onPaste);
  });
})();
