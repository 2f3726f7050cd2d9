// The layout page's HexJSON file picker: shown only where this script runs, it puts the
// chosen file's text in the layout box, to check before sending. Without it, the text is
// pasted into the box.
(() => {
  const group = document.getElementById("layout-file-group");
  const input = document.getElementById("layout-file");
  const box = document.querySelector('form#import-layout textarea[name="layout"]');
  if (!group || !input || !box || !window.FileReader) return;
  group.hidden = false;
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (!file) return;
    if (file.size > 200000) {
      box.value = "";
      input.setCustomValidity("The file is larger than a layout can be (200 KB)");
      input.reportValidity();
      return;
    }
    input.setCustomValidity("");
    file.text().then((text) => {
      box.value = text;
      box.focus();
    });
  });
})();
