package org.hopseal.core.channel.x3dh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;

/**
 * The key agreement of Signal's X3DH specification (section 3.3), on vault handles:
 * {@code DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), DH4 = DH(EK_A, OPK_B)} (when a one-time
 * prekey is used) and {@code SK = HKDF(salt = HASHLEN zero bytes, IKM = F || DH1 || DH2 || DH3 [|| DH4], info)} with
 * {@code F} 32 bytes of {@code 0xFF}; {@code AD = Encode(IK_A) || Encode(IK_B)}, Encode being the raw 32 bytes.
 * Every DH rejects low-order points (the vault refuses an all-zero result).
 */
public final class X3dh {
    /** The length of SK. */
    public static final int SK_LENGTH = 32;

    private X3dh() {
    }

    /** Alice's DH1..DH4 (the last only with a one-time prekey). The caller deletes the handles. */
    public static List<SecretHandle> initiatorDh(SecureChannelVault vault, AgreementKeyHandle ikA, AgreementKeyHandle ekA,
            PublicKey ikB, PublicKey spkB, PublicKey opkB) throws HopsealException {
        List<SecretHandle> dh = new ArrayList<>(4);
        try {
            dh.add(vault.agree(ikA, spkB));
            dh.add(vault.agree(ekA, ikB));
            dh.add(vault.agree(ekA, spkB));
            if (opkB != null) {
                dh.add(vault.agree(ekA, opkB));
            }
            return dh;
        } catch (HopsealException e) {
            delete(vault, dh);
            throw e;
        }
    }

    /** Bob's DH1..DH4, equal to Alice's. The caller deletes the handles. */
    public static List<SecretHandle> responderDh(SecureChannelVault vault, AgreementKeyHandle ikB, AgreementKeyHandle spkB,
            AgreementKeyHandle opkB, PublicKey ikA, PublicKey ekA) throws HopsealException {
        List<SecretHandle> dh = new ArrayList<>(4);
        try {
            dh.add(vault.agree(spkB, ikA));
            dh.add(vault.agree(ikB, ekA));
            dh.add(vault.agree(spkB, ekA));
            if (opkB != null) {
                dh.add(vault.agree(opkB, ekA));
            }
            return dh;
        } catch (HopsealException e) {
            delete(vault, dh);
            throw e;
        }
    }

    /** SK from the DH outputs. */
    public static SecretHandle sharedSecret(SecureChannelVault vault, HashAlgorithm hash, List<SecretHandle> dh, byte[] info)
            throws HopsealException {
        byte[] f = new byte[32];
        Arrays.fill(f, (byte) 0xFF);
        List<SecretHandle> temporary = new ArrayList<>();
        try {
            SecretHandle fHandle = vault.importSecret(f);
            temporary.add(fHandle);
            List<SecretHandle> parts = new ArrayList<>();
            parts.add(fHandle);
            parts.addAll(dh);
            SecretHandle ikm = vault.concatenate(parts);
            temporary.add(ikm);
            SecretHandle salt = vault.importSecret(new byte[hash.hashLength()]);
            temporary.add(salt);
            return vault.hkdf(hash, salt, ikm, info, List.of(SK_LENGTH)).get(0);
        } finally {
            delete(vault, temporary);
        }
    }

    /** {@code AD = Encode(IK_A) || Encode(IK_B)}. */
    public static byte[] associatedData(PublicKey ikA, PublicKey ikB) {
        byte[] a = ikA.bytes();
        byte[] b = ikB.bytes();
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void delete(SecureChannelVault vault, List<SecretHandle> handles) {
        for (SecretHandle h : handles) {
            try {
                vault.delete(h);
            } catch (HopsealException ignored) {
                // already gone
            }
        }
    }
}
