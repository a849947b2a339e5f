/* motcua: date-time picker for "dd/mm/yyyy hh:mm" text boxes, and the applicant fill of the
   intake form. Without JavaScript the boxes stay plain text fields that the server parses. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toText(d) {
    return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear() + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function toLocalIso(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function fromText(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2})?)?$/.exec((text || "").trim());
    if (!m) { return null; }
    return new Date(+m[3], +m[2] - 1, +m[1], m[4] ? +m[4] : 17, m[5] ? +m[5] : 0);
  }
  function addPicker(input) {
    if (input.dataset.pickerReady) { return; }
    input.dataset.pickerReady = "1";
    var native = document.createElement("input");
    native.type = "datetime-local";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    native.className = "picker-native";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline picker-button";
    // The page's language: the script tag carries the translated labels.
    var labels = document.querySelector("script[data-picker-label]");
    button.textContent = labels ? labels.dataset.pickerLabel : "Chọn ngày giờ";
    button.setAttribute("aria-label", labels ? labels.dataset.pickerAria : "Chọn ngày giờ trên lịch");
    button.addEventListener("click", function () {
      native.value = toLocalIso(fromText(input.value) || new Date());
      if (native.showPicker) { native.showPicker(); } else { native.focus(); }
    });
    native.addEventListener("change", function () {
      if (!native.value) { return; }
      input.value = toText(new Date(native.value));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", native);
  }
  function fillApplicant(box) {
    var note = box.querySelector("[data-fill-name]");
    if (!note) { return; }
    var filled = 0;
    ["name", "phone", "email", "address"].forEach(function (key) {
      var field = document.getElementById("id_" + key);
      var value = note.getAttribute("data-fill-" + key);
      if (field && value && !field.value.trim()) { field.value = value; filled += 1; }
    });
    if (!filled) { box.textContent = ""; }
  }
  function init(root) {
    root.querySelectorAll("input[data-picker]").forEach(addPicker);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(event.target);
    if (event.target.id === "applicant-fill") { fillApplicant(event.target); }
  });
}());
