package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;

/** The X3DH messages inside channel frames: kinds, layouts, and what a decoder refuses. */
class X3dhMessagesTest {
    private static PublicKey key(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return new PublicKey(KeyType.X25519, b);
    }

    @Test
    void theKindsAreZeroOneTwo() throws Exception {
        assertThat(new int[] {X3dhMessages.REQUEST, X3dhMessages.BUNDLE, X3dhMessages.INITIAL}).containsExactly(0, 1, 2);
        assertThat(X3dhMessages.kind(new byte[] {(byte) 0xFE})).isEqualTo(254);
        assertThatThrownBy(() -> X3dhMessages.kind(new byte[0])).isInstanceOf(DecodeException.class).hasMessage("empty X3DH message");
    }

    @Test
    void aBundleWithAOneTimePrekeyRoundTripsAndItsCoreExcludesTheIdentityPayload() throws Exception {
        byte[] sig = new byte[64];
        sig[63] = 9;
        byte[] core = X3dhMessages.Bundle.core(key(1), key(2), sig, 0xFFFF_FFFFL, key(3));
        byte[] encoded = new X3dhMessages.Bundle(core, null, null, null, null, null, new byte[] {4, 5}).encode();
        X3dhMessages.Bundle b = X3dhMessages.decodeBundle(encoded);
        assertThat(b.ik()).isEqualTo(key(1));
        assertThat(b.spk()).isEqualTo(key(2));
        assertThat(b.spkSignature()).isEqualTo(sig);
        assertThat(b.opkId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(b.opk()).isEqualTo(key(3));
        assertThat(b.identityPayload()).containsExactly(4, 5);
        assertThat(b.core()).isEqualTo(core);
        assertThat(encoded).startsWith(core);
        assertThat(encoded[0]).isEqualTo((byte) X3dhMessages.BUNDLE);
    }

    @Test
    void aBundleWithoutAOneTimePrekeyRoundTrips() throws Exception {
        byte[] core = X3dhMessages.Bundle.core(key(1), key(2), new byte[64], null, null);
        X3dhMessages.Bundle b = X3dhMessages.decodeBundle(new X3dhMessages.Bundle(core, null, null, null, null, null, new byte[0]).encode());
        assertThat(b.opkId()).isNull();
        assertThat(b.opk()).isNull();
        assertThat(b.identityPayload()).isEmpty();
        assertThat(b.core()).isEqualTo(core);
    }

    @Test
    void anInitialMessageRoundTripsWithAndWithoutAPrekeyId() throws Exception {
        byte[] header = X3dhMessages.Initial.header(key(1), key(2), key(3), 7L);
        X3dhMessages.Initial i = X3dhMessages.decodeInitial(new X3dhMessages.Initial(header, null, null, null, null, new byte[] {1, 2, 3}).encode());
        assertThat(i.ik()).isEqualTo(key(1));
        assertThat(i.ek()).isEqualTo(key(2));
        assertThat(i.spk()).isEqualTo(key(3));
        assertThat(i.opkId()).isEqualTo(7L);
        assertThat(i.ciphertext()).containsExactly(1, 2, 3);
        assertThat(i.header()).isEqualTo(header);
        byte[] noOpk = X3dhMessages.Initial.header(key(1), key(2), key(3), null);
        X3dhMessages.Initial j = X3dhMessages.decodeInitial(new X3dhMessages.Initial(noOpk, null, null, null, null, new byte[0]).encode());
        assertThat(j.opkId()).isNull();
        assertThat(j.header()).isEqualTo(noOpk);
    }

    @Test
    void aMessageOfTheWrongKindIsRefused() {
        byte[] initial = new X3dhMessages.Initial(X3dhMessages.Initial.header(key(1), key(2), key(3), 1L), null, null, null, null,
                new byte[0]).encode();
        byte[] bundle = new X3dhMessages.Bundle(X3dhMessages.Bundle.core(key(1), key(2), new byte[64], null, null), null, null, null,
                null, null, new byte[0]).encode();
        assertThatThrownBy(() -> X3dhMessages.decodeBundle(initial)).isInstanceOf(DecodeException.class).hasMessage("not an X3DH bundle");
        assertThatThrownBy(() -> X3dhMessages.decodeInitial(bundle)).isInstanceOf(DecodeException.class)
                .hasMessage("not an X3DH initial message");
    }

    @Test
    void keysOfAnyLengthButThirtyTwoAreRefused() {
        byte[] shortKey = new BareWriter().writeU8(X3dhMessages.BUNDLE).writeData(new byte[31]).writeData(new byte[32]).writeData(new byte[64])
                .writeU8(0).writeData(new byte[0]).toByteArray();
        assertThatThrownBy(() -> X3dhMessages.decodeBundle(shortKey)).isInstanceOf(DecodeException.class)
                .hasMessage("X3DH public keys are 32 bytes, not 31");
        byte[] longKey = new BareWriter().writeU8(X3dhMessages.INITIAL).writeData(new byte[32]).writeData(new byte[33]).writeData(new byte[32])
                .writeU8(0).writeData(new byte[0]).toByteArray();
        assertThatThrownBy(() -> X3dhMessages.decodeInitial(longKey)).isInstanceOf(DecodeException.class)
                .hasMessage("X3DH public keys are 32 bytes, not 33");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] bundle = new X3dhMessages.Bundle(X3dhMessages.Bundle.core(key(1), key(2), new byte[64], null, null), null, null, null,
                null, null, new byte[0]).encode();
        byte[] initial = new X3dhMessages.Initial(X3dhMessages.Initial.header(key(1), key(2), key(3), null), null, null, null, null,
                new byte[0]).encode();
        assertThatThrownBy(() -> X3dhMessages.decodeBundle(Arrays.copyOf(bundle, bundle.length + 1))).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> X3dhMessages.decodeInitial(Arrays.copyOf(initial, initial.length + 1))).isInstanceOf(DecodeException.class);
    }
}
