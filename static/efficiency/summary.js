// 个人小结: a live character counter and, on the person's own page, an autosave of the draft.
//
// The form works without this script (保存草稿 and 提交 post it). The autosave posts the same
// form with action=save a moment after typing stops, and shows the time the server saved it.
(function () {
  "use strict";

  var textarea = document.getElementById("summary-text");
  var textsNode = document.getElementById("summary-texts");
  if (!textarea || !textsNode) return;
  var texts = JSON.parse(textsNode.textContent);
  var counter = document.getElementById("summary-counter");
  var max = Number(counter.dataset.max) || 1000;

  function length() {
    return Array.from(textarea.value).length;
  }

  function count() {
    var n = length();
    counter.textContent = texts.counter.replace("__N__", n).replace("__MAX__", max);
    counter.classList.toggle("text-danger", n > max);
  }
  textarea.addEventListener("input", count);
  count();

  var form = textarea.form;
  if (!form || !form.dataset.autosave) return;
  var savedLine = document.getElementById("summary-saved");
  var timer = null;
  // What the server holds: the text the page was rendered with. Anything typed before this
  // script ran (a slow connection) is saved as soon as it runs.
  var lastSent = textarea.defaultValue;
  var busy = false;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function save() {
    timer = null;
    if (busy) {
      schedule();
      return;
    }
    var text = textarea.value;
    if (text === lastSent || length() > max) return;
    var body = new FormData(form);
    body.set("action", "save");
    busy = true;
    savedLine.textContent = texts.saving;
    // Not form.action: the buttons named "action" shadow it.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        busy = false;
        if (answer.ok) {
          lastSent = text;
          savedLine.textContent = texts.saved.replace("__TIME__", answer.time);
          var badge = document.getElementById("summary-status");
          if (badge) {
            badge.textContent = answer.label;
            badge.className = "badge summary-status summary-" + answer.status;
          }
        } else {
          savedLine.textContent = texts.error + ": " + answer.message;
        }
      })
      .catch(function () {
        busy = false;
        savedLine.textContent = texts.error;
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }
  textarea.addEventListener("input", schedule);
  if (textarea.value !== lastSent) schedule();
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
  });
})();
