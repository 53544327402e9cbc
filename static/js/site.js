// The pages' few behaviours, from this file: the Content-Security-Policy runs no inline script or
// handler. Markup asks for them with data attributes.

// <button data-print>: print the page (notices, reports, joint-punishment checks).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// <select data-autosubmit>: choosing sends its form (the language switch; without scripts a
// button in <noscript> does it).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.submit();
  }
});
