// GreenPledge wall screen: one WebSocket (/ws) through the desk client (/client/greenpledge.js:
// deltas, resume, backoff), REST for what the stream does not carry (today's trend and candles,
// borrowers of the worst pledges, the regulator's system figures). State is bounded (keys, alert
// ticker, trend points, sparkline points, pledge details), rendering is batched per animation frame
// and rows are reused, so a wall that runs for weeks keeps its heap and DOM flat.
import { GreenPledgeClient } from '/client/greenpledge.js';

(function () {
  const I18N = {
    zh: {
      title: '环境权益质押风险看板', prices: '环境权益行情', alerts: '风险预警',
      logout: '退出', 'conn.up': '实时', 'conn.down': '未连接', 'conn.connecting': '连接中', lastTick: '最新成交',
      'status.HEALTHY': '正常', 'status.WARNING': '预警', 'status.MARGIN_CALL': '追加担保', 'status.DISPOSAL': '处置',
      'login.title': '登录', 'login.hint': '粘贴银行身份系统签发的令牌（JWT）。', 'login.submit': '进入看板',
      stale: '无成交', outstanding: '贷款余额', marketValue: '质押物市值', eligible: '可担保价值', bookCoverage: '整体覆盖率',
      callsDue: '追加担保应补', byStatus: '状态分布', worst: '最接近警戒线的质押', borrower: '借款人', instrument: '品种',
      coverage: '覆盖率', nextLine: '下一条线', priceMove: '触线跌幅', inStatus: '持续', trend: '今日整体覆盖率',
      concentration: '可担保价值集中度（按品种）', today: '今日', beforeToday: '今日前', pastLines: '已越过全部线',
      'kind.STATUS_CHANGE': '状态变化', 'kind.STALE': '行情停滞', 'kind.FRESH': '行情恢复', 'kind.DOUBLE_PLEDGE': '重复质押',
      'kind.MARGIN_CALL': '追加担保通知', 'kind.CONCENTRATION': '集中度超限',
      'call.OPEN': '已发出', 'call.ACKNOWLEDGED': '已确认', 'call.DISPUTED': '有异议', 'call.PARTIALLY_MET': '部分补足',
      'call.OVERDUE': '已逾期', 'call.ESCALATED': '转入处置', 'call.MET': '已补足', 'call.CURED': '行情回升解除', 'call.RESOLVED': '已结案',
      system: '系统敞口（全部银行）', sharedBorrowers: '多行融资借款人', doublePledges: '重复质押', daysToLiquidate: '天变现', banks: '家银行',
      banksTitle: '各银行质押组合', bankCol: '银行', pledgeCount: '笔数', openCalls: '追加中',
      calls: '追加担保通知', approvals: '待复核', due: '到期', amountDue: '应补', noCalls: '无未结追加担保通知',
      'basis.LAST': '最新价', 'basis.VWAP20': '20日均价', 'basis.CONSERVATIVE': '孰低价', 'basis.REFERENCE': '参考价',
      badToken: '令牌无效或已过期，请重新登录。', langButton: 'English', openedToday: '今日新发', minutes: '分', hours: '小时', days: '天'
    },
    en: {
      title: 'Environmental-Rights Collateral Risk', prices: 'Market', alerts: 'Alerts',
      logout: 'Sign out', 'conn.up': 'Live', 'conn.down': 'Offline', 'conn.connecting': 'Connecting', lastTick: 'Last trade',
      'status.HEALTHY': 'Healthy', 'status.WARNING': 'Warning', 'status.MARGIN_CALL': 'Margin call', 'status.DISPOSAL': 'Disposal',
      'login.title': 'Sign in', 'login.hint': 'Paste a token (JWT) issued by your bank\u2019s identity provider.', 'login.submit': 'Open dashboard',
      stale: 'STALE', outstanding: 'Loans outstanding', marketValue: 'Collateral value', eligible: 'Eligible value', bookCoverage: 'Book coverage',
      callsDue: 'Due on margin calls', byStatus: 'Pledges by status', worst: 'Closest to a line', borrower: 'Borrower', instrument: 'Right',
      coverage: 'Coverage', nextLine: 'Next line', priceMove: 'Move to it', inStatus: 'For', trend: 'Book coverage today',
      concentration: 'Eligible value by instrument', today: 'today', beforeToday: 'before today', pastLines: 'past every line',
      'kind.STATUS_CHANGE': 'Status', 'kind.STALE': 'Stale', 'kind.FRESH': 'Live again', 'kind.DOUBLE_PLEDGE': 'Double pledge',
      'kind.MARGIN_CALL': 'Margin call', 'kind.CONCENTRATION': 'Concentration',
      'call.OPEN': 'issued', 'call.ACKNOWLEDGED': 'acknowledged', 'call.DISPUTED': 'disputed', 'call.PARTIALLY_MET': 'partly met',
      'call.OVERDUE': 'overdue', 'call.ESCALATED': 'escalated', 'call.MET': 'met', 'call.CURED': 'cured by the market', 'call.RESOLVED': 'resolved',
      system: 'System exposure (all banks)', sharedBorrowers: 'Borrowers at several banks', doublePledges: 'Double pledges', daysToLiquidate: 'days to sell', banks: 'bank(s)',
      banksTitle: 'Banks side by side', bankCol: 'Bank', pledgeCount: 'Pledges', openCalls: 'Calls',
      calls: 'Open margin calls', approvals: 'Pending approvals', due: 'due', amountDue: 'due', noCalls: 'No open margin calls',
      'basis.LAST': 'last', 'basis.VWAP20': 'VWAP20', 'basis.CONSERVATIVE': 'lower of', 'basis.REFERENCE': 'reference',
      badToken: 'The token is invalid or expired; sign in again.', langButton: '中文', openedToday: 'opened today', minutes: 'min', hours: 'h', days: 'd'
    }
  };
  const STATUSES = ['HEALTHY', 'WARNING', 'MARGIN_CALL', 'DISPOSAL'];
  const SEVERITY = { DISPOSAL: 0, MARGIN_CALL: 1, WARNING: 2, HEALTHY: 3 };
  const MAX_POINTS = 600;     // sparkline points per instrument (a day of 1-minute candles is 240 trading minutes)
  const MAX_ALERTS = 50;      // alert ticker
  const MAX_TREND = 400;      // trend points: 96 snapshots a day plus a live point a minute
  const MAX_DETAILS = 100;    // borrower and status-since of pledges shown in the worst list
  const WORST = 10;
  const MAX_CASES = 500;
  const CALL_CLOSED = ['MET', 'CURED', 'RESOLVED'];
  const $ = (sel) => document.querySelector(sel);

  let lang = localStorage.getItem('gp.lang') || 'zh';
  let token = null;
  let client = null;
  let lastAlertSeq = Number(sessionStorage.getItem('gp.lastAlertSeq') || 0);
  let instruments = [];
  const prices = new Map();      // id -> {data, points: [[t, price]]}
  const valuations = new Map();  // pledgeId -> valuation
  const alerts = [];             // newest first, bounded
  const calls = new Map();       // callId -> live call
  const requests = new Map();    // change request id -> pending request
  const details = new Map();     // pledgeId -> {borrower, status, since}
  let trend = [];                // [{at, coverage, outstanding, marketValue, eligibleValue, statuses}]
  let baseline = null;           // the first snapshot of today: what "change over today" is measured from
  let system = { exposure: [], shared: 0, conflicts: 0 };
  const charts = new Map();
  let trendChart = null;
  let dirty = false;
  let timers = [];

  const t = (key) => (I18N[lang][key] !== undefined ? I18N[lang][key] : key);
  const locale = () => (lang === 'zh' ? 'zh-CN' : 'en-GB');
  const money = (v) => v == null ? '—' : compact(v);
  const price = (v) => v == null ? '—' : Number(v).toFixed(2);
  const pct = (v, digits = 1) => v == null ? '—' : (v * 100).toFixed(digits) + '%';

  /** Money on a wall: 万 / 亿 in Chinese, k / M / bn in English, three significant figures at least. */
  function compact(v) {
    const abs = Math.abs(v);
    if (lang === 'zh') {
      if (abs >= 1e8) { return (v / 1e8).toFixed(2) + '亿'; }
      if (abs >= 1e4) { return (v / 1e4).toFixed(abs >= 1e7 ? 0 : 1) + '万'; }
      return v.toFixed(0);
    }
    if (abs >= 1e9) { return (v / 1e9).toFixed(2) + 'bn'; }
    if (abs >= 1e6) { return (v / 1e6).toFixed(2) + 'M'; }
    if (abs >= 1e3) { return (v / 1e3).toFixed(1) + 'k'; }
    return v.toFixed(0);
  }

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
    // a wall screen (display token) comes back by itself after a power cut
    return sessionStorage.getItem('gp.token') || localStorage.getItem('gp.displayToken');
  }

  /**
   * A display token (subject display:…) lives a week; the wall renews it itself when less than five
   * days are left (checked hourly), with no keyboard, until the display is revoked.
   */
  async function renewDisplay() {
    const c = claims(token);
    if (!token || !String(c.sub || '').startsWith('display:')) { return; }
    localStorage.setItem('gp.displayToken', token);
    if (c.exp * 1000 - Date.now() > 5 * 86400e3) { return; }
    try {
      const response = await fetch('/api/v1/displays/renew', { method: 'POST', headers: headers() });
      if (response.ok) {
        token = (await response.json()).token;
        sessionStorage.setItem('gp.token', token);
        localStorage.setItem('gp.displayToken', token);
      } else if (response.status === 401 || response.status === 403) {
        localStorage.removeItem('gp.displayToken');   // revoked: the next 4401 shows the login
      }
    } catch (e) { /* tried again in an hour */ }
  }

  function showLogin(message) {
    $('#login').hidden = false;
    $('#login-error').textContent = message || '';
  }

  const regulatorView = () => token && !claims(token).bank;
  const headers = () => ({ Authorization: 'Bearer ' + token });
  const getJson = (path) => fetch(path, { headers: headers() }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  const todayStart = () => {
    // the trading day is Asia/Shanghai's (UTC+8, no daylight saving)
    const now = new Date(Date.now() + 8 * 3600e3);
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 8 * 3600e3);
  };

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
      const response = await fetch('/api/v1/instruments', { headers: headers() });
      if (response.status === 401) { logout(t('badToken')); return; }
      instruments = (await response.json()).items;
    } catch (e) { instruments = []; }
    const regulator = regulatorView();
    $('#worst-panel').hidden = regulator;
    $('#banks-panel').hidden = !regulator;
    $('#system-panel').hidden = !regulator;
    $('#concentration-panel').hidden = regulator;
    document.querySelector('.middle').classList.toggle('regulator', regulator);
    buildPriceCards();
    connect();
    timers.forEach(clearInterval);
    timers = [setInterval(loadTrend, 15 * 60e3), setInterval(livePoint, 60e3), setInterval(renewDisplay, 3600e3)];
    renewDisplay();
    loadTrend();
    loadCandles();
    // a first live point once the snapshot has come: a wall started before any stored snapshot of
    // today still draws its trend from the start
    setTimeout(livePoint, 5000);
    if (regulator) { loadSystem(); timers.push(setInterval(loadSystem, 30e3)); }
  }

  /** Today's book at each stored 15-minute snapshot, then a live point a minute. */
  async function loadTrend() {
    try {
      const body = await getJson('/api/v1/portfolio/trend');
      const byTime = new Map();
      for (const p of body.items) {   // the regulator's: every bank at each time, summed here
        const at = Date.parse(p.at);
        const sum = byTime.get(at) || { at, outstanding: 0, marketValue: 0, eligibleValue: 0, cashMargin: 0,
          statuses: { HEALTHY: 0, WARNING: 0, MARGIN_CALL: 0, DISPOSAL: 0 } };
        sum.outstanding += p.outstanding; sum.marketValue += p.marketValue;
        sum.eligibleValue += p.eligibleValue; sum.cashMargin += p.cashMargin;
        for (const s of STATUSES) { sum.statuses[s] += (p.byStatus && p.byStatus[s]) || 0; }
        byTime.set(at, sum);
      }
      const stored = [...byTime.values()].sort((a, b) => a.at - b.at);
      stored.forEach((p) => { p.coverage = p.outstanding > 0 ? (p.marketValue + p.cashMargin) / p.outstanding : null; });
      const live = trend.filter((p) => p.live && (!stored.length || p.at > stored[stored.length - 1].at));
      trend = stored.concat(live).slice(-MAX_TREND);
      baseline = stored.length ? stored[0] : baseline;
      schedule();
    } catch (e) { /* kept: the last figures stay until the next load */ }
  }

  function livePoint() {
    const totals = bookTotals();
    if (!totals.count) { return; }
    trend.push({ at: Date.now(), live: true, coverage: totals.coverage, outstanding: totals.outstanding,
      marketValue: totals.marketValue, eligibleValue: totals.eligibleValue });
    if (trend.length > MAX_TREND) { trend.splice(0, trend.length - MAX_TREND); }
    if (!baseline) { baseline = trend[0]; }
    schedule();
  }

  /** Today's trades per instrument (1-minute closes), so the sparklines are full from the start. */
  async function loadCandles() {
    const from = todayStart().toISOString();
    await Promise.all(instruments.map(async (i) => {
      try {
        const body = await getJson('/api/v1/prices/' + encodeURIComponent(i.id) + '/candles?interval=1m&from=' + encodeURIComponent(from));
        const entry = prices.get(i.id) || { points: [] };
        const history = body.items.map((c) => [Date.parse(c.start), Number(c.close)]);
        const after = history.length ? history[history.length - 1][0] : 0;
        entry.points = history.concat(entry.points.filter((p) => p[0] > after)).slice(-MAX_POINTS);
        prices.set(i.id, entry);
      } catch (e) { /* the sparkline fills live */ }
    }));
    schedule();
  }

  async function loadSystem() {
    try {
      const [exposure, shared, conflicts] = await Promise.all([
        getJson('/api/v1/system/exposure'), getJson('/api/v1/system/borrowers'), getJson('/api/v1/registry/conflicts')]);
      system = { exposure: exposure.items || [], shared: (shared.items || []).length, conflicts: (conflicts.items || []).length };
      schedule();
    } catch (e) { /* kept until the next load */ }
  }

  function connect() {
    if (client) { client.close(); }
    client = new GreenPledgeClient({
      url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws',
      // a function: a display's renewed token is sent on the open socket before the old one expires
      token: () => token, lastAlertSeq, initialDelayMillis: 1000
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
    const before = entry.data;
    entry.data = item.data;
    const trade = Number(item.data.lastTrade);
    if (item.data.lastTrade != null && (!before || before.lastTradeAt !== item.data.lastTradeAt)) {
      entry.points.push([Date.parse(item.data.lastTradeAt) || Date.now(), trade]);
      if (entry.points.length > MAX_POINTS) { entry.points.splice(0, entry.points.length - MAX_POINTS); }
    }
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
    const totals = bookTotals();
    renderHeader();
    renderBand(totals);
    renderPrices();
    if (regulatorView()) { renderBanks(); renderSystem(); } else { renderWorst(); renderConcentration(totals); }
    renderTrend();
    renderAlerts();
    renderCalls();
  }

  /** The whole book in view, exact in fen as the API sums it. */
  function bookTotals() {
    let outstanding = 0, mv = 0, eligible = 0, cash = 0, count = 0;
    const statuses = { HEALTHY: 0, WARNING: 0, MARGIN_CALL: 0, DISPOSAL: 0 };
    const byInstrument = new Map();
    valuations.forEach((v) => {
      count += 1;
      outstanding += Math.round(v.outstanding * 100);
      mv += Math.round(v.marketValue * 100);
      eligible += Math.round(v.eligibleValue * 100);
      cash += Math.round((v.cashMargin || 0) * 100);
      statuses[v.status] += 1;
      byInstrument.set(v.instrument, (byInstrument.get(v.instrument) || 0) + Math.round(v.eligibleValue * 100));
    });
    return { count, statuses, byInstrument, outstanding: outstanding / 100, marketValue: mv / 100, eligibleValue: eligible / 100,
      coverage: outstanding > 0 ? (mv + cash) / outstanding : null, eligibleFen: eligible };
  }

  function renderHeader() {
    let last = 0;
    prices.forEach((e) => { const at = e.data && Date.parse(e.data.lastTradeAt); if (at > last) { last = at; } });
    const el = $('#tick-age');
    el.textContent = last ? age(Date.now() - last) : '—';
    el.classList.toggle('old', last > 0 && Date.now() - last > 5 * 60e3);
  }

  function age(millis) {
    const s = Math.max(0, Math.round(millis / 1000));
    if (s < 60) { return s + 's'; }
    if (s < 3600) { return Math.floor(s / 60) + t('minutes'); }
    if (s < 86400) { return Math.floor(s / 3600) + t('hours') + Math.floor((s % 3600) / 60) + t('minutes'); }
    return Math.floor(s / 86400) + t('days');
  }

  function setText(el, text) { if (el.textContent !== text) { el.textContent = text; } }

  function renderBand(totals) {
    const tile = (key) => document.querySelector('#band .tile[data-key="' + key + '"]');
    const delta = (key, now, then, format) => {
      const el = tile(key).querySelector('.delta');
      if (then == null || now == null) { setText(el, ''); el.className = 'delta'; return; }
      const d = now - then;
      setText(el, t('today') + ' ' + (d >= 0 ? '+' : '−') + format(Math.abs(d)));
      el.className = 'delta ' + (d > 0 ? 'up' : d < 0 ? 'down' : '');
    };
    setText(tile('outstanding').querySelector('.value'), money(totals.outstanding));
    setText(tile('marketValue').querySelector('.value'), money(totals.marketValue));
    setText(tile('eligibleValue').querySelector('.value'), money(totals.eligibleValue));
    setText(tile('coverage').querySelector('.value'), pct(totals.coverage));
    delta('outstanding', totals.outstanding, baseline && baseline.outstanding, money);
    delta('marketValue', totals.marketValue, baseline && baseline.marketValue, money);
    delta('eligibleValue', totals.eligibleValue, baseline && baseline.eligibleValue, money);
    delta('coverage', totals.coverage, baseline && baseline.coverage, (d) => (d * 100).toFixed(1) + 'pt');
    let due = 0, openedToday = 0;
    const start = todayStart().getTime();
    calls.forEach((c) => { due += Math.round(Number(c.amountDue) * 100); if (Date.parse(c.openedAt) >= start) { openedToday += 1; } });
    setText(tile('callsDue').querySelector('.value'), money(due / 100));
    setText(tile('callsDue').querySelector('.delta'), calls.size + ' · ' + t('openedToday') + ' ' + openedToday);
    for (const s of STATUSES) {
      setText(document.querySelector('#band .counts b[data-status="' + s + '"]'), String(totals.statuses[s]));
    }
    // how many more (or fewer) pledges are past the warning line than at the first snapshot of today
    const past = (m) => m.WARNING + m.MARGIN_CALL + m.DISPOSAL;
    delta('statuses', past(totals.statuses), baseline && baseline.statuses ? past(baseline.statuses) : null, String);
    tile('statuses').querySelector('.delta').className = 'delta';
  }

  /** The ten pledges closest to a worse line, or past them: worst status first, then the smallest move. */
  function renderWorst() {
    const rank = (v) => {
      const move = v.distanceToNextLine && v.distanceToNextLine.priceMove != null ? Math.abs(v.distanceToNextLine.priceMove) : -1;
      return [SEVERITY[v.status], move, v.coverage == null ? 1e9 : v.coverage];
    };
    const worst = [...valuations.values()].map((v) => ({ v, r: rank(v) }))
      .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || (a.v.pledgeId < b.v.pledgeId ? -1 : 1))
      .slice(0, WORST).map((x) => x.v);
    const body = $('#worst tbody');
    const rows = new Map([...body.children].map((row) => [row.dataset.pledge, row]));
    worst.forEach((v, index) => {
      let row = rows.get(v.pledgeId);
      if (!row) {
        row = document.createElement('tr');
        row.dataset.pledge = v.pledgeId;
        for (let i = 0; i < 6; i++) { row.appendChild(document.createElement('td')); }
      }
      rows.delete(v.pledgeId);
      row.dataset.status = v.status;
      const info = detail(v);
      const next = v.distanceToNextLine;
      const cells = row.children;
      setText(cells[0], info.borrower || v.pledgeId);
      setText(cells[1], v.instrument);
      setText(cells[2], pct(v.coverage));
      setText(cells[3], next ? t('status.' + next.status) + ' ' + pct(Number(next.line), 0) : t('pastLines'));
      setText(cells[4], next && next.priceMove != null ? (next.priceMove * 100).toFixed(1) + '%' : '—');
      cells[4].className = 'move';
      setText(cells[5], info.since == null ? '…' : info.since === 0 ? t('beforeToday') : age(Date.now() - info.since));
      // moved into place only when out of place: rows that keep their rank are not touched
      if (body.children[index] !== row) { body.insertBefore(row, body.children[index] || null); }
    });
    rows.forEach((row) => row.remove());
  }

  /**
   * Who borrows against a pledge and since when it is in its status (today's stored history: the
   * last entry in another status), fetched once per pledge and status, bounded.
   */
  function detail(v) {
    let info = details.get(v.pledgeId);
    if (info && info.status === v.status) { return info; }
    info = { borrower: info && info.borrower, status: v.status, since: null };
    details.set(v.pledgeId, info);
    if (details.size > MAX_DETAILS) { details.delete(details.keys().next().value); }
    const id = encodeURIComponent(v.pledgeId);
    if (!info.borrower) {
      getJson('/api/v1/pledges/' + id).then((p) => { info.borrower = p.borrower; schedule(); }).catch(() => {});
    }
    getJson('/api/v1/pledges/' + id + '/valuations?limit=500&from=' + encodeURIComponent(todayStart().toISOString()))
      .then((h) => {
        const items = h.items || [];
        let since = 0;
        let changed = false;
        for (let i = items.length - 1; i >= 0; i--) {
          const entry = items[i].valuation;
          if (entry.status !== v.status) { changed = true; break; }
          since = Date.parse(entry.valuedAt);
        }
        info.since = changed ? since : 0;   // 0: the status held all day (or since before today)
        schedule();
      }).catch(() => { info.since = 0; });
    return info;
  }

  function renderConcentration(totals) {
    const box = $('#concentration');
    const shares = [...totals.byInstrument.entries()].map(([id, fen]) => [id, totals.eligibleFen > 0 ? fen / totals.eligibleFen : 0])
      .sort((a, b) => b[1] - a[1]).slice(0, 9);
    while (box.children.length > shares.length) { box.lastChild.remove(); }
    shares.forEach(([id, share], index) => {
      let bar = box.children[index];
      if (!bar) {
        bar = document.createElement('div');
        bar.className = 'bar';
        bar.innerHTML = '<span class="id"></span><span class="track"><span class="fill"></span></span><span class="share"></span>';
        box.appendChild(bar);
      }
      bar.dataset.instrument = id;
      setText(bar.querySelector('.id'), id);
      setText(bar.querySelector('.share'), pct(share));
      const fill = bar.querySelector('.fill');
      fill.style.width = (share * 100).toFixed(1) + '%';
      fill.classList.toggle('high', share > 0.4);
    });
  }

  function renderTrend() {
    const box = $('#trend');
    if (!window.echarts || !box.clientHeight) { return; }
    if (!trendChart) {
      trendChart = echarts.init(box, null, { renderer: 'canvas' });
      const fontSize = Math.round(window.innerHeight * 0.016);
      trendChart.setOption({
        animation: false, grid: { left: fontSize * 3.6, right: fontSize, top: fontSize, bottom: fontSize * 1.8 },
        xAxis: { type: 'time', axisLabel: { color: '#9fc2b0', fontSize }, splitLine: { show: false } },
        yAxis: { type: 'value', axisLabel: { color: '#9fc2b0', fontSize, formatter: (v) => (v * 100).toFixed(0) + '%' },
          splitLine: { lineStyle: { color: '#1f3b2e' } } },
        series: [{ type: 'line', showSymbol: false, lineStyle: { width: 3, color: '#3ddc84' }, data: [] }]
      });
    }
    const data = trend.filter((p) => p.coverage != null).map((p) => [p.at, p.coverage]);
    const values = data.map((p) => p[1]);
    const [min, max] = range(values, 0.05);   // a 1-point move on a 150 % book is not a cliff
    trendChart.setOption({ yAxis: { min, max }, series: [{ data }] });
  }

  /** An axis range around the values at least {@code span} wide (a share of their middle). */
  function range(values, span) {
    if (!values.length) { return [undefined, undefined]; }
    const lo = Math.min(...values), hi = Math.max(...values);
    const mid = (lo + hi) / 2, half = Math.max((hi - lo) / 2 * 1.1, Math.abs(mid) * span / 2);
    return [mid - half, mid + half];
  }

  function renderBanks() {
    const byBank = new Map();
    valuations.forEach((v) => {
      const b = byBank.get(v.bank) || { pledges: 0, outstanding: 0, mv: 0, cash: 0 };
      b.pledges += 1; b.outstanding += Math.round(v.outstanding * 100); b.mv += Math.round(v.marketValue * 100);
      b.cash += Math.round((v.cashMargin || 0) * 100);
      byBank.set(v.bank, b);
    });
    const openByBank = new Map();
    calls.forEach((c) => openByBank.set(c.bank, (openByBank.get(c.bank) || 0) + 1));
    const body = $('#banks tbody');
    const banks = [...byBank.keys()].sort();
    while (body.children.length > banks.length) { body.lastChild.remove(); }
    banks.forEach((bank, index) => {
      let row = body.children[index];
      if (!row) { row = document.createElement('tr'); for (let i = 0; i < 6; i++) { row.appendChild(document.createElement('td')); } body.appendChild(row); }
      const b = byBank.get(bank);
      row.dataset.bank = bank;
      const cells = row.children;
      setText(cells[0], bank);
      setText(cells[1], String(b.pledges));
      setText(cells[2], money(b.outstanding / 100));
      setText(cells[3], money(b.mv / 100));
      setText(cells[4], pct(b.outstanding > 0 ? (b.mv + b.cash) / b.outstanding : null));
      setText(cells[5], String(openByBank.get(bank) || 0));
    });
    setText($('#shared-count'), String(system.shared));
    setText($('#conflict-count'), String(system.conflicts));
  }

  function renderSystem() {
    const body = $('#system-exposure');
    const rows = system.exposure.slice(0, 9);
    while (body.children.length > rows.length) { body.lastChild.remove(); }
    rows.forEach((e, index) => {
      let row = body.children[index];
      if (!row) { row = document.createElement('tr'); for (let i = 0; i < 4; i++) { row.appendChild(document.createElement('td')); } body.appendChild(row); }
      row.dataset.instrument = e.instrument;
      const cells = row.children;
      setText(cells[0], e.instrument);
      setText(cells[1], money(e.marketValue));
      setText(cells[2], e.daysToLiquidate == null ? '—' : e.daysToLiquidate + ' ' + t('daysToLiquidate'));
      setText(cells[3], e.banks.length + ' ' + t('banks'));
    });
  }

  function buildPriceCards() {
    const grid = $('#prices .price-grid');
    charts.forEach((chart) => chart.dispose());
    charts.clear();
    grid.innerHTML = '';
    for (const i of instruments.slice(0, 9)) {
      const card = document.createElement('div');
      card.className = 'price-card';
      card.dataset.instrument = i.id;
      card.innerHTML = '<div class="id"></div><div class="basis"></div><div class="spark"></div>' +
        '<div class="side"><span class="mark key">—</span><span class="change"></span><span class="stale-badge"></span></div>';
      card.querySelector('.id').textContent = i.id;
      card.title = lang === 'zh' ? i.name : i.nameEn;
      grid.appendChild(card);
    }
    // Charts are created once the cards have their size, so each canvas fits its own card.
    requestAnimationFrame(() => instruments.slice(0, 9).forEach((i) => createSparkline(i.id)));
  }

  function createSparkline(id) {
    const card = document.querySelector('.price-card[data-instrument="' + id + '"]');
    if (!card || !window.echarts) { return; }
    const spark = card.querySelector('.spark');
    const chart = echarts.init(spark, null, { renderer: 'canvas', width: spark.clientWidth, height: spark.clientHeight });
    chart.setOption({
      animation: false, grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: 'time', show: false }, yAxis: { type: 'value', show: false },
      series: [{ type: 'line', showSymbol: false, lineStyle: { width: 2, color: '#3ddc84' }, data: [] }]
    });
    charts.set(id, chart);
    schedule();
  }

  function renderPrices() {
    prices.forEach((entry, id) => {
      const card = document.querySelector('.price-card[data-instrument="' + id + '"]');
      if (!card) { return; }
      const d = entry.data;
      if (d) {
        card.classList.toggle('stale', !!d.stale);
        setText(card.querySelector('.mark'), price(d.mark));
        setText(card.querySelector('.basis'), t('basis.' + d.basis));
        // the change is the mark's, on the mark's basis, against the previous close (as the API serves it)
        const change = card.querySelector('.change');
        setText(change, d.change == null ? '' : (d.change >= 0 ? '+' : '') + (d.change * 100).toFixed(2) + '%');
        change.className = 'change ' + (d.change > 0 ? 'up' : d.change < 0 ? 'down' : '');
        const since = Date.parse(d.lastTradeAt);
        setText(card.querySelector('.stale-badge'), t('stale') + (since ? ' ' + age(Date.now() - since) : ''));
      }
      const chart = charts.get(id);
      if (chart) {
        card.dataset.points = String(entry.points.length);
        const [min, max] = range(entry.points.map((p) => p[1]), 0.02);   // at least ±1 % of the price
        chart.setOption({ yAxis: { min, max }, series: [{ data: entry.points }] });
      }
    });
  }

  /** Worse: red (disposal, double pledge) or orange; better or live again: green; the rest neutral. */
  function tone(a) {
    if (a.kind === 'STATUS_CHANGE') {
      if (a.data.direction === 'IMPROVED') { return 'better'; }
      return a.data.to === 'DISPOSAL' ? 'worst' : 'worse';
    }
    if (a.kind === 'MARGIN_CALL') {
      return CALL_CLOSED.includes(a.data.to) ? 'better' : a.data.to === 'ESCALATED' || a.data.to === 'OVERDUE' ? 'worst' : 'worse';
    }
    if (a.kind === 'FRESH') { return 'better'; }
    if (a.kind === 'DOUBLE_PLEDGE') { return 'worst'; }
    if (a.kind === 'CONCENTRATION') { return a.data.state === 'CLEARED' ? 'better' : 'worse'; }
    if (a.kind === 'STALE') { return 'worse'; }
    return 'neutral';
  }

  function renderAlerts() {
    const list = $('#alerts');
    const shown = alerts.slice(0, 12);
    const key = (a) => a.bank + ':' + a.seq;
    if (list.dataset.keys === shown.map(key).join(',') && list.dataset.lang === lang) { return; }
    list.dataset.keys = shown.map(key).join(',');
    list.dataset.lang = lang;
    list.innerHTML = '';
    for (const a of shown) {
      const li = document.createElement('li');
      li.dataset.kind = a.kind;
      li.dataset.seq = a.seq;
      li.dataset.tone = tone(a);
      const tag = document.createElement('span');
      tag.className = 'tag tone-' + tone(a);
      tag.textContent = a.kind === 'STATUS_CHANGE' ? t('status.' + a.data.to) : t('kind.' + a.kind);
      const time = document.createElement('time');
      time.textContent = new Date(a.occurredAt).toLocaleTimeString(locale());
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = (regulatorView() ? a.bank + ' · ' : '') + describe(a);
      li.append(time, tag, text);
      list.appendChild(li);
    }
  }

  function describe(a) {
    if (a.kind === 'MARGIN_CALL') {
      return (a.pledgeId || '') + ' ' + (a.instrument || '') + ' ' + t('kind.MARGIN_CALL') + ' #' + a.data.callId +
        ' ' + t('call.' + a.data.to) + ' · ' + Number(a.data.amountDue).toLocaleString(locale(),
          { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' CNY';
    }
    if (a.kind === 'CONCENTRATION') {
      return t('kind.CONCENTRATION') + ' ' + a.data.limit + ' ' + a.data.key + ' ' +
        (a.data.figure == null ? '—' : a.data.figure) + ' / ' + a.data.max +
        (a.data.state === 'CLEARED' ? ' ✓' : ' (' + a.data.pledgeIds.length + ')');
    }
    if (a.kind === 'STATUS_CHANGE') {
      return (a.data.borrower || a.pledgeId || '') + ' ' + (a.instrument || '') + ' ' + t('status.' + a.data.from) + ' → ' +
        t('status.' + a.data.to) + ' · ' + t('coverage') + ' ' + (a.data.coverage * 100).toFixed(1) + '%';
    }
    return (a.instrument || '') + ' ' + (a.pledgeId || '') + ' ' + t('kind.' + a.kind);
  }

  /** Open calls, overdue and escalated first, then by due time; and the approvals waiting. */
  function renderCalls() {
    const now = Date.now();
    const pending = [...requests.values()].filter((r) => Date.parse(r.expiresAt) > now).length;
    setText($('#approvals-count'), String(pending));
    const rank = (c) => (c.state === 'ESCALATED' ? 0 : c.state === 'OVERDUE' ? 1 : 2);
    const open = [...calls.values()].sort((a, b) => rank(a) - rank(b) || Date.parse(a.dueAt) - Date.parse(b.dueAt));
    setText($('#calls-count'), open.length ? '(' + open.length + ')' : '');
    const list = $('#calls');
    const shown = open.slice(0, 8);
    const keys = shown.map((c) => c.id + ':' + c.version).join(',') + '|' + lang;
    if (list.dataset.keys === keys) { return; }
    list.dataset.keys = keys;
    list.innerHTML = '';
    if (!shown.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t('noCalls');
      list.appendChild(li);
      return;
    }
    for (const c of shown) {
      const li = document.createElement('li');
      li.dataset.call = c.id;
      li.dataset.state = c.state;
      const tag = document.createElement('span');
      tag.className = 'tag ' + (c.state === 'ESCALATED' || c.state === 'OVERDUE' ? 'tone-worst' : 'tone-worse');
      tag.textContent = t('call.' + c.state);
      const what = document.createElement('span');
      what.className = 'what';
      what.textContent = (regulatorView() ? c.bank + ' · ' : '') + c.pledgeId + ' ' + c.instrument;
      const amount = document.createElement('span');
      amount.className = 'amount';
      // what the borrower owes is shown to the fen, as the call states it
      amount.textContent = t('amountDue') + ' ' + Number(c.amountDue).toLocaleString(locale(),
        { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const due = document.createElement('time');
      due.textContent = t('due') + ' ' + new Date(c.dueAt).toLocaleString(locale(),
        { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
      li.append(tag, what, amount, due);
      list.appendChild(li);
    }
  }

  function logout(message) {
    token = null;
    sessionStorage.removeItem('gp.token');
    localStorage.removeItem('gp.displayToken');
    timers.forEach(clearInterval);
    timers = [];
    if (client) { const closing = client; client = null; closing.close(); }
    setConnection('down');
    showLogin(message);
  }

  setInterval(() => { $('#clock').textContent = new Date().toLocaleTimeString(locale()); renderHeader(); }, 1000);
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
  window.addEventListener('resize', () => { charts.forEach((chart) => chart.resize()); trendChart && trendChart.resize(); });

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
