// The Cool Room: small progressive enhancements. Every page works without
// this script; it adds live room updates and a few comforts.
(function () {
  'use strict';

  // Live updates: an open room asks the app for messages newer than the
  // last one shown, appends them and refreshes the participants list. The
  // HTML comes from the server's own (escaping) templates, so nothing
  // user-written is built here.
  var box = document.getElementById('messages');
  if (box && box.dataset.poll) {
    var after = box.dataset.after || '0';
    var interval = parseInt(box.dataset.interval, 10) || 2000;
    var status = document.getElementById('live-status');
    var people = document.getElementById('people');
    var count = document.getElementById('participant-count');
    var busy = false;
    var nearBottom = function () {
      return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    };
    box.scrollTop = box.scrollHeight;
    var poll = function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(box.dataset.poll + '?after=' + encodeURIComponent(after), {
        headers: { 'Accept': 'application/json' },
        credentials: 'same-origin'
      }).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      }).then(function (data) {
        if (status) { status.hidden = true; }
        var stick = nearBottom();
        (data.messages || []).forEach(function (m) {
          if (document.getElementById('message-' + m.id)) { return; }
          box.insertAdjacentHTML('beforeend', m.html);
          after = String(m.id);
        });
        // Messages deleted since they were shown leave the page: every
        // shown one from data.since on that the room no longer lists.
        if (data.since && data.ids) {
          var still = {};
          data.ids.forEach(function (id) { still[id] = true; });
          box.querySelectorAll('.message[id^="message-"]').forEach(function (el) {
            var id = parseInt(el.id.slice(8), 10);
            if (id >= data.since && id <= Number(after) && !still[id]) { el.remove(); }
          });
        }
        if (data.messages && data.messages.length) {
          var empty = document.getElementById('no-messages');
          if (empty) { empty.remove(); }
          if (stick) { box.scrollTop = box.scrollHeight; }
        }
        // Someone who posts joins: the participants list and its count
        // come rendered by the same template as the page's.
        if (data.participants) {
          if (people) { people.innerHTML = data.participants.html; }
          if (count) { count.textContent = String(data.participants.count); }
        }
        // A poll far behind gets one page at a time: fetch the next now.
        if (data.more) { setTimeout(poll, 0); }
      }).catch(function () {
        if (status) { status.hidden = false; }
      }).finally(function () { busy = false; });
    };
    setInterval(poll, interval);
    document.addEventListener('visibilitychange', poll);
  }

  // Enter sends a message, Shift+Enter starts a new line.
  var body = document.querySelector('.message-form textarea');
  if (body) {
    body.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && body.value.trim() !== '') {
        e.preventDefault();
        body.form.requestSubmit();
      }
    });
  }

  // Escape closes the mobile menu and returns focus to its button.
  var menu = document.querySelector('details.menu');
  if (menu) {
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && menu.open) {
        menu.open = false;
        menu.querySelector('summary').focus();
      }
    });
  }
})();
