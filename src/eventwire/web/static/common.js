/* Small helpers shared by the page scripts. Data is only ever put in the page with
   textContent and setAttribute, never parsed as HTML: article text is untrusted. */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function setAll(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* Filter forms send only the fields that are filled in, so their URLs stay short and
     readable (/events?type=ASSAULT rather than a list of every empty field). */
  function tidyForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form[method=get]"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name && !field.disabled && field.value === "" && field.type !== "submit") {
            field.disabled = true;
          }
        });
      });
    });
    /* Coming back to the page (history), the fields must work again. */
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(document.querySelectorAll("form[method=get] [disabled]"),
        function (field) { field.disabled = false; });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", tidyForms);
  else tidyForms();

  window.eventwire = {
    /* The JSON of a <script type="application/json" id=...> block, or null. */
    readJSON: function (id) {
      var node = document.getElementById(id);
      return node ? JSON.parse(node.textContent) : null;
    },
    /* An HTML element with attributes and text. */
    el: function (tag, attrs, text) {
      return setAll(document.createElement(tag), attrs, text);
    },
    /* An SVG element with attributes and text. */
    svg: function (tag, attrs, text) {
      return setAll(document.createElementNS(SVG_NS, tag), attrs, text);
    },
    /* A same-site link: "/path?query" from a path and URLSearchParams. */
    link: function (path, params) {
      var query = params.toString();
      return query ? path + "?" + query : path;
    },
    /* Fetch JSON from our API; an error reply becomes an Error with the API's message. */
    getJSON: function (url) {
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (body) {
            if (!response.ok) {
              var error = body && body.error ? body.error : {};
              var message = error.message || ("HTTP " + response.status);
              throw new Error(message + (error.hint ? " — " + error.hint : ""));
            }
            return body;
          });
        });
    }
  };
})();
