// The language of the field app, chosen inside the app and kept on this phone (not in the URL),
// so that one cached shell serves every language and a switch never breaks the offline start.
//
// The shell carries the texts of every language in <script type="application/json" id="field-texts">
// ({"ar": {"key": "text"}, ...}); elements name their text with data-t="key" (textContent),
// data-t-placeholder="key" or data-t-label="key" (aria-label). Loaded in <head> without defer so
// that lang and dir are right before the first paint. Other scripts use window.soukField.

(function () {
  const KEY = "souk-field-lang";
  const RTL = new Set(["ar"]);
  const texts = JSON.parse(document.getElementById("field-texts").textContent);
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl && texts[fromUrl]) localStorage.setItem(KEY, fromUrl);
  let language = localStorage.getItem(KEY);
  if (!texts[language]) language = texts[document.documentElement.lang] ? document.documentElement.lang : Object.keys(texts)[0];
  const listeners = [];

  function t(key, values) {
    let text = (texts[language] && texts[language][key]) || (texts.fr && texts.fr[key]) || key;
    for (const [name, value] of Object.entries(values || {})) text = text.replace(`{${name}}`, value);
    return text;
  }

  function apply() {
    document.documentElement.lang = language;
    document.documentElement.dir = RTL.has(language) ? "rtl" : "ltr";
    if (!document.body) return;
    for (const element of document.querySelectorAll("[data-t]")) element.textContent = t(element.dataset.t);
    for (const element of document.querySelectorAll("[data-t-placeholder]")) element.placeholder = t(element.dataset.tPlaceholder);
    for (const element of document.querySelectorAll("[data-t-label]")) element.setAttribute("aria-label", t(element.dataset.tLabel));
    const select = document.getElementById("field-lang");
    if (select) select.value = language;
    listeners.forEach((listener) => listener(language));
  }

  // A text stored per language ({"ar": ..., "fr": ...}) in the phone's language, with a fallback.
  function localized(names) {
    if (!names) return "";
    if (typeof names === "string") return names;
    for (const candidate of [language, "fr", "ar", "en", "es"]) if (names[candidate]) return names[candidate];
    return Object.values(names).find(Boolean) || "";
  }

  function setLanguage(chosen) {
    if (!texts[chosen]) return;
    language = chosen;
    localStorage.setItem(KEY, chosen);
    apply();
  }

  window.soukField = {
    t,
    localized,
    setLanguage,
    language: () => language,
    onLanguage: (listener) => listeners.push(listener),
  };
  apply();
  document.addEventListener("DOMContentLoaded", () => {
    apply();
    const select = document.getElementById("field-lang");
    if (select) select.addEventListener("change", () => setLanguage(select.value));
  });
})();
