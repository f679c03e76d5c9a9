// The sign-up wizard (progressive enhancement: without JavaScript the server suggests the
// subdomain when the field is left empty). Suggest the subdomain from the name while the person
// has not typed one, and keep a second click from sending the form twice (the server would find
// the first city anyway). A static file, not an inline script: the Content-Security-Policy
// runs no inline code.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-signup]");
    if (!form) return;
    var name = document.getElementById(form.dataset.name);
    var slug = document.getElementById(form.dataset.slug);
    if (!name || !slug) return;
    var touched = slug.value !== "";
    slug.addEventListener("input", function () { touched = slug.value !== ""; });
    name.addEventListener("input", function () {
      if (touched) return;
      slug.value = name.value.normalize("NFKD").replace(/[łŁ]/g, "l").replace(/[\u0300-\u036f]/g, "")
        .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
      slug.dispatchEvent(new Event("change"));
    });
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-once]");
      setTimeout(function () { if (button) button.disabled = true; }, 0);
    });
  });
})();
