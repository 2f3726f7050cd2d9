// Shows how far a spreadsheet upload has got. Without this script the form posts as usual
// and the browser shows its own progress; with it, the page says how much has been sent and
// then that the file is being checked, and opens the outcome page when the server answers.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const status = form.dataset && form.dataset.progress && document.getElementById(form.dataset.progress);
  if (!status || !window.XMLHttpRequest || !window.FormData) return;
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.upload.addEventListener("progress", (progress) => {
    if (progress.lengthComputable) {
      const percent = Math.floor((progress.loaded / progress.total) * 100);
      status.textContent = percent < 100 ? `Uploading: ${percent} %` : "Uploaded. Checking every row…";
    }
  });
  request.addEventListener("load", () => {
    if (request.status < 400 && request.responseURL) {
      window.location.assign(request.responseURL);
    } else {
      status.textContent = request.responseText || "The upload failed. Please try again.";
      if (button) button.disabled = false;
    }
  });
  request.addEventListener("error", () => {
    status.textContent = "The upload failed: the server could not be reached. Please try again.";
    if (button) button.disabled = false;
  });
  status.textContent = "Uploading: 0 %";
  request.send(new FormData(form));
});
