// The decision page's 好 counter follows the grade selects before anything is saved:
// decided = the saved count, plus each changed select that now says 好, minus each changed
// select whose saved decision was 好. The server renders the same counter without this script.
(function () {
  "use strict";
  var counter = document.getElementById("good-counter");
  if (!counter) return;
  var saved = parseInt(counter.dataset.decided, 10);
  var quota = parseInt(counter.dataset.quota, 10);
  var shown = counter.querySelector('[data-field="decided"]');
  var selects = document.querySelectorAll("[data-grade-select]");
  selects.forEach(function (select) {
    select.dataset.initial = select.value;
  });
  function update() {
    var decided = saved;
    selects.forEach(function (select) {
      if (select.value === select.dataset.initial) return;
      if (select.value === "good") decided += 1;
      if (select.dataset.decided === "good") decided -= 1;
    });
    shown.textContent = String(decided);
    counter.classList.toggle("text-danger", decided > quota);
  }
  selects.forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
