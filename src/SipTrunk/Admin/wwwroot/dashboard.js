// SipTrunk admin dashboard: plain DOM, no framework, no build step. Every value from the API reaches the page through
// textContent (never innerHTML), and the Content-Security-Policy allows no inline script or style.
'use strict';

(() => {
  const TOKEN_KEY = 'siptrunk.adminToken';
  const REFRESH_MS = 2000;
  const PAGE_SIZE = 50;

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    query: new URLSearchParams(),
    cursor: null,
    shown: 0,
    selectedId: null,
    timer: null,
  };

  const $ = (id) => document.getElementById(id);

  class AuthRequired extends Error {}

  class ApiError extends Error {
    constructor(message, problem) {
      super(message);
      this.problem = problem;
    }
  }

  // ---- DOM helpers -------------------------------------------------------------------------------------------------

  function el(tag, options, ...children) {
    const node = document.createElement(tag);
    const o = options || {};
    if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
    if (o.className) node.className = o.className;
    if (o.title) node.title = o.title;
    if (o.attrs) for (const [name, value] of Object.entries(o.attrs)) node.setAttribute(name, value);
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function cell(text, className, title) {
    return el('td', { text: text === null || text === undefined || text === '' ? '—' : text, className, title });
  }

  function badge(text, tone) {
    return el('span', { text, className: 'badge ' + tone });
  }

  function badgeCell(text, tone) {
    return el('td', null, badge(text, tone));
  }

  function fill(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function pad(n, width = 2) {
    return String(n).padStart(width, '0');
  }

  // Local time, ISO-like and unambiguous; the UTC instant is in the tooltip.
  function formatTime(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  // Today's times without the date: the live panels are about now.
  function formatShort(iso) {
    const full = formatTime(iso);
    if (!full || full === iso) return full;
    return full.slice(0, 10) === formatTime(new Date().toISOString()).slice(0, 10) ? full.slice(11) : full;
  }

  function formatPrecise(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${formatTime(iso)}.${pad(d.getMilliseconds(), 3)}`;
  }

  // The user part of a From/To header or URI ("<sip:+441632960123@host>;tag=x" shows as "+441632960123").
  function party(value) {
    if (!value) return null;
    const match = /(?:sips?|tel):([^@;>?]+)/i.exec(value);
    return match ? decodeURIComponentSafe(match[1]) : value;
  }

  function decodeURIComponentSafe(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  }

  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return null;
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }

  function offset(fromIso, toIso) {
    if (!fromIso || !toIso) return null;
    const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
    return `+${(ms / 1000).toFixed(3)} s`;
  }

  function statusTone(status) {
    switch (status) {
      case 'answered': return 'ok';
      case 'busy':
      case 'no-answer': return 'warn';
      case 'failed':
      case 'rejected': return 'bad';
      default: return 'neutral';
    }
  }

  function codeTone(code) {
    if (code >= 200 && code < 300) return 'ok';
    if (code === 0 || code === 487) return 'warn';
    return 'bad';
  }

  function formatNumber(n) {
    return n === null || n === undefined ? null : Number(n).toLocaleString('en-US');
  }

  // ---- API ---------------------------------------------------------------------------------------------------------

  async function api(path) {
    const headers = { Accept: 'application/json' };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' });
    if (response.status === 401) throw new AuthRequired();
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }

    if (!response.ok) {
      throw new ApiError((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`, body);
    }

    return body;
  }

  function problemText(error) {
    if (error instanceof ApiError && error.problem && error.problem.errors) {
      return Object.entries(error.problem.errors).map(([key, messages]) => `${key}: ${messages.join(', ')}`).join('; ');
    }

    return error.message || String(error);
  }

  // ---- token -------------------------------------------------------------------------------------------------------

  function askForToken(message) {
    stopRefresh();
    $('main').hidden = true;
    $('detail').hidden = true;
    $('login').hidden = false;
    $('forget-token').hidden = true;
    const error = $('login-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('token-input').focus();
  }

  function handle(error, banner) {
    if (error instanceof AuthRequired) {
      askForToken(state.token ? 'That token was refused.' : '');
      return;
    }

    if (banner) {
      banner.textContent = problemText(error);
      banner.hidden = false;
    }
  }

  // ---- panels ------------------------------------------------------------------------------------------------------

  async function refreshReadiness() {
    const badgeNode = $('readiness');
    try {
      const response = await fetch('readyz', { cache: 'no-store', credentials: 'omit' });
      const body = await response.json().catch(() => null);
      if (response.ok) {
        badgeNode.textContent = 'ready';
        badgeNode.className = 'badge ok';
        badgeNode.title = 'GET /readyz: 200';
      } else {
        badgeNode.textContent = 'not ready';
        badgeNode.className = 'badge bad';
        badgeNode.title = (body && body.reasons ? body.reasons.join('\n') : null) || `GET /readyz: ${response.status}`;
      }
    } catch {
      badgeNode.textContent = 'unreachable';
      badgeNode.className = 'badge bad';
    }
  }

  async function refreshActive() {
    const body = await api('api/calls/active');
    const now = Date.now();
    const rows = body.items.map((call) => el('tr', null,
      cell(formatShort(call.startedAt), null, call.startedAt),
      cell(call.direction),
      cell(call.peer),
      cell(call.carrier),
      call.answeredAt ? badgeCell('answered', 'ok') : badgeCell('setting up', 'warn'),
      cell(formatDuration((now - new Date(call.answeredAt || call.startedAt).getTime()) / 1000), 'num'),
      cell(call.callId, 'mono clip', call.callId)));
    fill($('active-table').tBodies[0], rows);
    $('active-count').textContent = String(body.items.length);
    $('active-empty').hidden = body.items.length > 0;
    return body.items.length;
  }

  async function refreshCarriers() {
    const body = await api('api/carriers');
    const rows = body.items.map((carrier) => {
      const tone = carrier.state === 'up' ? 'ok' : carrier.state === 'down' ? 'bad' : 'neutral';
      const health = carrier.monitored ? carrier.state : 'not checked';
      return el('tr', null,
        cell(carrier.name),
        badgeCell(health, tone),
        cell(carrier.uri, 'mono'),
        cell(`${carrier.priority} / ${carrier.weight}`, 'num'),
        cell(String(carrier.consecutiveFailures), 'num'),
        cell(formatShort(carrier.lastChange), null, carrier.lastChange));
    });
    fill($('carriers-table').tBodies[0], rows);
    $('carriers-empty').hidden = body.items.length > 0;
    return body.items;
  }

  async function refreshRegistrations() {
    const body = await api('api/registrations');
    const rows = body.items.map((binding) => el('tr', null,
      cell(binding.peer),
      cell(binding.aor, 'mono'),
      cell(binding.contact, 'mono clip', binding.contact),
      cell(binding.source, 'mono'),
      cell(binding.transport),
      cell(binding.userAgent, 'clip', binding.userAgent),
      cell(formatDuration(binding.expires), 'num', binding.expiresAt)));
    fill($('registrations-table').tBodies[0], rows);
    $('registrations-count').textContent = String(body.items.length);
    $('registrations-empty').hidden = body.items.length > 0;
    return body.items.length;
  }

  async function refreshStatus() {
    const banner = $('error-banner');
    try {
      const [active, carriers, registrations] = await Promise.all([refreshActive(), refreshCarriers(), refreshRegistrations(), refreshReadiness()]);
      banner.hidden = true;
      const down = carriers.filter((c) => c.state === 'down').length;
      $('summary').textContent = `${active} active · ${carriers.length} carriers${down ? ` (${down} down)` : ''} · ${registrations} registered`;
      $('updated').textContent = 'updated ' + formatTime(new Date().toISOString()).slice(11);
    } catch (error) {
      handle(error, banner);
      if (error instanceof AuthRequired) return false;
    }

    return true;
  }

  function stopRefresh() {
    if (state.timer !== null) {
      clearTimeout(state.timer);
      state.timer = null;
    }
  }

  function scheduleRefresh() {
    stopRefresh();
    state.timer = setTimeout(async () => {
      state.timer = null;
      // A hidden tab waits; the visibilitychange handler picks up again at once.
      if (document.hidden) return;
      if (await refreshStatus()) scheduleRefresh();
    }, REFRESH_MS);
  }

  // ---- call log ----------------------------------------------------------------------------------------------------

  function readFilter() {
    const form = $('filter');
    const query = new URLSearchParams();
    for (const name of ['peer', 'carrier', 'status', 'number', 'since']) {
      const value = form.elements[name].value.trim();
      if (value) query.set(name, value);
    }

    return query;
  }

  function callRow(call) {
    const row = el('tr', { attrs: { tabindex: '0', 'data-id': call.id } },
      cell(formatTime(call.startedAt), null, call.startedAt),
      cell(call.direction),
      cell(call.peer),
      cell(call.carrier),
      cell(party(call.from), 'mono clip', call.from),
      cell(party(call.to), 'mono clip', call.to),
      badgeCell(call.status, statusTone(call.status)),
      cell(call.sipCode ? String(call.sipCode) : null, 'num', call.sipReason),
      cell(formatDuration(call.durationSeconds), 'num'));
    if (call.id === state.selectedId) row.classList.add('selected');
    row.addEventListener('click', () => openCall(call.id));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        openCall(call.id);
      }
    });
    return row;
  }

  async function loadCalls(append) {
    const error = $('log-error');
    const query = new URLSearchParams(state.query);
    query.set('limit', String(PAGE_SIZE));
    if (append && state.cursor) query.set('cursor', state.cursor);
    try {
      const page = await api('api/calls?' + query.toString());
      const tbody = $('calls-table').tBodies[0];
      const rows = page.items.map(callRow);
      if (append) tbody.append(...rows);
      else fill(tbody, rows);
      state.shown = (append ? state.shown : 0) + page.items.length;
      state.cursor = page.nextCursor;
      error.hidden = true;
      $('calls-empty').hidden = state.shown > 0;
      $('more').hidden = !state.cursor;
      $('calls-shown').textContent = state.shown ? `${state.shown} call${state.shown === 1 ? '' : 's'} shown, newest first` : '';
    } catch (e) {
      handle(e, error);
    }
  }

  // ---- one call ----------------------------------------------------------------------------------------------------

  function facts(pairs) {
    const dl = el('dl', { className: 'facts' });
    for (const [name, value, className] of pairs) {
      dl.append(el('dt', { text: name }), el('dd', { text: value === null || value === undefined || value === '' ? '—' : value, className }));
    }

    return dl;
  }

  function tlsLeg(title, leg) {
    return el('div', { className: 'leg' },
      el('h4', { text: title }),
      leg
        ? facts([['Protocol', leg.protocol], ['Cipher', leg.cipherSuite, 'mono'], ['Certificate', leg.peerCertificateSubject, 'mono']])
        : el('p', { text: 'no TLS on this leg', className: 'muted' }));
  }

  function mediaTable(media) {
    const row = (name, inValue, outValue) => el('tr', null, el('th', { text: name }), cell(inValue, 'num'), cell(outValue, 'num'));
    const suite = (value) => value || 'RTP';
    return el('table', { className: 'media' },
      el('thead', null, el('tr', null, el('th', { text: '' }), el('th', { text: 'in (carrier → peer)', className: 'num' }), el('th', { text: 'out (peer → carrier)', className: 'num' }))),
      el('tbody', null,
        row('Packets', formatNumber(media.packetsIn), formatNumber(media.packetsOut)),
        row('Bytes', formatNumber(media.bytesIn), formatNumber(media.bytesOut)),
        row('Lost', formatNumber(media.packetsLostIn), formatNumber(media.packetsLostOut)),
        row('Jitter (ms)', media.jitterInMs !== undefined ? Number(media.jitterInMs).toFixed(1) : null, media.jitterOutMs !== undefined ? Number(media.jitterOutMs).toFixed(1) : null),
        row('SRTP suite', suite(media.carrierSrtpSuite), suite(media.peerSrtpSuite))));
  }

  function renderCall(call) {
    $('detail-title').textContent = `${party(call.from) || '?'} → ${party(call.to) || '?'}`;
    const body = $('detail-body');
    const ended = call.endedBy ? `${call.endedBy}${call.endReason ? ` (${call.endReason})` : ''}` : call.endReason;
    const parts = [
      el('p', null, badge(call.status, statusTone(call.status)), document.createTextNode(` ${call.sipCode || ''} ${call.sipReason || ''}`)),
      facts([
        ['From', call.from, 'mono'],
        ['To', call.to, 'mono'],
        ['Direction', call.direction],
        ['Peer', call.peer],
        ['Carrier', call.carrier],
        ['Request-URI', call.requestUri, 'mono'],
        ['Source', call.sourceAddress, 'mono'],
        ['Call-ID', call.callId, 'mono'],
        ['Record id', call.id, 'mono'],
        ['Ended by', ended],
      ]),
      el('h3', { text: 'Timings' }),
      facts([
        ['Started', formatPrecise(call.startedAt)],
        ['Ringing', offset(call.startedAt, call.ringingAt)],
        ['Answered', offset(call.startedAt, call.answeredAt)],
        ['Ended', offset(call.startedAt, call.endedAt)],
        ['Talk time', call.durationSeconds !== null && call.durationSeconds !== undefined ? `${formatDuration(call.durationSeconds)} (${call.durationSeconds} s)` : null],
      ]),
      el('h3', { text: `Attempts (${call.attempts.length})` }),
    ];

    const ladder = el('ol', { className: 'ladder' });
    for (const attempt of call.attempts) {
      ladder.append(el('li', { className: codeTone(attempt.sipCode) },
        el('span', { text: offset(call.startedAt, attempt.startedAt) || '', className: 'when' }),
        el('strong', { text: attempt.carrier }),
        document.createTextNode(` → ${attempt.sipCode || 'no final response'} ${attempt.reason || ''}`)));
    }

    parts.push(call.attempts.length ? ladder : el('p', { text: 'No attempt was made (refused before routing).', className: 'muted' }));
    parts.push(el('h3', { text: 'TLS' }));
    parts.push(el('div', { className: 'legs' },
      tlsLeg('Inbound leg (caller side)', call.tls && call.tls.inbound),
      tlsLeg('Outbound leg (callee side)', call.tls && call.tls.outbound)));
    parts.push(el('h3', { text: 'Media' }));
    if (call.media) {
      parts.push(facts([
        ['Mode', call.media.mode],
        ['SRTP suite', call.media.srtpSuite || 'none (RTP)'],
        ['Packets lost', formatNumber(call.media.packetsLost)],
        ['Jitter', `${Number(call.media.jitterMs).toFixed(1)} ms (worse direction)`],
        ['Auth failures', formatNumber(call.media.authenticationFailures)],
      ]));
      parts.push(mediaTable(call.media));
    } else {
      parts.push(el('p', { text: 'No media was relayed.', className: 'muted' }));
    }

    body.replaceChildren(...parts);
  }

  async function openCall(id) {
    state.selectedId = id;
    for (const row of $('calls-table').tBodies[0].rows) row.classList.toggle('selected', row.dataset.id === id);
    const drawer = $('detail');
    $('detail-title').textContent = 'Loading…';
    $('detail-body').replaceChildren();
    drawer.hidden = false;
    try {
      renderCall(await api('api/calls/' + encodeURIComponent(id)));
    } catch (error) {
      if (error instanceof AuthRequired) {
        handle(error);
        return;
      }

      $('detail-title').textContent = 'Call';
      $('detail-body').replaceChildren(el('p', { text: problemText(error), className: 'error' }));
    }
  }

  function closeCall() {
    $('detail').hidden = true;
    state.selectedId = null;
    for (const row of $('calls-table').tBodies[0].rows) row.classList.remove('selected');
  }

  // ---- start -------------------------------------------------------------------------------------------------------

  async function start() {
    $('login').hidden = true;
    $('main').hidden = false;
    $('forget-token').hidden = !state.token;
    if (await refreshStatus()) {
      scheduleRefresh();
      await loadCalls(false);
    }
  }

  function wire() {
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token-input').value.trim();
      if (!value) return;
      state.token = value;
      sessionStorage.setItem(TOKEN_KEY, value);
      $('token-input').value = '';
      start();
    });

    $('forget-token').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      state.token = null;
      askForToken('');
    });

    $('filter').addEventListener('submit', (event) => {
      event.preventDefault();
      state.query = readFilter();
      state.cursor = null;
      loadCalls(false);
    });

    $('filter').addEventListener('reset', () => {
      // After the form has cleared its fields.
      setTimeout(() => {
        state.query = new URLSearchParams();
        state.cursor = null;
        loadCalls(false);
      }, 0);
    });

    $('more').addEventListener('click', () => loadCalls(true));
    $('detail-close').addEventListener('click', closeCall);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !$('detail').hidden) closeCall();
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && !$('main').hidden && state.timer === null) {
        refreshStatus().then((ok) => { if (ok) scheduleRefresh(); });
      }
    });
  }

  wire();
  start();
})();
