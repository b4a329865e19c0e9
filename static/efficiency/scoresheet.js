// The assessor's score sheet: spreadsheet keys, a save per changed cell, nothing lost.
//
// Each cell keeps the value the server last confirmed. A cell whose input differs from it is
// queued; the queue sends one cell at a time and, when the network or the session fails,
// keeps the cell and tries again later. Leaving the page with anything unsaved asks first.
(function () {
  "use strict";

  var table = document.getElementById("score-sheet");
  if (!table) return;
  var texts = JSON.parse(document.getElementById("sheet-texts").textContent);
  var search = document.getElementById("sheet-search");
  var noMatch = document.getElementById("sheet-nomatch");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.sheet-row"));

  // --- filter (works on read-only sheets too) ---------------------------------------------
  function filterRows() {
    var text = search.value.trim().toLowerCase();
    var shown = 0;
    table.querySelectorAll("tbody.sheet-group").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("tr.sheet-row").forEach(function (row) {
        var match = !text || row.dataset.search.indexOf(text) !== -1;
        row.hidden = !match;
        if (match) visible += 1;
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    noMatch.hidden = shown !== 0;
  }
  search.addEventListener("input", filterRows);
  search.addEventListener("keydown", function (event) {
    // Enter in the search box jumps into the first matching row.
    if (event.key !== "Enter") return;
    event.preventDefault();
    var first = visibleRows()[0];
    var input = first && first.querySelector(".mark-input");
    if (input) input.focus();
  });

  var saveUrl = table.dataset.saveUrl;
  if (!saveUrl) return; // read-only: the period is not open

  var kind = table.dataset.kind;
  var statusLine = document.getElementById("sheet-status");
  var alertBox = document.getElementById("sheet-alert");
  var progressMarked = document.getElementById("progress-marked");
  var progressBar = document.getElementById("progress-bar");
  var progressTotal = Number(document.getElementById("sheet-progress").dataset.total) || 0;
  var headers = {};
  table.querySelectorAll("thead th[data-criterion]").forEach(function (th) {
    headers[th.dataset.criterion] = th;
  });

  // --- marks as numbers -------------------------------------------------------------------
  function clean(text) {
    return String(text || "").trim().replace(/[，。]/g, ".");
  }

  // Tenths of a typed mark: null when blank, NaN when it is not a valid mark.
  function tenths(text) {
    text = clean(text);
    if (!text) return null;
    if (!/^\d{1,3}(\.\d)?$/.test(text)) return NaN;
    var value = Math.round(Number(text) * 10);
    return value <= 1000 ? value : NaN;
  }

  function needsReason(t) {
    return t !== null && !isNaN(t) && (t === 1000 || t < 600);
  }

  // --- cells ------------------------------------------------------------------------------
  var cells = [];
  rows.forEach(function (row) {
    row.querySelectorAll("td.mark-cell").forEach(function (td) {
      var cell = {
        td: td,
        row: row,
        id: row.dataset.id,
        criterion: td.dataset.criterion,
        input: td.querySelector(".mark-input"),
        reason: td.querySelector(".reason-input"),
        state: td.querySelector(".mark-state"),
        message: td.querySelector(".mark-message"),
        saved: { value: td.dataset.value || "", reason: td.dataset.reason || "" },
        status: "idle",
      };
      cell.input._cell = cell;
      cell.reason._cell = cell;
      // A refused mark's message is tied to its inputs and read out as soon as it appears.
      cell.message.id = "mark-message-" + cells.length;
      cell.message.hidden = false;
      cell.message.setAttribute("aria-live", "assertive");
      cell.message.setAttribute("aria-atomic", "true");
      cell.input.setAttribute("aria-describedby", cell.message.id);
      cell.reason.setAttribute("aria-describedby", cell.message.id);
      cells.push(cell);
    });
  });

  function current(cell) {
    var t = tenths(cell.input.value);
    return { raw: clean(cell.input.value), tenths: t, reason: needsReason(t) ? cell.reason.value.trim() : "" };
  }

  function changed(cell) {
    var now = current(cell);
    var saved = tenths(cell.saved.value);
    if (isNaN(now.tenths)) return now.raw !== cell.saved.value;
    return now.tenths !== saved || now.reason !== cell.saved.reason;
  }

  function setState(cell, status, message) {
    cell.status = status;
    ["is-saving", "is-saved", "is-waiting", "is-retrying", "is-error"].forEach(function (name) {
      cell.td.classList.remove(name);
    });
    var label = { saving: texts.saving, saved: texts.saved, waiting: texts.waiting,
      retrying: texts.retrying, error: texts.error }[status] || "";
    if (status !== "idle") cell.td.classList.add("is-" + status);
    cell.state.textContent = label;
    cell.message.textContent = message || "";
    if (status === "error") cell.input.setAttribute("aria-invalid", "true");
    else cell.input.removeAttribute("aria-invalid");
    summarise();
  }

  function showReason(cell) {
    var t = tenths(cell.input.value);
    var wanted = needsReason(t);
    cell.reason.hidden = !wanted;
    cell.reason.required = wanted;
  }

  // Decide what a cell needs after an edit: nothing, a reason, or a save.
  function commit(cell) {
    showReason(cell);
    if (!changed(cell)) {
      if (cell.status === "waiting" || cell.status === "error") setState(cell, "idle");
      return;
    }
    var now = current(cell);
    if (needsReason(now.tenths) && !now.reason) {
      dequeue(cell);
      setState(cell, "waiting", texts.waitingLong);
      return;
    }
    enqueue(cell);
  }

  // --- the save queue ---------------------------------------------------------------------
  var queue = [];
  var busy = false;
  var retryTimer = null;
  var retryDelay = 2000;

  function enqueue(cell) {
    if (queue.indexOf(cell) === -1) queue.push(cell);
    if (cell.status !== "retrying") setState(cell, "saving");
    pump();
  }

  function dequeue(cell) {
    var at = queue.indexOf(cell);
    if (at > 0 || (at === 0 && !busy)) queue.splice(at, 1);
  }

  function csrfToken() {
    // The cookie first: logging in again in another tab gives a new token.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("#sheet-csrf input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function pump() {
    if (busy || retryTimer || !queue.length) return;
    var cell = queue[0];
    var sent = current(cell);
    if (needsReason(sent.tenths) && !sent.reason) {
      // The reason was removed while the cell waited in the queue.
      queue.shift();
      setState(cell, "waiting", texts.waitingLong);
      pump();
      return;
    }
    var body = new FormData();
    body.append("subject", kind);
    body.append("id", cell.id);
    body.append("criterion", cell.criterion);
    body.append("value", sent.raw);
    body.append("reason", sent.reason);
    busy = true;
    fetch(saveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json || response.redirected) throw { loggedOut: true };
        if (response.status >= 500) throw { network: true };
        return response.json().then(function (answer) { return { status: response.status, answer: answer }; });
      })
      .then(function (result) {
        busy = false;
        retryDelay = 2000;
        alertBox.hidden = true;
        queue.shift();
        if (result.answer.ok) {
          cell.saved = { value: result.answer.value, reason: sent.reason };
          if (current(cell).raw === sent.raw && current(cell).reason === sent.reason) {
            cell.input.value = result.answer.value;
            showReason(cell);
            setState(cell, "saved");
          } else {
            commit(cell); // typed again while this was on its way
          }
          progress(cell.row);
        } else {
          setState(cell, "error", result.answer.message);
        }
        pump();
      })
      .catch(function (failure) {
        busy = false;
        var loggedOut = failure && failure.loggedOut;
        alertBox.textContent = loggedOut ? texts.loggedOut : texts.offline;
        alertBox.hidden = false;
        queue.forEach(function (waiting) { setState(waiting, "retrying"); });
        retryTimer = window.setTimeout(retry, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      });
  }

  function retry() {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    pump();
  }
  window.addEventListener("online", retry);

  // --- progress and the summary line ------------------------------------------------------
  function progress(row) {
    var rowDone = cells.every(function (cell) { return cell.row !== row || cell.saved.value !== ""; });
    row.classList.toggle("is-done", rowDone);
    var marked = cells.filter(function (cell) { return cell.saved.value !== ""; }).length;
    progressMarked.textContent = marked;
    progressBar.style.width = (progressTotal ? Math.round((100 * marked) / progressTotal) : 0) + "%";
    progressBar.parentNode.setAttribute("aria-valuenow", marked);
  }

  function unsavedCount() {
    return cells.filter(function (cell) {
      return changed(cell) || queue.indexOf(cell) !== -1;
    }).length;
  }

  function summarise() {
    if (!statusLine) return;
    var count = unsavedCount();
    statusLine.textContent = count ? texts.unsaved.replace("__N__", count) : texts.allSaved;
    statusLine.classList.toggle("has-unsaved", count > 0);
  }

  window.addEventListener("beforeunload", function (event) {
    if (!unsavedCount() && !busy) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // --- moving like a spreadsheet ----------------------------------------------------------
  function visibleRows() {
    return rows.filter(function (row) { return !row.hidden && !row.parentNode.hidden; });
  }

  function moveVertically(cell, step) {
    var list = visibleRows();
    var at = list.indexOf(cell.row) + step;
    if (at < 0 || at >= list.length) return false;
    var target = list[at].querySelector('td[data-criterion="' + cell.criterion + '"] .mark-input');
    target.focus();
    return true;
  }

  function moveAcross(cell, step) {
    var inputs = Array.prototype.slice.call(table.querySelectorAll(".mark-input")).filter(function (input) {
      return !input._cell.row.hidden && !input._cell.row.parentNode.hidden;
    });
    var target = inputs[inputs.indexOf(cell.input) + step];
    if (target) target.focus();
  }

  function undo(cell) {
    cell.input.value = cell.saved.value;
    cell.reason.value = cell.saved.reason;
    dequeue(cell);
    showReason(cell);
    setState(cell, "idle");
    cell.input.select();
  }

  table.addEventListener("keydown", function (event) {
    var cell = event.target._cell;
    if (!cell) return;
    var onMark = event.target === cell.input;
    if (event.key === "Enter") {
      event.preventDefault();
      // A mark that needs a reason goes to the reason box first.
      if (onMark && !event.shiftKey && !cell.reason.hidden && !cell.reason.value.trim()) {
        showReason(cell);
        cell.reason.focus();
        return;
      }
      commit(cell);
      if (!moveVertically(cell, event.shiftKey ? -1 : 1)) event.target.select();
    } else if (event.key === "Escape") {
      event.preventDefault();
      undo(cell);
    } else if (onMark && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      moveVertically(cell, event.key === "ArrowDown" ? 1 : -1);
    } else if (onMark && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      var input = cell.input;
      var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      var atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
      var whole = input.selectionStart === 0 && input.selectionEnd === input.value.length;
      if (event.key === "ArrowLeft" && (atStart || whole)) {
        event.preventDefault();
        moveAcross(cell, -1);
      } else if (event.key === "ArrowRight" && (atEnd || whole)) {
        event.preventDefault();
        moveAcross(cell, 1);
      }
    }
  });

  table.addEventListener("input", function (event) {
    var cell = event.target._cell;
    if (!cell) return;
    // The reason box appears as soon as 100 or a mark below 60 is typed, so Tab reaches it.
    if (event.target === cell.input) showReason(cell);
    if (cell.status === "saved" || cell.status === "error") setState(cell, "idle");
    else summarise();
  });

  table.addEventListener("change", function (event) {
    var cell = event.target._cell;
    if (cell) commit(cell);
  });

  // The browser scrolls a focused cell into view, but not out from under the sticky header
  // row or the sticky names column: finish the job so the cell being typed in is visible.
  var scroller = table.closest(".sheet-scroll");
  var thead = table.querySelector("thead");
  var MARGIN = 6;
  function keepClear(element) {
    if (!scroller) return;
    var box = scroller.getBoundingClientRect();
    var rect = element.getBoundingClientRect();
    var top = box.top + thead.getBoundingClientRect().height + MARGIN;
    var bottom = box.top + scroller.clientHeight - MARGIN;
    if (rect.top < top) scroller.scrollTop -= top - rect.top;
    else if (rect.bottom > bottom) scroller.scrollTop += rect.bottom - bottom;
    var names = table.querySelector("thead .col-subject");
    var left = box.left + (names ? names.getBoundingClientRect().width : 0) + MARGIN;
    var right = box.left + scroller.clientWidth - MARGIN;
    if (rect.left < left) scroller.scrollLeft -= left - rect.left;
    else if (rect.right > right) scroller.scrollLeft += rect.right - right;
  }

  table.addEventListener("focusin", function (event) {
    var cell = event.target._cell;
    if (!cell) return;
    var target = event.target;
    keepClear(target);
    window.requestAnimationFrame(function () { keepClear(target); }); // after the browser's own scroll
    if (event.target === cell.input) cell.input.select();
    var header = headers[cell.criterion];
    if (header) header.classList.add("is-current");
  });

  table.addEventListener("focusout", function (event) {
    var cell = event.target._cell;
    if (!cell) return;
    var header = headers[cell.criterion];
    if (header) header.classList.remove("is-current");
    // Leaving a cell (not just moving to its own reason box) settles it.
    window.setTimeout(function () {
      if (!cell.td.contains(document.activeElement)) commit(cell);
    }, 0);
  });

  cells.forEach(showReason);
  summarise();
})();
