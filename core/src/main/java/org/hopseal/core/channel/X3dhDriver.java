package org.hopseal.core.channel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.core.channel.x3dh.X3dh;

/**
 * Signal's X3DH as a channel handshake (the interactive form: the listener publishes a bundle on request).
 *
 * <ol>
 *   <li>Initiator → listener: bundle request.</li>
 *   <li>Responder → initiator: IK_B, SPK_B with its XEdDSA signature by IK_B, a one-time prekey OPK_B, and Bob's
 *   identity (history, attestation of IK_B, proof bound to the bundle).</li>
 *   <li>The initiator verifies the SPK signature before anything else, then Bob's identity and its trust policy;
 *   computes SK from DH1..DH4 (HKDF-SHA256, info {@value #INFO}); and sends IK_A, EK_A, the SPK and OPK it used, and
 *   its own identity encrypted under the new key with AD = IK_A || IK_B.</li>
 *   <li>The responder consumes the one-time prekey (a reused one is rejected), derives SK, decrypts, verifies, and
 *   confirms like a Noise channel.</li>
 * </ol>
 * Channel keys: {@code HKDF-SHA256(salt = 32 zero bytes, SK, "hopseal/x3dh/channel/1")} split into
 * initiator→responder and responder→initiator AES-256-GCM keys; the initiator's identity uses nonce 0 of its key.
 */
final class X3dhDriver implements HandshakeDriver {
    static final String INFO = "Hopseal X3DH";
    private static final byte[] CHANNEL_INFO = "hopseal/x3dh/channel/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUNDLE_CONTEXT = "hopseal/x3dh/bundle/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INITIAL_CONTEXT = "hopseal/x3dh/initial/1".getBytes(StandardCharsets.US_ASCII);

    private enum Phase { START, AWAITING_BUNDLE, AWAITING_INITIAL, DONE }

    private final boolean initiator;
    private final Vaults vaults;
    private final SecureChannelVault vault;
    private final AgreementKeyHandle identityKey;
    private final PeerCheck check;
    private final PrekeyStore store;
    private Phase phase;
    private byte[] bundleBytes;
    /** Responder: the id of the one-time prekey this exchange's bundle offered. */
    private long offeredPrekey = -1;

    private X3dhDriver(boolean initiator, Vaults vaults, AgreementKeyHandle identityKey, PeerCheck check, PrekeyStore store) {
        this.initiator = initiator;
        this.vaults = vaults;
        this.vault = vaults.channel();
        this.identityKey = identityKey;
        this.check = check;
        this.store = store;
        this.phase = initiator ? Phase.AWAITING_BUNDLE : Phase.START;
    }

    static X3dhDriver initiator(Vaults vaults, AgreementKeyHandle identityKey, PeerCheck check) {
        return new X3dhDriver(true, vaults, identityKey, check, null);
    }

    static X3dhDriver responder(Vaults vaults, PrekeyStore store, PeerCheck check) {
        return new X3dhDriver(false, vaults, store.identityKey(), check, store);
    }

    @Override
    public String protocol() {
        return "X3DH";
    }

    @Override
    public byte[] start() {
        return initiator ? ChannelFrame.x3dh(new byte[] {X3dhMessages.REQUEST}) : null;
    }

