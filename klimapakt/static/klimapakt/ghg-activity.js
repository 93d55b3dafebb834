// The single-line form of the CO2 balance (progressive enhancement): show only the groups that
// apply to the chosen carrier ("Nur bei Kältemitteln", "Nur bei Gas in m³", ...) and offer only
// the units the carrier can be given in. Without this script every group is shown with its
// heading and the server checks everything. A group with an error or a value is never hidden.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form[data-activity-form]");
    if (!form) { return; }
    var carrier = form.querySelector("select[name=carrier]");
    var unit = form.querySelector("select[name=unit]");
    if (!carrier || !unit) { return; }
    var units = {};
    try { units = JSON.parse(form.getAttribute("data-units") || "{}"); } catch (e) { units = {}; }

    function hasValue(group) {
      var fields = group.querySelectorAll("input, select, textarea");
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        if (field.type === "radio" || field.type === "checkbox") {
          if (field.checked && field.value) { return true; }
        } else if (field.value) {
          return true;
        }
      }
      return false;
    }

    function update() {
      var known = units[carrier.value];
      for (var i = 0; i < unit.options.length; i++) {
        var option = unit.options[i];
        option.disabled = Boolean(known && option.value && known.units.indexOf(option.value) < 0);
      }
      if (known && (!unit.value || known.units.indexOf(unit.value) < 0)) {
        unit.value = known.usual;
      }
      var groups = form.querySelectorAll("[data-show-for]");
      for (var j = 0; j < groups.length; j++) {
        var group = groups[j];
        var carriers = group.getAttribute("data-show-for").split(" ");
        var needed = group.getAttribute("data-show-unit");
        var applies = carriers.indexOf(carrier.value) >= 0 && (!needed || unit.value === needed);
        group.hidden = !(applies || hasValue(group) || group.querySelector(".kern-error"));
      }
    }

    carrier.addEventListener("change", update);
    unit.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
