// The ranking page: the override dialog (efficiency/appraisal/ranking.html).
(function () {
  "use strict";
  var modalEl = document.getElementById("override-modal");
  var form = document.getElementById("override-form");
  if (!modalEl || !form || !window.bootstrap) return;
  var modal = new bootstrap.Modal(modalEl);
  var clearButton = form.querySelector("[data-clear]");
  var current = null;
  var submitter = "set";

  function field(name) { return form.querySelector("[data-field='" + name + "']"); }

  document.querySelectorAll("[data-override]").forEach(function (button) {
    button.addEventListener("click", function () {
      current = button.dataset;
      form.action = current.url;
      field("name").textContent = current.name + "（" + current.staffNo + "）";
      field("computed").textContent = current.computed;
      field("current-reason").textContent = current.overridden
        ? (modalEl.dataset.currentLabel || "") + current.reason : "";
      form.querySelectorAll("input[name=grade]").forEach(function (radio) {
        radio.checked = radio.value === current.grade;
      });
      form.reason.value = "";
      clearButton.hidden = !current.overridden;
      modal.show();
    });
  });
  modalEl.addEventListener("shown.bs.modal", function () { form.reason.focus(); });
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.addEventListener("click", function () { submitter = button.value; });
  });
  // The server answers with a confirmation page that says what will happen.
  form.addEventListener("submit", function (event) {
    if (!current) { event.preventDefault(); return; }
    if (submitter !== "clear" && !form.querySelector("input[name=grade]:checked")) {
      event.preventDefault();
      form.querySelector("input[name=grade]").focus();
    }
  });
})();
