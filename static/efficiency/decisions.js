// The decision page's 好 counters (the year's: 优秀, named by data-counted) follow the grade
// selects before anything is saved: one per quota pool (data-pool), or one over everyone.
// decided = the saved count, plus each changed select of the pool that now says the counted
// grade, minus each changed select whose saved decision was it.
// The server renders the same counters without this script.
(function () {
  "use strict";
  var counters = document.querySelectorAll("[data-good-counter]");
  var selects = document.querySelectorAll("[data-grade-select]");
  if (!counters.length) return;
  selects.forEach(function (select) {
    select.dataset.initial = select.value;
  });
  function update() {
    counters.forEach(function (counter) {
      var decided = parseInt(counter.dataset.decided, 10);
      var quota = parseInt(counter.dataset.quota, 10);
      var pool = counter.dataset.pool;
      var counted = counter.dataset.counted || "good";
      selects.forEach(function (select) {
        if (pool !== undefined && select.dataset.pool !== pool) return;
        if (select.value === select.dataset.initial) return;
        if (select.value === counted) decided += 1;
        if (select.dataset.decided === counted) decided -= 1;
      });
      counter.querySelector('[data-field="decided"]').textContent = String(decided);
      counter.classList.toggle("text-danger", decided > quota);
    });
  }
  selects.forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