    @Override
    public Step onFrame(ChannelFrame frame) throws HopsealException {
        if (frame.type() != ChannelFrame.X3DH) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "unexpected message in an X3DH handshake");
        }
        try {
            int kind = X3dhMessages.kind(frame.body());
            if (phase == Phase.START && kind == X3dhMessages.REQUEST) {
                return publishBundle();
            }
            if (phase == Phase.AWAITING_BUNDLE && kind == X3dhMessages.BUNDLE) {
                return answerBundle(X3dhMessages.decodeBundle(frame.body()), frame.body());
            }
            if (phase == Phase.AWAITING_INITIAL && kind == X3dhMessages.INITIAL) {
                return acceptInitial(X3dhMessages.decodeInitial(frame.body()));
            }
        } catch (DecodeException e) {
            throw new HandshakeException(ErrorKind.INVALID, "malformed X3DH message: " + e.getMessage(), e);
        }
        throw new HandshakeException(ErrorKind.PROTOCOL, "X3DH message out of turn");
    }

    private Step publishBundle() throws HopsealException {
        PrekeyStore.SignedPrekey spk = store.signedPrekey();
        PrekeyStore.OneTimePrekey handedOut = store.handOut();
        offeredPrekey = handedOut.id();
        byte[] core = X3dhMessages.Bundle.core(vault.publicKey(identityKey), spk.publicKey(), spk.signature(), handedOut.id(), handedOut.publicKey());
        byte[] payload = check.payload(binding(BUNDLE_CONTEXT, core), false);
        bundleBytes = new X3dhMessages.Bundle(core, null, null, null, null, null, payload).encode();
        phase = Phase.AWAITING_INITIAL;
        return Step.reply(ChannelFrame.x3dh(bundleBytes));
    }

    private Step answerBundle(X3dhMessages.Bundle b, byte[] bytes) throws HopsealException {
        // The signed prekey's signature is checked before anything else (Ockam's X3DH never enforced it).
        try {
            vaults.verifier().verify(b.ik(), b.spk().bytes(), b.spkSignature());
        } catch (AuthenticationFailedException e) {
            throw new HandshakeException(ErrorKind.AUTHENTICATION, "the bundle's signed prekey signature does not verify");
        }
        VerifiedPeer peer = check.verify(b.identityPayload(), binding(BUNDLE_CONTEXT, b.core()), b.ik(), false);
        PublicKey ikA = vault.publicKey(identityKey);
        AgreementKeyHandle ek = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        List<SecretHandle> temporary = new ArrayList<>();
        try {
            temporary.addAll(X3dh.initiatorDh(vault, identityKey, ek, b.ik(), b.spk(), b.opk()));
            CipherState[] keys = channelKeys(temporary);
            boolean established = false;
            try {
                byte[] header = X3dhMessages.Initial.header(ikA, vault.publicKey(ek), b.spk(), b.opkId());
                byte[] identity = check.payload(binding(INITIAL_CONTEXT, bytes, header), true);
                byte[] ciphertext = keys[0].encryptWithAd(X3dh.associatedData(ikA, b.ik()), identity);
                phase = Phase.DONE;
                byte[] initial = new X3dhMessages.Initial(header, null, null, null, null, ciphertext).encode();
                established = true;
                return new Step(List.of(ChannelFrame.x3dh(initial)), new Established(keys[0], keys[1], peer));
            } finally {
                if (!established) {
                    destroy(keys);
                }
            }
        } finally {
            deleteAll(temporary);
            vault.delete(ek);
        }
    }

    private Step acceptInitial(X3dhMessages.Initial i) throws HopsealException {
        PrekeyStore.SignedPrekey spk = store.signedPrekey();
        if (!i.spk().equals(spk.publicKey())) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "the initial message names an unknown signed prekey");
        }
        if (i.opkId() == null) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "the initial message uses no one-time prekey, though the bundle offered one");
        }
        // The one-time prekey must be the one this exchange's bundle offered: another handed-out one is refused
        // before it is consumed, so a party on the path cannot burn prekeys offered to others.
        if (i.opkId() != offeredPrekey) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "the initial message names a one-time prekey this exchange did not offer");
        }
        // Each one-time prekey serves one exchange: a replayed or reused one is unknown to the store by now.
        PrekeyStore.OneTimePrekey opk = store.consume(i.opkId());
        List<SecretHandle> temporary = new ArrayList<>();
        try {
            temporary.addAll(X3dh.responderDh(vault, identityKey, spk.key(), opk.key(), i.ik(), i.ek()));
            CipherState[] keys = channelKeys(temporary);
            boolean established = false;
            try {
                byte[] identity;
                try {
                    identity = keys[0].decryptWithAd(X3dh.associatedData(i.ik(), vault.publicKey(identityKey)), i.ciphertext());
                } catch (AuthenticationFailedException e) {
                    throw new HandshakeException(ErrorKind.AUTHENTICATION, "the X3DH initial message failed to authenticate");
                }
                VerifiedPeer peer = check.verify(identity, binding(INITIAL_CONTEXT, bundleBytes, i.header()), i.ik(), true);
                phase = Phase.DONE;
                established = true;
                return new Step(List.of(), new Established(keys[1], keys[0], peer));
            } finally {
                if (!established) {
                    destroy(keys);
                }
            }
        } finally {
            deleteAll(temporary);
            vault.delete(opk.key());
        }
    }

    /** Destroys both channel keys of an exchange that failed after making them (a refused identity, say). */
    private static void destroy(CipherState[] keys) throws VaultException {
        keys[0].destroy();
        keys[1].destroy();
    }

    /** SK from the DH outputs in {@code temporary} (added to it), then {initiator→responder, responder→initiator}. */
    private CipherState[] channelKeys(List<SecretHandle> temporary) throws HopsealException {
        SecretHandle sk = X3dh.sharedSecret(vault, HashAlgorithm.SHA256, List.copyOf(temporary), INFO.getBytes(StandardCharsets.UTF_8));
        temporary.add(sk);
        SecretHandle salt = vault.importSecret(new byte[32]);
        temporary.add(salt);
        List<SecretHandle> halves = vault.hkdf(HashAlgorithm.SHA256, salt, sk, CHANNEL_INFO, List.of(32, 32));
        temporary.addAll(halves);
        return new CipherState[] {
            CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(halves.get(0), AeadAlgorithm.AES_256_GCM)),
            CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(halves.get(1), AeadAlgorithm.AES_256_GCM))};
    }

    private void deleteAll(List<SecretHandle> handles) {
        for (SecretHandle h : handles) {
            try {
                vault.delete(h);
            } catch (HopsealException ignored) {
                // already gone
            }
        }
    }

    private byte[] binding(byte[] context, byte[]... parts) throws HopsealException {
        byte[][] all = new byte[parts.length + 1][];
        all[0] = context;
        System.arraycopy(parts, 0, all, 1, parts.length);
        return vaults.verifier().hash(HashAlgorithm.SHA256, all);
    }

    @Override
    public void destroy() {
        // Ephemeral keys and DH outputs are deleted as soon as they are used; a handed-out prekey stays in the store.
    }
}
