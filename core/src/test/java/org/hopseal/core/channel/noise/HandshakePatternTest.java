package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KemAlgorithm;
import org.junit.jupiter.api.Test;

/** Patterns in the specification's notation, parsed into pre-messages and message token lists. */
class HandshakePatternTest {
    @Test
    void xxHasThreeMessagesAndNoPreMessages() {
        HandshakePattern xx = HandshakePattern.parse("XX");
        assertThat(xx.name()).isEqualTo("XX");
        assertThat(xx.initiatorPreMessage()).isEmpty();
        assertThat(xx.responderPreMessage()).isEmpty();
        assertThat(xx.messages()).containsExactly(List.of(Token.E), List.of(Token.E, Token.EE, Token.S, Token.ES),
                List.of(Token.S, Token.SE));
        assertThat(xx.oneWay()).isFalse();
        assertThat(xx.hasPsk()).isFalse();
        assertThat(xx.pskCount()).isZero();
    }

    @Test
    void preMessagesGoToTheSideThatSendsThem() {
        HandshakePattern nk = HandshakePattern.parse("NK");
        assertThat(nk.initiatorPreMessage()).isEmpty();
        assertThat(nk.responderPreMessage()).containsExactly(Token.S);
        assertThat(nk.messages()).containsExactly(List.of(Token.E, Token.ES), List.of(Token.E, Token.EE));
        HandshakePattern kk = HandshakePattern.parse("KK");
        assertThat(kk.initiatorPreMessage()).containsExactly(Token.S);
        assertThat(kk.responderPreMessage()).containsExactly(Token.S);
        HandshakePattern kn = HandshakePattern.parse("KN");
        assertThat(kn.initiatorPreMessage()).containsExactly(Token.S);
        assertThat(kn.responderPreMessage()).isEmpty();
        assertThat(kn.messages()).hasSize(2);
    }

    @Test
    void onlyTheOneLetterPatternsAreOneWay() {
        assertThat(HandshakePattern.parse("N").oneWay()).isTrue();
        assertThat(HandshakePattern.parse("K").oneWay()).isTrue();
        assertThat(HandshakePattern.parse("X").oneWay()).isTrue();
        assertThat(HandshakePattern.parse("X").messages()).containsExactly(List.of(Token.E, Token.ES, Token.S, Token.SS));
        assertThat(HandshakePattern.parse("NN").oneWay()).isFalse();
        assertThat(HandshakePattern.parse("X1X").oneWay()).isFalse();
        assertThat(HandshakePattern.parse("X1X").messages()).hasSize(4);
    }

    @Test
    void pskModifiersPutThePskTokenWhereTheyName() {
        HandshakePattern p0 = HandshakePattern.parse("NNpsk0");
        assertThat(p0.name()).isEqualTo("NNpsk0");
        assertThat(p0.messages().get(0)).containsExactly(Token.PSK, Token.E);
        HandshakePattern p2 = HandshakePattern.parse("NNpsk2");
        assertThat(p2.messages().get(1)).containsExactly(Token.E, Token.EE, Token.PSK);
        assertThat(p2.messages().get(0)).containsExactly(Token.E);
        HandshakePattern both = HandshakePattern.parse("NNpsk0+psk2");
        assertThat(both.messages()).containsExactly(List.of(Token.PSK, Token.E), List.of(Token.E, Token.EE, Token.PSK));
        assertThat(both.hasPsk()).isTrue();
        assertThat(both.pskCount()).isEqualTo(2);
        assertThat(HandshakePattern.parse("XXpsk3").messages().get(2)).containsExactly(Token.S, Token.SE, Token.PSK);
        assertThat(HandshakePattern.parse("Npsk1").messages().get(0)).containsExactly(Token.E, Token.ES, Token.PSK);
    }

