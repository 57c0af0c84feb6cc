// A value's history at its cell in the report form. Without JavaScript each value with history
// has a link ("historik") to the history page filtered to that value; with it, the link becomes a
// disclosure button that fetches that page and shows its rows (when, who, old → new) right under
// the value's row, and Escape closes it again.
(function () {
  "use strict";
  var count = 0;
  var texts = {};  // the form's data-history-* attributes: Swedish texts from the template

  function text(node) { return node ? node.textContent.trim() : ""; }

  function entryText(row) {
    var c = row.children;  // time, who, version, field, old, new, reason
    var line = text(c[0]) + ", " + text(c[1]) + " (version " + text(c[2]) + "): " +
      (text(c[4]) || "\u2013") + " \u2192 " + (text(c[5]) || "\u2013");
    return text(c[6]) ? line + " (" + text(c[6]) + ")" : line;
  }

  function fill(body, href, rows, failed) {
    body.textContent = "";
    if (failed) {
      var p = document.createElement("p");
      p.textContent = texts.failed;
      body.append(p);
    } else if (!rows.length) {
      var none = document.createElement("p");
      none.textContent = texts.none;
      body.append(none);
    } else {
      var list = document.createElement("ul");
      rows.forEach(function (row) {
        var item = document.createElement("li");
        item.textContent = entryText(row);
        list.append(item);
      });
      body.append(list);
    }
    var more = document.createElement("a");
    more.href = href;
    more.textContent = texts.more;
    body.append(more);
  }

  function panelFor(button) {
    var id = "vardehistorik-" + (++count);
    var panel = document.createElement("div");
    panel.className = "value-history";
    panel.id = id;
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", button.getAttribute("aria-label"));
    var title = document.createElement("p");
    title.className = "value-history-title";
    title.textContent = button.getAttribute("aria-label");
    var body = document.createElement("div");
    body.setAttribute("aria-live", "polite");
    body.textContent = texts.loading;
    panel.append(title, body);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { toggle(button, false); button.focus(); }
    });
    var row = button.closest("tr");
    var holder = panel;
    if (row) {
      holder = document.createElement("tr");
      holder.className = "value-history-row";
      var cell = document.createElement("td");
      cell.colSpan = row.children.length;
      cell.append(panel);
      holder.append(cell);
      row.after(holder);
    } else {
      button.after(panel);
    }
    button.setAttribute("aria-controls", id);
    button.historyHolder = holder;
    fetch(button.dataset.href, {credentials: "same-origin", headers: {Accept: "text/html"}})
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        fill(body, button.dataset.href, Array.prototype.slice.call(page.querySelectorAll("#historik-tabell tbody tr")), false);
      })
      .catch(function () { fill(body, button.dataset.href, [], true); });
  }

  function toggle(button, open) {
    if (open && !button.historyHolder) panelFor(button);
    if (button.historyHolder) button.historyHolder.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("report-form");
    if (!form) return;
    ["loading", "failed", "none", "more"].forEach(function (key) {
      texts[key] = form.getAttribute("data-history-" + key);
    });
    document.querySelectorAll("#report-form a.cell-history").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cell-history";
      button.textContent = link.textContent;
      button.setAttribute("aria-label", link.getAttribute("aria-label"));
      button.setAttribute("aria-expanded", "false");
      button.dataset.href = link.href;
      button.addEventListener("click", function () {
        toggle(button, button.getAttribute("aria-expanded") !== "true");
      });
      button.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") toggle(button, false);
      });
      link.replaceWith(button);
    });
  });
})();
