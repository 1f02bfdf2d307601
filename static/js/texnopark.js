// After htmx swaps in a form with errors, move keyboard focus to the first field that needs fixing.
document.addEventListener("htmx:afterSettle", function () {
  var field = document.querySelector("[aria-invalid='true']");
  if (field) { field.focus(); field.scrollIntoView({ block: "center" }); }
});
