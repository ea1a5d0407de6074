// GreenPledge desk client: an ES module, no build step, for browsers and Node (pass a WebSocket
// implementation, e.g. the `ws` package). It speaks the protocol of /asyncapi.yaml: the auth frame
// and token refresh, subscriptions with options (maxFrequency, fields, delta), delta merge with gap
// detection, alerts resumed after a reconnect with no gap and no duplicate, a ping that keeps the
// socket alive, and reconnects with jittered exponential backoff (honouring a `reconnect` frame).
//
//   import { GreenPledgeClient } from 'https://gateway.example/client/greenpledge.js';
//   const client = new GreenPledgeClient({ url: 'wss://gateway.example/ws', token: () => fetchToken() });
//   client.subscribe(['prices', 'valuations'], { delta: true, maxFrequency: 1 });
//   client.subscribe(['alerts']);
//   client.on('item', (item) => console.log(item.type, item.data));   // data always whole
//   client.on('state', (state) => console.log(state));                 // connecting, up, down, stopped
//   client.connect();

const BANK_CHANNELS = ['alerts', 'calls', 'change-requests'];

export class GreenPledgeClient {
  /**
   * @param {object} options
   * @param {string} options.url the gateway's /ws address
   * @param {string|function(): (string|Promise<string>)} options.token a JWT, or a function that
   *   returns a fresh one (then the client refreshes it on the open socket before it expires, and
   *   asks again after a 4401)
   * @param {function} [options.WebSocket] the WebSocket class (globalThis.WebSocket by default)
   * @param {number} [options.lastAlertSeq] the alert cursor already seen, resumed from (a bank's
   *   alert seq; the regulator's: the alert id); read it back from client.lastAlertSeq
   * @param {number} [options.initialDelayMillis] first reconnect delay (500)
   * @param {number} [options.maxDelayMillis] longest reconnect delay (30000)
   * @param {number} [options.pingMillis] ping interval (20000)
   */
  constructor(options) {
    this.url = options.url;
    this.tokenSource = options.token;
    this.Socket = options.WebSocket || globalThis.WebSocket;
    this.lastAlertSeq = options.lastAlertSeq || 0;
    this.initialDelay = options.initialDelayMillis ?? 500;
    this.maxDelay = options.maxDelayMillis ?? 30000;
    this.pingMillis = options.pingMillis ?? 20000;
    this.handlers = new Map();
    this.subscriptions = new Map(); // channel -> options
    this.keys = new Map(); // "price:CEA" -> { v, data }
    this.delay = this.initialDelay;
    this.suggested = 0;
    this.state = 'down';
    this.stopped = false;
    this.socket = null;
    this.timers = { ping: null, refresh: null, retry: null };
  }

  /** Events: item, snapshot (channel), frame, state, error (frame), reconnect (frame), close (event). */
  on(event, handler) {
    if (!this.handlers.has(event)) { this.handlers.set(event, []); }
    this.handlers.get(event).push(handler);
    return this;
  }

  emit(event, value) {
    for (const handler of this.handlers.get(event) || []) { handler(value); }
  }

  /** Subscribes now if connected, and again after every reconnect. */
  subscribe(channels, options = {}) {
    for (const channel of channels) { this.subscriptions.set(channel, options); }
    if (this.state === 'up') { this.sendSubscribe(channels, options); }
    return this;
  }

  unsubscribe(channels) {
    for (const channel of channels) { this.subscriptions.delete(channel); }
    if (this.state === 'up') { this.send({ op: 'unsubscribe', channels }); }
    return this;
  }

  connect() {
    this.stopped = false;
    this.open();
    return this;
  }

  /** Closes for good: no reconnect. */
  close() {
    this.stopped = true;
    this.clearTimers();
    if (this.socket) { this.socket.close(1000, 'bye'); }
    this.setState('stopped');
  }

  async token() {
    return typeof this.tokenSource === 'function' ? await this.tokenSource() : this.tokenSource;
  }

  open() {
    this.setState('connecting');
    const socket = new this.Socket(this.url);
    this.socket = socket;
    socket.onopen = async () => {
      try {
        this.send({ op: 'auth', token: await this.token() });
      } catch (e) {
        socket.close(4000, 'no token');
      }
    };
    socket.onmessage = (event) => this.onFrame(JSON.parse(typeof event.data === 'string' ? event.data : event.data.toString()));
    socket.onclose = (event) => this.onClose(event);
    socket.onerror = () => {};
  }

  send(frame) {
    if (this.socket && this.socket.readyState === 1) { this.socket.send(JSON.stringify(frame)); }
  }

  sendSubscribe(channels, options) {
    const frame = { op: 'subscribe', channels, ...options };
    if (channels.includes('alerts') && this.lastAlertSeq > 0) { frame.resume = { alerts: this.lastAlertSeq }; }
    this.send(frame);
  }

