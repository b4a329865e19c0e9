// Any file input with data-max-bytes (the Excel page, evidence attached to an incident): a file
// over the limit is refused in the browser, before it is sent (the server refuses it too, from
// its Content-Length, without reading it, and says why).
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = parseInt(input.dataset.maxBytes, 10);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var tooBig = file && file.size > limit;
      var message = tooBig
        ? input.dataset.tooBig
            .replace("%(name)s", file.name)
            .replace("%(size)s", (file.size / 1048576).toFixed(1))
        : "";
      input.setCustomValidity(message);
      if (tooBig) input.reportValidity();
    });
  });
})();
