/* Progressive enhancement: update the running totals while typing. The page works without it. */
(function () {
  var form = document.getElementById("survey-form");
  if (!form) return;
  function num(input) { var v = parseInt(input.value, 10); return isNaN(v) ? 0 : v; }
  function update() {
    var answered = ["id_answered_women", "id_answered_men", "id_answered_other"].reduce(function (s, id) { return s + num(document.getElementById(id)); }, 0);
    document.getElementById("answered-total").textContent = answered;
    form.querySelectorAll("fieldset[data-question]").forEach(function (fs) {
      var total = 0, entered = false;
      fs.querySelectorAll("input").forEach(function (i) { total += num(i); if (i.value !== "") entered = true; });
      fs.querySelector(".running-total").textContent = total;
      fs.querySelector(".answered-of").textContent = answered;
      var ok = total === answered;
      fs.querySelector(".running-total").parentNode.className = ok ? "total-ok" : "total-bad";
      fs.classList.toggle("mismatch", entered && !ok);
    });
  }
  form.addEventListener("input", update);
})();
