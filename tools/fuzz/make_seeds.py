#!/usr/bin/env python3
"""Writes the starting inputs of Hopseal's fuzz tests (Jazzer's regression inputs live next to them).

Each target gets a few well-formed inputs, so that fuzzing starts deep inside the format rather than at its first
byte. Run from the repository root: python3 tools/fuzz/make_seeds.py
"""
import base64
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "x3dh"))
import make_vectors as ed  # RFC 8032 / RFC 7748 arithmetic, reused for signing seeds


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def data(b):
    return uleb(len(b)) + b


def string(s):
    return data(s.encode())


def ed25519_sign(seed, msg):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(ed.clamp(h[:32]), "little")
    A = ed.ed_encode(ed.ed_mul(a, ed.Bpt))
    r = int.from_bytes(hashlib.sha512(h[32:] + msg).digest(), "little") % ed.q
    R = ed.ed_encode(ed.ed_mul(r, ed.Bpt))
    k = int.from_bytes(hashlib.sha512(R + A + msg).digest(), "little") % ed.q
    return A, R + ((r + k * a) % ed.q).to_bytes(32, "little")


def write(path, name, content):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(content)


def main():
    api = "api/src/test/resources/org/hopseal/api/fuzz/TransportMessageFuzzTestInputs/decode"
    worked = b"\x01" + b"\x01\x00" + string("echoer") + b"\x01\x00" + string("app") + data(string("Hello Ockam!"))
    write(api, "worked-example", worked)
    write(api, "tcp-hop", b"\x01" + b"\x02\x01" + string("127.0.0.1:4000") + b"\x00" + string("echoer") + b"\x00" + data(b""))

    core = "core/src/test/resources/org/hopseal/core/fuzz/ParsersFuzzTestInputs/"
    write(core + "tcpFrame", "two-frames", (struct.pack(">I", len(worked)) + worked) * 2)
    write(core + "noiseResponderReadsMessage1", "m1", bytes(range(32)))
    write(core + "noiseResponderReadsMessage1", "m1-with-payload", bytes(range(32)) + b"payload")
    fragment = b"\x01" + uleb(7) + uleb(0) + uleb(2) + data(b"chunk")
    write(core + "channelFrame", "data-fragment", b"\x01" + (5).to_bytes(8, "big") + fragment)
    write(core + "channelFrame", "data-message", b"\x01" + (0).to_bytes(8, "big") + b"\x00" + worked)
    write(core + "channelFrame", "handshake", b"\x00" + bytes(48))

    seed = bytes(range(32))
    pub, _ = ed25519_sign(seed, b"")
    body = b"\x01" + uleb(0) + data(b"") + b"\x00" + data(pub)
    _, sig = ed25519_sign(seed, b"hopseal/identity-change/1" + body)
    history = b"\x01" + uleb(1) + data(body) + data(sig) + b"\x00"
    write(core + "identityHistory", "one-change", history)
    identifier = "I" + hashlib.sha256(body).hexdigest()
    statement = b"\x01" + string(identifier) + b"\x02" + data(bytes(32)) + (2**40).to_bytes(8, "little")
    write(core + "attestation", "statement", data(statement) + data(bytes(64)))
    bundle = b"\x01" + data(bytes(32)) + data(bytes(32)) + data(bytes(64)) + b"\x01" + (7).to_bytes(4, "little") + data(bytes(32)) + data(history)
    write(core + "x3dhMessages", "bundle", bundle)
    write(core + "x3dhMessages", "initial", b"\x02" + data(bytes(32)) * 3 + b"\x01" + (7).to_bytes(4, "little") + data(bytes(40)))

    # A credential by that identity about itself (its head is its identifier's hash: one change), and its text form.
    cbody = (b"\x01" + string(identifier) + data(history) + string(identifier) + data(hashlib.sha256(body).digest())
             + uleb(2) + string("env") + string("prod") + string("role") + string("web")
             + (2**31).to_bytes(8, "little") + (2**31 + 3600).to_bytes(8, "little"))
    _, csig = ed25519_sign(seed, b"hopseal/credential/1" + cbody)
    credential = data(cbody) + data(csig)
    write(core + "credential", "role-web", credential)
    text = "hopseal-credential:" + base64.urlsafe_b64encode(credential).decode().rstrip("=")
    write(core + "credentialText", "role-web", text.encode())
    write(core + "presentedCredentials", "two", uleb(2) + data(credential) * 2)

    vf = "vault-file/src/test/resources/org/hopseal/vault/file/VaultFileFuzzTestInputs/"
    header = b"HOPSEALV" + b"\x01\x01" + struct.pack(">II", 8, 1) + b"\x01" + bytes(16) + bytes(16) + bytes(12)
    write(vf + "open", "header-and-tag", header + bytes(16))
    contents = b"\x01" + uleb(1) + string("k1") + b"\x02" + data(bytes(32)) + uleb(1) + string("identity/x") + data(b"v")
    write(vf + "contents", "one-key-one-record", contents)


if __name__ == "__main__":
    main()
