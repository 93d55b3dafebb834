// After a form was sent back with errors, move the keyboard and screen-reader focus to the
// summary at the top ("Bitte prüfen Sie Ihre Angaben"), whose links lead to each field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-error-summary");
  if (summary) { summary.focus(); }
});
