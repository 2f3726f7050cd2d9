// Keeps a peer review session's page live. The server says, over a WebSocket, each time the
// session changes (its version); the page then reads itself again and swaps in what changed:
// the whole session when the facilitator moved on or nobody is typing, only the tally while
// someone is in the middle of a verdict. It also keeps the list of who is present, and takes
// a participant browsing elsewhere in the agenda back to live with the Escape key. When the
// connection drops it says so, tries again with growing pauses, and reads the session again
// on return, so nothing is missed. Without this script the page works the same, a reload at a
// time.
(() => {
  const live = document.getElementById('review-live');
  if (!live || !window.WebSocket || !window.fetch || !window.DOMParser) return;
  const session = live.dataset.session;
  let version = Number(live.dataset.version);
  let pause = 500;
  let reading = false;

  const showPresent = (names) => {
    const list = document.getElementById('present');
    if (!list) return;
    list.replaceChildren(...names.map((name) => {
      const item = document.createElement('li');
      item.textContent = name;
      return item;
    }));
  };

  const typing = () => {
    const active = document.activeElement;
    return active && active.closest('form') && ['INPUT', 'TEXTAREA', 'SELECT'].includes(active.tagName);
  };

  const swap = (from, selector) => {
    const now = document.querySelector(selector);
    const next = from.querySelector(selector);
    if (now && next) now.replaceWith(next);
    else if (now && !next) now.remove();
  };

  const readAgain = async () => {
    if (reading) return;
    reading = true;
    try {
      const response = await fetch(window.location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const before = document.querySelector('#now')?.dataset.indicator;
      const after = page.querySelector('#now')?.dataset.indicator;
      if (before !== after || !typing()) {
        swap(page, '#review-body');
        if (before !== after) {
          const heading = document.querySelector('#now-heading');
          live.textContent = heading ? `Now reviewing ${heading.textContent.trim()}` : 'The session has moved on';
        }
      } else {
        swap(page, '#now .tally');
        swap(page, '#now .verdicts');
      }
      version = Number(page.getElementById('review-live')?.dataset.version ?? version);
    } finally {
      reading = false;
    }
  };

  const connect = () => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/reviews/${session}/live`);
    socket.addEventListener('open', () => {
      pause = 500;
      if (live.dataset.state === 'reconnecting') {
        live.dataset.state = 'live';
        live.textContent = 'Reconnected.';
      }
    });
    socket.addEventListener('message', (event) => {
      let update;
      try {
        update = JSON.parse(event.data);
      } catch {
        return;
      }
      if (typeof update.version === 'number' && update.version !== version) readAgain();
      if (Array.isArray(update.present)) showPresent(update.present);
    });
    socket.addEventListener('close', (event) => {
      // 1008: the server ended it because the sign-in ended or the invitation was withdrawn.
      if (event.code === 1008) {
        live.dataset.state = 'ended';
        live.textContent = 'You are no longer signed in to this session: sign in again to follow it.';
        return;
      }
      live.dataset.state = 'reconnecting';
      live.textContent = 'Connection lost: reconnecting…';
      window.setTimeout(connect, pause);
      pause = Math.min(pause * 2, 10000);
    });
  };
  document.addEventListener('keydown', (event) => {
    const back = document.getElementById('back-to-live');
    if (event.key !== 'Escape' || !back || typing() || event.defaultPrevented) return;
    event.preventDefault();
    window.location.assign(back.href);
  });

  connect();
})();
