#!/usr/bin/env python3
"""Makes X3DH test vectors for `hopseal vectors x3dh`, from Signal's X3DH and XEdDSA specifications.

An independent second computation: pure Python (RFC 7748 X25519 ladder, RFC 8032 Edwards arithmetic, RFC 5869
HKDF from hashlib/hmac), sharing no code with Hopseal's Java. Deterministic: keys and XEdDSA's Z come from a
seeded generator, so rerunning reproduces the committed file byte for byte.

    python3 tools/x3dh/make_vectors.py > core/src/test/resources/vectors/x3dh/x3dh-vectors.json
"""
import hashlib
import hmac
import json
import random

p = 2**255 - 19
q = 2**252 + 27742317777372353535851937790883648493
d = (-121665 * pow(121666, p - 2, p)) % p


def clamp(k):
    k = bytearray(k)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    return bytes(k)


def x25519(k, u):
    """RFC 7748, section 5."""
    k = int.from_bytes(clamp(k), "little")
    x1 = int.from_bytes(u, "little") & ((1 << 255) - 1)
    x2, z2, x3, z3, swap = 1, 0, x1, 1, 0
    for t in reversed(range(255)):
        kt = (k >> t) & 1
        swap ^= kt
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = kt
        a, b = (x2 + z2) % p, (x2 - z2) % p
        aa, bb = a * a % p, b * b % p
        e = (aa - bb) % p
        c, dd = (x3 + z3) % p, (x3 - z3) % p
        da, cb = dd * a % p, c * b % p
        x3 = (da + cb) ** 2 % p
        z3 = x1 * (da - cb) ** 2 % p
        x2 = aa * bb % p
        z2 = e * (aa + 121665 * e) % p
    if swap:
        x2, x3, z2, z3 = x3, x2, z3, z2
    return (x2 * pow(z2, p - 2, p) % p).to_bytes(32, "little")


def x25519_base(k):
    return x25519(k, (9).to_bytes(32, "little"))


# Edwards25519, extended coordinates (RFC 8032, section 5.1.4).
def ed_add(P, Q):
    A = (P[1] - P[0]) * (Q[1] - Q[0]) % p
    B = (P[1] + P[0]) * (Q[1] + Q[0]) % p
    C = 2 * P[3] * Q[3] * d % p
    D = 2 * P[2] * Q[2] % p
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F % p, G * H % p, F * G % p, E * H % p)


def ed_mul(s, P):
    Q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            Q = ed_add(Q, P)
        P = ed_add(P, P)
        s >>= 1
    return Q


