// Submit the form when a field marked data-autosubmit changes (instead of an inline onchange
// handler, which the Content-Security-Policy refuses; docs/security.md).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
