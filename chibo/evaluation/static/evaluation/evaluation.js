// Year-end evaluation: the live total of the score sheet and the live quota headroom on
// the committee's page. Both only help: the server recomputes and checks everything.
(function () {
  "use strict";

  function parsePoints(text) {
    var value = parseFloat(String(text || "").trim().replace(",", "."));
    return isNaN(value) ? 0 : value;
  }

  function vn(number) {
    return number.toFixed(2).replace(".", ",");
  }

  function scoreSheet(form) {
    var inputs = form.querySelectorAll("input.ev-score");
    var total = form.querySelector("[data-ev-total]");
    if (!inputs.length || !total) {
      return;
    }
    function update() {
      var sum = 0;
      inputs.forEach(function (input) {
        var max = parseFloat(input.getAttribute("data-max") || "0");
        var points = parsePoints(input.value);
        sum += Math.max(0, Math.min(points, max));
      });
      total.textContent = vn(sum);
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", update);
    });
    update();
  }

  function headroom(box) {
    var shown = box.querySelector("[data-ev-headroom]");
    var note = box.querySelector("[data-ev-note]");
    var excellent0 = parseInt(box.getAttribute("data-excellent"), 10) || 0;
    var base0 = parseInt(box.getAttribute("data-base"), 10) || 0;
    var share = parseFloat(box.getAttribute("data-share")) || 0;
    var baseGrades = (box.getAttribute("data-base-grades") || "").split(" ");
    var rows = document.querySelectorAll("[data-ev-row]");
    function counts(grade) {
      return {
        excellent: grade === "excellent" ? 1 : 0,
        base: baseGrades.indexOf(grade) >= 0 ? 1 : 0
      };
    }
    function update() {
      var excellent = excellent0;
      var base = base0;
      var changed = false;
      rows.forEach(function (row) {
        var select = row.querySelector("select");
        if (!select) {
          return;
        }
        var before = counts(row.getAttribute("data-current") || "");
        var after = counts(select.value);
        if (select.value !== (row.getAttribute("data-current") || "")) {
          changed = true;
        }
        excellent += after.excellent - before.excellent;
        base += after.base - before.base;
      });
      var allowed = changed ? Math.floor(base * share + 1e-9) : parseInt(box.getAttribute("data-allowed"), 10);
      var room = allowed - excellent;
      shown.textContent = String(room);
      box.querySelector(".ev-headroom").classList.toggle("ev-headroom--broken", room < 0);
      if (note) {
        note.hidden = !changed;
      }
    }
    rows.forEach(function (row) {
      var select = row.querySelector("select");
      if (select) {
        select.addEventListener("change", update);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.ev-self").forEach(scoreSheet);
    document.querySelectorAll(".ev-quota").forEach(headroom);
  });
})();
