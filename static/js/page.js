// Small behaviours of every page, kept out of the HTML (the Content-Security-Policy refuses
// inline scripts and event handlers): selects that submit their form, print buttons.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
