// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // A table wider than the screen scrolls inside its box: let the keyboard reach and scroll
  // it (WCAG 2.1.1), and name the region after its table.
  function reachScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (!scrolls || box.hasAttribute("tabindex")) return;
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.title.split(" · ")[0] || ""));
    });
  }
  reachScrollingTables();
  window.addEventListener("load", reachScrollingTables);
  window.addEventListener("resize", reachScrollingTables);

  // Ask before destructive or final actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  var form = document.getElementById("incident-form");
  if (!form) return;

  var clause = form.querySelector("select[name=standard]");
  var section = form.querySelector("select[name=section]");
  var picker = document.getElementById("staff-picker");
  var search = document.getElementById("staff-search");
  var hint = document.getElementById("points-hint");
  var chosen = document.getElementById("staff-chosen");

  function checked(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  var day = form.querySelector("input[name=occurred_on]");
  var clauseHint = document.getElementById("clause-hint");
  var clauseHintText = clauseHint.textContent;

  // Only the clauses of the chosen kind in force on the chosen date (ISO dates compare as text).
  function filterClauses() {
    var kind = checked("kind");
    var date = day.value;
    Array.prototype.forEach.call(clause.options, function (option) {
      if (!option.value) return;
      var match = (!kind || option.dataset.kind === kind) &&
        (!date || !option.dataset.from || option.dataset.from <= date) &&
        (!date || !option.dataset.until || date <= option.dataset.until);
      option.hidden = !match;
      option.disabled = !match;
    });
    var current = clause.selectedOptions[0];
    clauseHint.textContent = clauseHintText;
    if (current && current.disabled) {
      clause.value = "";
      // Say why a clause of the right kind disappeared: the date is outside its validity.
      if (!kind || current.dataset.kind === kind) clauseHint.textContent = clauseHint.dataset.cleared;
    }
    showPoints();
  }

  // The deduction the chosen clause and severity carry.
  function showPoints() {
    var option = clause.selectedOptions[0];
    var severity = checked("severity");
    if (option && option.value && severity) {
      hint.textContent = hint.dataset.template.replace("__POINTS__", option.dataset[severity]);
    } else {
      hint.textContent = "";
    }
  }

  // The chosen section's current staff first.
  function orderStaff() {
    var sectionId = section.value;
    var options = Array.prototype.slice.call(picker.querySelectorAll(".staff-option"));
    var own = [], others = [];
    options.forEach(function (option) {
      var isOwn = sectionId && option.dataset.section === sectionId;
      option.classList.toggle("own-section", Boolean(isOwn));
      (isOwn ? own : others).push(option);
    });
    own.concat(others).forEach(function (option) { picker.appendChild(option); });
  }

  function filterStaff() {
    var text = search.value.trim().toLowerCase();
    picker.querySelectorAll(".staff-option").forEach(function (option) {
      var match = !text || option.dataset.search.toLowerCase().indexOf(text) !== -1;
      var box = option.querySelector("input");
      option.hidden = !match && !box.checked;
    });
  }

  function showChosen() {
    var names = Array.prototype.map.call(
      picker.querySelectorAll("input:checked"),
      function (box) { return box.nextElementSibling.firstChild.textContent.trim(); }
    );
    chosen.textContent = names.length ? "✓ " + names.join("、") : "";
  }

  form.querySelectorAll("input[name=kind]").forEach(function (input) {
    input.addEventListener("change", filterClauses);
  });
  form.querySelectorAll("input[name=severity]").forEach(function (input) {
    input.addEventListener("change", showPoints);
  });
  clause.addEventListener("change", function () {
    clauseHint.textContent = clauseHintText;  // a clause is chosen again: the note is done
    showPoints();
  });
  day.addEventListener("change", filterClauses);
  section.addEventListener("change", orderStaff);
  search.addEventListener("input", filterStaff);
  search.addEventListener("keydown", function (event) {
    // Enter in the search box ticks the single visible match instead of submitting the form.
    if (event.key !== "Enter") return;
    event.preventDefault();
    var visible = picker.querySelectorAll(".staff-option:not([hidden]) input:not(:checked)");
    if (visible.length === 1) {
      visible[0].checked = true;
      search.value = "";
      filterStaff();
      showChosen();
    }
  });
  picker.addEventListener("change", showChosen);

  filterClauses();
  orderStaff();
  showChosen();
})();

// Sizes computed on the server and applied here: the Content Security Policy forbids style=""
// attributes, while setting element.style from a script file is allowed.
(function () {
  "use strict";
  document.querySelectorAll("[data-percent-width]").forEach(function (element) {
    element.style.width = element.dataset.percentWidth + "%";
  });
  document.querySelectorAll("[data-mark-columns]").forEach(function (element) {
    element.style.setProperty("--mark-columns", element.dataset.markColumns);
  });
})();
