// A naive broadcaster on Node's `ws`, the second baseline of PushLoad (--node true): every tick the
// feed sends becomes one frame, encoded once and written to every desk socket. Like the bare Vert.x
// broadcaster, a socket whose send buffer is over 64 KiB (Netty's default high-water mark) is
// skipped for that frame rather than queued without bound.
//
//   node server.js [port]     prints "listening <port>" once it accepts connections
//
// Desks connect to any path; the feed connects to /feed and sends JSON arrays of
// {"instrument", "price", "ms"}.
'use strict';
const { WebSocketServer } = require('ws');

const HIGH_WATER = 64 * 1024;
const port = Number(process.argv[2] || 0);
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
const desks = new Set();

server.on('connection', (socket, request) => {
  if (request.url === '/feed') {
    socket.on('message', (data) => {
      for (const tick of JSON.parse(data)) {
        const frame = Buffer.from(
          JSON.stringify({
            type: 'update',
            items: [
              { channel: 'prices:' + tick.instrument, ts: tick.ms, data: { lastTrade: tick.price } },
            ],
          }),
        );
        for (const desk of desks) {
          if (desk.readyState === 1 && desk.bufferedAmount < HIGH_WATER) {
            desk.send(frame, { binary: false });
          }
        }
      }
    });
    return;
  }
  desks.add(socket);
  socket.on('close', () => desks.delete(socket));
  socket.on('error', () => desks.delete(socket));
});

server.on('listening', () => console.log('listening ' + server.address().port));