def recover_x(y, sign):
    x2 = (y * y - 1) * pow(d * y * y + 1, p - 2, p)
    x = pow(x2, (p + 3) // 8, p)
    if (x * x - x2) % p != 0:
        x = x * pow(2, (p - 1) // 4, p) % p
    if (x & 1) != sign:
        x = p - x
    return x


By = 4 * pow(5, p - 2, p) % p
Bx = recover_x(By, 0)
Bpt = (Bx, By, 1, Bx * By % p)


def ed_encode(P):
    zi = pow(P[2], p - 2, p)
    x, y = P[0] * zi % p, P[1] * zi % p
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def ed_decode(b):
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = recover_x(y, sign)
    return (x, y, 1, x * y % p)


def sha512_int(*parts):
    return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "little")


def xeddsa_sign(k, msg, z):
    """XEdDSA specification, section 2.3 (calculate_key_pair) and 2.4 (xeddsa_sign)."""
    kk = int.from_bytes(clamp(k), "little") % q
    E = ed_mul(kk, Bpt)
    A = bytearray(ed_encode(E))
    negative = A[31] >> 7
    A[31] &= 0x7F
    a = (q - kk) % q if negative else kk
    prefix = b"\xfe" + b"\xff" * 31
    r = sha512_int(prefix, a.to_bytes(32, "little"), msg, z) % q
    R = ed_encode(ed_mul(r, Bpt))
    h = sha512_int(R, bytes(A), msg) % q
    s = (r + h * a) % q
    return R + s.to_bytes(32, "little")


def xeddsa_verify(u, msg, sig):
    uu = int.from_bytes(u, "little")
    if uu >= p:
        return False
    y = (uu - 1) * pow(uu + 1, p - 2, p) % p
    A = ed_decode(y.to_bytes(32, "little"))
    R, s = sig[:32], int.from_bytes(sig[32:], "little")
    if s >= q:
        return False
    h = sha512_int(R, ed_encode(A), msg) % q
    negA = ((p - A[0]) % p, A[1], A[2], (p - A[3]) % p)
    return ed_encode(ed_add(ed_mul(s, Bpt), ed_mul(h, negA))) == R


def hkdf(hash_name, salt, ikm, info, length):
    h = getattr(hashlib, hash_name)
    prk = hmac.new(salt, ikm, h).digest()
    okm, t, i = b"", b"", 1
    while len(okm) < length:
        t = hmac.new(prk, t + info + bytes([i]), h).digest()
        okm += t
        i += 1
    return okm[:length]


def encode_key(pub):
    """X3DH section 2.5: Encode(PK) is the raw 32-byte u-coordinate here (the runner's documented choice)."""
    return pub


def case(rng, info, hash_name, with_opk, fmt="curve25519"):
    key = lambda: bytes(rng.getrandbits(8) for _ in range(32))
    ik_b, spk_b, opk_b = key(), key(), key()
    ik_a, ek_a = key(), key()
    IK_B, SPK_B, OPK_B = x25519_base(ik_b), x25519_base(spk_b), x25519_base(opk_b)
    IK_A, EK_A = x25519_base(ik_a), x25519_base(ek_a)
    z = bytes(rng.getrandbits(8) for _ in range(64))
    sig = xeddsa_sign(ik_b, encode_key(SPK_B), z)
    assert xeddsa_verify(IK_B, encode_key(SPK_B), sig)
    dh = [x25519(ik_a, SPK_B), x25519(ek_a, IK_B), x25519(ek_a, SPK_B)]
    if with_opk:
        dh.append(x25519(ek_a, OPK_B))
    # Bob's side must agree.
    bob_dh = [x25519(spk_b, IK_A), x25519(ik_b, EK_A), x25519(spk_b, EK_A)] + ([x25519(opk_b, EK_A)] if with_opk else [])
    assert bob_dh == dh
    hash_len = 32 if hash_name == "sha256" else 64
    sk = hkdf(hash_name, b"\x00" * hash_len, b"\xff" * 32 + b"".join(dh), info.encode(), 32)
    c = {
        "info": info,
        "hash": hash_name,
        "identity_key_format": fmt,
        "bob": {"identity_priv_x25519": ik_b.hex(), "signed_pre_key_priv": spk_b.hex()},
        "alice": {"identity_priv_x25519": ik_a.hex(), "ephemeral_priv": ek_a.hex()},
        "bundle": {"identity_key": IK_B.hex(), "signed_pre_key": SPK_B.hex(), "signed_pre_key_sig": sig.hex(),
                   "pre_keys": [OPK_B.hex()] if with_opk else []},
        "header": {"identity_key": IK_A.hex(), "ephemeral_key": EK_A.hex(), "signed_pre_key": SPK_B.hex()},
        "dh": [x.hex() for x in dh],
        "shared_secret": sk.hex(),
        "associated_data": (encode_key(IK_A) + encode_key(IK_B)).hex(),
    }
    if with_opk:
        c["bob"]["one_time_pre_key_priv"] = opk_b.hex()
        c["header"]["pre_key"] = OPK_B.hex()
    return c


def main():
    rng = random.Random(20261125)
    cases = [
        case(rng, "Hopseal X3DH", "sha256", True),
        case(rng, "Hopseal X3DH", "sha256", False),
        case(rng, "MyProtocol", "sha512", True),
        case(rng, "MyProtocol", "sha512", False),
        case(rng, "", "sha256", True),
        case(rng, "Hopseal X3DH", "sha256", True, fmt="ed25519"),
    ]
    print(json.dumps({
        "source": "tools/x3dh/make_vectors.py: Signal X3DH (2016-11-04) and XEdDSA (2016-10-20) specifications, "
                  "computed in pure Python independently of Hopseal",
        "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
