// The console page's script. It stays small: the server renders every message and the controls panel
// to escaped HTML; the page swaps those fragments in (keyed, so an updated message changes in place),
// sends what is typed and clicked, shows confirm dialogs first, and listens for server-sent events. The
// Home entry shows the app's Home tab: opening it tells the bot (app_home_opened), which publishes the view.
(function () {
  var byId = function (id) {
    return document.getElementById(id);
  };
  // view: 'channel' (a channel's or the DM's timeline) or 'home' (the app's Home tab).
  var state = { directory: null, user: '', channel: '', view: 'channel', html: new Map(), seen: {}, channels: [] };

  async function api(path, body) {
    var init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    var response = await fetch(path, init);
    var json = await response.json().catch(function () {
      return {};
    });
    if (!response.ok) throw new Error(json.error || 'HTTP ' + response.status);
    return json;
  }

  /** Runs fn at most once at a time; calls made meanwhile fold into one more run. */
  function coalesce(fn) {
    var running = false,
      again = false;
    return async function run() {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await fn();
        } while (again);
      } finally {
        running = false;
      }
    };
  }

  var refreshTimeline = coalesce(async function () {
    var user = state.user,
      channel = state.channel;
    var data = await api('/api/timeline?user=' + encodeURIComponent(user) + '&channel=' + encodeURIComponent(channel));
    if (user !== state.user || channel !== state.channel) return;
    var list = byId('timeline');
    var scroller = byId('messages');
    var atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    var existing = new Map();
    Array.prototype.forEach.call(list.children, function (element) {
      existing.set(element.dataset.key, element);
    });
    var previous = null;
    var keep = new Set();
    data.entries.forEach(function (entry) {
      keep.add(entry.key);
      var element = existing.get(entry.key);
      if (!element) {
        element = document.createElement('div');
        element.className = 'entry';
        element.dataset.key = entry.key;
      }
      if (state.html.get(entry.key) !== entry.html) {
        element.innerHTML = entry.html;
        state.html.set(entry.key, entry.html);
      }
      var next = previous ? previous.nextSibling : list.firstChild;
      if (next !== element) list.insertBefore(element, next);
      previous = element;
    });
    existing.forEach(function (element, key) {
      if (!keep.has(key)) {
        element.remove();
        state.html.delete(key);
      }
    });
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  });

  var refreshChannels = coalesce(async function () {
    var data = await api('/api/channels?user=' + encodeURIComponent(state.user));
    state.channels = data.channels;
    var key = function (id) {
      return state.user + ' ' + id;
    };
    var current = data.channels.find(function (c) {
      return c.id === state.channel;
    });
    if (current && state.view === 'channel') state.seen[key(state.channel)] = current.entries;
    ['channels', 'dms'].forEach(function (listId) {
      var list = byId(listId);
      list.textContent = '';
      data.channels
        .filter(function (c) {
          return c.direct === (listId === 'dms');
        })
        .forEach(function (c) {
          var item = document.createElement('li');
          item.dataset.channel = c.id;
          var name = document.createElement('span');
          name.textContent = (c.direct ? '' : '# ') + c.name;
          item.appendChild(name);
          var seen = state.seen[key(c.id)];
          if (seen === undefined) {
            seen = c.entries;
            state.seen[key(c.id)] = seen;
          }
          var unread = c.entries - seen;
          if (c.id === state.channel && state.view === 'channel') item.classList.add('active');
          else if (unread > 0) {
            item.classList.add('unread');
            var count = document.createElement('span');
            count.className = 'unread-count';
            count.textContent = String(unread);
            item.appendChild(count);
          }
          item.addEventListener('click', function () {
            openChannel(c.id);
          });
          list.appendChild(item);
        });
    });
    byId('home-entry').classList.toggle('active', state.view === 'home');
    if (state.view === 'channel') showHeader();
  });

  var refreshHome = coalesce(async function () {
    var user = state.user;
    var data = await api('/api/home?user=' + encodeURIComponent(user));
    if (user !== state.user || state.view !== 'home') return;
    var home = byId('home');
    if (home.dataset.html !== data.html) {
      home.innerHTML = data.html;
      home.dataset.html = data.html;
    }
    home.dataset.publishedAt = data.publishedAt || '';
  });

  var refreshWorld = coalesce(async function () {
    var data = await api('/api/world');
    byId('world').innerHTML = data.html;
  });

  function showHeader() {
    var c = state.channels.find(function (x) {
      return x.id === state.channel;
    });
    var configured = state.directory.channels.find(function (x) {
      return x.id === state.channel;
    });
    var name = c ? c.name : state.channel;
    var direct = state.channel.charAt(0) === 'D';
    byId('channel-name').textContent = (direct ? '' : '# ') + name;
    byId('channel-purpose').textContent = configured ? configured.purpose : direct ? 'Direct messages between you and the bot.' : '';
    var intro = byId('intro');
    intro.textContent = '';
    var title = document.createElement('b');
    title.textContent = direct ? name : 'This is the very beginning of #' + name;
    intro.appendChild(title);
    intro.appendChild(document.createTextNode(configured ? configured.purpose : ''));
  }

  function showPane(view) {
    state.view = view;
    byId('messages').hidden = view !== 'channel';
    byId('composer').hidden = view !== 'channel';
    byId('home').hidden = view !== 'home';
  }

  function openChannel(id) {
    state.channel = id;
    showPane('channel');
    state.html.clear();
    byId('timeline').textContent = '';
    refreshChannels();
    refreshTimeline();
  }

  /** Opens the Home tab as the acting user: shows the last view, tells the bot, and shows what it publishes. */
  async function openHome() {
    showPane('home');
    var home = byId('home');
    home.textContent = '';
    delete home.dataset.html;
    home.dataset.publishedAt = '';
    byId('channel-name').textContent = state.directory.botName;
    byId('channel-purpose').textContent = 'Home: published by the bot each time you open it (app_home_opened, then views.publish).';
    setStatus('', false);
    refreshChannels();
    await refreshHome();
    try {
      var sent = await api('/api/home', { user: state.user });
      if (sent.status !== 200) {
        var detail = sent.status === 'timeout' ? 'did not answer within 3 seconds' : 'answered HTTP ' + sent.status;
        setStatus('The bot did not accept app_home_opened: it ' + detail + '.', true);
      }
    } catch (error) {
      setStatus(error.message, true);
    }
    await refreshHome();
  }

  function setStatus(text, isError) {
    var status = byId('composer-status');
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  function confirmFirst(button) {
    var dialog = button.parentElement?.querySelector('.bk-confirm');
    if (!dialog) return Promise.resolve(true);
    var part = function (selector) {
      var found = dialog.querySelector(selector);
      return found ? found.innerHTML : '';
    };
    byId('confirm-title').innerHTML = part('.bk-confirm-title');
    byId('confirm-text').innerHTML = part('.bk-confirm-text');
    byId('confirm-yes').innerHTML = part('.bk-confirm-yes');
    byId('confirm-no').innerHTML = part('.bk-confirm-no');
    byId('confirm-yes').classList.toggle('danger', dialog.dataset.style === 'danger');
    var backdrop = byId('confirm');
    backdrop.hidden = false;
    byId('confirm-yes').focus();
    return new Promise(function (resolve) {
      var done = function (answer) {
        backdrop.hidden = true;
        byId('confirm-yes').onclick = null;
        byId('confirm-no').onclick = null;
        document.removeEventListener('keydown', onKey);
        resolve(answer);
      };
      var onKey = function (event) {
        if (event.key === 'Escape') done(false);
      };
      byId('confirm-yes').onclick = function () {
        done(true);
      };
      byId('confirm-no').onclick = function () {
        done(false);
      };
      document.addEventListener('keydown', onKey);
    });
  }

  async function clickButton(button) {
    var article = button.closest('article[data-ts]');
    if (!article) return;
    if (!(await confirmFirst(button))) return;
    button.disabled = true;
    try {
      var element = button.dataset.element === 'accessory' ? 'accessory' : Number(button.dataset.element);
      await api('/api/click', {
        user: state.user,
        channel: state.channel,
        ts: article.dataset.ts,
        block: Number(button.dataset.block),
        element: element,
      });
    } catch (error) {
      setStatus(error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  async function runControl(button) {
    button.disabled = true;
    try {
      var data = await api('/api/controls/' + button.dataset.control, JSON.parse(button.dataset.body || '{}'));
      byId('world').innerHTML = data.html;
    } catch (error) {
      setStatus(error.message, true);
      button.disabled = false;
    }
  }

  async function send(event) {
    event.preventDefault();
    var input = byId('composer-input');
    var text = input.value.trim();
    if (text === '') return;
    if (text.charAt(0) !== '/') {
      setStatus('The sandbox sends slash commands only: start with /, for example /ips.', true);
      return;
    }
    input.value = '';
    var command = text.split(/\s/)[0];
    setStatus('Sent ' + command + ': waiting for the bot…', false);
    try {
      var answer = await api('/api/command', { user: state.user, channel: state.channel, text: text });
      setStatus(answer.status === 200 ? '' : command + ' was not accepted by the bot.', answer.status !== 200);
    } catch (error) {
      setStatus(error.message, true);
    }
  }

  async function start() {
    state.directory = await api('/api/directory');
    var select = byId('user');
    state.directory.users.forEach(function (user) {
      var option = document.createElement('option');
      option.value = user.id;
      option.textContent = user.name + ' (' + user.role + ')';
      select.appendChild(option);
    });
    state.user = state.directory.users[0].id;
    state.channel = state.directory.channels[0].id;
    select.value = state.user;
    select.addEventListener('change', function () {
      state.user = select.value;
      if (state.channel.charAt(0) === 'D') state.channel = state.directory.channels[0].id;
      // Another person opening the Home tab: Slack tells the bot again, for them.
      if (state.view === 'home') openHome();
      else openChannel(state.channel);
    });
    byId('home-entry').addEventListener('click', function () {
      openHome();
    });
    byId('composer').addEventListener('submit', send);
    document.addEventListener('click', function (event) {
      var target = event.target instanceof Element ? event.target : null;
      var button = target?.closest('.bk-button');
      if (button) {
        clickButton(button);
        return;
      }
      var control = target?.closest('[data-control]');
      if (control) runControl(control);
    });
    var events = new EventSource('/api/events');
    events.onmessage = function (message) {
      var kind = JSON.parse(message.data).kind;
      refreshWorld();
      if (kind === 'messages') {
        refreshTimeline();
        refreshChannels();
      }
      if (kind === 'home' && state.view === 'home') refreshHome();
    };
    openChannel(state.channel);
    await refreshWorld();
    document.body.dataset.ready = 'true';
  }

  start().catch(function (error) {
    setStatus('The console could not start: ' + error.message, true);
  });
})();
