// An independent Noise peer for Hopseal's interop test: rweather's noise-c (the npm package noise-c.wasm) speaking
// the framing and the output lines of `hopseal noise`: every message is a 2-byte big-endian length and the bytes;
// the initiator sends ping-<k>, the responder answers echo:<payload>. Usage:
//   node noise-c-peer.js --role initiator|responder --proto NAME [--port P] [--remote-static HEX] [--payload HEX] [--count N]
'use strict';
const net = require('net');
const createNoise = require('noise-c.wasm');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

// Collects 2-byte-framed messages from a socket and hands them out one at a time.
function framedReader(socket) {
  let buffer = Buffer.alloc(0);
  const waiting = [];
  const ready = [];
  let ended = false;
  const pump = () => {
    while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
      const len = buffer.readUInt16BE(0);
      ready.push(new Uint8Array(buffer.subarray(2, 2 + len)));
      buffer = buffer.subarray(2 + len);
    }
    while (waiting.length && (ready.length || ended)) {
      waiting.shift()(ready.length ? ready.shift() : null);
    }
  };
  socket.on('data', (d) => { buffer = Buffer.concat([buffer, d]); pump(); });
  socket.on('end', () => { ended = true; pump(); });
  return () => new Promise((resolve) => { waiting.push(resolve); pump(); });
}

function send(socket, bytes) {
  const frame = Buffer.alloc(2 + bytes.length);
  frame.writeUInt16BE(bytes.length, 0);
  Buffer.from(bytes).copy(frame, 2);
  socket.write(frame);
}

createNoise((noise) => {
  const c = noise.constants;
  const initiator = args.role === 'initiator';
  const [priv, pub] = noise.CreateKeyPair(c.NOISE_DH_CURVE25519);
  console.log('LOCAL_STATIC_PUB ' + hex(pub));
  const run = async (socket) => {
    const read = framedReader(socket);
    const hs = new noise.HandshakeState(args.proto, initiator ? c.NOISE_ROLE_INITIATOR : c.NOISE_ROLE_RESPONDER);
    hs.Initialize(null, priv, args['remote-static'] ? unhex(args['remote-static']) : null, null);
    let first = true;
    for (;;) {
      const action = hs.GetAction();
      if (action === c.NOISE_ACTION_WRITE_MESSAGE) {
        send(socket, hs.WriteMessage(first && args.payload ? unhex(args.payload) : null));
        first = false;
      } else if (action === c.NOISE_ACTION_READ_MESSAGE) {
        const payload = hs.ReadMessage(await read(), true);
        if (payload && payload.length) {
          console.log('HS_PAYLOAD ' + hex(payload));
        }
      } else {
        break;
      }
    }
    const remote = hs.GetRemotePublicKey();
    if (remote) {
      console.log('REMOTE_STATIC_PUB ' + hex(remote));
    }
    console.log('HANDSHAKE_HASH ' + hex(hs.GetHandshakeHash()));
    const [sender, receiver] = hs.Split();
    const oneWay = /^Noise_[NKX]_/.test(args.proto);
    if (initiator) {
      const count = parseInt(args.count || '3', 10);
      for (let k = 0; k < count; k++) {
        send(socket, sender.EncryptWithAd(new Uint8Array(0), new Uint8Array(Buffer.from('ping-' + k))));
        if (!oneWay) {
          console.log('RECV ' + Buffer.from(receiver.DecryptWithAd(new Uint8Array(0), await read())).toString());
        }
      }
      socket.end();
    } else {
      for (;;) {
        const frame = await read();
        if (frame === null) {
          break;
        }
        const text = Buffer.from(receiver.DecryptWithAd(new Uint8Array(0), frame)).toString();
        console.log('RECV ' + text);
        if (!oneWay) {
          send(socket, sender.EncryptWithAd(new Uint8Array(0), new Uint8Array(Buffer.from('echo:' + text))));
        }
      }
    }
    console.log('DONE');
  };
  const fail = (e) => { console.error('noise-c peer: ' + e.message); process.exit(1); };
  if (initiator) {
    const socket = net.connect(parseInt(args.port, 10), '127.0.0.1', () => run(socket).then(() => process.exit(0), fail));
  } else {
    const server = net.createServer((socket) => { server.close(); run(socket).then(() => process.exit(0), fail); });
    server.listen(parseInt(args.port || '0', 10), '127.0.0.1', () => console.log('PORT ' + server.address().port));
  }
});
