// After a provisioning link was used: keep the device token on this phone and open the scanner.
// The queue of scans (IndexedDB) is left untouched: a phone set up again keeps what it holds.
(function () {
  const section = document.getElementById("provisioned");
  if (!section) return;
  localStorage.setItem("souk-device-token", section.dataset.token);
  localStorage.setItem("souk-device", section.dataset.device);
  localStorage.removeItem("souk-scanner-token");
  localStorage.removeItem("souk-scanner-place");
  localStorage.removeItem("souk-scanner-editions");
  location.replace(section.dataset.next);
})();