    @Test
    void parsedPatternsDoNotShareTheirTokenLists() {
        HandshakePattern.parse("NNpsk0");
        assertThat(HandshakePattern.parse("NN").messages().get(0)).containsExactly(Token.E);
        assertThatThrownBy(() -> HandshakePattern.parse("NN").messages().get(0).add(Token.S)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unknownPatternsAndModifiersAreRefused() {
        assertThatThrownBy(() -> HandshakePattern.parse("QQ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported Noise pattern 'QQ'");
        assertThatThrownBy(() -> HandshakePattern.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported Noise pattern ''");
        assertThatThrownBy(() -> HandshakePattern.parse("XXfallback")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported Noise modifier 'fallback'");
        assertThatThrownBy(() -> HandshakePattern.parse("NNpsk3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modifier psk3 names a message the pattern lacks");
        assertThat(HandshakePattern.parse("NNpsk2").messages()).hasSize(2);
    }

    @Test
    void tokensParseByTheirSpecificationNames() {
        assertThat(List.of("e", " s", "ee ", "es", "se", "ss", "psk").stream().map(Token::parse))
                .containsExactly(Token.E, Token.S, Token.EE, Token.ES, Token.SE, Token.SS, Token.PSK);
        assertThatThrownBy(() -> Token.parse("ek")).isInstanceOf(IllegalArgumentException.class).hasMessage("unknown Noise token 'ek'");
    }

    @Test
    void protocolNamesNameEveryPart() {
        NoiseProtocol p = NoiseProtocol.parse("Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b");
        assertThat(p.name()).isEqualTo("Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b");
        assertThat(p.pattern().name()).isEqualTo("XXpsk3");
        assertThat(p.cipher()).isEqualTo(AeadAlgorithm.CHACHA20_POLY1305);
        assertThat(p.hash()).isEqualTo(HashAlgorithm.BLAKE2B);
        assertThat(NoiseProtocol.parse("Noise_NN_25519_AESGCM_SHA256").cipher()).isEqualTo(AeadAlgorithm.AES_256_GCM);
        assertThat(NoiseProtocol.parse("Noise_NN_25519_AESGCM_SHA256").hash()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(NoiseProtocol.parse("Noise_NN_25519_AESGCM_SHA512").hash()).isEqualTo(HashAlgorithm.SHA512);
        assertThat(NoiseProtocol.parse("Noise_NN_25519_AESGCM_BLAKE2s").hash()).isEqualTo(HashAlgorithm.BLAKE2S);
        assertThat(p.nameBytes()).isEqualTo("Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void malformedProtocolNamesAreRefusedNamingThePart() {
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_25519_AESGCM")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a Noise protocol name: 'Noise_XX_25519_AESGCM'");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noize_XX_25519_AESGCM_SHA256")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Noise protocol name");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_25519_AESGCM_SHA256_extra")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Noise protocol name");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_448_AESGCM_SHA256")).hasMessage("unsupported DH function '448' (only 25519)");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_25519_AESGCMX_SHA256")).hasMessage("unsupported cipher 'AESGCMX'");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_25519_AESGCM_MD5")).hasMessage("unsupported hash 'MD5'");
        assertThatThrownBy(() -> new NoiseProtocol(null, null, null, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void hfsPutsE1AfterTheFirstEAndEkem1AfterTheFirstEe() {
        HandshakePattern xx = HandshakePattern.parse("XXhfs");
        assertThat(xx.name()).isEqualTo("XXhfs");
        assertThat(xx.messages()).containsExactly(List.of(Token.E, Token.E1), List.of(Token.E, Token.EE, Token.EKEM1, Token.S, Token.ES),
                List.of(Token.S, Token.SE));
        assertThat(xx.hasHfs()).isTrue();
        assertThat(HandshakePattern.parse("XX").hasHfs()).isFalse();
        // With a DH in e's message, e1 follows that DH so that the KEM key travels encrypted.
        assertThat(HandshakePattern.parse("NKhfs").messages()).containsExactly(List.of(Token.E, Token.ES, Token.E1),
                List.of(Token.E, Token.EE, Token.EKEM1));
        assertThat(HandshakePattern.parse("IKhfs").messages().get(0)).containsExactly(Token.E, Token.ES, Token.E1, Token.S, Token.SS);
    }

    @Test
    void hfsIsRefusedWhereItCannotApply() {
        assertThatThrownBy(() -> HandshakePattern.parse("Nhfs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hfs needs an interactive pattern, not the one-way N");
        assertThatThrownBy(() -> HandshakePattern.parse("XXhfs+psk3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hfs together with psk is not supported: XXhfs+psk3");
        assertThatThrownBy(() -> HandshakePattern.parse("XXhfs+hfs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hfs given twice");
    }

    @Test
    void anHfsProtocolNamesItsKemAfterTheDhFunction() {
        NoiseProtocol p = NoiseProtocol.parse(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);
        assertThat(p.kem()).isEqualTo(KemAlgorithm.ML_KEM_768);
        assertThat(p.pattern().hasHfs()).isTrue();
        assertThat(p.cipher()).isEqualTo(AeadAlgorithm.AES_256_GCM);
        assertThat(NoiseProtocol.parse(NoiseProtocol.XX_25519_AESGCM_SHA256).kem()).isNull();
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XXhfs_25519_AESGCM_SHA256"))
                .hasMessageContaining("'25519' needs one KEM for pattern XXhfs");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XX_25519+MLKEM768_AESGCM_SHA256"))
                .hasMessageContaining("'25519+MLKEM768' needs no KEM for pattern XX");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XXhfs_25519+Kyber1024_AESGCM_SHA256"))
                .hasMessage("unsupported KEM 'Kyber1024' (only MLKEM768)");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XXhfs_448+MLKEM768_AESGCM_SHA256"))
                .hasMessage("unsupported DH function '448' (only 25519)");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XXhfs_25519+MLKEM768+MLKEM768_AESGCM_SHA256"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
