// The workshop form's room list shows only the rooms of the site chosen above it (each site's
// rooms are a group labelled with the site's name); without JavaScript every group stays and
// the server refuses a room of another site with the form.
const site = document.getElementById("site");
const room = document.getElementById("room");

function showSiteRooms() {
  const name = site.options[site.selectedIndex] ? site.options[site.selectedIndex].text : "";
  let chosenStillShown = false;
  for (const group of room.querySelectorAll("optgroup")) {
    const mine = group.label === name;
    group.hidden = !mine;
    group.disabled = !mine;
    if (mine && room.selectedOptions[0] && room.selectedOptions[0].parentElement === group) chosenStillShown = true;
  }
  if (!chosenStillShown) {
    const first = room.querySelector("optgroup:not([disabled]) option");
    room.value = first ? first.value : "";
  }
}

if (site && room) {
  site.addEventListener("change", showSiteRooms);
  showSiteRooms();
}
