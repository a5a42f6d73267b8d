/* The board's answers to a refused callback: 401 (signed out, session expired) goes to the 登录 page,
   403 (not allowed) shows the server's Chinese message at the top of the page. Text only, never HTML. */
(function () {
  "use strict";
  var original = window.fetch;
  if (!original) { return; }
  function show(message) {
    var box = document.getElementById("board-error");
    if (!box) { window.alert(message); return; }
    box.textContent = message;
    box.className = "error-box";
  }
  window.fetch = function (input, init) {
    return original.apply(this, arguments).then(function (response) {
      var url = typeof input === "string" ? input : (input && input.url) || "";
      if (url.indexOf("_dash-") === -1) { return response; }
      if (response.status === 401) {
        var next = window.location.pathname + window.location.search;
        window.location.assign("/login?expired=1&next=" + encodeURIComponent(next));
      } else if (response.status === 403 || response.status === 413 || response.status === 400) {
        response.clone().json().then(function (body) {
          show((body && body.message) || "没有权限执行此操作");
        }, function () { show("没有权限执行此操作"); });
      }
      return response;
    });
  };
})();
