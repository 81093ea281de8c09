package org.hopseal.core.channel.noise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Json;
import org.hopseal.core.vectors.VectorOutcome;

/**
 * Replays Noise test vectors in the cacophony JSON layout (also used by snow and noise-c) through the engine and a
 * vault. A vector passes when every handshake and transport ciphertext is byte-exact in both directions, every
 * payload decrypts back, and the handshake hash matches where the file gives one. A vector is skipped only for a
 * named reason. Vectors of {@code hfs} patterns fix their KEM key by its seed ({@code init_kem_ephemeral}, FIPS 203's
 * {@code d || z}) and the encapsulation's randomness ({@code resp_kem_randomness}, FIPS 203's {@code m}).
 *
 * <p>Thread safety: not thread safe.
 */
public final class NoiseVectorRunner {
    private final Vaults vaults;

    public NoiseVectorRunner(Vaults vaults) {
        this.vaults = vaults;
    }

    /** Runs every vector of a file's text. */
    @SuppressWarnings("unchecked")
    public List<VectorOutcome> runFile(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        List<VectorOutcome> out = new ArrayList<>();
        for (Object v : (List<Object>) root.get("vectors")) {
            out.add(run((Map<String, Object>) v));
        }
        return out;
    }

    /** Runs one vector. */
    @SuppressWarnings("unchecked")
    public VectorOutcome run(Map<String, Object> v) {
        String name = (String) (v.containsKey("protocol_name") ? v.get("protocol_name") : v.get("name"));
        if (name == null) {
            return VectorOutcome.skipped("?", "the vector has no protocol name");
        }
        if (name.startsWith("NoisePSK_")) {
            return VectorOutcome.skipped(name, "obsolete pre-revision-31 PSK scheme");
        }
        if (v.containsKey("hybrid") || name.contains("fallback")) {
            return VectorOutcome.skipped(name, "fallback/hybrid patterns are not supported");
        }
        NoiseProtocol protocol;
        try {
            protocol = NoiseProtocol.parse(name);
        } catch (IllegalArgumentException e) {
            return VectorOutcome.skipped(name, e.getMessage());
        }
        List<KeyHandle> created = new ArrayList<>();
        try {
            HandshakeState init = side(HandshakeState.initiator(protocol, vaults.channel(), vaults.verifier()), protocol, v, "init_", created);
            HandshakeState resp = side(HandshakeState.responder(protocol, vaults.channel(), vaults.verifier()), protocol, v, "resp_", created);
            List<Object> messages = (List<Object>) v.get("messages");
            HandshakeState.TransportKeys initKeys = null;
            HandshakeState.TransportKeys respKeys = null;
            for (int i = 0; i < messages.size(); i++) {
                Map<String, Object> m = (Map<String, Object>) messages.get(i);
                byte[] payload = hex(m.get("payload"));
                byte[] expected = hex(m.get("ciphertext"));
                boolean fromInitiator = protocol.pattern().oneWay() || i % 2 == 0;
                byte[] ciphertext;
                byte[] received;
                if (initKeys == null) {
                    HandshakeState sender = fromInitiator ? init : resp;
                    HandshakeState receiver = fromInitiator ? resp : init;
                    ciphertext = sender.writeMessage(payload);
                    received = receiver.readMessage(ciphertext);
                    if (init.action() == HandshakeState.Action.SPLIT) {
                        initKeys = init.split();
                        respKeys = resp.split();
                        if (v.containsKey("handshake_hash")) {
                            byte[] h = hex(v.get("handshake_hash"));
                            if (!Arrays.equals(initKeys.handshakeHash(), h) || !Arrays.equals(respKeys.handshakeHash(), h)) {
                                return VectorOutcome.failed(name, "handshake hash differs");
                            }
                        }
                    }
                } else {
                    CipherState send = fromInitiator ? initKeys.sender() : respKeys.sender();
                    CipherState recv = fromInitiator ? respKeys.receiver() : initKeys.receiver();
                    ciphertext = send.encryptWithAd(new byte[0], payload);
                    received = recv.decryptWithAd(new byte[0], ciphertext);
                }
                if (!Arrays.equals(ciphertext, expected)) {
                    return VectorOutcome.failed(name, "message " + i + ": ciphertext differs");
                }
                if (!Arrays.equals(received, payload)) {
                    return VectorOutcome.failed(name, "message " + i + ": payload differs after decryption");
                }
            }
            if (initKeys != null) {
                for (CipherState c : List.of(initKeys.sender(), initKeys.receiver(), respKeys.sender(), respKeys.receiver())) {
                    c.destroy();
                }
            }
            return VectorOutcome.passed(name);
        } catch (HopsealException | RuntimeException e) {
            return VectorOutcome.failed(name, e.toString());
        } finally {
            for (KeyHandle h : created) {
                try {
                    vaults.channel().delete(h);
                } catch (HopsealException ignored) {
                    // already gone
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private HandshakeState side(HandshakeState.Builder b, NoiseProtocol protocol, Map<String, Object> v, String prefix, List<KeyHandle> created)
            throws HopsealException {
        b.prologue(hex(v.getOrDefault(prefix + "prologue", "")));
        if (v.get(prefix + "static") != null) {
            AgreementKeyHandle s = vaults.channel().importAgreementKey(KeyType.X25519, hex(v.get(prefix + "static")), Persistence.EPHEMERAL);
            created.add(s);
            b.localStatic(s);
        }
        if (v.get(prefix + "ephemeral") != null) {
            AgreementKeyHandle e = vaults.channel().importAgreementKey(KeyType.X25519, hex(v.get(prefix + "ephemeral")), Persistence.EPHEMERAL);
            created.add(e);
            b.fixedEphemeral(e);
        }
        if (v.get(prefix + "kem_ephemeral") != null) {
            KemKeyHandle e1 = vaults.channel().importKemKey(protocol.kem(), hex(v.get(prefix + "kem_ephemeral")));
            created.add(e1);
            b.fixedKemKey(e1);
        }
        if (v.get(prefix + "kem_randomness") != null) {
            b.fixedEncapsulationRandomness(hex(v.get(prefix + "kem_randomness")));
        }
        if (v.get(prefix + "remote_static") != null) {
            b.remoteStatic(new PublicKey(KeyType.X25519, hex(v.get(prefix + "remote_static"))));
        }
        if (v.get(prefix + "psks") != null) {
            List<SecretHandle> psks = new ArrayList<>();
            for (Object p : (List<Object>) v.get(prefix + "psks")) {
                SecretHandle h = vaults.channel().importSecret(hex(p));
                created.add(h);
                psks.add(h);
            }
            b.psks(psks);
        }
        return b.build();
    }

    private static byte[] hex(Object o) {
        return HexFormat.of().parseHex((String) o);
    }
}
