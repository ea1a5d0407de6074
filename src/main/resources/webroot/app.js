// GreenPledge big-screen dashboard: one WebSocket (/ws) through the desk client (/client/greenpledge.js:
// deltas, resume, backoff), state kept bounded, rendering batched per frame.
import { GreenPledgeClient } from '/client/greenpledge.js';

(function () {
  const I18N = {
    zh: {
      title: '环境权益质押风险看板', prices: '环境权益行情', totals: '质押组合', book: '质押物热力图', alerts: '风险预警',
      logout: '退出', 'conn.up': '实时', 'conn.down': '未连接', 'conn.connecting': '连接中',
      'status.HEALTHY': '正常', 'status.WARNING': '预警', 'status.MARGIN_CALL': '追加担保', 'status.DISPOSAL': '处置',
      'login.title': '登录', 'login.hint': '粘贴银行身份系统签发的令牌（JWT）。', 'login.submit': '进入看板',
      stale: '无成交', all: '合计', pledges: '笔', marketValue: '市值', eligible: '可担保价值', topUp: '需追加',
      'kind.STATUS_CHANGE': '状态变化', 'kind.STALE': '行情停滞', 'kind.FRESH': '行情恢复', 'kind.DOUBLE_PLEDGE': '重复质押', 'kind.MARGIN_CALL': '追加担保通知', 'kind.CONCENTRATION': '集中度超限',
      'call.OPEN': '已发出', 'call.ACKNOWLEDGED': '已确认', 'call.DISPUTED': '有异议', 'call.PARTIALLY_MET': '部分补足',
      'call.OVERDUE': '已逾期', 'call.ESCALATED': '转入处置', 'call.MET': '已补足', 'call.CURED': '行情回升解除',
      'call.RESOLVED': '已结案',
      system: '系统敞口（全部银行）', sharedBorrowers: '多行融资借款人', daysToLiquidate: '变现天数', banks: '家银行',
      calls: '追加担保通知', approvals: '待复核', due: '到期', amountDue: '应追加', noCalls: '无未结追加担保通知',
      coverage: '覆盖率', badToken: '令牌无效或已过期，请重新登录。', langButton: 'English'
    },
    en: {
      title: 'Environmental-Rights Collateral Risk', prices: 'Market', totals: 'Portfolio', book: 'Pledge heatmap', alerts: 'Alerts',
      logout: 'Sign out', 'conn.up': 'Live', 'conn.down': 'Offline', 'conn.connecting': 'Connecting',
      'status.HEALTHY': 'Healthy', 'status.WARNING': 'Warning', 'status.MARGIN_CALL': 'Margin call', 'status.DISPOSAL': 'Disposal',
      'login.title': 'Sign in', 'login.hint': 'Paste a token (JWT) issued by your bank\u2019s identity provider.', 'login.submit': 'Open dashboard',
      stale: 'STALE', all: 'Total', pledges: 'pledge(s)', marketValue: 'Market value', eligible: 'Eligible', topUp: 'Top-up',
      'kind.STATUS_CHANGE': 'Status', 'kind.STALE': 'Stale', 'kind.FRESH': 'Fresh', 'kind.DOUBLE_PLEDGE': 'Double pledge', 'kind.MARGIN_CALL': 'Margin call', 'kind.CONCENTRATION': 'Concentration',
      'call.OPEN': 'issued', 'call.ACKNOWLEDGED': 'acknowledged', 'call.DISPUTED': 'disputed',
      'call.PARTIALLY_MET': 'partly met', 'call.OVERDUE': 'overdue', 'call.ESCALATED': 'escalated to disposal',
      'call.MET': 'met', 'call.CURED': 'cured by the market', 'call.RESOLVED': 'resolved',
      system: 'System exposure (all banks)', sharedBorrowers: 'Borrowers at several banks', daysToLiquidate: 'days to sell', banks: 'bank(s)',
      calls: 'Open margin calls', approvals: 'Pending approvals', due: 'due', amountDue: 'amount due', noCalls: 'No open margin calls',
      coverage: 'coverage', badToken: 'The token is invalid or expired; sign in again.', langButton: '中文'
    }
  };
  const STATUSES = ['HEALTHY', 'WARNING', 'MARGIN_CALL', 'DISPOSAL'];
  const MAX_POINTS = 120;   // sparkline points per instrument
  const MAX_ALERTS = 100;   // alert ticker length
  const $ = (sel) => document.querySelector(sel);

  let lang = localStorage.getItem('gp.lang') || 'zh';
  let token = null;
  let client = null;
  let lastAlertSeq = Number(sessionStorage.getItem('gp.lastAlertSeq') || 0);
  let instruments = [];
  const prices = new Map();      // id -> {data, points: [[t, price]]}
  const valuations = new Map();  // pledgeId -> valuation
  const alerts = [];             // newest first, bounded
  const calls = new Map();       // callId -> live call (closed ones leave)
  const requests = new Map();    // change request id -> pending request
  const MAX_CASES = 500;         // a book in crisis still renders
  const charts = new Map();
  let dirty = false;

  const t = (key) => (I18N[lang][key] !== undefined ? I18N[lang][key] : key);
  const money = (v) => v == null ? '—' : new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US',
    { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 }).format(v);
  const price = (v) => v == null ? '—' : Number(v).toFixed(2);

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.title = 'GreenPledge · ' + t('title');
    $('#lang-toggle').textContent = t('langButton');
    setConnection($('#conn-state').dataset.state);
    instruments.length && buildPriceCards();
    schedule();
  }

  function setConnection(state) {
    const el = $('#conn-state');
    el.dataset.state = state;
    el.className = 'conn conn-' + state;
    el.textContent = t('conn.' + state);
  }

  function claims(jwt) {
    try {
      const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (e) { return {}; }
  }

  function takeTokenFromUrl() {
    // The demo link carries the token in the fragment: never sent to the server, never in its logs.
    const match = location.hash.match(/token=([^&]+)/);
    if (match) {
      sessionStorage.setItem('gp.token', decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname);
    }
    return sessionStorage.getItem('gp.token');
  }

  function showLogin(message) {
    $('#login').hidden = false;
    $('#login-error').textContent = message || '';
  }

  async function start(newToken) {
    token = newToken;
    const c = claims(token);
    // The alert cursor is per bank (the regulator's runs over every bank): another identity in the
    // same tab starts from its own, not from the last one's.
    const owner = c.bank || '*';
    if (sessionStorage.getItem('gp.alertCursorOwner') !== owner) {
      sessionStorage.setItem('gp.alertCursorOwner', owner);
      sessionStorage.removeItem('gp.lastAlertSeq');
      lastAlertSeq = 0;
      alerts.length = 0;
      calls.clear();
      requests.clear();
    }
    $('#bank').textContent = c.bank || (c.roles || []).join(', ');
    $('#login').hidden = true;
    try {
      const response = await fetch('/api/v1/instruments', { headers: { Authorization: 'Bearer ' + token } });
      if (response.status === 401) { logout(t('badToken')); return; }
      instruments = (await response.json()).items;
    } catch (e) { instruments = []; }
    buildPriceCards();
    connect();
    startSystemView();
  }

  /** The regulator's view: every bank's exposure per instrument, and the borrowers they share. */
  let systemTimer = null;
  let system = { exposure: [], shared: 0 };
  function startSystemView() {
    clearInterval(systemTimer);
    $('#system-panel').hidden = !regulatorView();
    if (!regulatorView()) { return; }
    const load = async () => {
      try {
        const headers = { Authorization: 'Bearer ' + token };
        const [exposure, shared] = await Promise.all([
          fetch('/api/v1/system/exposure', { headers }).then((r) => r.json()),
          fetch('/api/v1/system/borrowers', { headers }).then((r) => r.json())]);
        system = { exposure: exposure.items || [], shared: (shared.items || []).length };
        schedule();
      } catch (e) { /* kept: the last figures stay until the next load */ }
    };
    load();
    systemTimer = setInterval(load, 30000);
  }

  function renderSystem() {
    if (!regulatorView()) { return; }
    $('#shared-count').textContent = String(system.shared);
    const body = $('#system-exposure');
    body.innerHTML = '';
    for (const e of system.exposure.slice(0, 20)) {
      const row = document.createElement('tr');
      row.dataset.instrument = e.instrument;
      for (const text of [e.instrument, Number(e.quantity).toLocaleString(), money(e.marketValue),
        e.daysToLiquidate == null ? '—' : e.daysToLiquidate + ' ' + t('daysToLiquidate'),
        e.banks.length + ' ' + t('banks')]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.appendChild(cell);
      }
      body.appendChild(row);
    }
  }

  function buildPriceCards() {
    const grid = $('#prices .price-grid');
    charts.forEach((chart) => chart.dispose());
    charts.clear();
    grid.innerHTML = '';
    for (const i of instruments) {
      const card = document.createElement('div');
      card.className = 'price-card';
      card.dataset.instrument = i.id;
      card.innerHTML = '<span class="stale-badge"></span><div class="id"></div><div class="name"></div>' +
        '<div class="mark">—</div><div class="change"></div><div class="spark"></div>';
      card.querySelector('.id').textContent = i.id;
      card.querySelector('.name').textContent = lang === 'zh' ? i.name : i.nameEn;
      card.querySelector('.stale-badge').textContent = t('stale');
      grid.appendChild(card);
    }
    // Charts are created once the cards have their size, so each canvas fits its own card.
    requestAnimationFrame(() => instruments.forEach((i) => createSparkline(i.id)));
  }

  function createSparkline(id) {
    const card = document.querySelector('.price-card[data-instrument="' + id + '"]');
    if (!card || !window.echarts) { return; }
    {
      {
        const spark = card.querySelector('.spark');
        const chart = echarts.init(spark, null, { renderer: 'canvas', width: spark.clientWidth, height: 40 });
        chart.setOption({
          animation: false, grid: { left: 0, right: 0, top: 2, bottom: 2 },
          xAxis: { type: 'time', show: false }, yAxis: { type: 'value', show: false, scale: true },
          series: [{ type: 'line', showSymbol: false, lineStyle: { width: 1.5, color: '#3ddc84' }, data: [] }]
        });
        charts.set(id, chart);
        schedule();
      }
    }
  }

  function connect() {
    if (client) { client.close(); }
    client = new GreenPledgeClient({
      url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws',
      token, lastAlertSeq, initialDelayMillis: 1000
    });
    client.on('state', (state) => setConnection(state === 'up' ? 'up' : state === 'connecting' ? 'connecting' : 'down'));
    client.on('close', (event) => { if (event.code === 4401 || event.code === 4403) { logout(t('badToken')); } });
    client.on('snapshot', (channel) => {
      if (channel === 'valuations') { valuations.clear(); }
      if (channel === 'calls') { calls.clear(); }
      if (channel === 'change-requests') { requests.clear(); }
    });
    client.on('item', onItem);
    client.on('frame', schedule);
    // Prices and valuations as deltas (the client merges them); the rest as they come.
    client.subscribe(['prices', 'valuations'], { delta: true });
    client.subscribe(['alerts', 'calls', 'change-requests']);
    client.connect();
  }

  function onItem(item) {
    if (item.type === 'price') { onPrice(item); }
    else if (item.type === 'valuation') { valuations.set(item.data.pledgeId, item.data); }
    else if (item.type === 'alert') { onAlert(item); }
    else if (item.type === 'call') { onCall(item.data); }
    else if (item.type === 'change-request') { onRequest(item.data); }
  }

  function onPrice(item) {
    const id = item.data.instrument;
    const entry = prices.get(id) || { points: [] };
    entry.data = item.data;
    entry.points.push([Date.now(), item.data.mark]);
    if (entry.points.length > MAX_POINTS) { entry.points.splice(0, entry.points.length - MAX_POINTS); }
    prices.set(id, entry);
  }

  function onAlert(item) {
    // the client passes each alert once, across reconnects, and keeps the cursor
    lastAlertSeq = client.lastAlertSeq;
    sessionStorage.setItem('gp.lastAlertSeq', String(lastAlertSeq));
    alerts.unshift(item.data);
    if (alerts.length > MAX_ALERTS) { alerts.length = MAX_ALERTS; }
  }

  function onCall(call) {
    const held = calls.get(call.id);
    if (held && held.version > call.version) { return; }   // an older state arriving late
    if (CALL_CLOSED.includes(call.state)) { calls.delete(call.id); }
    else if (held || calls.size < MAX_CASES) { calls.set(call.id, call); }
  }

  function onRequest(request) {
    if (request.state !== 'PENDING') { requests.delete(request.id); }
    else if (requests.size < MAX_CASES) { requests.set(request.id, request); }
  }

  function schedule() {
    if (!dirty) { dirty = true; requestAnimationFrame(render); }
  }

  function render() {
    dirty = false;
    renderPrices();
    renderTotals();
    renderHeatmap();
    renderAlerts();
    renderCalls();
    renderSystem();
  }

  /** Open calls, overdue and escalated first, then by due time; and the approvals waiting. */
  function renderCalls() {
    const now = Date.now();
    const pending = Array.from(requests.values()).filter((r) => Date.parse(r.expiresAt) > now).length;
    $('#approvals-count').textContent = String(pending);
    const rank = (c) => (c.state === 'ESCALATED' ? 0 : c.state === 'OVERDUE' ? 1 : 2);
    const open = Array.from(calls.values())
      .sort((a, b) => rank(a) - rank(b) || Date.parse(a.dueAt) - Date.parse(b.dueAt));
    $('#calls-count').textContent = open.length ? '(' + open.length + ')' : '';
    const list = $('#calls');
    list.innerHTML = '';
    if (!open.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t('noCalls');
      list.appendChild(li);
      return;
    }
    const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
    for (const c of open.slice(0, 50)) {
      const li = document.createElement('li');
      li.dataset.call = c.id;
      li.dataset.state = c.state;
      const tag = document.createElement('span');
      tag.className = 'tag ' + (c.state === 'ESCALATED' || c.state === 'OVERDUE' ? 'status-DISPOSAL' : 'status-MARGIN_CALL');
      tag.textContent = t('call.' + c.state);
      const what = document.createElement('span');
      what.className = 'what';
      what.textContent = (regulatorView() ? c.bank + ' · ' : '') + c.pledgeId + ' ' + c.instrument;
      const amount = document.createElement('span');
      amount.className = 'amount';
      amount.textContent = t('amountDue') + ' ' + Number(c.amountDue).toLocaleString(locale,
        { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' CNY';
      const due = document.createElement('time');
      due.textContent = t('due') + ' ' + new Date(c.dueAt).toLocaleString(locale,
        { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
      li.append(tag, what, amount, due);
      list.appendChild(li);
    }
  }

  function regulatorView() {
    return token && !claims(token).bank;
  }

  function renderPrices() {
    prices.forEach((entry, id) => {
      const card = document.querySelector('.price-card[data-instrument="' + id + '"]');
      if (!card) { return; }
      const d = entry.data;
      card.classList.toggle('stale', !!d.stale);
      card.querySelector('.mark').textContent = price(d.mark);
      const change = card.querySelector('.change');
      change.textContent = d.change == null ? '' : (d.change >= 0 ? '+' : '') + (d.change * 100).toFixed(2) + '%';
      change.className = 'change ' + (d.change > 0 ? 'up' : d.change < 0 ? 'down' : '');
      const chart = charts.get(id);
      chart && chart.setOption({ series: [{ data: entry.points }] });
    });
  }

  function renderTotals() {
    const sums = {};
    for (const s of ['ALL'].concat(STATUSES)) { sums[s] = { count: 0, mv: 0, eligible: 0, topUp: 0 }; }
    valuations.forEach((v) => {
      for (const key of ['ALL', v.status]) {
        const s = sums[key];
        s.count += 1;
        s.mv += Math.round(v.marketValue * 100);   // exact in fen, as the API totals
        s.eligible += Math.round(v.eligibleValue * 100);
        s.topUp += Math.round(v.topUp.amount * 100);
      }
    });
    const grid = $('#totals .totals-grid');
    grid.innerHTML = '';
    for (const key of STATUSES.concat(['ALL'])) {
      const s = sums[key];
      const tile = document.createElement('div');
      tile.className = 'total ' + (key === 'ALL' ? 'all' : 'status-' + key);
      tile.dataset.status = key;
      tile.style.borderLeftColor = key === 'ALL' ? '#8fb3a0' : 'var(--' + key + ')';
      tile.innerHTML = '<div class="label"></div><div class="count"></div><div class="money"></div>';
      tile.querySelector('.label').textContent = key === 'ALL' ? t('all') : t('status.' + key);
      tile.querySelector('.count').textContent = s.count + ' ' + t('pledges');
      tile.querySelector('.money').textContent = t('marketValue') + ' ' + money(s.mv / 100) + ' · ' + t('eligible') + ' ' +
        money(s.eligible / 100) + ' · ' + t('topUp') + ' ' + money(s.topUp / 100);
      grid.appendChild(tile);
    }
  }

  function renderHeatmap() {
    const heatmap = $('#heatmap');
    const sorted = Array.from(valuations.values()).sort((a, b) => (a.coverage ?? 1e9) - (b.coverage ?? 1e9));
    $('#book-count').textContent = sorted.length ? '(' + sorted.length + ')' : '';
    while (heatmap.children.length > sorted.length) { heatmap.lastChild.remove(); }
    sorted.forEach((v, index) => {
      let cell = heatmap.children[index];
      if (!cell) { cell = document.createElement('div'); heatmap.appendChild(cell); }
      cell.className = 'cell status-' + v.status;
      cell.dataset.pledge = v.pledgeId;
      cell.dataset.status = v.status;
      cell.title = v.pledgeId + ' · ' + v.instrument + ' · ' + t('coverage') + ' ' +
        (v.coverage == null ? '∞' : (v.coverage * 100).toFixed(1) + '%') + ' · ' + t('status.' + v.status);
    });
  }

  function renderAlerts() {
    const list = $('#alerts');
    list.innerHTML = '';
    for (const a of alerts) {
      const li = document.createElement('li');
      li.dataset.kind = a.kind;
      li.dataset.seq = a.seq;
      const tag = document.createElement('span');
      tag.className = 'tag ' + (a.kind === 'STATUS_CHANGE' ? 'status-' + a.data.to
        : a.kind === 'MARGIN_CALL' ? (CALL_CLOSED.includes(a.data.to) ? 'status-HEALTHY' : 'status-MARGIN_CALL')
        : a.kind === 'FRESH' ? 'status-HEALTHY' : 'status-WARNING');
      tag.textContent = a.kind === 'STATUS_CHANGE' ? t('status.' + a.data.to) : t('kind.' + a.kind);
      const time = document.createElement('time');
      time.textContent = new Date(a.occurredAt).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB');
      const text = document.createElement('span');
      text.textContent = describe(a);
      li.append(time, tag, text);
      list.appendChild(li);
    }
  }

  /** Call states in which nothing more is asked of the borrower. */
  const CALL_CLOSED = ['MET', 'CURED', 'RESOLVED'];

  function describe(a) {
    if (a.kind === 'MARGIN_CALL') {
      return (a.pledgeId || '') + ' ' + (a.instrument || '') + ' ' + t('kind.MARGIN_CALL') + ' #' + a.data.callId +
        ' ' + t('call.' + a.data.to) + ' · ' + Number(a.data.amountDue).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB',
          { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' CNY';
    }
    if (a.kind === 'CONCENTRATION') {
      return t('kind.CONCENTRATION') + ' ' + a.data.limit + ' ' + a.data.key + ' ' +
        (a.data.figure == null ? '—' : a.data.figure) + ' / ' + a.data.max +
        (a.data.state === 'CLEARED' ? ' ✓' : ' (' + a.data.pledgeIds.length + ')');
    }
    if (a.kind === 'STATUS_CHANGE') {
      return (a.pledgeId || '') + ' ' + (a.instrument || '') + ' ' + t('status.' + a.data.from) + ' → ' +
        t('status.' + a.data.to) + ' · ' + t('coverage') + ' ' + (a.data.coverage * 100).toFixed(1) + '%';
    }
    return (a.instrument || '') + ' ' + (a.pledgeId || '') + ' ' + t('kind.' + a.kind);
  }

  function logout(message) {
    token = null;
    sessionStorage.removeItem('gp.token');
    if (client) { const closing = client; client = null; closing.close(); }
    setConnection('down');
    showLogin(message);
  }

  setInterval(() => { $('#clock').textContent = new Date().toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB'); }, 1000);
  $('#lang-toggle').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('gp.lang', lang);
    applyLanguage();
  });
  $('#logout').addEventListener('click', () => logout(''));
  $('#login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#token-input').value.trim();
    sessionStorage.setItem('gp.token', value);
    start(value);
  });
  window.addEventListener('resize', () => charts.forEach((chart) => chart.resize()));

  window.addEventListener('hashchange', () => {
    // A new demo link pasted into the same tab signs in with its token.
    if (/token=/.test(location.hash)) {
      if (client) { const closing = client; client = null; closing.close(); }
      start(takeTokenFromUrl());
    }
  });

  applyLanguage();
  const stored = takeTokenFromUrl();
  if (stored) { start(stored); } else { showLogin(''); }
})();
