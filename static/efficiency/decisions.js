// The decision page's 好 counter (the year's: 优秀, named by data-counted) follows the grade
// selects before anything is saved: decided = the saved count, plus each changed select that now
// says the counted grade, minus each changed select whose saved decision was it. The server renders the same counter without this script.
(function () {
  "use strict";
  var counter = document.getElementById("good-counter");
  if (!counter) return;
  var saved = parseInt(counter.dataset.decided, 10);
  var quota = parseInt(counter.dataset.quota, 10);
  var counted = counter.dataset.counted || "good";
  var shown = counter.querySelector('[data-field="decided"]');
  var selects = document.querySelectorAll("[data-grade-select]");
  selects.forEach(function (select) {
    select.dataset.initial = select.value;
  });
  function update() {
    var decided = saved;
    selects.forEach(function (select) {
      if (select.value === select.dataset.initial) return;
      if (select.value === counted) decided += 1;
      if (select.dataset.decided === counted) decided -= 1;
    });
    shown.textContent = String(decided);
    counter.classList.toggle("text-danger", decided > quota);
  }
  selects.forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
