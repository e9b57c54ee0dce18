/* Chibo: province → commune picker.
   The form works without this file: choosing a province and pressing "Chọn" reloads the
   form with that province's communes. Where scripts run, the communes are fetched as soon
   as a province is chosen, and the "Chọn" button is hidden. Texts come from the page, so
   they follow the page's language. */
(function () {
  "use strict";

  function option(value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    return element;
  }

  function setUp(province) {
    var commune = document.getElementById(province.dataset.communeSelect);
    var button = document.getElementById(province.dataset.pickButton);
    var status = document.getElementById(province.dataset.status);
    var help = document.getElementById(province.dataset.pickHelp);
    if (!commune || !window.fetch) {
      return;
    }
    if (button) {
      button.hidden = true;
    }
    if (help) {
      help.hidden = true;
    }
    var asked = 0;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function fail() {
      // Fall back to the reload the page offers without scripts.
      if (button) {
        button.hidden = false;
      }
      if (help) {
        help.hidden = false;
      }
      say(province.dataset.failed);
    }

    province.addEventListener("change", function () {
      var code = province.value;
      var ticket = ++asked;
      commune.replaceChildren(option("", code ? province.dataset.placeholder : province.dataset.placeholderNone));
      if (!code) {
        return;
      }
      commune.disabled = true;
      say(province.dataset.loading);
      var url = province.dataset.communesUrl.replace(/\/0\/communes\.json$/, "/" + encodeURIComponent(code) + "/communes.json");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          if (ticket !== asked) {
            return; // a later choice is on its way
          }
          data.communes.forEach(function (item) {
            commune.appendChild(option(String(item.code), item.name));
          });
          commune.disabled = false;
          say(province.dataset.loaded);
        })
        .catch(function () {
          if (ticket === asked) {
            commune.disabled = false;
            fail();
          }
        });
    });
  }

  document.querySelectorAll("select[data-communes-url]").forEach(setUp);
})();
