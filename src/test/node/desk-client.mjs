// A desk on the gateway's own JavaScript client (/client/greenpledge.js), run by Node for DrainIT:
// subscribes to alerts and prints one JSON line per event it sees, so the test can check that the
// client reconnects after a drain and resumes with no lost and no repeated alert.
//   CLIENT=<path of greenpledge.js> WS=<path of ws/wrapper.mjs> URL=ws://… TOKEN=… node desk-client.mjs
import { pathToFileURL } from 'node:url';

const { GreenPledgeClient } = await import(pathToFileURL(process.env.CLIENT).href);
const { WebSocket } = await import(pathToFileURL(process.env.WS).href);
const print = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const client = new GreenPledgeClient({
  url: process.env.URL,
  token: process.env.TOKEN,
  WebSocket,
  initialDelayMillis: 200,
  maxDelayMillis: 2000
});
client.on('state', (state) => print({ event: 'state', state }));
client.on('reconnect', (frame) => print({ event: 'reconnect', afterMillis: frame.afterMillis }));
client.on('close', (event) => print({ event: 'close', code: event.code }));
client.on('item', (item) => {
  if (item.type === 'alert') { print({ event: 'alert', seq: item.seq, kind: item.data.kind }); }
});
client.subscribe(['alerts']);
client.connect();
process.stdin.on('end', () => { client.close(); process.exit(0); });
process.stdin.resume();
