// The quarter's ZIP job page: follows the job until it is finished (reports/job.html).
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.dataset.statusUrl;
  function show(s) {
    document.getElementById("job-label").textContent = s.label;
    document.getElementById("job-count").textContent = s.total ? s.done + " / " + s.total : "";
    var bar = document.querySelector("#job-progress .progress-bar");
    bar.style.width = s.percent + "%";
    document.getElementById("job-progress").setAttribute("aria-valuenow", s.percent);
    if (s.finished) bar.classList.remove("progress-bar-striped", "progress-bar-animated");
    var error = document.getElementById("job-error");
    error.textContent = s.error;
    error.classList.toggle("d-none", !s.error);
    var note = document.getElementById("job-note");
    note.textContent = s.note;
    note.classList.toggle("d-none", !s.note);
    document.getElementById("job-retry").classList.toggle("d-none", !s.retry);
    var link = document.getElementById("job-download");
    if (s.download) { link.href = s.download; link.classList.remove("d-none"); }
    document.getElementById("job-leave").classList.toggle("d-none", s.finished);
  }
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) { show(s); if (!s.finished) setTimeout(poll, 1500); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (box.dataset.finished !== "true") setTimeout(poll, 1000);
})();

