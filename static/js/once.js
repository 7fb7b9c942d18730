// A form whose answer is a file to download once (the temporary passwords): the page itself
// does not change when the download starts, so after sending it says what happened and offers
// no second click. Loaded as a file: the Content-Security-Policy allows no inline script.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-download-once]");
  if (!form) return;
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
  const note = document.getElementById(form.dataset.downloadOnce);
  if (note) note.hidden = false;
});
