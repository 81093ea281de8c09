package org.hopseal.core.channel.x3dh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Json;
import org.hopseal.core.vectors.VectorOutcome;

/**
 * Replays X3DH vectors ({@code {"cases": [...]}}, see {@code tools/x3dh/make_vectors.py}): verifies the bundle's
 * signed-prekey signature with the bundle's identity key, recomputes DH1..DH4 and SK from Alice's side and from Bob's
 * side, and AD, and compares them with the file. Cases with an identity key format Hopseal does not offer are
 * skipped with that reason.
 */
public final class X3dhVectorRunner {
    private final Vaults vaults;

    public X3dhVectorRunner(Vaults vaults) {
        this.vaults = vaults;
    }

    @SuppressWarnings("unchecked")
    public List<VectorOutcome> runFile(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        List<VectorOutcome> out = new ArrayList<>();
        List<Object> cases = (List<Object>) root.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            out.add(run(i, (Map<String, Object>) cases.get(i)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    VectorOutcome run(int index, Map<String, Object> c) {
        if (!"curve25519".equals(c.get("identity_key_format"))) {
            return VectorOutcome.skipped("case " + index, "identity key format '" + c.get("identity_key_format")
                    + "' is not offered (Hopseal's X3DH identity keys are X25519 keys signing with XEdDSA)");
        }
        HashAlgorithm hash = switch (String.valueOf(c.get("hash"))) {
            case "sha256" -> HashAlgorithm.SHA256;
            case "sha512" -> HashAlgorithm.SHA512;
            default -> null;
        };
        if (hash == null) {
            return VectorOutcome.skipped("case " + index, "hash '" + c.get("hash") + "' is not offered");
        }
        Map<String, Object> bob = (Map<String, Object>) c.get("bob");
        Map<String, Object> alice = (Map<String, Object>) c.get("alice");
        Map<String, Object> bundle = (Map<String, Object>) c.get("bundle");
        Map<String, Object> header = (Map<String, Object>) c.get("header");
        List<KeyHandle> created = new ArrayList<>();
        var vault = vaults.channel();
        try {
            PublicKey ikB = x((String) bundle.get("identity_key"));
            PublicKey spkB = x((String) bundle.get("signed_pre_key"));
            try {
                vaults.verifier().verify(ikB, spkB.bytes(), hex((String) bundle.get("signed_pre_key_sig")));
            } catch (AuthenticationFailedException e) {
                return VectorOutcome.failed("case " + index, "the signed prekey signature does not verify");
            }
            List<Object> preKeys = (List<Object>) bundle.get("pre_keys");
            PublicKey opkB = preKeys.isEmpty() ? null : x((String) preKeys.get(0));
            AgreementKeyHandle ikA = imported(alice.get("identity_priv_x25519"), created);
            AgreementKeyHandle ekA = imported(alice.get("ephemeral_priv"), created);
            List<SecretHandle> aliceDh = X3dh.initiatorDh(vault, ikA, ekA, ikB, spkB, opkB);
            created.addAll(aliceDh);
            AgreementKeyHandle ikBPriv = imported(bob.get("identity_priv_x25519"), created);
            AgreementKeyHandle spkBPriv = imported(bob.get("signed_pre_key_priv"), created);
            AgreementKeyHandle opkBPriv = bob.get("one_time_pre_key_priv") == null ? null : imported(bob.get("one_time_pre_key_priv"), created);
            PublicKey ikAPub = x((String) header.get("identity_key"));
            PublicKey ekAPub = x((String) header.get("ephemeral_key"));
            List<SecretHandle> bobDh = X3dh.responderDh(vault, ikBPriv, spkBPriv, opkBPriv, ikAPub, ekAPub);
            created.addAll(bobDh);
            List<Object> expectedDh = (List<Object>) c.get("dh");
            if (expectedDh.size() != aliceDh.size()) {
                return VectorOutcome.failed("case " + index, "expected " + expectedDh.size() + " DH values, computed " + aliceDh.size());
            }
            for (int i = 0; i < aliceDh.size(); i++) {
                byte[] want = hex((String) expectedDh.get(i));
                if (!Arrays.equals(export(aliceDh.get(i)), want) || !Arrays.equals(export(bobDh.get(i)), want)) {
                    return VectorOutcome.failed("case " + index, "DH" + (i + 1) + " differs");
                }
            }
            byte[] info = ((String) c.get("info")).getBytes(StandardCharsets.UTF_8);
            SecretHandle skA = X3dh.sharedSecret(vault, hash, aliceDh, info);
            created.add(skA);
            SecretHandle skB = X3dh.sharedSecret(vault, hash, bobDh, info);
            created.add(skB);
            byte[] sk = hex((String) c.get("shared_secret"));
            if (!Arrays.equals(export(skA), sk) || !Arrays.equals(export(skB), sk)) {
                return VectorOutcome.failed("case " + index, "SK differs");
            }
            if (!Arrays.equals(X3dh.associatedData(vault.publicKey(ikA), ikB), hex((String) c.get("associated_data")))) {
                return VectorOutcome.failed("case " + index, "AD differs");
            }
            return VectorOutcome.passed("case " + index);
        } catch (HopsealException | RuntimeException e) {
            return VectorOutcome.failed("case " + index, e.toString());
        } finally {
            for (KeyHandle h : created) {
                try {
                    vault.delete(h);
                } catch (HopsealException ignored) {
                    // already gone
                }
            }
        }
    }

    private AgreementKeyHandle imported(Object hexKey, List<KeyHandle> created) throws HopsealException {
        AgreementKeyHandle h = vaults.channel().importAgreementKey(KeyType.X25519, hex((String) hexKey), Persistence.EPHEMERAL);
        created.add(h);
        return h;
    }

    private byte[] export(SecretHandle h) throws HopsealException {
        return vaults.channel().exportSecret(h, InsecureSecretAccess.get());
    }

    private static PublicKey x(String hex) {
        return new PublicKey(KeyType.X25519, hex(hex));
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