  /** Every subscription again, grouped by options (one frame per group, at most 16 channels each). */
  resubscribe() {
    const groups = new Map();
    for (const [channel, options] of this.subscriptions) {
      const key = JSON.stringify(options);
      if (!groups.has(key)) { groups.set(key, { options, channels: [] }); }
      groups.get(key).channels.push(channel);
    }
    for (const { options, channels } of groups.values()) {
      for (let i = 0; i < channels.length; i += 16) { this.sendSubscribe(channels.slice(i, i + 16), options); }
    }
  }

  onFrame(frame) {
    switch (frame.type) {
      case 'authenticated': {
        const first = this.state !== 'up';
        this.bank = frame.bank;   // null: the regulator, whose alert cursor is the global id
        this.setState('up');
        this.delay = this.initialDelay;
        this.scheduleRefresh(frame.expiresAt);
        if (first) {
          clearInterval(this.timers.ping);
          this.timers.ping = setInterval(() => this.send({ op: 'ping' }), this.pingMillis);
          this.resubscribe();
        }
        break;
      }
      case 'snapshot':
        this.emit('snapshot', frame.channel);
        if (frame.channel !== 'alerts' && !BANK_CHANNELS.includes(frame.channel)) { this.forget(frame.channel); }
        frame.items.forEach((item) => this.onItem(item));
        if (frame.channel === 'alerts' && frame.lastSeq !== undefined) {
          this.lastAlertSeq = Math.max(this.lastAlertSeq, frame.lastSeq);
        }
        break;
      case 'update':
        frame.items.forEach((item) => this.onItem(item));
        break;
      case 'reconnect':
        this.suggested = frame.afterMillis || 0;
        this.emit('reconnect', frame);
        break;
      case 'error':
        this.emit('error', frame);
        break;
      default:
        break;
    }
    this.emit('frame', frame);
  }

  /** A snapshot replaces what was held of its channel. */
  forget(channel) {
    const type = channel === 'valuations' ? 'valuation:' : 'price:';
    const only = channel.startsWith('prices:') ? 'price:' + channel.slice(7) : null;
    for (const key of [...this.keys.keys()]) {
      if (only ? key === only : key.startsWith(type)) { this.keys.delete(key); }
    }
  }

  onItem(item) {
    if (item.type === 'alert') {
      // A bank's cursor is its alerts' gap-free seq; the regulator's the global id.
      const cursor = this.bank ? item.seq : item.data.id;
      if (cursor <= this.lastAlertSeq) { return; }   // already seen before a reconnect
      this.lastAlertSeq = cursor;
      this.emit('item', item);
      return;
    }
    if (item.type !== 'price' && item.type !== 'valuation') { this.emit('item', item); return; }
    const key = item.type + ':' + (item.type === 'price' ? item.data.instrument : item.data.pledgeId);
    let data = item.data;
    if (item.base !== undefined) {
      const held = this.keys.get(key);
      if (!held || held.v !== item.base) {
        // A change was missed: a fresh snapshot of the channel that carries this key.
        this.resnapshot(item);
        return;
      }
      data = Object.assign({}, held.data, item.data);
    }
    this.keys.set(key, { v: item.v, data });
    this.emit('item', { ...item, data });
  }

  resnapshot(item) {
    const own = 'prices:' + item.data.instrument;
    const channel = item.type === 'valuation' ? 'valuations' : this.subscriptions.has(own) ? own : 'prices';
    if (this.subscriptions.has(channel)) { this.sendSubscribe([channel], this.subscriptions.get(channel)); }
  }

  /** Refreshes the token on the open socket a minute before it expires (if it can get a new one). */
  scheduleRefresh(expiresAt) {
    clearTimeout(this.timers.refresh);
    if (typeof this.tokenSource !== 'function' || !expiresAt) { return; }
    const wait = Date.parse(expiresAt) - Date.now() - 60000;
    if (wait > 0 && wait < 2147483647) {
      this.timers.refresh = setTimeout(async () => {
        try { this.send({ op: 'auth', token: await this.token() }); } catch (e) { /* retried at 4401 */ }
      }, wait);
    }
  }

  onClose(event) {
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.refresh);
    this.socket = null;
    this.emit('close', event);
    if (this.stopped) { return; }
    if (event.code === 4403 || (event.code === 4401 && typeof this.tokenSource !== 'function')) {
      this.setState('stopped');   // a token that cannot be renewed here: the application decides
      return;
    }
    this.setState('down');
    // Full jitter on the backoff, never sooner than the gateway suggested.
    const wait = Math.max(this.suggested, Math.random() * this.delay);
    this.suggested = 0;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    this.timers.retry = setTimeout(() => this.open(), wait);
  }

  clearTimers() {
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.refresh);
    clearTimeout(this.timers.retry);
  }

  setState(state) {
    if (this.state !== state) {
      this.state = state;
      this.emit('state', state);
    }
  }

  /** The latest whole data of every price and valuation key held. */
  get(type, id) {
    const held = this.keys.get(type + ':' + id);
    return held ? held.data : undefined;
  }
}
